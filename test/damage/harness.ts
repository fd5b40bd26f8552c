/**
 * Damaged directories, end to end: `larder serve` / `larder check-aof` (from source, as the crash
 * and interop tests start them) and redis-server / redis-check-aof 7.0.15 run on copies of one
 * directory, each run to its end: whether it started, its exit code, its output, and the bytes of
 * every file it left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RespClient } from '../support/resp-client.ts';

const REGISTER = fileURLToPath(new URL('../../packages/node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A scratch folder removed by `cleanup`. */
export function scratch(prefix: string): { fresh(name: string): string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return {
    fresh: (name) => join(base, `${++n}-${name.replace(/[^\w.-]+/g, '_')}`),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** A copy of `src` at `dest`. */
export function copyDir(src: string, dest: string): string {
  cpSync(src, dest, { recursive: true });
  return dest;
}

/** Every regular file under `dir` (relative path) → its sha256, so "nothing changed" is exact. */
export function hashDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

/** How a server start on a directory ended. */
export interface StartRun {
  /** It announced "Ready to accept connections" (it was then shut down without writing). */
  started: boolean;
  /** Exit code (null when it had to be killed). */
  code: number | null;
  /** stdout + stderr. */
  output: string;
}

interface Spawned {
  proc: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

function watch(proc: ChildProcess): Spawned {
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // Never leave a child behind if the test process dies first.
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  return { proc, output: () => out, exited };
}

/**
 * Runs a server until it is ready or exits. A ready one gets `stop` (SHUTDOWN NOSAVE: no save,
 * nothing written after the load) and is waited for; one that hangs is killed after 20 s.
 */
async function runStart(s: Spawned, ready: RegExp, stop: () => Promise<void>): Promise<StartRun> {
  const deadline = Date.now() + 20_000;
  let done = false;
  void s.exited.then(() => (done = true));
  while (!done && !ready.test(s.output()) && Date.now() < deadline) await sleep(20);
  const started = !done && ready.test(s.output());
  if (started) await stop();
  if (!done) {
    const killer = setTimeout(() => s.proc.kill('SIGKILL'), 10_000);
    await s.exited;
    clearTimeout(killer);
  }
  return { started, code: s.proc.exitCode, output: s.output() };
}

async function shutdownNoSave(port: number, exited: Promise<void>): Promise<void> {
  try {
    const c = await RespClient.connect(port);
    c.send(['SHUTDOWN', 'NOSAVE']);
    await exited;
    c.close();
  } catch {
    // Gone already.
  }
}

/** `larder serve --dir <dir> --save "" ...args` on a free port. */
export function startLarderOn(dir: string, args: string[]): Promise<StartRun> {
  const s = watch(spawn(process.execPath, ['--import', REGISTER, MAIN, 'serve', '--port', '0', '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const ready = /Ready to accept connections on 127\.0\.0\.1:(\d+)/;
  return runStart(s, ready, () => shutdownNoSave(Number(ready.exec(s.output())![1]), s.exited));
}

/** `redis-server --dir <dir> --save "" ...args` on a free port. */
export async function startRedisOn(dir: string, args: string[]): Promise<StartRun> {
  const port = await freePort();
  const s = watch(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  return runStart(s, /Ready to accept connections/, () => shutdownNoSave(port, s.exited));
}

/** A running server to write a directory with. */
export interface Live {
  port: number;
  call(argv: string[]): Promise<string>;
  /** SHUTDOWN NOSAVE (the AOF is flushed), resolved once the process is gone. */
  stop(): Promise<void>;
  /** Its exit code once the process is gone (null when a signal ended it). */
  exited: Promise<number | null>;
  /** stdout + stderr so far. */
  output(): string;
  /** Sends `signal` (SIGKILL unless told) to the process. */
  kill(signal?: NodeJS.Signals): void;
}

/** How `liveLarder` / `liveRedis` wait: for "Ready to accept connections", or (`loading`) only until the port accepts connections. */
export interface LiveOptions {
  loading?: boolean;
}

/** Waits until `port` accepts a connection or `s` exits; false when it exited or 20 s passed. */
async function accepting(s: Spawned, port: number): Promise<boolean> {
  for (let i = 0; i < 1000 && s.proc.exitCode === null; i++) {
    try {
      (await RespClient.connect(port)).close();
      return true;
    } catch {
      await sleep(20);
    }
  }
  return false;
}

function live(s: Spawned, port: number, c: RespClient): Live {
  return {
    port,
    async call(argv) {
      const r = await c.call(argv);
      if (r.t === 'error') throw new Error(`${argv.join(' ')}: ${r.v}`);
      return 'v' in r ? String(r.v) : r.t;
    },
    async stop() {
      c.close();
      await shutdownNoSave(port, s.exited);
    },
    exited: s.exited.then(() => s.proc.exitCode),
    output: s.output,
    kill: (signal = 'SIGKILL') => void s.proc.kill(signal),
  };
}

/** `larder serve` kept running, for writing the directories the tests then damage. */
export async function liveLarder(dir: string, args: string[], opts: LiveOptions = {}): Promise<Live> {
  const fixed = opts.loading === true ? await freePort() : 0;
  const s = watch(spawn(process.execPath, ['--import', REGISTER, MAIN, 'serve', '--port', String(fixed), '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const ready = /Ready to accept connections on 127\.0\.0\.1:(\d+)/;
  if (opts.loading !== true) {
    for (let i = 0; i < 1000 && !ready.test(s.output()); i++) {
      if (s.proc.exitCode !== null) break;
      await sleep(20);
    }
  }
  const m = ready.exec(s.output());
  if (opts.loading === true ? !(await accepting(s, fixed)) : !m) {
    s.proc.kill('SIGKILL');
    throw new Error(`larder serve did not start on ${dir}:\n${s.output()}`);
  }
  const port = opts.loading === true ? fixed : Number(m![1]);
  return live(s, port, await RespClient.connect(port));
}

/** redis-server kept running, as `liveLarder`. */
export async function liveRedis(dir: string, args: string[], opts: LiveOptions = {}): Promise<Live> {
  const port = await freePort();
  const s = watch(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let up = false;
  if (opts.loading === true) up = await accepting(s, port);
  else {
    for (let i = 0; i < 1000 && s.proc.exitCode === null && !up; i++) {
      up = /Ready to accept connections/.test(s.output());
      if (!up) await sleep(20);
    }
  }
  if (!up) {
    s.proc.kill('SIGKILL');
    throw new Error(`redis-server did not start on ${dir}:\n${s.output()}`);
  }
  return live(s, port, await RespClient.connect(port));
}

/** How a check tool run ended. */
export interface ToolRun {
  code: number | null;
  stdout: string;
}

function runTool(cmd: string, args: string[], cwd: string, input: string): Promise<ToolRun> {
  const s = watch(spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'ignore'] }));
  // A tool that exits without reading its stdin makes this write fail with EPIPE: no matter.
  s.proc.stdin!.on('error', () => {});
  s.proc.stdin!.end(input);
  const killer = setTimeout(() => s.proc.kill('SIGKILL'), 30_000);
  return s.exited.then(() => {
    clearTimeout(killer);
    return { code: s.proc.exitCode, stdout: s.output() };
  });
}

/** `larder check-aof ...args` in `cwd`, `input` on stdin (the answer to --fix's question). */
export const larderCheckAof = (args: string[], cwd: string, input = ''): Promise<ToolRun> =>
  runTool(process.execPath, ['--import', REGISTER, MAIN, 'check-aof', ...args], cwd, input);

/** `redis-check-aof ...args` in `cwd`. */
export const redisCheckAof = (args: string[], cwd: string, input = ''): Promise<ToolRun> => runTool('redis-check-aof', args, cwd, input);

/** serverLog's `pid:role date time level ` prefix, which differs run to run. */
export const normalizeLog = (s: string): string => s.replace(/^\d+:[CMSX] \d+ \w+ \d+ [\d:.]+ [#*.-] /gm, 'LOG ');

/** Every key of dbs 0..15 with type, absolute expiry and value, as one comparable object. */
export async function dumpData(port: number): Promise<Record<string, unknown>> {
  const c = await RespClient.connect(port);
  const out: Record<string, unknown> = {};
  const text = (n: { t: string; v?: unknown }): string => String(n.v);
  const list = (n: { t: string; v?: unknown }): string[] => (n.t === 'array' ? (n.v as { v: unknown }[]).map((x) => String(x.v)) : []);
  try {
    for (let db = 0; db < 16; db++) {
      await c.call(['SELECT', String(db)]);
      for (const key of list(await c.call(['KEYS', '*'])).sort()) {
        const type = text(await c.call(['TYPE', key]));
        const at = text(await c.call(['PEXPIRETIME', key]));
        let value: unknown;
        if (type === 'string') value = text(await c.call(['GET', key]));
        else if (type === 'list') value = list(await c.call(['LRANGE', key, '0', '-1']));
        else if (type === 'set') value = list(await c.call(['SMEMBERS', key])).sort();
        else if (type === 'hash') value = list(await c.call(['HGETALL', key]));
        else if (type === 'zset') value = list(await c.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']));
        out[`${db}/${key}`] = { type, at, value };
      }
    }
  } finally {
    c.close();
  }
  return out;
}

/** Starts a server on `dir` and returns its data; it must start. */
export async function dataOf(which: 'larder' | 'redis', dir: string, args: string[]): Promise<Record<string, unknown>> {
  if (which === 'larder') {
    const l = await liveLarder(dir, args);
    try {
      return await dumpData(l.port);
    } finally {
      await l.stop();
    }
  }
  const port = await freePort();
  const s = watch(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  for (let i = 0; !/Ready to accept connections/.test(s.output()); i++) {
    if (s.proc.exitCode !== null || i === 500) {
      s.proc.kill('SIGKILL');
      throw new Error(`redis-server did not start on ${dir}:\n${s.output()}`);
    }
    await sleep(20);
  }
  try {
    return await dumpData(port);
  } finally {
    await shutdownNoSave(port, s.exited);
  }
}
