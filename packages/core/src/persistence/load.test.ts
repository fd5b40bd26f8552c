import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../engine/engine.ts';
import { infoString } from '../engine/info.ts';
import { decodeRdb } from '../rdb/decoder.ts';
import { concat } from '../rdb/encoder.ts';
import { RdbError } from '../rdb/errors.ts';
import { encodingOf, shape } from '../rdb/testing.ts';
import { binaryToBytes } from '../bytes.ts';
import { show } from '../commands/testing.ts';
import { createRdbLoader, loadRdb } from './load.ts';
import { snapshotSync } from './snapshot.ts';

const T0 = 1_700_000_000_000;

function engineAt(now: () => number = () => T0): Engine {
  return createEngine({ now, activeExpire: false });
}

function run(e: Engine, cmds: string[][]): unknown[] {
  const c = e.connect();
  return cmds.map((argv) => show(c.exec(argv)));
}

function stateOf(e: Engine): string[] {
  const out: string[] = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [k, en] of db.keys) out.push(`${i} ${k} ${JSON.stringify(shape(en.value))} ${encodingOf(en.value)} ${en.expireAt}`);
  });
  return out.sort();
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, p + size);
}

const fixtures = fileURLToPath(new URL('../rdb/__fixtures__/', import.meta.url));

describe('loadRdb', () => {
  it('loads what snapshotSync wrote, whatever the chunking', async () => {
    const src = engineAt();
    const cmds: string[][] = [
      ['SET', 's', 'v'], ['SET', 'n', '-77'], ['PEXPIREAT', 's', String(T0 + 10_000)], ['RPUSH', 'l', 'a', '1', 'b'],
      ['SADD', 'is', '1', '2'], ['SADD', 'ss', 'x'], ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1.5', 'a', '-3', 'b'],
      ['SELECT', '15'], ['SET', 'last', 'db'],
    ];
    for (let i = 0; i < 600; i++) cmds.push(['HSET', 'bighash', `f${i}`, String(i)]);
    run(src, cmds);
    const bytes = concat(snapshotSync(src));
    for (const size of [1, 7, 4096, bytes.length]) {
      const dst = engineAt();
      const summary = await loadRdb(dst, chunksOf(bytes, size), { totalBytes: bytes.length });
      expect(stateOf(dst)).toEqual(stateOf(src));
      expect(summary.keysLoaded).toBe(9);
      expect(summary.bytes).toBe(bytes.length);
    }
  });

  it('drops keys already expired, unless the RDB is an AOF base', async () => {
    let now = T0;
    const src = engineAt(() => now);
    run(src, [['SET', 'a', '1', 'PX', '100'], ['SET', 'b', '2'], ['SET', 'c', '3', 'PX', '100000']]);
    const bytes = concat(snapshotSync(src));
    now += 1000;
    const dst = engineAt(() => now);
    const summary = await loadRdb(dst, chunksOf(bytes, 64));
    expect([summary.keysLoaded, summary.keysExpired]).toEqual([2, 1]);
    expect([...dst.ks.dbs[0]!.keys.keys()].sort()).toEqual(['b', 'c']);
    expect(infoString(dst, ['persistence'])).toContain('rdb_last_load_keys_expired:1\r\nrdb_last_load_keys_loaded:2\r\n');

    const base = engineAt(() => now);
    const kept = await loadRdb(base, chunksOf(bytes, 64), { aofBase: true });
    expect([kept.keysLoaded, kept.keysExpired]).toEqual([3, 0]);
    expect(base.ks.dbs[0]!.keys.get('a')!.expireAt).toBe(T0 + 100);
  });

  it('fails on a duplicated key, or replaces it with merge', async () => {
    const src = engineAt();
    run(src, [['SET', 'k', 'new'], ['SET', 'other', 'x']]);
    const bytes = concat(snapshotSync(src));
    const dst = engineAt();
    run(dst, [['SET', 'k', 'old']]);
    await expect(loadRdb(dst, chunksOf(bytes, 100))).rejects.toThrow(/duplicated key 'k' in DB 0/);
    await expect(loadRdb(dst, chunksOf(bytes, 100))).rejects.toBeInstanceOf(RdbError);
    const merged = engineAt();
    run(merged, [['SET', 'k', 'old', 'EX', '100'], ['SET', 'mine', 'y']]);
    await loadRdb(merged, chunksOf(bytes, 100), { merge: true });
    expect(run(merged, [['GET', 'k'], ['TTL', 'k'], ['GET', 'mine'], ['GET', 'other']])).toEqual(['new', -1, 'y', 'x']);
  });

  it('refuses a damaged or cut file', async () => {
    const src = engineAt();
    run(src, [['SET', 'k', 'v']]);
    const bytes = concat(snapshotSync(src));
    const bad = bytes.slice();
    bad[bad.length - 1]! ^= 0xff;
    await expect(loadRdb(engineAt(), chunksOf(bad, 10))).rejects.toThrow(/Wrong RDB checksum/);
    await expect(loadRdb(engineAt(), chunksOf(bytes.subarray(0, bytes.length - 3), 10))).rejects.toThrow(/Short read/);
    const dst = engineAt();
    await expect(loadRdb(dst, chunksOf(bad, 10))).rejects.toThrow();
    expect(dst.loading).toBe(false);
    expect(dst.ks.expireEnabled).toBe(true);
  });

  it('shows loading progress in INFO and answers LOADING meanwhile', async () => {
    const src = engineAt();
    const cmds: string[][] = [];
    for (let i = 0; i < 100; i++) cmds.push(['SET', `k${i}`, 'v'.repeat(50)]);
    run(src, cmds);
    const bytes = concat(snapshotSync(src));
    const dst = engineAt();
    const c = dst.connect();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, 1000);
      await gate;
      yield bytes.subarray(1000);
    }
    const loading = loadRdb(dst, slow(), { totalBytes: bytes.length });
    await new Promise((r) => setTimeout(r, 0));
    const info = infoString(dst, ['persistence']);
    expect(info).toMatch(/^# Persistence\r\nloading:1\r\n/);
    expect(info).toContain(`loading_total_bytes:${bytes.length}\r\n`);
    expect(info).toContain('loading_loaded_bytes:1000\r\n');
    expect(info).toMatch(/loading_loaded_perc:\d+\.\d\d\r\n/);
    expect(info).toMatch(/loading_rdb_used_mem:\d+\r\n/);
    expect(show(c.exec(['GET', 'k1']))).toBe('-LOADING Redis is loading the dataset in memory');
    expect(show(c.exec(['PING']))).toBe('-LOADING Redis is loading the dataset in memory');
    expect(show(c.exec(['INFO', 'persistence']))).toBeTruthy();
    // The AOF replay client is exempt.
    const replay = dst.connect();
    dst.loadingClient = replay;
    expect(show(replay.exec(['SET', 'from-aof', '1']))).toBe('+OK');
    release();
    await loading;
    expect(infoString(dst, ['persistence'])).toContain('loading:0\r\n');
    expect(infoString(dst, ['persistence'])).not.toContain('loading_total_bytes');
    expect(show(c.exec(['GET', 'k1']))).toBe('v'.repeat(50));
  });

  it('hands the bytes after the RDB to the AOF loader (a preamble tail)', () => {
    const src = engineAt();
    run(src, [['SET', 'k', 'v']]);
    const tail = binaryToBytes('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n');
    const bytes = concat([...snapshotSync(src, { aofBase: true }), tail]);
    const dst = engineAt();
    const loader = createRdbLoader(dst, { aofBase: true });
    expect(loader.push(bytes.subarray(0, 10))).toBe(false);
    expect(loader.push(bytes.subarray(10))).toBe(true);
    expect(loader.done).toBe(true);
    expect([...loader.rest]).toEqual([...tail]);
    const summary = loader.end();
    expect(summary.keysLoaded).toBe(1);
    expect(summary.aux.find(([k]) => k === 'aof-base')).toEqual(['aof-base', '1']);
  });

  it('sends no keyspace events for loaded keys', async () => {
    const src = engineAt();
    run(src, [['SET', 'k', 'v'], ['RPUSH', 'l', 'x']]);
    const dst = engineAt();
    const pushes: unknown[] = [];
    const sub = dst.connect({ onPush: (m) => pushes.push(m) });
    run(dst, [['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    dst.pubsub.psubscribe(sub, '*');
    pushes.length = 0;
    await loadRdb(dst, chunksOf(concat(snapshotSync(src)), 100));
    expect(pushes).toEqual([]);
  });

  it('loads a redis-server 7.0.15 dump with the encodings and TTLs the server had', async () => {
    const name = 'redis-7.0.15-types';
    const bytes = new Uint8Array(readFileSync(`${fixtures}${name}.rdb`));
    const json = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as {
      keys: Array<{ db: number; key: string; type: string; encoding: string; expireAt: number; dump?: string }>;
    };
    const e = engineAt();
    await loadRdb(e, chunksOf(bytes, 333));
    const c = e.connect();
    for (const k of json.keys) {
      c.dbIndex = k.db;
      expect([k.key, show(c.exec(['TYPE', k.key])), show(c.exec(['OBJECT', 'ENCODING', k.key])), show(c.exec(['PEXPIRETIME', k.key]))])
        .toEqual([k.key, `+${k.type}`, k.encoding, k.expireAt]);
      // DUMP answers the server's payload byte for byte.
      if (k.dump) expect(Buffer.from(binaryToBytes(c.exec(['DUMP', k.key]) as string)).toString('hex')).toBe(k.dump);
    }
    expect(decodeRdb(bytes).records.length).toBe(json.keys.length);
  });
});
