/**
 * Our files and payloads against the real thing: redis-server 7.0.15 must load every RDB we write
 * (and redis-check-rdb pass it), hold exactly the keys, encodings, TTLs and values we wrote, and
 * accept our DUMP payloads; its own payloads must read back here. Skipped without redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDump, encodeDump } from './dump.ts';
import { defaultAux, encodeRdb, type DatasetEntry } from './encoder.ts';
import { buildValue, encodingOf, shape, type ValueSpec } from './testing.ts';
import { redisAvailable, snapshot, startServer, type KeySnapshot, type TestServer } from './__fixtures__/redis.mjs';

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const element = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.string({ unit: byte, maxLength: 20 }),
  fc.tuple(fc.constantFrom('a', 'xy'), fc.integer({ min: 1, max: 50 })).map(([s, n]) => s.repeat(n)),
);
const score = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: false }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(Infinity, -Infinity, 0.1, 2 ** 52));
const spec: fc.Arbitrary<ValueSpec> = fc.oneof(
  element.map((v) => ({ t: 'string' as const, v })),
  fc.array(element, { minLength: 1, maxLength: 30 }).map((items) => ({ t: 'list' as const, items })),
  fc.integer({ min: 1, max: 1500 }).map((n) => ({ t: 'list' as const, items: Array.from({ length: n }, (_, i) => `item-${i}`) })),
  fc.array(element, { minLength: 1, maxLength: 20 }).map((members) => ({ t: 'set' as const, members })),
  fc.integer({ min: 1, max: 600 }).map((n) => ({ t: 'set' as const, members: Array.from({ length: n }, (_, i) => String(i * 5)) })),
  fc.array(fc.tuple(element, element), { minLength: 1, maxLength: 20 }).map((pairs) => ({ t: 'hash' as const, pairs })),
  fc.integer({ min: 500, max: 600 }).map((n) => ({ t: 'hash' as const, pairs: Array.from({ length: n }, (_, i): [string, string] => [`f${i}`, `${i}`]) })),
  fc.array(fc.tuple(element, score), { minLength: 1, maxLength: 20 }).map((pairs) => ({ t: 'zset' as const, pairs })),
  fc.integer({ min: 120, max: 200 }).map((n) => ({ t: 'zset' as const, pairs: Array.from({ length: n }, (_, i): [string, number] => [`m${i}`, i / 3]) })),
);
const FUTURE = 4_000_000_000_000;
const dataset = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.string({ unit: byte, maxLength: 30 }), spec, fc.option(fc.integer({ min: FUTURE, max: FUTURE + 1e9 }))), { maxLength: 10 })
  .map((keys) => {
    const dbs: Array<Map<string, DatasetEntry>> = [];
    for (const [db, key, s, ttl] of keys) {
      const value = buildValue(s);
      if (value !== undefined) (dbs[db] ??= new Map()).set(key, { value, expireAt: ttl ?? -1 });
    }
    return dbs;
  });

/** What we wrote, in redis.mjs's snapshot shape. */
function expected(dbs: Array<Map<string, DatasetEntry>>): KeySnapshot[] {
  const out: KeySnapshot[] = [];
  dbs.forEach((db, i) => {
    for (const [key, e] of db ?? []) {
      const type = typeof e.value === 'string' ? 'string' : e.value.type;
      out.push({ db: i, key, type, encoding: encodingOf(e.value), expireAt: e.expireAt, value: shape(e.value) });
    }
  });
  return out.sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A dataset with every encoding Redis 7.0 has, for the fixed checks. */
function everyEncoding(): Array<Map<string, DatasetEntry>> {
  const specs: Array<[string, ValueSpec, number?]> = [
    ['int', { t: 'string', v: '-123456' }],
    ['lzf', { t: 'string', v: 'compress me '.repeat(20) }, FUTURE],
    ['bin', { t: 'string', v: '\x00\x80\xff' }],
    ['list', { t: 'list', items: ['a', '1', '-5', '300', '70000', '9223372036854775807'] }],
    ['list-nodes', { t: 'list', items: Array.from({ length: 3000 }, (_, i) => `element number ${i}`) }],
    ['list-big-element', { t: 'list', items: ['a', 'b'.repeat(20000), 'c'] }],
    ['intset', { t: 'set', members: ['3', '-2', '9223372036854775807'] }],
    ['set', { t: 'set', members: ['x', 'y', '1'] }],
    ['hash', { t: 'hash', pairs: [['f', 'v'], ['n', '12']] }],
    ['hash-big', { t: 'hash', pairs: Array.from({ length: 513 }, (_, i): [string, string] => [`f${i}`, 'v']) }],
    ['zset', { t: 'zset', pairs: [['a', 1], ['b', 2.5], ['c', -Infinity], ['d', 0.1], ['e', 2 ** 52]] }],
    ['zset-big', { t: 'zset', pairs: Array.from({ length: 129 }, (_, i): [string, number] => [`m${i}`, i * 1.5]) }],
  ];
  const dbs: Array<Map<string, DatasetEntry>> = [new Map()];
  for (const [k, s, ttl] of specs) dbs[0]!.set(k, { value: buildValue(s)!, expireAt: ttl ?? -1 });
  dbs[9] = new Map([['other-db', { value: 'x', expireAt: -1 }]]);
  return dbs;
}

describe.runIf(redisAvailable())('interop with redis-server 7.0.15', () => {
  let dir: string;
  let srv: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'larder-rdb-interop-'));
    srv = await startServer(dir, ['--dbfilename', 'ours.rdb']);
  }, 30_000);

  afterAll(async () => {
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Makes the server load `bytes` (DEBUG RELOAD NOSAVE reads the file in place). */
  async function load(bytes: Uint8Array): Promise<KeySnapshot[]> {
    writeFileSync(join(dir, 'ours.rdb'), bytes);
    expect(await srv.call(['DEBUG', 'RELOAD', 'NOSAVE'])).toBe('OK');
    return snapshot(srv, 16);
  }

  it.each([
    ['version 10, compressed, checksummed', {}],
    ['version 10, rdbcompression no, rdbchecksum no', { compression: false, checksum: false }],
    ['version 9 (plain types only)', { version: 9 }],
  ])('loads our file with every encoding: %s', async (_, opts) => {
    const dbs = everyEncoding();
    const bytes = encodeRdb(dbs, { aux: defaultAux({ ctime: 1700000000, usedMem: 1 }), ...opts });
    writeFileSync(join(dir, 'check.rdb'), bytes);
    const check = spawnSync('redis-check-rdb', [join(dir, 'check.rdb')], { encoding: 'utf8' });
    expect(check.stdout).toContain('RDB looks OK');
    expect(check.status).toBe(0);
    expect(await load(bytes)).toEqual(expected(dbs));
  }, 30_000);

  it('loads any dataset we write, exactly', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, fc.boolean(), async (dbs, compression) => {
        expect(await load(encodeRdb(dbs, { compression }))).toEqual(expected(dbs));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('RESTOREs our DUMP payloads, and DUMPs the same bytes back', async () => {
    await srv.call(['FLUSHALL']);
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const value = buildValue(s)!;
        const payload = encodeDump(value);
        expect(await srv.call(['RESTORE', 'k', '0', payload, 'REPLACE'])).toBe('OK');
        expect(await srv.call(['OBJECT', 'ENCODING', 'k'])).toBe(encodingOf(value));
        const theirs = Uint8Array.from(await srv.call(['DUMP', 'k']) as string, (c) => c.charCodeAt(0));
        // Bytes compare unless a hashtable is involved (its order is its dict's, seeded at random per
        // process) or LZF is (liblzf may reuse stale hash slots of earlier calls: see lzf.ts).
        const compressed = Buffer.compare(payload, encodeDump(value, { compression: false })) !== 0;
        if (encodingOf(value) !== 'hashtable' && !compressed) expect(Buffer.from(theirs).toString('hex')).toBe(Buffer.from(payload).toString('hex'));
        const back = decodeDump(theirs, 'k').value;
        expect(shape(back)).toEqual(shape(value));
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
