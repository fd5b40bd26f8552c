/**
 * Directories as the interchange format: a dir Larder wrote (dump.rdb; an AOF with an RDB
 * preamble; an AOF with a RESP base) passes redis-check-rdb / redis-check-aof and redis-server
 * 7.0 started on it returns the same data, and a dir redis-server wrote opens in Larder. Every
 * type in both encodings, TTLs, binary keys and values, several databases, and writes after a
 * rewrite (so the incr file matters too).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RespClient } from '../support/resp-client.ts';
import type { Norm } from '../support/norm.ts';
import { sleep, startLarder } from '../crash/harness.ts';

const base = mkdtempSync(join(tmpdir(), 'larder-interop-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(base, `d${++n}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

interface Running {
  port: number;
  proc: ChildProcess;
}

async function startRedisOn(dir: string, args: string[]): Promise<Running> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  proc.once('exit', () => process.off('exit', onExit));
  for (let i = 0; i < 200; i++) {
    if (/Ready to accept connections/.test(out)) return { port, proc };
    if (proc.exitCode !== null) break;
    await sleep(25);
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${dir}:\n${out}`);
}

/** SHUTDOWN NOSAVE (the AOF is flushed), resolved when the process is gone. */
async function shutdown(r: Running): Promise<void> {
  const exited = new Promise<void>((resolve) => (r.proc.exitCode !== null ? resolve() : r.proc.once('exit', () => resolve())));
  const c = await RespClient.connect(r.port);
  c.send(['SHUTDOWN', 'NOSAVE']);
  await exited;
  c.close();
}

const BIN = '\x00\xff\r\n\x80bin';
const FAR = String(Date.UTC(2100, 0, 1));

function writes(part: 1 | 2): string[][] {
  const cmds: string[][] = [['SELECT', '0']];
  const p = `p${part}:`;
  cmds.push(['SET', `${p}str`, BIN], ['SET', `${p}int`, '12345'], ['SET', `${p}${BIN}`, 'binary key']);
  cmds.push(['SET', `${p}ttl`, 'x', 'PXAT', FAR], ['RPUSH', `${p}small-list`, 'a', BIN, '3']);
  cmds.push(['RPUSH', `${p}big-list`, ...Array.from({ length: 300 }, (_, i) => `item-${i}`)]);
  cmds.push(['HSET', `${p}small-hash`, 'f', 'v', BIN, BIN], ['SADD', `${p}intset`, '1', '2', '-3', '40000000000']);
  cmds.push(['HSET', `${p}big-hash`, ...Array.from({ length: 200 }, (_, i) => [`field-${i}`, `v${i}`]).flat()]);
  cmds.push(['SADD', `${p}set`, 'a', BIN, 'c'], ['PEXPIREAT', `${p}set`, FAR]);
  cmds.push(['ZADD', `${p}small-zset`, '1.5', 'a', '-0.25', BIN, 'inf', 'top', '-inf', 'bottom']);
  cmds.push(['ZADD', `${p}big-zset`, ...Array.from({ length: 200 }, (_, i) => [String(i / 7), `m${i}`]).flat()]);
  cmds.push(['SELECT', '3'], ['SET', `${p}in-db3`, 'three'], ['HSET', `${p}h3`, 'x', '1']);
  cmds.push(['SELECT', '15'], ['LPUSH', `${p}in-db15`, 'fifteen'], ['SELECT', '0']);
  if (part === 2) cmds.push(['DEL', 'p1:int'], ['APPEND', 'p1:str', 'more'], ['INCRBYFLOAT', 'p1:float', '1.25']);
  return cmds;
}

async function run(port: number, cmds: string[][]): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    for (const r of await c.pipeline(cmds)) expect(r.t).not.toBe('error');
  } finally {
    c.close();
  }
}

async function waitNoRewrite(c: RespClient): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const info = await c.call(['INFO', 'persistence']);
    if (info.t === 'bulk' && /aof_rewrite_in_progress:0/.test(info.v) && !/aof_rewrite_scheduled:1/.test(info.v)) return;
    await sleep(25);
  }
  throw new Error('the AOF rewrite did not finish');
}

