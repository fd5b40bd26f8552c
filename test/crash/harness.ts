/**
 * The crash harness: `larder serve` (from source, through the node package's TypeScript loader) in
 * a child process over a real directory, a writer that records when each write was acknowledged,
 * SIGKILL at a moment fast-check picks, then a restart on the same directory and the recovered
 * state compared with the history.
 *
 * The history is two interleaved ops per step i = 1, 2, ...: `INCR ctr` (answering i) then
 * `RPUSH seq i`. After r ops were applied in order, ctr = ceil(r/2) and seq = [1..floor(r/2)], so
 * a recovered state is a prefix of the history exactly when seq is 1..m and ctr is m or m + 1,
 * and then r = ctr + m.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RespClient } from '../support/resp-client.ts';

const REGISTER = fileURLToPath(new URL('../../packages/node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

export interface Server {
  readonly port: number;
  readonly proc: ChildProcess;
  output(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** Starts `larder serve --port 0 ...args`; rejects with its output when it exits instead. */
export function startLarder(args: string[]): Promise<Server> {
  const proc = spawn(process.execPath, ['--import', REGISTER, MAIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // Never leave a child behind if the test process dies first.
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const m = /Ready to accept connections on 127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      proc.stdout!.off('data', onData);
      resolve({
        port: Number(m[1]),
        proc,
        output: () => out,
        kill: () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
          return exited;
        },
      });
    };
    proc.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`larder serve exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${out}`)));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The argv of op number `k` (0-based) of the history. */
export const op = (k: number): string[] => (k % 2 === 0 ? ['INCR', 'ctr'] : ['RPUSH', 'seq', String((k + 1) / 2)]);

export interface WriteLog {
  /** Ops sent (0..sent-1), acknowledged or not. */
  sent: number;
  /** Ops acknowledged, in order: ackAt[k] = Date.now() when op k's reply arrived. */
  ackAt: number[];
  /** A reply that was not the expected one (a bug, not a crash). */
  wrong: string | undefined;
}

/**
 * Writes ops `from`, `from + 1`, ... with up to `window` in flight until the connection drops.
 * `log.ackAt` is indexed by op number; entries below `from` are left as they are.
 */
export async function writeUntilDropped(port: number, from: number, log: WriteLog, window = 32): Promise<void> {
  const c = await RespClient.connect(port);
  log.sent = from;
  let acked = from;
  try {
    for (;;) {
      while (log.sent - acked < window) c.send(op(log.sent++));
      const r = await c.read();
      const k = acked++;
      log.ackAt[k] = Date.now();
      const want = k % 2 === 0 ? String(k / 2 + 1) : String((k + 1) / 2);
      if (r.t !== 'int' || r.v !== want) {
        log.wrong ??= `op ${k} (${op(k).join(' ')}) answered ${JSON.stringify(r)}, expected ${want}`;
      }
    }
  } catch {
    // The server was killed: every later reply is lost.
  } finally {
    c.close();
  }
}

export interface Recovered {
  /** Ops of the history present (ctr + length of seq). */
  ops: number;
  /** Why the state is not a prefix of the history, if it is not. */
  notPrefix: string | undefined;
}

export async function readState(port: number): Promise<Recovered> {
  const c = await RespClient.connect(port);
  try {
    const ctr = await c.call(['GET', 'ctr']);
    const seq = await c.call(['LRANGE', 'seq', '0', '-1']);
    const n = ctr.t === 'bulk' ? Number(ctr.v) : 0;
    const items = seq.t === 'array' ? seq.v.map((x) => (x.t === 'bulk' ? x.v : '?')) : [];
    const m = items.length;
    let notPrefix: string | undefined;
    const gap = items.findIndex((x, i) => x !== String(i + 1));
    if (gap >= 0) notPrefix = `seq[${gap}] is ${items[gap]}`;
    else if (n !== m && n !== m + 1) notPrefix = `ctr is ${n} with ${m} items in seq`;
    return { ops: n + m, notPrefix };
  } finally {
    c.close();
  }
}

/** Fills the dataset so that BGSAVE and BGREWRITEAOF have something to chew on for a while. */
export async function preload(port: number, keys: number, valueBytes: number): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    const value = 'v'.repeat(valueBytes);
    for (let i = 0; i < keys; i += 500) {
      const batch: string[][] = [];
      for (let j = i; j < Math.min(keys, i + 500); j++) batch.push(['SET', `fill:${j}`, value]);
      await c.pipeline(batch);
    }
  } finally {
    c.close();
  }
}

/** Sends one command on its own connection and does not wait for the answer. */
export async function fire(port: number, argv: string[]): Promise<void> {
  const c = await RespClient.connect(port);
  c.send(argv);
  // Keep the connection until the process dies; its close then ends the client.
  void c.read(60_000).catch(() => {}).finally(() => c.close());
}

/** Whether a BGSAVE or an AOF rewrite is running now (INFO persistence). */
export async function backgroundJobs(port: number): Promise<{ rewrite: boolean; bgsave: boolean }> {
  const c = await RespClient.connect(port);
  try {
    const r = await c.call(['INFO', 'persistence']);
    const text = r.t === 'bulk' || r.t === 'verbatim' ? r.v : '';
    return { rewrite: /aof_rewrite_in_progress:1/.test(text), bgsave: /rdb_bgsave_in_progress:1/.test(text) };
  } finally {
    c.close();
  }
}
