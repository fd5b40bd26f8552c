/**
 * Starts a throwaway redis-server (Debian's 7.0, the oracle of the differential tests) on a free
 * loopback port with no persistence and a temporary `dir`, and stops it by pid: SIGTERM, then
 * SIGKILL if it lingers. A test file calls `startRedis()` in beforeAll and `stop()` in afterAll.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RespClient } from './resp-client.ts';

export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  readonly version: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "redis-server was not found. The differential tests need Debian's redis-server 7.0 as their oracle: " +
  'install it with `apt-get install -y redis-server redis-tools` (or run `node scripts/ensure-system-deps.mjs`).';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The installed redis-server's version, or throws the install hint. */
export function redisVersion(): string {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(INSTALL_HINT);
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answersPing(port: number): Promise<boolean> {
  try {
    const c = await RespClient.connect(port);
    try {
      const r = await c.call(['PING']);
      return r.t === 'simple' && r.v === 'PONG';
    } finally {
      c.close();
    }
  } catch {
    return false;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const version = redisVersion();
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'larder-diff-redis-'));
    const child = spawn(
      'redis-server',
      // DEBUG is needed to switch off active expiry (see differential/session.ts).
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', ...extraArgs],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // Never leave an orphan behind if the test process dies without running afterAll.
    const onExit = () => child.kill('SIGKILL');
    process.once('exit', onExit);
    const cleanup = async () => {
      process.off('exit', onExit);
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    };
    let spawnError: Error | undefined;
    child.once('error', (e) => (spawnError = e));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !spawnError && child.exitCode === null) {
      if (await answersPing(port)) {
        return { port, pid: child.pid!, version, stop: cleanup };
      }
      await sleep(20);
    }
    await cleanup();
    if (spawnError) throw new Error(`${INSTALL_HINT} (${spawnError.message})`);
    // Lost the race for the port to another process: try another one.
    if (attempt < 3) continue;
    throw new Error(`redis-server did not answer PING on port ${port}: ${stderr.trim() || 'no output'}`);
  }
}
