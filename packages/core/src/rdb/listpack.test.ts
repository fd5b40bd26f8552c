import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeListpack, encodeListpack, ListpackBuilder, listpackEntrySize } from './listpack.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));
const decode = (b: Uint8Array): string[] | undefined => {
  const out: string[] = [];
  return decodeListpack(b, out) ? out : undefined;
};

/** Elements around every encoding boundary: int widths, canonical vs not, string length classes. */
const listpackElement = fc.oneof(
  fc.constantFrom('0', '127', '128', '-1', '4095', '4096', '-4096', '-4097', '32767', '32768', '-32768', '-32769', '8388607',
    '8388608', '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649', '9007199254740993',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '+1', ' 1', '1.0', ''),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.integer().map(String),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 70 }),
  fc.constantFrom(63, 64, 4095, 4096, 5000).map((n) => 'x'.repeat(n)),
);

describe('listpack', () => {
  it('reads and writes the list "a 1 -5 300 70000" as redis-server 7.0.15 did (reference §1.9.1)', () => {
    const blob = hex('17 00 00 00 05 00 81 61 02 01 01 df fb 02 c1 2c 02 f2 70 11 01 04 ff');
    expect(decode(blob)).toEqual(['a', '1', '-5', '300', '70000']);
    expect(encodeListpack(['a', '1', '-5', '300', '70000'])).toEqual(blob);
  });

  it('round-trips any elements, every entry sized as listpackEntrySize says', () => {
    fc.assert(
      fc.property(fc.array(listpackElement, { maxLength: 30 }), (items) => {
        const lb = new ListpackBuilder();
        let size = lb.size;
        for (const s of items) {
          lb.push(s);
          size += listpackEntrySize(s);
          expect(lb.size).toBe(size);
        }
        expect(decode(lb.finish())).toEqual(items);
      }),
    );
  });

  it('stores canonical integers as integers and everything else as text', () => {
    expect(encodeListpack(['9223372036854775807'])[6]).toBe(0xf4);
    expect(encodeListpack(['9223372036854775808'])[6]).toBe(0x80 | 19);
    expect(encodeListpack(['-0'])).toEqual(hex('0b 00 00 00 01 00 82 2d 30 03 ff'));
  });

  it('writes backlens of 2+ bytes with the high group first', () => {
    const s = 'y'.repeat(200);
    const blob = encodeListpack([s]);
    // entry = e0 c8 + 200 bytes = 202 = 0b1_1001010: backlen 01 ca.
    expect([...blob.subarray(blob.length - 3)]).toEqual([0x01, 0xca, 0xff]);
    expect(decode(blob)).toEqual([s]);
  });

  it('counts past 65535 elements as "unknown" (65535) and still reads them', () => {
    const items = Array.from({ length: 70000 }, (_, i) => String(i % 100));
    const blob = encodeListpack(items);
    expect(blob[4]! | (blob[5]! << 8)).toBe(65535);
    expect(decode(blob)).toEqual(items);
  });

  it.each([
    ['a size that is not the blob size', '18 00 00 00 01 00 81 61 02 ff'],
    ['no terminator', '0a 00 00 00 01 00 81 61 02 00'],
    ['a wrong count', '09 00 00 00 02 00 81 61 02 ff'],
    ['a wrong backlen', '09 00 00 00 01 00 81 61 03 ff'],
    ['an invalid encoding byte', '08 00 00 00 01 00 f5 ff'],
    ['an entry running past the end', '09 00 00 00 01 00 85 61 02 ff'],
    ['a header only', '06 00 00 00 00 00'],
  ])('rejects %s', (_, h) => {
    expect(decode(hex(h))).toBeUndefined();
  });

  it('never throws on damaged blobs', () => {
    fc.assert(
      fc.property(fc.array(listpackElement, { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (items, edits) => {
        const blob = encodeListpack(items);
        for (const [at, v] of edits) blob[at % blob.length] = v;
        decode(blob);
      }),
    );
  });
});
