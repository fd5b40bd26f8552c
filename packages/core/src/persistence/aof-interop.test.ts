/**
 * The multi-part AOF against redis-server 7.0.15, both ways, with and without the RDB preamble:
 * our appendonlydir (base, rewrites, incrs) passes redis-check-aof and redis-server starts from it
 * with our data; an appendonlydir redis-server wrote (after a BGREWRITEAOF and more writes) loads
 * here as exactly what the server held. Skipped without redis-server.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../engine/engine.ts';
import { shape } from '../rdb/testing.ts';
import { redisAvailable, snapshot, startServer, type KeySnapshot } from '../rdb/__fixtures__/redis.mjs';
import { createMemoryStorage } from '../storage/memory.ts';
import { attachPersistence } from './index.ts';

type Plain = Omit<KeySnapshot, 'encoding'>;

function stateOf(e: Engine): Plain[] {
  const out: Plain[] = [];
  e.ks.dbs.forEach((db, i) => {
    if (i >= 4) return;
    for (const [key, en] of db.keys) {
      const type = typeof en.value === 'string' ? 'string' : en.value.type;
      out.push({ db: i, key, type, expireAt: en.expireAt, value: shape(en.value) });
    }
  });
  return out.sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const plain = (s: KeySnapshot[]): Plain[] => s.map(({ encoding: _e, ...rest }) => rest);

const FUTURE = 4_000_000_000_000;
const key = fc.constantFrom('a', 'b', 'k\x00\xff', '12');
const el = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }).map(String),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);
const cmd: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, el).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 70 })).map(([k, v]) => ['RPUSH', `l${k}`, ...v]),
  fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 10 })).map(([k, v]) => ['SADD', `s${k}`, ...v]),
  fc.tuple(key, fc.array(fc.tuple(el, el), { minLength: 1, maxLength: 10 })).map(([k, v]) => ['HSET', `h${k}`, ...v.flat()]),
  fc.tuple(key, fc.array(fc.tuple(fc.double({ noNaN: true }), el), { minLength: 1, maxLength: 10 }))
    .map(([k, v]) => ['ZADD', `z${k}`, ...v.flatMap(([s, m]) => [String(s), m])]),
  fc.tuple(key, fc.integer({ min: 0, max: 1e9 })).map(([k, t]) => ['PEXPIREAT', k, String(FUTURE + t)]),
  fc.tuple(key, el).map(([k, v]) => ['INCRBYFLOAT', `f${k}`, String(v.length)]),
  key.map((k) => ['DEL', k]),
  fc.integer({ min: 0, max: 3 }).map((db) => ['SELECT', String(db)]),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => ['SWAPDB', String(a), String(b)]),
);
const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 0));

describe.runIf(redisAvailable())('multi-part AOF with redis-server 7.0.15', () => {
  it.each(['yes', 'no'])('redis-server starts from our appendonlydir (aof-use-rdb-preamble %s)', async (preamble) => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 25 }), fc.array(cmd, { maxLength: 25 }), fc.array(cmd, { maxLength: 15 }), async (before, during, after) => {
        const e = createEngine({ activeExpire: false, config: { appendonly: 'yes', 'aof-use-rdb-preamble': preamble } });
        const storage = createMemoryStorage();
        const p = await attachPersistence(e, storage);
        const c = e.connect();
        for (const argv of before) c.exec(argv);
        c.exec(['BGREWRITEAOF']);
        for (const argv of during) {
          c.exec(argv);
          await tick();
        }
        while (p.aof.rewriting !== undefined) await p.aof.rewriting;
        for (const argv of after) c.exec(argv);
        await p.close();
        const dir = mkdtempSync(join(tmpdir(), 'larder-aof-interop-'));
        try {
          mkdirSync(join(dir, 'appendonlydir'));
          for (const name of await storage.list()) writeFileSync(join(dir, name), (await storage.read(name))!);
          const check = execFileSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'latin1' });
          // 'AOF ... is valid', or for files that are all empty 'All AOF files and manifest are valid'.
          expect(check).toMatch(/(is|are) valid/);
          const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble]);
          try {
            expect(plain(await snapshot(srv, 4))).toEqual(stateOf(e));
          } finally {
            await srv.stop();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 6 },
    );
  }, 120_000);

  it.each(['yes', 'no'])('loads an appendonlydir redis-server wrote (aof-use-rdb-preamble %s)', async (preamble) => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 25 }), fc.array(cmd, { maxLength: 25 }), async (before, after) => {
        const dir = mkdtempSync(join(tmpdir(), 'larder-aof-interop-'));
        try {
          const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble]);
          let held: Plain[];
          let manifest: string;
          try {
            for (const argv of before) await srv.call(argv);
            await srv.call(['BGREWRITEAOF']);
            for (;;) {
              const info = (await srv.call(['INFO', 'persistence'])) as string;
              if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
              await new Promise((res) => setTimeout(res, 20));
            }
            for (const argv of after) await srv.call(argv);
            held = plain(await snapshot(srv, 4));
          } finally {
            await srv.stop();
          }
          const files = new Map<string, Uint8Array>();
          for (const name of readdirSync(join(dir, 'appendonlydir'))) {
            files.set(`appendonlydir/${name}`, new Uint8Array(readFileSync(join(dir, 'appendonlydir', name))));
          }
          manifest = String.fromCharCode(...files.get('appendonlydir/appendonly.aof.manifest')!);
          expect(manifest).toMatch(/^file appendonly\.aof\.2\.base\.(rdb|aof) seq 2 type b\nfile appendonly\.aof\.2\.incr\.aof seq 2 type i\n$/);
          const e = createEngine({ activeExpire: false, config: { appendonly: 'yes', 'aof-use-rdb-preamble': preamble } });
          const p = await attachPersistence(e, createMemoryStorage(files));
          expect(stateOf(e)).toEqual(held);
          await p.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
