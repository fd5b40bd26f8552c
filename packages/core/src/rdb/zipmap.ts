/**
 * Zipmap (Redis's zipmap.c), the blob of HASH_ZIPMAP written by Redis 2.4 to 2.6 (reference
 * §1.9.4). Read-only in Redis and here; the encoder builds test fixtures.
 *
 *   <zmlen u8, >= 254 = unknown> (<len> field <len> <free u8> value <free bytes>)* 0xFF
 *   len = 1 byte 0..253, or 0xFE + u32 LE
 */
import { bytesToBinary } from '../bytes.ts';
import { le } from './ziplist.ts';

const END = 0xff;
const BIGLEN = 0xfe;

/** The [field, value] pairs of a zipmap blob, or undefined when damaged (zipmapValidateIntegrity). */
export function decodeZipmap(b: Uint8Array): Array<[string, string]> | undefined {
  const n = b.length;
  if (n < 2 || b[n - 1] !== END) return undefined;
  const zmlen = b[0]!;
  const out: Array<[string, string]> = [];
  let p = 1;
  const readLen = (): number => {
    if (p >= n) return -1;
    const c = b[p++]!;
    if (c < BIGLEN) return c;
    if (c === END || p + 4 > n) return -1;
    const v = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    p += 4;
    return v;
  };
  while (p < n && b[p] !== END) {
    const flen = readLen();
    if (flen < 0 || p + flen > n) return undefined;
    const field = bytesToBinary(b, p, p + flen);
    p += flen;
    const vlen = readLen();
    if (vlen < 0 || p + 1 > n) return undefined;
    const free = b[p++]!;
    if (p + vlen + free > n) return undefined;
    out.push([field, bytesToBinary(b, p, p + vlen)]);
    p += vlen + free;
  }
  if (p !== n - 1) return undefined;
  if (zmlen < 254 && zmlen !== out.length) return undefined;
  return out;
}

/** A zipmap of `pairs` with no free bytes (test fixtures). */
export function encodeZipmap(pairs: Iterable<readonly [string, string]>): Uint8Array {
  const bytes: number[] = [0];
  let count = 0;
  const len = (n: number): void => {
    if (n < BIGLEN) bytes.push(n);
    else bytes.push(BIGLEN, ...le(n, 4));
  };
  for (const [f, v] of pairs) {
    len(f.length);
    for (let i = 0; i < f.length; i++) bytes.push(f.charCodeAt(i));
    len(v.length);
    bytes.push(0);
    for (let i = 0; i < v.length; i++) bytes.push(v.charCodeAt(i));
    count++;
  }
  bytes.push(END);
  bytes[0] = Math.min(count, 254);
  return Uint8Array.from(bytes);
}
