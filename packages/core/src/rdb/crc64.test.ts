import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Crc64, crc64, crc64Js, crc64UsesWasm, readU64LE } from './crc64.ts';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));

/** The bit-serial definition (reference §1.10), as the oracle for the table-driven code. */
function crcBitwise(bytes: Uint8Array): bigint {
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n;
  }
  return crc;
}

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ' +
  'Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur ' +
  'sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';

describe('crc64', () => {
  it.each([
    ['the check value', ascii('123456789'), 0xe9c6d914c4b8d9can],
    ["crc64.c's Lorem ipsum, trailing NUL included", ascii(LOREM + '\0'), 0xc7794709e69683b3n],
    ['nothing', new Uint8Array(0), 0n],
  ])('%s', (_, bytes, want) => {
    expect(crc64(bytes)).toBe(want);
    expect(crcBitwise(bytes)).toBe(want);
  });

  it.each([
    // Files written by redis-server, CRC stored little-endian in their last 8 bytes (reference §1.10).
    ['SELECTDB 0, foo=bar', '524544495330303039 fe00 fb0100 0003666f6f03626172 ff cc3e5c8168681831'],
    ['empty, v9', '524544495330303039 ff 9aac7abcfb0fad74'],
    ['empty, v11', '524544495330303131 ff c0228a8d74389762'],
  ])('matches the trailer Redis wrote: %s', (_, file) => {
    const b = hex(file);
    expect(crc64(b, 0, b.length - 8)).toBe(readU64LE(b, b.length - 8));
    expect(new Crc64().update(b, 0, b.length - 8).matches(b, b.length - 8)).toBe(true);
  });

  it('agrees with the bit-serial definition on any bytes, offsets and chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 }), fc.nat(7), (bytes, cuts, skew) => {
        // A view at an odd offset exercises the unaligned head of the word loop.
        const backing = new Uint8Array(bytes.length + skew);
        backing.set(bytes, skew);
        const view = backing.subarray(skew);
        const want = crcBitwise(bytes);
        expect(crc64(view)).toBe(want);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const c = new Crc64();
        let from = 0;
        for (const p of [...points, bytes.length]) {
          c.update(view, from, p);
          from = p;
        }
        expect(c.value).toBe(want);
        const out = new Uint8Array(8);
        c.write(out, 0);
        expect(readU64LE(out, 0)).toBe(want);
      }),
    );
  });

  it('takes the WebAssembly loop for long runs here, and it agrees with the JS loop at any offset and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4096, maxLength: 20000 }), fc.nat(4096), fc.nat(4096), fc.nat(7), (bytes, a, b, skew) => {
        const backing = new Uint8Array(bytes.length + skew);
        backing.set(bytes, skew);
        const view = backing.subarray(skew);
        const start = Math.min(a, view.length);
        const end = Math.max(start, view.length - b);
        const js = { lo: 0x1234567, hi: -0x7654321 };
        const mixed = Object.assign(new Crc64(), js);
        crc64Js(js, view, start, end);
        mixed.update(view, start, end);
        expect([mixed.lo, mixed.hi]).toEqual([js.lo, js.hi]);
      }),
      { numRuns: 50 },
    );
    // Longer than the module's 1 MiB window: several calls.
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 2654435761) >>> 24);
    const js = { lo: 0, hi: 0 };
    crc64Js(js, big, 0, big.length);
    const c = new Crc64().update(big);
    expect([c.lo, c.hi]).toEqual([js.lo, js.hi]);
    expect(crc64UsesWasm()).toBe(true);
  });

  it('is fast on large buffers', () => {
    const big = new Uint8Array(16 << 20).map((_, i) => i * 31);
    const t = performance.now();
    crc64(big);
    // About 0.7 GB/s here when the machine is quiet; the bound only catches a per-byte slow path.
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
