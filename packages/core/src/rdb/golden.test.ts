/**
 * Golden files written by redis-server 7.0.15 (see __fixtures__/make-fixtures.mjs): our reader
 * must see exactly what the server held, our writer must reproduce the server's bytes, and the
 * server's DUMP payloads must round-trip.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Value } from '../keyspace/object.ts';
import { compareInts } from '../types/set/set.ts';
import { createRdbDecoder, decodeRdb, type RdbRecord } from './decoder.ts';
import { encodeRdb, type DatasetEntry } from './encoder.ts';
import { decodeDump, encodeDump } from './dump.ts';
import { encodingOf, shape } from './testing.ts';

interface FixtureKey {
  db: number;
  key: string;
  type: string;
  encoding: string;
  expireAt: number;
  value?: unknown;
  valueSha1?: string;
  dump?: string;
}

const dir = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const load = (name: string) => ({
  bytes: new Uint8Array(readFileSync(dir + name + '.rdb')),
  json: JSON.parse(readFileSync(dir + name + '.json', 'utf8')) as { args: string[]; functions: string[]; keys: FixtureKey[] },
});
const FIXTURES = ['redis-7.0.15-types', 'redis-7.0.15-nocompress-nochecksum', 'redis-7.0.15-list-compress', 'redis-7.0.15-empty'];

const typeName = (v: Value): string => (typeof v === 'string' ? 'string' : v.type);
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function expectMatches(records: RdbRecord[], keys: FixtureKey[]): void {
  const got = [...records].sort((a, b) => a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  expect(got.map((r) => [r.db, r.key])).toEqual(keys.map((k) => [k.db, k.key]));
  got.forEach((r, i) => {
    const k = keys[i]!;
    expect([k.key, typeName(r.value), encodingOf(r.value), r.expireAt]).toEqual([k.key, k.type, k.encoding, k.expireAt]);
    expectValue(r.value, k);
  });
}

function expectValue(v: Value, k: FixtureKey): void {
  const s = shape(v);
  if (k.valueSha1 !== undefined) expect(createHash('sha1').update(JSON.stringify(s), 'utf8').digest('hex')).toBe(k.valueSha1);
  else expect(s).toEqual(k.value);
}

describe.each(FIXTURES)('golden %s.rdb', (name) => {
  const { bytes, json } = load(name);

  it('decodes to what the server held', () => {
    const d = decodeRdb(bytes);
    expect(d.version).toBe(10);
    expect(d.aux.map(([k]) => k)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
    expect(d.aux[0]).toEqual(['redis-ver', '7.0.15']);
    expect(d.functions).toEqual(json.functions);
    expect(d.checksum === 0n).toBe(json.args.includes('--rdbchecksum'));
    expectMatches(d.records, json.keys);
  });

  it('re-encodes to the same bytes', () => {
    const d = decodeRdb(bytes);
    const dbs: Array<Map<string, DatasetEntry>> = [];
    for (const r of d.records) (dbs[r.db] ??= new Map()).set(r.key, { value: r.value, expireAt: r.expireAt });
    const off = json.args.includes('--rdbcompression');
    const fill = json.args.includes('--list-max-listpack-size') ? Number(json.args[json.args.indexOf('--list-max-listpack-size') + 1]) : -2;
    const out = encodeRdb(dbs, { version: d.version, aux: d.aux, functions: d.functions, compression: !off, checksum: !off, listMaxListpackSize: fill });
    expect(toHex(out)).toBe(toHex(bytes));
  });

  it('decodes the same however the file is chunked', () => {
    const whole = decodeRdb(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const records: RdbRecord[] = [];
        const dec = createRdbDecoder({ record: (r) => records.push(r) });
        let p = 0;
        for (let i = 0; p < bytes.length; i++) {
          const n = sizes[i % sizes.length]!;
          dec.push(bytes.subarray(p, p + n));
          p += n;
        }
        const summary = dec.end();
        expect(dec.done).toBe(true);
        expect(summary.keys).toBe(whole.keys);
        expect(records.map((r) => [r.db, r.key, r.expireAt, shape(r.value)])).toEqual(whole.records.map((r) => [r.db, r.key, r.expireAt, shape(r.value)]));
      }),
      { numRuns: 30 },
    );
  });

  it.runIf(json.keys.some((k) => k.dump))('round-trips the server\'s DUMP payloads byte for byte', () => {
    for (const k of json.keys) {
      if (!k.dump) continue;
      const { value } = decodeDump(fromHex(k.dump), k.key);
      expectValue(value, k);
      expect(encodingOf(value)).toBe(k.encoding);
      const fill = json.args.includes('--list-max-listpack-size') ? Number(json.args[json.args.indexOf('--list-max-listpack-size') + 1]) : -2;
      expect(toHex(encodeDump(value, { compression: !json.args.includes('--rdbcompression'), listMaxListpackSize: fill }))).toBe(k.dump);
    }
  });
});

describe('golden intsets', () => {
  it('keep members in numeric order', () => {
    const { bytes } = load('redis-7.0.15-types');
    const iset = decodeRdb(bytes).records.find((r) => r.key === 'iset64')!;
    expect([...(iset.value as Iterable<string>)]).toEqual(['-9223372036854775808', '5', '9223372036854775807'].sort(compareInts));
  });
});
