/**
 * The whole RDB path against redis-server 7.0.15: a BGSAVE taken while commands keep changing the
 * data, written through storage, loads in Redis as exactly the data at the BGSAVE; a dump.rdb
 * Redis SAVEd loads here as exactly what Redis held. Skipped without redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../engine/engine.ts';
import { encodingOf, shape } from '../rdb/testing.ts';
import { redisAvailable, snapshot, startServer, type KeySnapshot, type TestServer } from '../rdb/__fixtures__/redis.mjs';
import { createMemoryStorage } from '../storage/memory.ts';
import { loadRdb } from './load.ts';
import { createRdbFile, installPersistence } from './rdb-file.ts';

/** The engine's data as redis.mjs's snapshot shows a server's (encodings as a load decides them). */
function stateOf(e: Engine): KeySnapshot[] {
  const out: KeySnapshot[] = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [key, en] of db.keys) {
      const type = typeof en.value === 'string' ? 'string' : en.value.type;
      out.push({ db: i, key, type, encoding: encodingOf(en.value), expireAt: en.expireAt, value: shape(en.value) });
    }
  });
  return out.sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const FUTURE = 4_000_000_000_000;
const key = fc.constantFrom('a', 'b', 'c', 'k\x00\xff', '12', 'long-key-'.repeat(4));
const el = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }).map(String),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.constantFrom('x'.repeat(70), 'compressible '.repeat(10)),
);
const cmd: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, el).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 20 })).map(([k, v]) => ['RPUSH', `l${k}`, ...v]),
  fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 20 })).map(([k, v]) => ['SADD', `s${k}`, ...v]),
  fc.tuple(key, fc.array(fc.tuple(el, el), { minLength: 1, maxLength: 20 })).map(([k, v]) => ['HSET', `h${k}`, ...v.flat()]),
  fc.tuple(key, fc.array(fc.tuple(fc.double({ noNaN: true }), el), { minLength: 1, maxLength: 20 }))
    .map(([k, v]) => ['ZADD', `z${k}`, ...v.flatMap(([s, m]) => [String(s), m])]),
  fc.tuple(key, fc.integer({ min: 0, max: 1e9 })).map(([k, t]) => ['PEXPIREAT', k, String(FUTURE + t)]),
  key.map((k) => ['DEL', k]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  fc.integer({ min: 0, max: 3 }).map((db) => ['SELECT', String(db)]),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => ['SWAPDB', String(a), String(b)]),
);

describe.runIf(redisAvailable())('RDB files with redis-server 7.0.15', () => {
  let dir: string;
  let srv: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'larder-persistence-interop-'));
    srv = await startServer(dir, ['--dbfilename', 'ours.rdb']);
  }, 30_000);

  afterAll(async () => {
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads our BGSAVE, taken while writes go on, as the data at its start', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 40 }), fc.array(cmd, { maxLength: 40 }), async (before, during) => {
        const e = createEngine({ activeExpire: false });
        const storage = createMemoryStorage();
        const jobs = { child: null };
        const queue: Array<() => void> = [];
        const rdb = createRdbFile(e, storage, jobs, { schedule: (fn) => void queue.push(fn), sliceMs: 0, clock: () => 0 });
        installPersistence(e, { storage, jobs, rdb, aof: undefined, log: () => {}, close: async () => rdb.close() });
        const c = e.connect();
        for (const argv of before) c.exec(argv);
        const atStart = stateOf(e);
        expect(c.exec(['BGSAVE'])).toHaveProperty('value', 'Background saving started');
        for (const argv of during) {
          queue.shift()?.();
          c.exec(argv);
        }
        while (rdb.bgsaveInProgress) {
          queue.shift()?.();
          await new Promise((r) => setTimeout(r, 0));
        }
        writeFileSync(join(dir, 'ours.rdb'), (await storage.read('dump.rdb'))!);
        expect(await srv.call(['DEBUG', 'RELOAD', 'NOSAVE'])).toBe('OK');
        expect(await snapshot(srv, 4)).toEqual(atStart.filter((k) => k.db < 4));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('loads a dump.rdb redis-server SAVEd, exactly as the server held it', async () => {
    await srv.call(['FLUSHALL']);
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 40 }), async (cmds) => {
        await srv.call(['FLUSHALL']);
        for (const argv of cmds) await srv.call(argv);
        await srv.call(['SELECT', '0']);
        expect(await srv.call(['SAVE'])).toBe('OK');
        const held = await snapshot(srv, 4);
        const e = createEngine({ activeExpire: false });
        const bytes = new Uint8Array(readFileSync(join(dir, 'ours.rdb')));
        const storage = createMemoryStorage(new Map([['dump.rdb', bytes]]));
        await loadRdb(e, storage.readChunks('dump.rdb'), { totalBytes: bytes.length });
        expect(stateOf(e)).toEqual(held);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
