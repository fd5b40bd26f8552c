import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Value } from '../keyspace/object.ts';
import * as C from './constants.ts';
import { createRdbDecoder, decodeRdb } from './decoder.ts';
import { concat, createRdbEncoder, datasetVersion, defaultAux, encodeRdb, type DatasetEntry } from './encoder.ts';
import { buildValue, encodingOf, shape, type ValueSpec } from './testing.ts';

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
/** Strings that hit the int, LZF and raw forms: small ints, int64 text, binary, long repeats. */
const element = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.string({ unit: byte, maxLength: 30 }),
  fc.tuple(fc.constantFrom('a', 'xy', '\x00\xff'), fc.integer({ min: 1, max: 60 })).map(([s, n]) => s.repeat(n)),
);
const score = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(Infinity, -Infinity, 0, 2 ** 52, 0.1));
/** Values small and large enough to land in each encoding. */
const valueSpec: fc.Arbitrary<ValueSpec> = fc.oneof(
  element.map((v) => ({ t: 'string' as const, v })),
  fc.array(element, { minLength: 1, maxLength: 40 }).map((items) => ({ t: 'list' as const, items })),
  fc.integer({ min: 1, max: 2000 }).map((n) => ({ t: 'list' as const, items: Array.from({ length: n }, (_, i) => `item-${i}`) })),
  fc.array(element, { minLength: 1, maxLength: 30 }).map((members) => ({ t: 'set' as const, members })),
  fc.integer({ min: 1, max: 700 }).map((n) => ({ t: 'set' as const, members: Array.from({ length: n }, (_, i) => String(i * 3 - 50)) })),
  fc.array(fc.tuple(element, element), { minLength: 1, maxLength: 30 }).map((pairs) => ({ t: 'hash' as const, pairs })),
  fc.integer({ min: 1, max: 600 }).map((n) => ({ t: 'hash' as const, pairs: Array.from({ length: n }, (_, i): [string, string] => [`f${i}`, String(i)]) })),
  fc.array(fc.tuple(element, score), { minLength: 1, maxLength: 30 }).map((pairs) => ({ t: 'zset' as const, pairs })),
  fc.integer({ min: 1, max: 300 }).map((n) => ({ t: 'zset' as const, pairs: Array.from({ length: n }, (_, i): [string, number] => [`m${i}`, i / 7]) })),
);

const dataset = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.string({ unit: byte, minLength: 0, maxLength: 45 }), valueSpec, fc.option(fc.integer({ min: -1e13, max: 4e12 }))), { maxLength: 12 })
  .map((keys) => {
    const dbs: Array<Map<string, DatasetEntry>> = [];
    for (const [db, key, spec, ttl] of keys) {
      const value = buildValue(spec);
      if (value !== undefined) (dbs[db] ??= new Map()).set(key, { value, expireAt: ttl ?? -1 });
    }
    return dbs;
  });

function expectRoundTrip(dbs: Array<Map<string, DatasetEntry>>, bytes: Uint8Array): void {
  const d = decodeRdb(bytes);
  const want = dbs.flatMap((db, i) => [...(db ?? [])].map(([k, e]) => [i, k, e.expireAt, encodingOf(e.value), shape(e.value)]));
  expect(d.records.map((r) => [r.db, r.key, r.expireAt, encodingOf(r.value), shape(r.value)])).toEqual(want);
}

