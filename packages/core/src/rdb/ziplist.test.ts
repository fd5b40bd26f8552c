import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeZiplist, encodeZiplist } from './ziplist.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));
const decode = (b: Uint8Array): string[] | undefined => {
  const out: string[] = [];
  return decodeZiplist(b, out) ? out : undefined;
};

/** Elements around every encoding boundary (int widths, immediates, string length classes). */
const listpackElement = fc.oneof(
  fc.constantFrom('0', '12', '13', '-128', '127', '128', '32767', '-32769', '8388607', '8388608', '2147483648', '-9223372036854775808', '01', '-0', ''),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 70 }),
  fc.constantFrom(63, 64, 253, 254, 16383, 16384).map((n) => 'x'.repeat(n)),
);

describe('ziplist', () => {
  it('reads the list "2", "5" of ziplist.c\'s comment (reference §1.9.2)', () => {
    const blob = hex('0f 00 00 00 0c 00 00 00 02 00 00 f3 02 f6 ff');
    expect(decode(blob)).toEqual(['2', '5']);
    expect(encodeZiplist(['2', '5'])).toEqual(blob);
  });

  it('reads every integer width and both string length forms', () => {
    // int8, int16, int24, int32, int64, a 14-bit (big-endian) string length.
    const items = ['-100', '1000', '-1000000', '100000000', '-10000000000', 'z'.repeat(300)];
    const blob = encodeZiplist(items);
    expect(decode(blob)).toEqual(items);
    expect([...blob.subarray(10, 13)]).toEqual([0x00, 0xfe, 0x9c]);
  });

  it('round-trips any elements, long prevlens included', () => {
    fc.assert(
      fc.property(fc.array(listpackElement, { maxLength: 20 }), (items) => {
        expect(decode(encodeZiplist(items))).toEqual(items);
      }),
    );
  });

  it.each([
    ['a wrong zlbytes', '10 00 00 00 0c 00 00 00 02 00 00 f3 02 f6 ff'],
    ['a wrong zltail', '0f 00 00 00 0a 00 00 00 02 00 00 f3 02 f6 ff'],
    ['a wrong prevlen', '0f 00 00 00 0c 00 00 00 02 00 00 f3 03 f6 ff'],
    ['a wrong count', '0f 00 00 00 0c 00 00 00 03 00 00 f3 02 f6 ff'],
    ['an invalid encoding', '0f 00 00 00 0c 00 00 00 02 00 00 c1 02 f6 ff'],
  ])('rejects %s', (_, h) => {
    expect(decode(hex(h))).toBeUndefined();
  });

  it('never throws on damaged blobs', () => {
    fc.assert(
      fc.property(fc.array(listpackElement, { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (items, edits) => {
        const blob = encodeZiplist(items);
        for (const [at, v] of edits) blob[at % blob.length] = v;
        decode(blob);
      }),
    );
  });
});
