#!/usr/bin/env node
// Installs the system packages the test suite runs against when they are missing: Debian's
// redis-server and redis-tools (redis-server 7.0 is the oracle of the differential tests) and
// chromium (the browser package's tests run in the real browser, /usr/bin/chromium).
// Uses apt-get as root; otherwise says what to run.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [
  { bin: 'redis-server', pkg: 'redis-server' },
  { bin: 'redis-cli', pkg: 'redis-tools' },
  { bin: 'redis-check-aof', pkg: 'redis-tools' },
  { bin: 'chromium', pkg: 'chromium' },
];

const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = [...new Set(needed.filter((n) => !has(n.bin)).map((n) => n.pkg))];

if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(`Missing system packages: ${missing.join(' ')}. Install them (Debian: sudo apt-get install -y ${missing.join(' ')}) and run the tests again.`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(' ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}
