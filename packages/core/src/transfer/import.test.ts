import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { PropagatedOp } from '../engine/propagate.ts';
import { NIL_ARRAY, Status } from '../reply/reply.ts';
import { infoString } from '../engine/info.ts';
import { MISCONF_RDB } from '../reply/errors.ts';
import { attachPersistence } from '../persistence/index.ts';
import { loadRdb } from '../persistence/load.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { datasetToJson } from './dataset.ts';
import { commandsFor, contents, keySpec, run, SMALL_LIMITS } from './datasets.suite.ts';
import { exportDataset, exportJson, exportRdb, importDataset, isRdb } from './index.ts';

const T0 = 1_795_000_000_000;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1String = (b: Uint8Array | undefined): string => String.fromCharCode(...(b ?? []));
const engine = (config: Record<string, string> = {}): Engine => createEngine({ activeExpire: false, now: () => T0, config });

/** A source engine holding every type, binary keys and values, TTLs, in several dbs. */
function sample(): Engine {
  const e = engine();
  run(e, [
    ['SET', 'str', 'v'], ['SET', 'int', '12345'], ['SET', 'bin\x00\xff', '\x00\x01\xfe\xff\r\n'], ['SET', 'long', 'x'.repeat(300)],
    ['RPUSH', 'list', 'a', '\xff', ''], ['SADD', 'iset', '1', '2', '-3'], ['SADD', 'set', 'x', '\x80'],
    ['HSET', 'hash', 'f', 'v', '\xc3', '\xff'], ['ZADD', 'zset', '1.5', 'a', '-inf', 'b', 'inf', '\x00'],
    ['PEXPIREAT', 'str', String(T0 + 60_000)], ['PEXPIREAT', 'zset', String(T0 + 1)],
    ['SELECT', '7'], ['SET', '__proto__', 'p'], ['HSET', '\xfe', '__proto__', 'x'], ['PEXPIREAT', '\xfe', String(T0 + 10 ** 9)],
    ['SELECT', '15'], ['RPUSH', 'big', ...Array.from({ length: 600 }, (_, i) => `e${i}`)],
  ]);
  return e;
}

describe('exportRdb / exportJson', () => {
  it('give a dump.rdb and the JSON of datasetToJson', async () => {
    const e = sample();
    const rdb = exportRdb(e);
    expect(isRdb(rdb)).toBe(true);
    const back = engine();
    await loadRdb(back, (async function* () {
      yield rdb;
    })());
    expect(contents(back)).toEqual(contents(e));
    expect(exportJson(e)).toBe(JSON.stringify(datasetToJson(e)));
    e.close();
    back.close();
  });
});

describe('exportDataset', () => {
  it('is the dataset at its start, while the engine serves writes between its slices', async () => {
    const e = engine();
    run(e, Array.from({ length: 20_000 }, (_, i) => ['SET', `k${i}`, 'v'.repeat(50)]));
    const before = contents(e);
    let done = false;
    const exporting = exportDataset(e).then((bytes) => ((done = true), bytes));
    // Writes on the next turns, while the export is still encoding.
    const wrote: boolean[] = [];
    for (const argv of [['SET', 'k0', 'changed'], ['DEL', 'k1'], ['SET', 'new', '1']]) {
      await new Promise((r) => setImmediate(r));
      wrote.push(!done);
      run(e, [argv]);
    }
    const back = engine();
    await loadRdb(back, (async function* () {
      yield await exporting;
    })());
    expect(wrote).toEqual([true, true, true]);
    expect(contents(back)).toEqual(before);
    expect(exportRdb(e)).not.toEqual(exportRdb(back));
    e.close();
    back.close();
  });

  it('waits for a BGSAVE already running', async () => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, { appendonly: 'no', save: '' });
    run(e, Array.from({ length: 20_000 }, (_, i) => ['SET', `k${i}`, 'v']));
    expect(e.connect().exec(['BGSAVE'])).toEqual(new Status('Background saving started'));
    const bytes = await exportDataset(e);
    const back = engine();
    await loadRdb(back, (async function* () {
      yield bytes;
    })());
    expect(back.ks.dbs[0]!.size).toBe(20_000);
    await p.close();
    e.close();
    back.close();
  });
});

