// Helpers for the persistence benchmarks: servers started on a given dir (kept after stop, so
// their files can be measured and reused), a minimal RESP client, dataset builders and waits.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPing } from './redis-server.mjs';

export const CLI_MAIN = new URL('../../packages/cli/dist/larder.mjs', import.meta.url).pathname;
export const tempDir = (tag) => mkdtempSync(join(tmpdir(), `larder-bench-${tag}-`));

/** redis-server on `dir` (loaded at start as it finds it), logging to dir/redis.log. */
export async function redisOn(dir, args = []) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', join(dir, 'redis.log'), ...args], { stdio: 'ignore' });
  await waitForPing(port, 2000);
  const startMs = performance.now() - t0;
  return { port, pid: child.pid, startMs, stop: () => stopChild(child) };
}

/** `larder serve` on `dir` (args are more serve flags). */
export async function larderOn(dir, args = []) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--max-old-space-size=8192', CLI_MAIN, 'serve', '--port', String(port), '--dir', dir, '--save', '', ...args],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPing(port, 2000);
  const startMs = performance.now() - t0;
  return { port, pid: child.pid, startMs, stop: () => stopChild(child) };
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** CONFIG SET appendonly yes on redis-server at `port`, resolved once its first rewrite (the AOF base) is done. */
export async function appendonlyOn(port) {
  cli(port, 'CONFIG', 'SET', 'appendonly', 'yes');
  await waitUntil(() => {
    const p = info(port, 'persistence');
    return p.aof_rewrite_in_progress === '0' && p.aof_rewrite_scheduled === '0' && p.aof_enabled === '1';
  }, 100);
}

/** Seconds from redis-server's "DB loaded from ...: X seconds" log line. */
export function redisLoadSeconds(dir) {
  const m = /DB loaded from (?:disk|append only file): ([\d.]+) seconds/.exec(readFileSync(join(dir, 'redis.log'), 'latin1'));
  if (!m) throw new Error(`no load line in ${dir}/redis.log`);
  return Number(m[1]);
}

export const cli = (port, ...args) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim();

export function info(port, section) {
  const out = {};
  for (const line of cli(port, 'INFO', section).split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export async function waitUntil(pred, ms = 20, timeoutMs = 600_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, ms));
  }
}

/** SETs `n` keys (`keyOf(i)`, default `key:<i>`) to `size` random bytes each, through `redis-cli --pipe`. */
export async function populateRandom(port, n, size, keyOf = (i) => `key:${i}`) {
  const child = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise((resolve, reject) => child.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`redis-cli --pipe: ${c}`)))));
  const BATCH = 10_000;
  for (let i = 0; i < n; i += BATCH) {
    const parts = [];
    const vals = randomBytes(BATCH * size);
    for (let j = 0; j < BATCH && i + j < n; j++) {
      const key = keyOf(i + j);
      parts.push(Buffer.from(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${size}\r\n`), vals.subarray(j * size, (j + 1) * size), Buffer.from('\r\n'));
    }
    if (!child.stdin.write(Buffer.concat(parts))) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
}

/**
 * A minimal RESP client: `send(argv)` resolves with a bulk reply's body, or else the reply's first
 * line (`+PONG`, `:1`, `-ERR ...`; an array's elements are skipped whole).
 */
export function respClient(port) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    const waiting = [];
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      for (;;) {
        const end = replyEnd(buf, 0);
        if (end < 0) break;
        const nl = buf.indexOf('\r\n');
        const line = buf[0] === 0x24 && end > nl + 2 ? buf.subarray(nl + 2, end - 2).toString('latin1') : buf.subarray(0, nl).toString('latin1');
        buf = buf.subarray(end);
        waiting.shift()(line);
      }
    });
    sock.on('error', reject);
    sock.on('connect', () => resolve({
      send(argv) {
        sock.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
        return new Promise((r) => waiting.push(r));
      },
      close: () => sock.destroy(),
    }));
  });
}

/** Offset just past the reply starting at `i`, or -1 when incomplete. */
function replyEnd(b, i) {
  const nl = b.indexOf('\r\n', i);
  if (nl < 0) return -1;
  const t = b[i];
  const n = Number(b.subarray(i + 1, nl).toString('latin1'));
  if (t === 0x24 /* $ */) return n < 0 ? nl + 2 : b.length >= nl + 2 + n + 2 ? nl + 2 + n + 2 : -1;
  if (t === 0x2a /* * */) {
    let at = nl + 2;
    for (let k = 0; k < n; k++) {
      at = replyEnd(b, at);
      if (at < 0) return -1;
    }
    return at;
  }
  return nl + 2;
}

export const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
