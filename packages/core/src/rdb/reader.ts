/**
 * Reading RDB primitives from a buffer that may hold only part of a file: lengths (§1.4),
 * strings with their INT and LZF encodings (§1.5), doubles (§1.6) and millisecond times.
 *
 * A read past the bytes received so far throws `NEED_MORE` while more may come (`final` false);
 * the decoder then waits for more input and re-reads the whole record from its start. Once the
 * input is complete (`final` true) the same read is a truncation, reported as corruption.
 */
import { bytesToBinary } from '../bytes.ts';
import { lzfDecompressInto, lzfPlausible } from './lzf.ts';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.ts';
import { corrupt, INVALID_LZF, invalidDouble, SHORT_READ, unknownLength, unknownStringEncoding } from './errors.ts';

/** Thrown (never escapes the decoder) when a record needs bytes that have not arrived yet. */
export const NEED_MORE: unique symbol = Symbol('rdb: need more input');

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const NO_SCRATCH = new Uint8Array(0);
/** LZF output up to this size is decoded into the reader's reusable buffer. */
const SCRATCH_MAX = 1 << 16;

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
  /**
   * Where LZF strings are decompressed, reused from one to the next; allocated on first use, since
   * RESTORE makes a Reader per payload (a 1 KiB buffer each cost an import ~1.4 µs per key).
   */
  private scratch = NO_SCRATCH;

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
      const s = bytesToBinary(b, this.p + 1, end);
      this.p = end;
      return s;
    }
    if (first >= 0xc0) return this.encodedString(first & 0x3f, false) as string;
    const n = this.len();
    if (this.e - this.p < n) this.short(this.p + n);
    const s = bytesToBinary(b, this.p, this.p + n);
    this.p += n;
    return s;
  }

  /**
   * A string as bytes (for the ziplist, listpack and intset blobs): a view into the input buffer,
   * or into the reader's LZF buffer when compressed. Use it before the next read.
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
      if (!lzfPlausible(clen, ulen)) this.fail(INVALID_LZF, p);
      let out = this.scratch;
      if (ulen > out.length) {
        out = new Uint8Array(ulen);
        if (ulen <= SCRATCH_MAX) this.scratch = out;
      }
      if (!lzfDecompressInto(b, this.p, this.p + clen, out, ulen)) this.fail(INVALID_LZF, p);
      this.p += clen;
      // A scratch view is valid until the next read, as a blob's view into the input is.
      return asBytes ? out.subarray(0, ulen) : bytesToBinary(out, 0, ulen);
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
    const text = bytesToBinary(this.b, this.p, this.p + n);
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
 * strtod's longest convertible prefix (glibc, "C" locale), which is how Redis reads a score from
 * text: `sscanf("%lg")` for the old zset format, zzlStrtod for ziplist and listpack zsets. Leading
 * whitespace is C's isspace (not 0xa0), then a sign and INF/INFINITY, NAN, a hex float (0x...p..)
 * or a decimal. Undefined when no prefix converts (strtod then returns 0 and sscanf fails).
 */
export function parseStrtod(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  for (let c = text.charCodeAt(0); c === 32 || (c >= 9 && c <= 13); c = text.charCodeAt(++i));
  const sign = text[i] === '-' ? -1 : 1;
  if (text[i] === '-' || text[i] === '+') i++;
  const word = text.slice(i, i + 3).toLowerCase();
  if (word === 'inf') return sign * Infinity;
  if (word === 'nan') return NaN;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    const hex = parseHexFloat(text, i + 2);
    // "0x" with no hex digit after it converts as the "0".
    return sign * (hex ?? 0);
  }
  const m = DECIMAL.exec(i === 0 ? text : text.slice(i, n));
  return m === null ? undefined : sign * Number(m[0]);
}

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** The digits of a hex float from `i` (after "0x"): mantissa, optional fraction, optional p exponent. */
function parseHexFloat(text: string, i: number): number | undefined {
  let mant = 0;
  let exp = 0;
  let digits = 0;
  let fraction = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.' && !fraction) {
      fraction = true;
      continue;
    }
    const d = HEX.indexOf(c.toLowerCase());
    if (d < 0) break;
    mant = mant * 16 + d;
    if (fraction) exp -= 4;
    digits++;
  }
  if (digits === 0) return undefined;
  const m = /^[pP]([+-]?\d+)/.exec(text.slice(i));
  if (m !== null) exp += Number(m[1]);
  // Scaled in two steps so a huge mantissa with a negative exponent does not overflow first.
  const half = Math.trunc(exp / 2);
  return mant * 2 ** half * 2 ** (exp - half);
}

const HEX = '0123456789abcdef';
