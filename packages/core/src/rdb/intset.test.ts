import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeIntset, encodeIntset } from './intset.ts';
import { compareInts } from '../types/set/set.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));

describe('intset', () => {
  it('reads and writes {1, 2, 3} as redis-server 7.0.15 did (reference §1.9.3)', () => {
    const blob = hex('02 00 00 00 03 00 00 00 01 00 02 00 03 00');
    expect(decodeIntset(blob)).toEqual(['1', '2', '3']);
    expect(encodeIntset(['1', '2', '3'])).toEqual(blob);
  });

  it('round-trips sorted int64 sets in the narrowest width', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.integer({ min: -40000, max: 40000 }).map(BigInt), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), { minLength: 1, maxLength: 40 }), (values) => {
        const members = values.map(String).sort(compareInts);
        const blob = encodeIntset(members);
        const width = blob[0]!;
        const widest = values.reduce((w, v) => Math.max(w, v >= -32768n && v <= 32767n ? 2 : v >= -(2n ** 31n) && v < 2n ** 31n ? 4 : 8), 2);
        expect(width).toBe(widest);
        expect(decodeIntset(blob)).toEqual(members);
      }),
    );
  });

  it('accepts a wider encoding than needed (Redis never narrows an intset)', () => {
    expect(decodeIntset(hex('08 00 00 00 01 00 00 00 07 00 00 00 00 00 00 00'))).toEqual(['7']);
  });

  it.each([
    ['an empty intset', '02 00 00 00 00 00 00 00'],
    ['a wrong size', '02 00 00 00 02 00 00 00 01 00'],
    ['an unknown width', '03 00 00 00 01 00 00 00 01 00 00'],
    ['members out of order', '02 00 00 00 02 00 00 00 02 00 01 00'],
    ['a duplicate', '04 00 00 00 02 00 00 00 05 00 00 00 05 00 00 00'],
    ['a short header', '02 00 00'],
  ])('rejects %s', (_, h) => {
    expect(decodeIntset(hex(h))).toBeUndefined();
  });
});
