import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeZipmap, encodeZipmap } from './zipmap.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));
const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 });

describe('zipmap', () => {
  it("reads Redis's hash-zipmap.rdb value {f1: v1, f2: v2} (reference §1.9.4)", () => {
    const blob = hex('02 02 6631 02 00 7631 02 6632 02 00 7632 ff');
    expect(decodeZipmap(blob)).toEqual([['f1', 'v1'], ['f2', 'v2']]);
    expect(encodeZipmap([['f1', 'v1'], ['f2', 'v2']])).toEqual(blob);
  });

  it('skips free bytes after a value and reads 5-byte lengths', () => {
    expect(decodeZipmap(hex('01 01 61 02 03 62 63 00 00 00 ff'))).toEqual([['a', 'bc']]);
    const long = 'L'.repeat(300);
    expect(decodeZipmap(encodeZipmap([[long, 'x']]))).toEqual([[long, 'x']]);
  });

  it('round-trips any pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(bytes, bytes), { maxLength: 10 }), (pairs) => {
        expect(decodeZipmap(encodeZipmap(pairs))).toEqual(pairs);
      }),
    );
  });

  it.each([
    ['no terminator', '01 01 61 01 00 62'],
    ['a wrong count', '02 01 61 01 00 62 ff'],
    ['a value past the end', '01 01 61 05 00 62 ff'],
    ['free bytes past the end', '01 01 61 01 09 62 ff'],
  ])('rejects %s', (_, h) => {
    expect(decodeZipmap(hex(h))).toBeUndefined();
  });
});
