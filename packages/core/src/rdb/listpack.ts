/**
 * Listpack (Redis's listpack.c), the blob inside HASH_LISTPACK, ZSET_LISTPACK, SET_LISTPACK and
 * the nodes of LIST_QUICKLIST_2 (reference §1.9.1):
 *
 *   <total bytes u32 LE> <count u16 LE, 65535 = unknown> <entry>* 0xFF
 *   entry = <encoding + data> <backlen>
 *
 * | first byte | entry                               | first byte | entry                  |
 * |------------|-------------------------------------|------------|------------------------|
 * | 0xxxxxxx   | uint 0..127                         | 0xF0       | string, u32 LE length  |
 * | 10xxxxxx   | string, 6-bit length                | 0xF1/F2/F3 | int16 / int24 / int32  |
 * | 110xxxxx   | int13 (with the next byte)          | 0xF4       | int64 (all LE)         |
 * | 1110xxxx   | string, 12-bit length (+ next byte) | 0xFF       | end                    |
 *
 * backlen is the size of <encoding + data> in 7-bit groups, most significant first, every byte
 * after the first with bit 7 set, so the list can be walked backwards. Elements that are
 * canonical int64 text (string2ll) are stored as integers; reading gives them back as text.
 */
import { int64Value } from '../types/string/string.ts';
import { bytesToBinary } from '../bytes.ts';

const HEADER = 6;
const EOF_BYTE = 0xff;
const UNKNOWN_COUNT = 65535;

/**
 * Appends the elements of a listpack blob to `out` as byte strings, checking it whole (header
 * size, every entry's encoding and backlen, count, terminator) as Redis's deep sanitization does.
 * Returns false when the blob is damaged.
 */
export function decodeListpack(b: Uint8Array, out: string[]): boolean {
  const n = b.length;
  if (n < HEADER + 1) return false;
  const total = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  if (total !== n || b[n - 1] !== EOF_BYTE) return false;
  const count = b[4]! | (b[5]! << 8);
  const end = n - 1;
  const first = out.length;
  let p = HEADER;
  while (p < end) {
    const c = b[p]!;
    let size: number;
    if (c < 0x80) {
      out.push(String(c));
      size = 1;
    } else if (c < 0xc0) {
      size = 1 + (c & 0x3f);
      if (p + size > end) return false;
      out.push(bytesToBinary(b, p + 1, p + size));
    } else if (c < 0xe0) {
      if (p + 2 > end) return false;
      const v = ((c & 0x1f) << 8) | b[p + 1]!;
      out.push(String(v >= 4096 ? v - 8192 : v));
      size = 2;
    } else if (c < 0xf0) {
      if (p + 2 > end) return false;
      size = 2 + (((c & 0x0f) << 8) | b[p + 1]!);
      if (p + size > end) return false;
      out.push(bytesToBinary(b, p + 2, p + size));
    } else if (c === 0xf0) {
      if (p + 5 > end) return false;
      const len = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)) >>> 0;
      size = 5 + len;
      if (p + size > end) return false;
      out.push(bytesToBinary(b, p + 5, p + size));
    } else if (c === 0xf1) {
      if (p + 3 > end) return false;
      out.push(String(((b[p + 1]! | (b[p + 2]! << 8)) << 16) >> 16));
      size = 3;
    } else if (c === 0xf2) {
      if (p + 4 > end) return false;
      out.push(String(((b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) << 8) >> 8));
      size = 4;
    } else if (c === 0xf3) {
      if (p + 5 > end) return false;
      out.push(String(b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)));
      size = 5;
    } else if (c === 0xf4) {
      if (p + 9 > end) return false;
      out.push(int64LE(b, p + 1));
      size = 9;
    } else {
      return false;
    }
    p += size;
    const bl = backlenSize(size);
    if (p + bl > end) return false;
    // The last backlen byte holds the low 7 bits, the first the high ones, bit 7 set on the rest.
    let v = size;
    for (let i = bl - 1; i >= 0; i--) {
      if (b[p + i] !== ((v & 0x7f) | (i === 0 ? 0 : 0x80))) return false;
      v = Math.floor(v / 128);
    }
    p += bl;
  }
  return p === end && (count === UNKNOWN_COUNT || count === out.length - first);
}

