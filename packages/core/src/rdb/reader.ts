/**
 * Reading RDB primitives from a buffer that may hold only part of a file: lengths (§1.4),
 * strings with their INT and LZF encodings (§1.5), doubles (§1.6) and millisecond times.
 *
 * A read past the bytes received so far throws `NEED_MORE` while more may come (`final` false);
 * the decoder then waits for more input and re-reads the whole record from its start. Once the
 * input is complete (`final` true) the same read is a truncation, reported as corruption.
 */
import { bytesToBinary } from '../bytes.ts';
import { lzfDecompress } from './lzf.ts';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.ts';
import { corrupt, INVALID_LZF, invalidDouble, SHORT_READ, unknownLength, unknownStringEncoding } from './errors.ts';

/** Thrown (never escapes the decoder) when a record needs bytes that have not arrived yet. */
export const NEED_MORE: unique symbol = Symbol('rdb: need more input');

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Not in lib ES2023 (core stays platform-free), but present on every platform Larder runs on.
declare const TextDecoder: new () => { decode(b: Uint8Array): string };
const utf8 = new TextDecoder();

/**
 * `b[start, end)` as a byte string (bytes.ts). ASCII runs, the common case, go through the
 * platform's UTF-8 decoder, about twice as fast as String.fromCharCode.apply and identical for
 * bytes below 0x80; short strings are built directly.
 */