describe('importDataset', () => {
  it.each(['rdb', 'json'])('imports an export (%s) exactly, replacing what was there, and counts the keys', async (format) => {
    const src = sample();
    const bytes = format === 'rdb' ? exportRdb(src) : utf8(exportJson(src));
    const dst = engine();
    run(dst, [['SET', 'str', 'old'], ['SELECT', '3'], ['SET', 'gone', '1'], ['SELECT', '15'], ['RPUSH', 'big', 'x']]);
    expect(await importDataset(dst, bytes)).toBe(12);
    expect(contents(dst)).toEqual(contents(src));
    expect(dst.clients.size).toBe(0);
    src.close();
    dst.close();
  });

  it('round-trips random datasets through both formats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(keySpec(40), { maxLength: 14 }), fc.constantFrom('rdb', 'json'), async (specs, format) => {
        const src = engine(SMALL_LIMITS);
        run(src, commandsFor(specs, T0));
        const dst = engine(SMALL_LIMITS);
        run(dst, [['SET', 'x', 'y']]);
        const n = await importDataset(dst, format === 'rdb' ? exportRdb(src) : utf8(exportJson(src)));
        expect(contents(dst)).toEqual(contents(src));
        expect(n).toBe(contents(src).length);
        src.close();
        dst.close();
      }),
      { numRuns: 60 },
    );
  });

  it('builds encodings from the live engine\'s config', async () => {
    const src = engine();
    run(src, [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['SADD', 's', '1', '2', '3']]);
    const dst = engine({ 'hash-max-listpack-entries': '2', 'set-max-intset-entries': '2' });
    await importDataset(dst, utf8(exportJson(src)));
    expect(contents(dst).map((r) => r[3])).toEqual(['hashtable', 'hashtable']);
    src.close();
    dst.close();
  });

  it('drops keys whose TTL has passed', async () => {
    let now = T0;
    const src = createEngine({ activeExpire: false, now: () => now });
    run(src, [['SET', 'a', '1'], ['SET', 'b', '2'], ['PEXPIREAT', 'b', String(T0 + 10)]]);
    const rdb = exportRdb(src);
    const json = utf8(JSON.stringify({ 0: { a: { type: 'string', value: '1' }, b: { type: 'string', value: '2', expireAt: T0 + 10 } } }));
    now = T0 + 11;
    for (const bytes of [rdb, json]) {
      const dst = createEngine({ activeExpire: false, now: () => now });
      expect(await importDataset(dst, bytes)).toBe(1);
      expect(contents(dst)).toEqual([[0, 'a', 'string', 'int', '1', -1]]);
      dst.close();
    }
    src.close();
  });

  it('swaps the databases in: no write per key propagated, dirty counts both sides, blocked clients served', async () => {
    const src = sample();
    const dst = engine();
    run(dst, [['SET', 'old', '1'], ['SET', 'str', 'x']]);
    const units: PropagatedOp[][] = [];
    dst.propagation.listen((ops) => units.push([...ops]));
    const waiter = dst.connect();
    const popped = waiter.exec(['BLPOP', 'list', '0']);
    expect(popped).toBeInstanceOf(Promise);
    const dirty = dst.dirty;
    await importDataset(dst, exportRdb(src));
    // The keys removed, the keys added, and the pop served.
    expect(dst.dirty - dirty).toBe(2 + 12 + 1);
    // The only write propagated is the pop the import unblocked.
    expect(await popped).toEqual(['list', 'a']);
    expect(units.map((u) => u.map((op) => op.argv[0]))).toEqual([['LPOP']]);
    waiter.close();
    src.close();
    dst.close();
  });

  it('aborts the transaction of a client WATCHing a key it replaced', async () => {
    const dst = engine();
    const watcher = dst.connect();
    run(dst, [['SET', 'k', 'old']]);
    watcher.exec(['WATCH', 'k']);
    watcher.exec(['MULTI']);
    watcher.exec(['SET', 'k', 'mine']);
    await importDataset(dst, utf8('{"0":{"k":{"type":"string","value":"new"}}}'));
    expect(watcher.exec(['EXEC'])).toBe(NIL_ARRAY);
    expect(watcher.exec(['GET', 'k'])).toBe('new');
    dst.close();
  });
});

const MANIFEST = 'appendonlydir/appendonly.aof.manifest';

async function persisted(storage: MemoryStorage, config: Record<string, string> = {}) {
  const e = engine({ appendonly: 'yes', ...config });
  const p = await attachPersistence(e, storage);
  return { e, p };
}