/** Bytes the listpack entry of `s` takes, backlen included (what ListpackBuilder.push adds). */
export function listpackEntrySize(s: string): number {
  const len = s.length;
  const iv = len <= 20 ? int64Value(s) : undefined;
  let size: number;
  if (iv === undefined) size = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
  else if (typeof iv === 'bigint' || iv < -2147483648 || iv > 2147483647) size = 9;
  else if (iv >= 0 && iv <= 127) size = 1;
  else if (iv >= -4096 && iv <= 4095) size = 2;
  else size = iv >= -32768 && iv <= 32767 ? 3 : iv >= -8388608 && iv <= 8388607 ? 4 : 5;
  return size + backlenSize(size);
}

/** Bytes of the backlen of an entry of `size` bytes (lpEncodeBacklen; note the strict `<`). */
function backlenSize(size: number): number {
  return size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
}

/** A signed 64-bit little-endian integer as decimal text. */
export function int64LE(b: Uint8Array, p: number): string {
  const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 0x100000000 + lo);
  return String((BigInt(hi) << 32n) | BigInt(lo));
}

/**
 * Builds listpacks in a reusable buffer: `reset`, `push` each element, then `finish` for the blob
 * (a view, valid until the next `reset`). `size` is the blob size so far, terminator included,
 * which is what quicklist fill decisions compare.
 */
export class ListpackBuilder {
  private buf = new Uint8Array(4096);
  private p = HEADER;
  count = 0;

  reset(): void {
    this.p = HEADER;
    this.count = 0;
  }

  get size(): number {
    return this.p + 1;
  }

  push(s: string): void {
    const iv = s.length <= 20 ? int64Value(s) : undefined;
    if (iv !== undefined) this.pushInt(iv);
    else this.pushString(s);
  }

  pushInt(v: number | bigint): void {
    this.ensure(9 + 1);
    const b = this.buf;
    let p = this.p;
    if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
      let x = BigInt.asUintN(64, BigInt(v));
      b[p++] = 0xf4;
      for (let i = 0; i < 8; i++) {
        b[p++] = Number(x & 0xffn);
        x >>= 8n;
      }
    } else if (v >= 0 && v <= 127) {
      b[p++] = v;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? v + 8192 : v;
      b[p++] = 0xc0 | (u >>> 8);
      b[p++] = u & 0xff;
    } else {
      const width = v >= -32768 && v <= 32767 ? 2 : v >= -8388608 && v <= 8388607 ? 3 : 4;
      b[p++] = 0xf0 + width - 1;
      for (let i = 0; i < width; i++) b[p++] = (v >> (8 * i)) & 0xff;
    }
    this.entryDone(p);
  }

  pushString(s: string): void {
    const len = s.length;
    this.ensure(len + 5 + 5 + 1);
    const b = this.buf;
    let p = this.p;
    if (len < 64) {
      b[p++] = 0x80 | len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >>> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b[p++] = len & 0xff;
      b[p++] = (len >>> 8) & 0xff;
      b[p++] = (len >>> 16) & 0xff;
      b[p++] = (len >>> 24) & 0xff;
    }
    for (let i = 0; i < len; i++) b[p + i] = s.charCodeAt(i);
    this.entryDone(p + len);
  }

  /** Appends the backlen of the entry that started at `this.p` and ended at `p`. */
  private entryDone(p: number): void {
    const b = this.buf;
    const size = p - this.p;
    const bl = backlenSize(size);
    let v = size;
    for (let i = bl - 1; i >= 0; i--) {
      b[p + i] = (v & 0x7f) | (i === 0 ? 0 : 0x80);
      v = Math.floor(v / 128);
    }
    this.p = p + bl;
    this.count++;
  }

  finish(): Uint8Array {
    const b = this.buf;
    const total = this.p + 1;
    b[this.p] = EOF_BYTE;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = (total >>> 24) & 0xff;
    const count = this.count < UNKNOWN_COUNT ? this.count : UNKNOWN_COUNT;
    b[4] = count & 0xff;
    b[5] = count >>> 8;
    return b.subarray(0, total);
  }

  private ensure(n: number): void {
    if (this.p + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.p + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.p));
    this.buf = next;
  }
}

/** A whole listpack of `items` (tests, and callers that need one blob). */
export function encodeListpack(items: Iterable<string>): Uint8Array {
  const lb = new ListpackBuilder();
  for (const s of items) lb.push(s);
  return lb.finish().slice();
}