export function binaryOf(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 12) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (b[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return utf8.decode(b.subarray(start, end));
  if (n <= 8192) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  return bytesToBinary(b, start, end);
}

export class Reader {
  /** The bytes; `p` is the read position, `e` the end of what has arrived. */
  b: Uint8Array;
  p = 0;
  e: number;
  /** File offset of `b[0]`, for error offsets. */
  base = 0;
  /** No more input will come: a short read is corruption. */
  final: boolean;
  /** After NEED_MORE: the buffer position the failed read needed to reach. */
  needEnd = 0;

  constructor(b: Uint8Array = new Uint8Array(0), final = true, base = 0) {
    this.b = b;
    this.e = b.length;
    this.final = final;
    this.base = base;
  }

  /** The file offset of the read position. */
  get offset(): number {
    return this.base + this.p;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (this.e - this.p < n) this.short(this.p + n);
  }

  short(needEnd: number): never {
    if (this.final) throw corrupt(SHORT_READ, this.base + this.e);
    this.needEnd = needEnd;
    throw NEED_MORE;
  }

  fail(message: string, at = this.p): never {
    throw corrupt(message, this.base + at);
  }

  u8(): number {
    if (this.p >= this.e) this.short(this.p + 1);
    return this.b[this.p++]!;
  }

  /**
   * A length (rdbLoadLen with no `isencoded`): as in Redis, a special-encoding byte where a count
   * is expected reads as its low 6 bits.
   */
  len(): number {
    const b = this.b;
    if (this.p >= this.e) this.short(this.p + 1);
    const first = b[this.p]!;
    const kind = first >>> 6;
    if (kind === 0 || kind === 3) {
      this.p++;
      return first & 0x3f;
    }
    if (kind === 1) {
      this.need(2);
      const v = ((first & 0x3f) << 8) | b[this.p + 1]!;
      this.p += 2;
      return v;
    }
    if (first === RDB_32BITLEN) {
      this.need(5);
      const p = this.p;
      const v = ((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!) >>> 0;
      this.p += 5;
      return v;
    }
    if (first === RDB_64BITLEN) {
      this.need(9);
      const p = this.p;
      const hi = ((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!) >>> 0;
      const lo = ((b[p + 5]! << 24) | (b[p + 6]! << 16) | (b[p + 7]! << 8) | b[p + 8]!) >>> 0;
      // Lengths past 2^53 describe nothing that fits in memory.
      if (hi >= 0x200000) this.fail(unknownLength(first));
      this.p += 9;
      return hi * 0x100000000 + lo;
    }
    return this.fail(unknownLength(first));
  }

  /** A length that may use all 64 bits (module ids). */
  lenBig(): bigint {
    if (this.p >= this.e) this.short(this.p + 1);
    if (this.b[this.p] !== RDB_64BITLEN) return BigInt(this.len());
    this.need(9);
    let v = 0n;
    for (let i = 1; i <= 8; i++) v = (v << 8n) | BigInt(this.b[this.p + i]!);
    this.p += 9;
    return v;
  }

  /** A string (rdbGenericLoadStringObject) as a byte string. */
  string(): string {
    const b = this.b;
    if (this.p >= this.e) this.short(this.p + 1);
    const first = b[this.p]!;
    if (first < 0x40) {
      const end = this.p + 1 + first;
      if (end > this.e) this.short(end);
      const s = binaryOf(b, this.p + 1, end);
      this.p = end;
      return s;
    }
    if (first >= 0xc0) return this.encodedString(first & 0x3f, false) as string;
    const n = this.len();
    if (this.e - this.p < n) this.short(this.p + n);
    const s = binaryOf(b, this.p, this.p + n);
    this.p += n;
    return s;
  }

  /**
   * A string as bytes (for the ziplist, listpack and intset blobs). Uncompressed blobs are a view
   * into the input buffer: use them before the next read.
   */
  blob(): Uint8Array {
    if (this.p >= this.e) this.short(this.p + 1);
    const first = this.b[this.p]!;
    if (first >= 0xc0) {
      const v = this.encodedString(first & 0x3f, true);
      return typeof v === 'string' ? Uint8Array.from(v, (c) => c.charCodeAt(0)) : v;
    }
    const n = this.len();
    if (this.e - this.p < n) this.short(this.p + n);
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** The INT8/16/32 and LZF forms; `p` is at the encoding byte. */
  private encodedString(kind: number, asBytes: boolean): string | Uint8Array {
    const b = this.b;
    const p = this.p;
    if (kind === RDB_ENC_INT8) {
      this.need(2);
      this.p += 2;
      return String((b[p + 1]! << 24) >> 24);
    }
    if (kind === RDB_ENC_INT16) {
      this.need(3);
      this.p += 3;
      return String(((b[p + 1]! | (b[p + 2]! << 8)) << 16) >> 16);
    }
    if (kind === RDB_ENC_INT32) {
      this.need(5);
      this.p += 5;
      return String(b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24));
    }
    if (kind === RDB_ENC_LZF) {
      this.p++;
      const clen = this.len();
      const ulen = this.len();
      if (this.e - this.p < clen) this.short(this.p + clen);
      const out = lzfDecompress(b, this.p, this.p + clen, ulen);
      if (out === undefined) this.fail(INVALID_LZF, p);
      this.p += clen;
      return asBytes ? out : binaryOf(out, 0, out.length);
    }
    return this.fail(unknownStringEncoding(kind));
  }

  /** An 8-byte little-endian IEEE double (ZSET_2 scores). */
  binaryDouble(): number {
    this.need(8);
    const b = this.b;
    const p = this.p;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i]!;
    else for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[p + i]!;
    this.p += 8;
    return f64[0]!;
  }

  /** The old text double of RDB_TYPE_ZSET: a length byte (253 NaN, 254 +inf, 255 -inf) and text. */
  textDouble(): number {
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    this.need(n);
    const text = binaryOf(this.b, this.p, this.p + n);
    this.p += n;
    const d = parseStrtod(text);
    if (d === undefined) this.fail(invalidDouble(text), this.p - n);
    return d;
  }

  /** EXPIRETIME_MS: 8-byte little-endian signed milliseconds. */
  millis(): number {
    this.need(8);
    const b = this.b;
    const p = this.p;
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
    this.p += 8;
    return hi * 0x100000000 + lo;
  }

  /** EXPIRETIME (RDB < 3): 4-byte little-endian signed seconds. */
  seconds(): number {
    this.need(4);
    const b = this.b;
    const p = this.p;
    this.p += 4;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }
}

/**
 * `sscanf("%lg")` as the old zset loader reads a score: a leading prefix that parses as a double.
 * Redis always wrote `%.17g` text, so the whole string parses in practice.
 */
export function parseStrtod(text: string): number | undefined {
  const m = /^\s*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(text);
  if (!m) return undefined;
  const t = m[1]!.toLowerCase();
  if (t.endsWith('inf') || t.endsWith('infinity')) return t[0] === '-' ? -Infinity : Infinity;
  if (t.endsWith('nan')) return NaN;
  return Number(t);
}
