/**
 * Files shared with redis-server 7.0.15: `import()` of a dump.rdb that redis-server wrote, and
 * `export()` loaded back by redis-server. One script fills both sides with every type Larder has
 * (strings of each encoding, compressible and binary values, small and large lists, hashes, sets
 * and sorted sets, infinities, several databases, TTLs as absolute times), and the datasets are
 * compared whole with state.ts (type, value, encoding, expiry of every key).
 *
 * The page's store is read with the same commands as redis-server: `pageInspector` runs them
 * through the page client (bytes mode) and hands back RESP-shaped replies.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDouble17g } from '../support/larder.ts';
import type { Norm } from '../support/norm.ts';
import { startRedis, type RedisServer } from '../support/redis-server.ts';
import { RespClient } from '../support/resp-client.ts';
import { diffSnapshots, redisSnapshot, type Snapshot } from '../support/state.ts';
import { launchChromium, openAppPage, serveApp, type Chromium, type Served } from './app.ts';
import { removeDir, tmpProfile } from './harness.ts';

/** Absolute expiry times, so that both sides hold the same ones however far apart they are filled. */
const AT = Date.now() + 3_600_000;
const bytes = (xs: number[]): string => String.fromCharCode(...xs);
const ALL_BYTES = bytes(Array.from({ length: 256 }, (_, i) => i));
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** Commands as byte strings (latin1, one char per byte), run the same on both sides. */
const FILL: string[][] = [
  ['SET', 'str:int', '12345'],
  ['SET', 'str:neg', '-42'],
  ['SET', 'str:embstr', 'hello'],
  ['SET', 'str:raw', 'r'.repeat(60) + ALL_BYTES.slice(32, 90)],
  // Compressible past rdbcompression's threshold: LZF in the file.
  ['SET', 'str:lzf', 'abcdefgh'.repeat(20_000)],
  ['SET', 'str:bin', ALL_BYTES],
  ['SET', 'str:empty', ''],
  ['SET', 'str:utf8', Buffer.from('héllo ✓ 日本', 'utf8').toString('latin1')],
  ['SET', bytes([0, 255, 128, 10, 13]), 'binary key'],
  ['SET', 'str:ttl', 'expires', 'PXAT', String(AT)],
  ['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '3'],
  ['RPUSH', 'list:big', ...range(2000, (i) => `element-${i}-${'x'.repeat(i % 50)}`)],
  ['RPUSH', 'list:bin', ALL_BYTES, '', bytes([0])],
  ['PEXPIREAT', 'list:small', String(AT + 1000)],
  ['HSET', 'hash:small', 'f1', 'v1', 'f2', '2', 'f3', ''],
  ['HSET', 'hash:big', ...range(200, (i) => [`field${i}`, `value${i}`]).flat()],
  ['HSET', 'hash:bin', ALL_BYTES, bytes([1, 2, 3]), 'long', 'l'.repeat(100)],
  ['PEXPIREAT', 'hash:big', String(AT + 2000)],
  ['SADD', 'set:int', '1', '2', '3', '-5', '1000000'],
  ['SADD', 'set:intset-big', ...range(300, (i) => String(i * 7))],
  ['SADD', 'set:str', 'a', 'b', 'c', ALL_BYTES],
  ['SADD', 'set:big', ...range(600, (i) => `m${i}`)],
  ['ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-1', 'c', 'inf', 'd', '-inf', 'e', '0.1', 'f'],
  ['ZADD', 'zset:big', ...range(300, (i) => [String(i / 10), `member${i}`]).flat()],
  ['ZADD', 'zset:bin', '3', ALL_BYTES, '4', bytes([0, 0])],
  ['PEXPIREAT', 'zset:big', String(AT + 3000)],
  ['SELECT', '3'],
  ['SET', 'db3:s', 'in db 3'],
  ['HSET', 'db3:h', 'a', 'b'],
  ['SELECT', '15'],
  ['RPUSH', 'db15:l', 'last db'],
  ['SELECT', '0'],
];
const KEYS = 26;

const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/**
 * The page's store as a RespClient for state.ts: argv go to `larder.call` as bytes, replies come
 * back as Norm (bulk strings as latin1, doubles as %.17g text as RESP2 sends them).
 */
function pageInspector(page: Page): RespClient {
  const run = async (cmds: ReadonlyArray<readonly string[]>): Promise<Norm[]> => {
    const raw = await page.evaluate(async (cmds) => {
      const l = (globalThis as any).larder;
      const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
      const latin1 = (b: Uint8Array): string => {
        let s = '';
        for (let o = 0; o < b.length; o += 8192) s += String.fromCharCode(...b.subarray(o, o + 8192));
        return s;
      };
      const shape = (r: any): any => {
        if (r === null) return { t: 'nil' };
        if (r instanceof Uint8Array) return { t: 'bulk', v: latin1(r) };
        if (typeof r === 'number' || typeof r === 'bigint') return { t: 'num', v: Number(r) };
        if (typeof r === 'string') return { t: 'simple', v: r };
        if (Array.isArray(r)) return { t: 'array', v: r.map(shape) };
        return { t: 'array', v: Object.entries(r).flatMap(([k, v]) => [{ t: 'bulk', v: k }, shape(v)]) };
      };
      // The client returns maps as objects whose keys are UTF-8 text even in bytes mode, which
      // would mangle binary field names: HGETALL is read as HKEYS + HVALS (same order) instead.
      const call = async (argv: string[]): Promise<any> => {
        if (argv[0]!.toUpperCase() !== 'HGETALL') return l.call(...argv.map(enc));
        const [keys, vals] = await Promise.all([l.call('HKEYS', enc(argv[1]!)), l.call('HVALS', enc(argv[1]!))]);
        return keys.flatMap((k: Uint8Array, i: number) => [k, vals[i]]);
      };
      const out: unknown[] = [];
      for (const argv of cmds) {
        try {
          out.push(shape(await call(argv)));
        } catch (e: any) {
          out.push({ t: 'error', v: String(e?.message) });
        }
      }
      return out;
    }, cmds as string[][]);
    const norm = (n: any): Norm => {
      if (n.t === 'num') return Number.isSafeInteger(n.v) ? { t: 'int', v: String(n.v) } : { t: 'bulk', v: formatDouble17g(n.v) };
      if (n.t === 'array') return { t: 'array', v: n.v.map(norm) };
      return n as Norm;
    };
    return raw.map(norm);
  };
  return {
    call: async (argv: readonly string[]) => (await run([argv]))[0]!,
    pipeline: run,
  } as unknown as RespClient;
}

describe('interop with redis-server 7.0.15 dump files', () => {
  let served: Served;
  let browser: Chromium;
  let oracle: RedisServer;
  let client: RespClient;
  let expected: Snapshot;
  const profile = tmpProfile();
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'larder-interop-'));
    dirs.push(d);
    return d;
  };
  const oracleDir = tmp();

  beforeAll(async () => {
    served = await serveApp();
    browser = await launchChromium(profile);
    // A later --dir wins over the helper's own, so the dump lands where we can read it.
    oracle = await startRedis(['--dir', oracleDir]);
    client = await RespClient.connect(oracle.port);
    for (const r of await client.pipeline(FILL)) expect(r.t, JSON.stringify(r)).not.toBe('error');
    expected = await redisSnapshot(client);
    expect(expected.size).toBe(KEYS);
  });
  afterAll(async () => {
    client?.close();
    await oracle?.stop();
    await browser?.kill();
    await served?.close();
    removeDir(profile);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function openStore(page: Page, name: string): Promise<void> {
    await page.evaluate(async (name) => {
      const g = globalThis as any;
      g.larder = await g.openLarder({ name, appendfsync: 'always', bytes: true });
    }, name);
  }

  it('imports a dump.rdb written by redis-server, and keeps it across a reload', async () => {
    expect(await client.call(['SAVE'])).toEqual({ t: 'simple', v: 'OK' });
    const dump = readFileSync(join(oracleDir, 'dump.rdb'));
    const page = await openAppPage(browser, served.origin);
    await openStore(page, 'interop-import');
    const imported = await page.evaluate(async (b64) => {
      const bin = atob(b64);
      return (globalThis as any).larder.import(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    }, toBase64(dump));
    expect(imported).toBe(KEYS);
    expect(diffSnapshots(expected, await redisSnapshot(pageInspector(page)))).toEqual([]);

    await page.reload();
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction('window.larderReady === true');
    await openStore(page, 'interop-import');
    expect(diffSnapshots(expected, await redisSnapshot(pageInspector(page)))).toEqual([]);
    await page.close();
  });

  it('exports a dump.rdb that redis-server loads', async () => {
    const page = await openAppPage(browser, served.origin);
    await openStore(page, 'interop-export');
    const inspector = pageInspector(page);
    for (const r of await inspector.pipeline(FILL)) expect(r.t, JSON.stringify(r)).not.toBe('error');
    // What the store holds is what redis-server holds after the same script.
    expect(diffSnapshots(expected, await redisSnapshot(inspector))).toEqual([]);
    const exported = await page.evaluate(async () => {
      const blob: Blob = await (globalThis as any).larder.export();
      const b = new Uint8Array(await blob.arrayBuffer());
      let bin = '';
      for (let o = 0; o < b.length; o += 8192) bin += String.fromCharCode(...b.subarray(o, o + 8192));
      return btoa(bin);
    });
    await page.close();
    const dir = tmp();
    writeFileSync(join(dir, 'dump.rdb'), Buffer.from(exported, 'base64'));
    const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const loaded = await startRedis(['--dir', dir]);
    const reader = await RespClient.connect(loaded.port);
    try {
      expect(diffSnapshots(expected, await redisSnapshot(reader), ['redis (script)', 'redis (Larder export)'])).toEqual([]);
    } finally {
      reader.close();
      await loaded.stop();
    }
  });
});
