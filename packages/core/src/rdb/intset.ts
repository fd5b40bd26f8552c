/**
 * Intset (Redis's intset.c), the blob of SET_INTSET (reference §1.9.3):
 *
 *   <encoding u32 LE: element width 2, 4 or 8> <length u32 LE> <element LE>*   strictly ascending
 *
 * An empty intset is damage, not an empty key. Redis widens an intset when a member needs it and
 * never narrows it; we write the narrowest width that holds every member, which loads the same.
 */
import { int64LE } from './listpack.ts';
import { le } from './ziplist.ts';

/**
 * The members of an intset blob as decimal byte strings, ascending; undefined when the blob is
 * damaged (wrong size, unknown width, empty, or not strictly ascending).
 */
export function decodeIntset(b: Uint8Array): string[] | undefined {
  if (b.length < 8) return undefined;
  const width = u32(b, 0);
  const length = u32(b, 4);
  if ((width !== 2 && width !== 4 && width !== 8) || length === 0 || b.length !== 8 + length * width) return undefined;
  const out: string[] = new Array<string>(length);
  if (width === 8) {
    let prev: bigint | undefined;
    for (let i = 0, p = 8; i < length; i++, p += 8) {
      const s = int64LE(b, p);
      const v = BigInt(s);
      if (prev !== undefined && v <= prev) return undefined;
      prev = v;
      out[i] = s;
    }
    return out;
  }
  let prev = -Infinity;
  for (let i = 0, p = 8; i < length; i++, p += width) {
    const v = width === 2 ? ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16 : b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    if (v <= prev) return undefined;
    prev = v;
    out[i] = String(v);
  }
  return out;
}

/** An intset blob of `members`: canonical int64 decimal strings, in ascending numeric order. */
export function encodeIntset(members: readonly string[]): Uint8Array {
  const values = members.map((m) => BigInt(m));
  let width = 2;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) {
      width = 8;
      break;
    }
    if (v < -32768n || v > 32767n) width = 4;
  }
  const out = new Uint8Array(8 + values.length * width);
  out.set(le(width, 4), 0);
  out.set(le(values.length, 4), 4);
  let p = 8;
  for (const v of values) {
    if (width === 8) out.set(le(v, 8), p);
    else {
      const n = Number(v);
      for (let i = 0; i < width; i++) out[p + i] = (n >> (8 * i)) & 0xff;
    }
    p += width;
  }
  return out;
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}