describe('importDataset with persistence', () => {
  it('makes the import the next AOF base: reopening after a crash gives the same dataset', async () => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, { appendfsync: 'always' });
    run(e, [['SET', 'before', '1'], ['SELECT', '4'], ['RPUSH', 'l', 'x']]);
    const src = sample();
    await importDataset(e, exportRdb(src));
    // appendfsync always: resolved means durable, so a crash right now keeps all of it.
    const { e: e2, p: p2 } = await persisted(storage.crash());
    expect(contents(e2)).toEqual(contents(src));
    expect(contents(e)).toEqual(contents(src));
    // One base and one empty incr; the files before the import are gone.
    expect(latin1String(await storage.read(MANIFEST))).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect((await storage.list()).filter((f) => f.startsWith('appendonlydir/')).sort()).toEqual([
      'appendonlydir/appendonly.aof.2.base.rdb', 'appendonlydir/appendonly.aof.2.incr.aof', MANIFEST,
    ]);
    expect(await storage.read('appendonlydir/appendonly.aof.2.incr.aof')).toEqual(new Uint8Array(0));
    await p.close();
    await p2.close();
    e.close();
    e2.close();
    src.close();
  });

  it('leaves a BGSAVE running at the swap its cut: its dump.rdb holds the dataset before the import', async () => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, { appendonly: 'no', save: '' });
    const before = Array.from({ length: 50_000 }, (_, i) => ['SET', `old:${i}`, 'x'.repeat(20)]);
    run(e, before);
    const c = e.connect();
    expect(c.exec(['BGSAVE'])).toEqual(new Status('Background saving started'));
    const src = sample();
    await importDataset(e, exportRdb(src));
    // The swap happened during the BGSAVE; a write to an imported key meanwhile is not its business.
    expect(infoString(e, ['persistence'])).toMatch(/rdb_bgsave_in_progress:1/);
    run(e, [['SET', 'str', 'changed']]);
    while (/rdb_bgsave_in_progress:1/.test(infoString(e, ['persistence']))) await new Promise((r) => setTimeout(r, 5));
    const saved = engine();
    await loadRdb(saved, (async function* () {
      yield (await storage.read('dump.rdb'))!;
    })());
    expect(saved.ks.dbs[0]!.size).toBe(50_000);
    expect(contents(saved).every(([, key]) => String(key).startsWith('old:'))).toBe(true);
    run(src, [['SET', 'str', 'changed']]);
    expect(contents(e)).toEqual(contents(src));
    await p.close();
    e.close();
    saved.close();
    src.close();
  });

  it('works with the default fsync policy once closed', async () => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage);
    await importDataset(e, utf8(exportJson(sample())));
    await p.close();
    const { e: e2, p: p2 } = await persisted(storage);
    expect(contents(e2)).toEqual(contents(e));
    expect(contents(e2)).toHaveLength(12);
    await p2.close();
    e.close();
    e2.close();
  });
});

