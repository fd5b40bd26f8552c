// Starts a throwaway redis-server (Debian's 7.0) on a free loopback port for benchmarks.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitForPing(port, tries = 200) {
  for (let i = 0; i < tries; i++) {
    try {
      if (execFileSync('redis-cli', ['-p', String(port), 'PING'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === 'PONG') return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answered PING on port ${port}`);
}

/** Starts redis-server with `args`; returns { port, pid, stop() }. */
export async function startRedis(args = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], { stdio: 'ignore' });
  await waitForPing(port);
  return {
    port,
    dir,
    pid: child.pid,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `larder serve` (the built CLI) with `args`; returns { port, pid, stop() }. */
export async function startLarder(args = []) {
  const port = await freePort();
  // Like startRedis: a throwaway dir and no save rules unless `args` says otherwise (later flags win).
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-larder-'));
  const main = new URL('../../packages/cli/dist/larder.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [main, 'serve', '--port', String(port), '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
  await waitForPing(port);
  return {
    port,
    dir,
    pid: child.pid,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function redisCli(port, ...args) {
  return execFileSync('redis-cli', ['-p', String(port), ...args]).toString();
}
