import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeDump, encodeDump, verifyDumpPayload } from './dump.ts';
import { RdbError } from './errors.ts';
import { encodeListpack } from './listpack.ts';
import { RdbOutput } from './output.ts';
import { concat } from './encoder.ts';
import { Crc64 } from './crc64.ts';
import { buildValue, encodingOf, shape } from './testing.ts';

const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));

/** A payload by hand: type, body, version, CRC. */
function payload(type: number, body: (o: RdbOutput) => void, version = 10): Uint8Array {
  const chunks: Uint8Array[] = [];
  const o = new RdbOutput((c) => chunks.push(c));
  o.u8(type);
  body(o);
  o.u8(version & 0xff);
  o.u8(version >> 8);
  o.flush();
  const crc = new Uint8Array(8);
  new Crc64().update(concat(chunks)).write(crc, 0);
  return concat([...chunks, crc]);
}

describe('DUMP payloads', () => {
  it('matches what redis-server 7.0.15 dumps for a string', () => {
    // DUMP of "12345678901" (see __fixtures__/redis-7.0.15-types.json).
    const redis = fromHex('000b31323334353637383930310a00304e52d727176510');
    expect(encodeDump('12345678901')).toEqual(redis);
    expect(decodeDump(redis).value).toBe('12345678901');
  });

  it('round-trips values of every encoding', () => {
    const specs = [
      { t: 'string', v: 'x'.repeat(100) },
      { t: 'list', items: ['a', '1', 'b'.repeat(10000)] },
      { t: 'set', members: ['1', '2'] },
      { t: 'set', members: ['a', 'b'] },
      { t: 'hash', pairs: [['f', 'v']] },
      { t: 'hash', pairs: Array.from({ length: 600 }, (_, i) => [`f${i}`, 'v']) },
      { t: 'zset', pairs: [['m', 1.5]] },
      { t: 'zset', pairs: [['m'.repeat(70), -Infinity]] },
    ] as const;
    for (const spec of specs) {
      const v = buildValue(spec as never)!;
      const back = decodeDump(encodeDump(v)).value;
      expect([encodingOf(back), shape(back)]).toEqual([encodingOf(v), shape(v)]);
    }
  });

  it('refuses a short payload, a newer version, or a wrong CRC', () => {
    const good = encodeDump('hello');
    expect(verifyDumpPayload(good)).toBe(true);
    expect(verifyDumpPayload(good.subarray(0, 9))).toBe(false);
    const bad = good.slice();
    bad[bad.length - 1]! ^= 0x80;
    expect(verifyDumpPayload(bad)).toBe(false);
    expect(verifyDumpPayload(bad, { skipChecksum: true })).toBe(true);
    const v11 = payload(0, (o) => o.string('x'), 11);
    expect(verifyDumpPayload(v11)).toBe(false);
    expect(verifyDumpPayload(v11, { maxVersion: 11 })).toBe(true);
    expect(() => decodeDump(bad)).toThrow(/DUMP payload version or checksum are wrong/);
    expect(decodeDump(v11, 'k', { maxVersion: 11 }).value).toBe('x');
  });

  it('refuses an empty collection and a value that does not parse', () => {
    expect(() => decodeDump(payload(16, (o) => o.blob(encodeListpack([]))))).toThrow(RdbError);
    expect(() => decodeDump(payload(16, (o) => o.blob(encodeListpack(['f']))))).toThrow(/integrity/);
    expect(() => decodeDump(payload(0, (o) => o.len(100)))).toThrow(/Short read/);
    expect(() => decodeDump(payload(15, (o) => o.len(0)), 'stream-key')).toThrow(/stream-key/);
  });

  it('never throws anything but RdbError on damaged payloads', () => {
    const base = encodeDump(buildValue({ t: 'hash', pairs: [['field', 'value'], ['n', '12']] })!);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const p = base.slice();
        for (const [at, v] of edits) p[at % p.length] = v;
        try {
          decodeDump(p, 'k', { skipChecksum: true });
        } catch (e) {
          expect(e).toBeInstanceOf(RdbError);
        }
      }),
    );
  });
});