describe('importDataset refuses bad input and changes nothing', () => {
  const good = exportRdb(sample());
  const flip = (b: Uint8Array, at: number): Uint8Array => {
    const c = b.slice();
    c[at]! ^= 0xff;
    return c;
  };
  const json = (o: unknown): Uint8Array => utf8(JSON.stringify(o));
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty input', new Uint8Array(), /^empty input: neither an RDB file nor JSON$/],
    ['a truncated RDB', good.subarray(0, good.length - 20), /^invalid RDB file: .*\(at offset \d+\)$/],
    ['an RDB with a bad checksum', flip(good, good.length - 1), /^invalid RDB file: Wrong RDB checksum .*\(at offset \d+\)$/],
    ['an RDB of an unknown version', latin1('REDIS9999\xff'), /^invalid RDB file: Can't handle RDB format version 9999 \(at offset \d+\)$/],
    ['an RDB with a bad type', latin1('REDIS0009\xfe\x00\x63\x01k\x01v\xff'), /^invalid RDB file: .* \(at offset \d+\)$/],
    ['an AOF', latin1('*1\r\n$8\r\nFLUSHALL\r\n'), /^neither an RDB file \(no "REDIS" signature\) nor valid JSON: /],
    ['binary that is not UTF-8', latin1('\xff\xfe\x00'), /^neither an RDB file \(no "REDIS" signature\) nor JSON \(not valid UTF-8\)$/],
    ['cut JSON', utf8('{"0": {"k": '), /^neither an RDB file .* nor valid JSON: /],
    ['JSON that is not an object', json([1]), /^invalid JSON dataset: expected an object of databases$/],
    ['JSON with a bad db', json({ 99: {} }), /^invalid JSON dataset: db "99": not a database index \(0 to 15\)$/],
    ['JSON with a bad value', json({ 0: { good: { type: 'string', value: 'v' } }, 3: { bad: { type: 'zset', value: [['m', 'NaN']] } } }), /^invalid JSON dataset: db 3 key "bad": a score is a number/],
  ];

  it.each(cases)('%s', async (_, bytes, message) => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, { appendfsync: 'always' });
    run(e, [['SET', 'keep', 'me'], ['SELECT', '3'], ['HSET', 'h', 'f', 'v'], ['PEXPIREAT', 'h', String(T0 + 9000)]]);
    await e.sync();
    const before = contents(e);
    const aof = await storage.read('appendonlydir/appendonly.aof.1.incr.aof');
    const ops: unknown[] = [];
    e.propagation.listen((o) => ops.push(o));
    await expect(importDataset(e, bytes)).rejects.toThrow(message);
    expect(contents(e)).toEqual(before);
    expect(ops).toEqual([]);
    expect(e.clients.size).toBe(0);
    await p.close();
    expect(await storage.read('appendonlydir/appendonly.aof.1.incr.aof')).toEqual(aof);
    expect(await storage.read(MANIFEST)).toBeDefined();
    e.close();
  });

  it('reports a refused write (MISCONF) and leaves no transaction open', async () => {
    const e = engine();
    run(e, [['SET', 'keep', 'me']]);
    e.writeGuard = () => MISCONF_RDB;
    await expect(importDataset(e, good)).rejects.toThrow(/^cannot import: MISCONF /);
    e.writeGuard = undefined;
    expect(contents(e)).toEqual([[0, 'keep', 'string', 'embstr', 'me', -1]]);
    expect(e.clients.size).toBe(0);
    e.close();
  });

  it('refuses when the AOF cannot take the new dataset (storage full), changing nothing', async () => {
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, { appendfsync: 'always' });
    run(e, [['SET', 'keep', 'me']]);
    await e.sync();
    storage.setFull(true);
    await expect(importDataset(e, good)).rejects.toMatchObject({
      name: 'StorageError', code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/^cannot import: the AOF could not take the new dataset: storage is full/),
    });
    storage.setFull(false);
    expect(contents(e)).toEqual([[0, 'keep', 'string', 'embstr', 'me', -1]]);
    run(e, [['SET', 'after', '1']]);
    await e.sync();
    const { e: e2, p: p2 } = await persisted(storage.crash());
    expect(contents(e2)).toEqual(contents(e));
    await p.close();
    await p2.close();
    e.close();
    e2.close();
  });
});

describe('a dump.rdb written by redis-server 7.0.15', () => {
  const dir = fileURLToPath(new URL('../rdb/__fixtures__/', import.meta.url));
  interface FixtureKey { db: number; key: string; type: string; encoding: string; expireAt: number; value?: unknown; valueSha1?: string }

  it.each(['redis-7.0.15-types', 'redis-7.0.15-nocompress-nochecksum', 'redis-7.0.15-list-compress'])('%s.rdb imports as the server held it', async (name) => {
    const bytes = new Uint8Array(readFileSync(`${dir}${name}.rdb`));
    const fixture = JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as { args: string[]; keys: FixtureKey[] };
    const config: Record<string, string> = {};
    for (let i = 0; i < fixture.args.length; i += 2) config[fixture.args[i]!.slice(2)] = fixture.args[i + 1]!;
    delete config.rdbchecksum; // immutable, and only about writing here
    const storage = createMemoryStorage();
    const { e, p } = await persisted(storage, config);
    run(e, [['SET', 'old', 'x']]);
    expect(await importDataset(e, bytes)).toBe(fixture.keys.length);
    const rows = contents(e);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual(fixture.keys.map((k) => [k.db, k.key, k.type, k.encoding, k.expireAt]));
    rows.forEach((r, i) => {
      const k = fixture.keys[i]!;
      if (k.valueSha1 !== undefined) expect(createHash('sha1').update(JSON.stringify(r[4]), 'utf8').digest('hex')).toBe(k.valueSha1);
      else expect(r[4]).toEqual(k.value);
    });
    await p.close();
    const { e: e2, p: p2 } = await persisted(storage, config);
    expect(contents(e2)).toEqual(rows);
    await p2.close();
    e.close();
    e2.close();
  });
});