describe('RDB writer', () => {
  it('round-trips any dataset: values, encodings, TTLs, databases, with any options', () => {
    fc.assert(
      fc.property(dataset, fc.boolean(), fc.boolean(), fc.constantFrom(undefined, 9, 10), (dbs, compression, checksum, version) => {
        const bytes = encodeRdb(dbs, { compression, checksum, ...(version !== undefined ? { version } : {}) });
        const d = decodeRdb(bytes);
        expect(d.version).toBe(version ?? datasetVersion(dbs));
        expect(d.checksum === 0n).toBe(!checksum);
        if (version === 9) {
          // Plain types only: encodings are re-decided on load, values and TTLs kept.
          const want = dbs.flatMap((db, i) => [...(db ?? [])].map(([k, e]) => [i, k, e.expireAt, shape(e.value)]));
          expect(d.records.map((r) => [r.db, r.key, r.expireAt, shape(r.value)])).toEqual(want);
          expect(d.records.every((r) => r.type <= C.RDB_TYPE_SET_INTSET)).toBe(true);
        } else {
          expectRoundTrip(dbs, bytes);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('stamps the lowest version the content needs', () => {
    const m = (value: Value): Array<Map<string, DatasetEntry>> => [new Map([['k', { value, expireAt: -1 }]])];
    expect(datasetVersion([])).toBe(9);
    expect(datasetVersion(m('s'))).toBe(9);
    expect(datasetVersion(m(buildValue({ t: 'set', members: ['1'] })!))).toBe(9);
    expect(datasetVersion(m(buildValue({ t: 'set', members: ['a'] })!))).toBe(9);
    expect(datasetVersion(m(buildValue({ t: 'hash', pairs: Array.from({ length: 600 }, (_, i): [string, string] => [`${i}`, '']) })!))).toBe(9);
    expect(datasetVersion(m(buildValue({ t: 'hash', pairs: [['f', 'v']] })!))).toBe(10);
    expect(datasetVersion(m(buildValue({ t: 'list', items: ['x'] })!))).toBe(10);
    expect(datasetVersion(m(buildValue({ t: 'zset', pairs: [['m', 1]] })!))).toBe(10);
    expect(datasetVersion([], 1)).toBe(10);
  });

  it('writes the AUX fields, SELECTDB + RESIZEDB per database, and EXPIRETIME_MS', () => {
    const dbs: Array<Map<string, DatasetEntry>> = [];
    dbs[0] = new Map([['k', { value: 'v', expireAt: 1900000000000 }], ['n', { value: '7', expireAt: -1 }]]);
    dbs[3] = new Map([['x', { value: 'y', expireAt: -1 }]]);
    const bytes = encodeRdb(dbs, { aux: defaultAux({ ctime: 1700000000.9, usedMem: 123456 }), compression: false });
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.startsWith(Buffer.from('REDIS0009').toString('hex'))).toBe(true);
    // redis-bits as INT8 (c0 40), like Redis; aof-base 0 likewise.
    expect(hex).toContain('fa0a72656469732d62697473c040');
    expect(hex).toContain('fa08616f662d62617365c000');
    expect(hex).toContain('fe00fb0201'); // SELECTDB 0, RESIZEDB 2 keys 1 expire
    expect(hex).toContain('fe03fb0100');
    expect(hex).toContain('fc0038d360ba010000'); // 1900000000000 ms, little-endian
    const seen: Array<[string, string]> = [];
    const dec = createRdbDecoder({ record: () => {}, aux: (k, v) => seen.push([k, v]) });
    dec.push(bytes);
    dec.end();
    expect(seen).toEqual([['redis-ver', '7.0.15'], ['redis-bits', '64'], ['ctime', '1700000000'], ['used-mem', '123456'], ['aof-base', '0']]);
  });

  it('can be driven one key at a time, in chunks of its own size', () => {
    const chunks: Uint8Array[] = [];
    const w = createRdbEncoder({ sink: (c) => chunks.push(c) });
    w.header(defaultAux({ ctime: 0, aofBase: true }));
    w.function('#!lua name=l\nredis.register_function("f", function() return 1 end)');
    w.selectDb(2);
    const big = 'q'.repeat(200000);
    for (let i = 0; i < 100; i++) w.key(`k${i}`, i === 50 ? big : `v${i}`);
    expect(chunks.length).toBe(0); // nothing leaves until a chunk fills
    w.key('huge', 'z'.repeat(300000));
    w.end();
    expect(chunks.every((c) => c.length <= 300000 + 16)).toBe(true);
    const d = decodeRdb(concat(chunks));
    expect(d.version).toBe(10);
    expect(d.functions).toHaveLength(1);
    expect(d.aux.at(-1)).toEqual(['aof-base', '1']);
    expect(d.records).toHaveLength(101);
    expect(d.records[50]!.value).toBe(big);
    expect(w.size).toBe(concat(chunks).length);
  });

  it('compresses strings over 20 bytes only when LZF saves 4 bytes or more', () => {
    const one = (value: string, compression = true): number[] => {
      const bytes = encodeRdb([new Map([['k', { value, expireAt: -1 }]])], { compression });
      return [...bytes.subarray(17, bytes.length - 9)]; // the value, after "REDIS0009 fe00 fb0100 00 016b"
    };
    expect(one('a'.repeat(20))[0]).toBe(20);
    expect(one('a'.repeat(21))[0]).toBe(0xc3);
    expect(one('a'.repeat(21), false)[0]).toBe(21);
    expect(one('abcdefghijklmnopqrstuvwxyz')[0]).toBe(26);
    expect(one('12')).toEqual([0xc0, 12]);
    expect(one('-2147483648')).toEqual([0xc2, 0, 0, 0, 0x80]);
    expect(one('2147483648')[0]).toBe(10);
  });

  it('refuses versions it does not write', () => {
    expect(() => createRdbEncoder({ sink: () => {}, version: 11 })).toThrow(RangeError);
    expect(() => createRdbEncoder({ sink: () => {}, version: 9 }).function('x')).toThrow(RangeError);
  });
});