const str = (n: Norm): string => (n.t === 'bulk' || n.t === 'simple' || n.t === 'int' ? String(n.v) : JSON.stringify(n));
const strs = (n: Norm): string[] => (n.t === 'array' ? n.v.map(str) : [JSON.stringify(n)]);

/** Every key of dbs 0..15 with its type, absolute expiry and value (unordered ones sorted). */
async function dump(port: number): Promise<Record<string, unknown>> {
  const c = await RespClient.connect(port);
  const out: Record<string, unknown> = {};
  try {
    for (let db = 0; db < 16; db++) {
      await c.call(['SELECT', String(db)]);
      for (const key of strs(await c.call(['KEYS', '*'])).sort()) {
        const type = str(await c.call(['TYPE', key]));
        const at = str(await c.call(['PEXPIRETIME', key]));
        let value: unknown;
        if (type === 'string') value = str(await c.call(['GET', key]));
        else if (type === 'list') value = strs(await c.call(['LRANGE', key, '0', '-1']));
        else if (type === 'set') value = strs(await c.call(['SMEMBERS', key])).sort();
        else if (type === 'hash') {
          const flat = strs(await c.call(['HGETALL', key]));
          value = Array.from({ length: flat.length / 2 }, (_, i) => `${flat[2 * i]}=${flat[2 * i + 1]}`).sort();
        } else if (type === 'zset') value = strs(await c.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']));
        out[`${db}/${key}`] = { type, at, value };
      }
    }
  } finally {
    c.close();
  }
  return out;
}

type Mode = 'rdb' | 'aof-preamble' | 'aof-resp';
const MODES: Mode[] = ['rdb', 'aof-preamble', 'aof-resp'];
const modeArgs = (m: Mode): string[] =>
  m === 'rdb' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--aof-use-rdb-preamble', m === 'aof-preamble' ? 'yes' : 'no'];

/** Writes both parts, with a rewrite (AOF) or SAVE (RDB) between or after them, then dumps. */
async function populate(port: number, mode: Mode): Promise<Record<string, unknown>> {
  await run(port, writes(1));
  const c = await RespClient.connect(port);
  try {
    if (mode === 'rdb') {
      await run(port, writes(2));
      expect(str(await c.call(['SAVE']))).toBe('OK');
    } else {
      await waitNoRewrite(c);
      expect(str(await c.call(['BGREWRITEAOF']))).toMatch(/rewriting started|scheduled/);
      await waitNoRewrite(c);
      await run(port, writes(2));
    }
  } finally {
    c.close();
  }
  return dump(port);
}

function checkTools(dir: string, mode: Mode): void {
  const r = mode === 'rdb'
    ? spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' })
    : spawnSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
  expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 0 });
  expect(r.stdout).toMatch(mode === 'rdb' ? /RDB looks OK/ : /is valid/);
}

describe('a directory Larder wrote, read by Redis', () => {
  it.each(MODES)('%s', async (mode) => {
    const dir = fresh();
    const larder = await startLarder(['--dir', dir, '--save', '', ...modeArgs(mode)]);
    const expected = await populate(larder.port, mode);
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    await shutdown(larder);
    checkTools(dir, mode);
    const redis = await startRedisOn(dir, modeArgs(mode));
    try {
      expect(await dump(redis.port)).toEqual(expected);
    } finally {
      await shutdown(redis);
    }
  });
});

describe('a directory Redis wrote, read by Larder', () => {
  it.each(MODES)('%s', async (mode) => {
    const dir = fresh();
    const redis = await startRedisOn(dir, modeArgs(mode));
    const expected = await populate(redis.port, mode);
    await shutdown(redis);
    const larder = await startLarder(['--dir', dir, '--save', '', ...modeArgs(mode)]);
    try {
      expect(await dump(larder.port)).toEqual(expected);
    } finally {
      await shutdown(larder);
    }
  });
});
