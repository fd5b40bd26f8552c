import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lzfCompress, lzfDecompress } from './lzf.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));

function compress(input: Uint8Array, outLen = input.length + 64): Uint8Array | undefined {
  const out = new Uint8Array(outLen + 8);
  const n = lzfCompress(input, 0, input.length, out, 0, outLen);
  return n === 0 ? undefined : out.slice(0, n);
}

/** Bytes that compress: runs and repeats drawn from a small alphabet. */
const compressible = fc
  .array(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 400 }))), { maxLength: 40 })
  .map((parts) => {
    const bytes: number[] = [];
    for (const p of parts) {
      if (p instanceof Uint8Array) bytes.push(...p);
      else for (let i = 0; i < p[1]; i++) bytes.push(97 + p[0]);
    }
    return Uint8Array.from(bytes);
  });

describe('lzf', () => {
  it("writes 56 'a's as redis-server 7.0.15 does (reference §1.11)", () => {
    const a56 = new Uint8Array(56).fill(0x61);
    expect(compress(a56, 52)).toEqual(hex('01 61 61 e0 2b 00 01 61 61'));
    expect(lzfDecompress(hex('01 61 61 e0 2b 00 01 61 61'), 0, 9, 56)).toEqual(a56);
  });

  it('round-trips any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2000 }), compressible.filter((b) => b.length > 0)), (input) => {
        const packed = compress(input);
        expect(packed).toBeDefined();
        expect(lzfDecompress(packed!, 0, packed!.length, input.length)).toEqual(input);
      }),
    );
  });

  it('round-trips across the 8 KiB window and maximal back-references', () => {
    const input = new Uint8Array(40000);
    for (let i = 0; i < input.length; i++) input[i] = (i % 9000) * 7919 % 251;
    const same = (a: Uint8Array | undefined, b: Uint8Array): boolean => a !== undefined && Buffer.compare(a, b) === 0;
    const packed = compress(input)!;
    expect(packed.length).toBeLessThan(input.length);
    expect(same(lzfDecompress(packed, 0, packed.length, input.length), input)).toBe(true);
    const run = new Uint8Array(100000).fill(7);
    const p2 = compress(run)!;
    expect(p2.length).toBeLessThan(run.length / 80);
    expect(same(lzfDecompress(p2, 0, p2.length, run.length), run)).toBe(true);
  });

  it('gives up (0) when the output would not fit, as Redis expects for incompressible strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 21, maxLength: 300 }), (input) => {
        const out = new Uint8Array(input.length);
        const n = lzfCompress(input, 0, input.length, out, 0, input.length - 4);
        expect(n).toBeLessThanOrEqual(input.length - 4);
        if (n > 0) expect(lzfDecompress(out, 0, n, input.length)).toEqual(input);
      }),
    );
  });

  it('reports damaged streams as undefined and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(5000), (garbage, outLen) => {
        const r = lzfDecompress(garbage, 0, garbage.length, outLen);
        if (r !== undefined) expect(r.length).toBe(outLen);
      }),
    );
    // A back-reference before the start of the output, a literal run past the input, a wrong length.
    expect(lzfDecompress(hex('20 00'), 0, 2, 3)).toBeUndefined();
    expect(lzfDecompress(hex('05 61 62'), 0, 3, 6)).toBeUndefined();
    expect(lzfDecompress(hex('01 61 61'), 0, 3, 3)).toBeUndefined();
    // A claimed size beyond what the input could expand to is refused before allocating it.
    expect(lzfDecompress(hex('01 61 61'), 0, 3, 2 ** 31)).toBeUndefined();
  });
});
