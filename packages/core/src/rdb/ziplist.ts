/**
 * Ziplist (Redis's ziplist.c), the legacy blob of LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST and
 * LIST_QUICKLIST nodes (reference §1.9.2). Redis 7 only reads it, converting to listpacks; so
 * does Larder. The encoder exists to hand-build old-version fixtures for tests.
 *
 *   <zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE, 65535 = unknown> <entry>* 0xFF
 *   entry = <prevlen: 1 byte if < 254, else 0xFE + u32 LE> <encoding> [data]
 *
 * | encoding            | meaning                                   |
 * |---------------------|-------------------------------------------|
 * | 00pppppp            | string, 6-bit length                      |
 * | 01pppppp qqqqqqqq   | string, 14-bit length, **big-endian**     |
 * | 10______ + 4 bytes  | string, 32-bit length, **big-endian**     |
 * | C0 / D0 / E0 / F0   | int16 / int32 / int64 / int24, **LE**     |
 * | FE                  | int8                                      |
 * | F1..FD              | immediate 0..12 (low 4 bits minus 1)      |
 */
import { int64Value } from '../types/string/string.ts';
import { int64LE } from './listpack.ts';
import { bytesToBinary } from '../bytes.ts';

const HEADER = 10;
const END = 0xff;
const UNKNOWN_COUNT = 65535;

/**
 * Appends the elements of a ziplist blob to `out` as byte strings, validating it whole
 * (ziplistValidateIntegrity, deep): sizes, prevlens, tail offset, count. False when damaged.
 */
export function decodeZiplist(b: Uint8Array, out: string[]): boolean {
  const n = b.length;
  if (n < HEADER + 1) return false;
  const zlbytes = u32(b, 0);
  const zltail = u32(b, 4);
  const count = b[8]! | (b[9]! << 8);
  if (zlbytes !== n || b[n - 1] !== END) return false;
  const end = n - 1;
  const first = out.length;
  let p = HEADER;
  let prevSize = 0;
  let last = HEADER;
  while (p < end) {
    const start = p;
    let prevlen = b[p++]!;
    if (prevlen === 0xfe) {
      if (p + 4 > end) return false;
      prevlen = u32(b, p);
      p += 4;
    }
    if (prevlen !== prevSize || p >= end) return false;
    const c = b[p++]!;
    if (c < 0xc0) {
      let len: number;
      if (c < 0x40) {
        len = c;
      } else if (c < 0x80) {
        if (p + 1 > end) return false;
        len = ((c & 0x3f) << 8) | b[p++]!;
      } else {
        if (p + 4 > end) return false;
        len = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
        p += 4;
      }
      if (p + len > end) return false;
      out.push(bytesToBinary(b, p, p + len));
      p += len;
    } else {
      const w = c === 0xc0 ? 2 : c === 0xd0 ? 4 : c === 0xe0 ? 8 : c === 0xf0 ? 3 : c === 0xfe ? 1 : c >= 0xf1 && c <= 0xfd ? 0 : -1;
      if (w < 0 || p + w > end) return false;
      if (w === 0) out.push(String((c & 0x0f) - 1));
      else if (w === 8) out.push(int64LE(b, p));
      else {
        let v = 0;
        for (let i = w - 1; i >= 0; i--) v = v * 256 + b[p + i]!;
        const bits = 8 * w;
        if (v >= 2 ** (bits - 1)) v -= 2 ** bits;
        out.push(String(v));
      }
      p += w;
    }
    prevSize = p - start;
    last = start;
  }
  if (p !== end || zltail !== last) return false;
  return count === UNKNOWN_COUNT || count === out.length - first;
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/** A ziplist of `items`, integers encoded as Redis's zipTryEncoding would (test fixtures). */
export function encodeZiplist(items: Iterable<string>): Uint8Array {
  const bytes: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let prevSize = 0;
  let last = HEADER;
  let count = 0;
  for (const s of items) {
    const start = bytes.length;
    last = start;
    if (prevSize < 254) bytes.push(prevSize);
    else bytes.push(0xfe, ...le(prevSize, 4));
    const iv = s.length <= 20 ? int64Value(s) : undefined;
    if (iv !== undefined) {
      const v = BigInt(iv);
      if (v >= 0n && v <= 12n) bytes.push(0xf1 + Number(v));
      else if (v >= -128n && v <= 127n) bytes.push(0xfe, ...le(v, 1));
      else if (v >= -32768n && v <= 32767n) bytes.push(0xc0, ...le(v, 2));
      else if (v >= -8388608n && v <= 8388607n) bytes.push(0xf0, ...le(v, 3));
      else if (v >= -2147483648n && v <= 2147483647n) bytes.push(0xd0, ...le(v, 4));
      else bytes.push(0xe0, ...le(v, 8));
    } else {
      const n = s.length;
      if (n < 64) bytes.push(n);
      else if (n < 16384) bytes.push(0x40 | (n >> 8), n & 0xff);
      else bytes.push(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
      for (let i = 0; i < n; i++) bytes.push(s.charCodeAt(i));
    }
    prevSize = bytes.length - start;
    count++;
  }
  bytes.push(END);
  const out = Uint8Array.from(bytes);
  out.set(le(out.length, 4), 0);
  out.set(le(last, 4), 4);
  out.set(le(Math.min(count, UNKNOWN_COUNT), 2), 8);
  return out;
}

/** `v` as `n` little-endian two's complement bytes. */
export function le(v: number | bigint, n: number): number[] {
  let x = BigInt.asUintN(n * 8, BigInt(v));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}
