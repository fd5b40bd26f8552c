/**
 * Bit operations over byte strings (Redis's bitops.c). Bit 0 is the most significant bit of byte
 * 0, as in Redis. Ranges are inclusive bit positions the caller has already clamped to the string.
 */
import { bytesToBinary } from '../../bytes.ts';

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** The bits of a byte at positions first..last (0 = most significant), as a mask. */
function mask(first: number, last: number): number {
  return (0xff >> first) & (0xff << (7 - last)) & 0xff;
}

/** Set bits of `s` in bit positions [from, to]. */
export function countBits(s: string, from: number, to: number): number {
  const first = Math.floor(from / 8);
  const last = Math.floor(to / 8);
  if (first === last) return POPCOUNT[s.charCodeAt(first) & mask(from % 8, to % 8)]!;
  let n = POPCOUNT[s.charCodeAt(first) & mask(from % 8, 7)]! + POPCOUNT[s.charCodeAt(last) & mask(0, to % 8)]!;
  for (let i = first + 1; i < last; i++) n += POPCOUNT[s.charCodeAt(i)]!;
  return n;
}

/** The first position in [from, to] whose bit is `bit`, or -1. */
export function findBit(s: string, bit: 0 | 1, from: number, to: number): number {
  const first = Math.floor(from / 8);
  const last = Math.floor(to / 8);
  const flip = bit === 1 ? 0 : 0xff;
  for (let i = first; i <= last; i++) {
    let b = s.charCodeAt(i) ^ flip;
    if (i === first || i === last) b &= mask(i === first ? from % 8 : 0, i === last ? to % 8 : 7);
    if (b !== 0) return i * 8 + Math.clz32(b) - 24;
  }
  return -1;
}

export type BitOp = 'and' | 'or' | 'xor' | 'not';

/** BITOP's result of `len` bytes: sources shorter than that read as zero-padded. */
export function bitop(op: BitOp, srcs: readonly string[], len: number): string {
  const out = new Uint8Array(len);
  const s0 = srcs[0]!;
  if (op === 'not') {
    for (let i = 0; i < len; i++) out[i] = ~s0.charCodeAt(i) & 0xff;
    return bytesToBinary(out);
  }
  for (let i = 0; i < s0.length; i++) out[i] = s0.charCodeAt(i);
  for (let k = 1; k < srcs.length; k++) {
    const s = srcs[k]!;
    const n = s.length;
    if (op === 'and') {
      for (let i = 0; i < n; i++) out[i]! &= s.charCodeAt(i);
      out.fill(0, n);
    } else if (op === 'or') {
      for (let i = 0; i < n; i++) out[i]! |= s.charCodeAt(i);
    } else {
      for (let i = 0; i < n; i++) out[i]! ^= s.charCodeAt(i);
    }
  }
  return bytesToBinary(out);
}
