/**
 * redis-check-rdb's view of the bytes: rio reads that either take all they ask for or fail,
 * with `p` counting the bytes taken (rio's processed_bytes, the offset every message prints),
 * and rdb.c's primitive loaders on top (rdbLoadLen, rdbGenericLoadStringObject, doubles, times).
 *
 * A failed read throws EOF: the loader returns NULL up to the checker, which says "Unexpected
 * EOF reading RDB file". Damage rdb.c reports itself (rdbReportCorruptRDB) throws Corrupt with
 * rdb.c's text and line in 7.0.15, which the checker prints as "Internal error ...".
 */
import { lzfDecompress } from '@larder/core/rdb';

export const EOF: unique symbol = Symbol('rdb check: short read');
/** rdbLoadLen's RDB_LENERR (UINT64_MAX), kept apart from the numbers it rounds to. */
const LENERR = -1;

export class Corrupt {
  constructor(
    /** rdb.c's line in 7.0.15, as the message shows it. */
    readonly line: number,
    readonly message: string,
  ) {}
}

export class Rio {
  p = 0;
  constructor(readonly b: Uint8Array) {}

  /** rioRead of `n` bytes: their start, or EOF (taking nothing). */
  read(n: number): number {
    if (this.b.length - this.p < n) throw EOF;
    const at = this.p;
    this.p += n;
    return at;
  }

  u8(): number {
    return this.b[this.read(1)]!;
  }

  /**
   * rdbLoadLen: a count, or with `encoded` set, the special encoding of a string. The largest
   * 64-bit length is rdb.c's RDB_LENERR: callers that test for it take it as a failed read.
   */
  lenOrEncoding(): { len: number; encoded: boolean } {
    const first = this.u8();
    const kind = first >> 6;
    if (kind === 3) return { len: first & 0x3f, encoded: true };
    if (kind === 0) return { len: first & 0x3f, encoded: false };
    if (kind === 1) return { len: ((first & 0x3f) << 8) | this.u8(), encoded: false };
    if (first === 0x80) return { len: this.uintBE(4), encoded: false };
    if (first === 0x81) {
      const len = this.uintBE(8);
      return { len: this.b.subarray(this.p - 8, this.p).every((b) => b === 0xff) ? LENERR : len, encoded: false };
    }
    throw new Corrupt(236, `Unknown length encoding ${kind} in rdbLoadLen()`);
  }

  /** rdbLoadLen where the caller tests for RDB_LENERR (most do): that value is a short read. */
  len(): number {
    const len = this.lenOrEncoding().len;
    if (len === LENERR) throw EOF;
    return len;
  }

  /** rdbLoadLen where the caller only checks rio's error flag: RDB_LENERR is just a number. */
  lenAny(): number {
    const len = this.lenOrEncoding().len;
    return len === LENERR ? 2 ** 64 : len;
  }

  /** rdbLoadLen keeping all 64 bits (module ids). */
  lenBig(): bigint {
    if (this.b[this.p] !== 0x81) return BigInt(this.len());
    this.u8();
    const at = this.read(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.b[at + i]!);
    return v;
  }

  /** A big-endian unsigned integer; 64-bit ones lose precision past 2^53, which no count reaches. */
  private uintBE(n: number): number {
    const at = this.read(n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.b[at + i]!;
    return v;
  }

  /** rdbGenericLoadStringObject, as bytes: the INT8/16/32 forms as their decimal text. */
  bytes(): Uint8Array {
    const { len, encoded } = this.lenOrEncoding();
    if (len === LENERR) throw EOF;
    if (!encoded) return this.b.subarray(this.read(len), this.p);
    if (len === 0) return ascii(String((this.b[this.read(1)]! << 24) >> 24));
    if (len === 1) {
      const at = this.read(2);
      return ascii(String(((this.b[at]! | (this.b[at + 1]! << 8)) << 16) >> 16));
    }
    if (len === 2) {
      const at = this.read(4);
      return ascii(String(this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16) | (this.b[at + 3]! << 24)));
    }
    if (len === 3) {
      const clen = this.len();
      const ulen = this.len();
      const at = this.read(clen);
      // lzf_decompress returns 0 on failure, so a claimed length of 0 always "succeeds".
      if (ulen === 0) return new Uint8Array(0);
      const out = lzfDecompress(this.b, at, at + clen, ulen);
      if (out === undefined) throw new Corrupt(413, 'Invalid LZF compressed string');
      return out;
    }
    throw new Corrupt(529, `Unknown RDB string encoding type ${len}`);
  }

  /** `n` raw bytes (a stream ID) as a byte string. */
  raw(n: number): string {
    const at = this.read(n);
    return binary(this.b.subarray(at, at + n));
  }

  /** A string as a byte string (bytes.ts): one char per byte. */
  string(): string {
    return binary(this.bytes());
  }

  /** rdbLoadMillisecondTime: 8 bytes little-endian. */
  millis(): number {
    const at = this.read(8);
    const lo = (this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16) | (this.b[at + 3]! << 24)) >>> 0;
    const hi = this.b[at + 4]! | (this.b[at + 5]! << 8) | (this.b[at + 6]! << 16) | (this.b[at + 7]! << 24);
    return hi * 0x100000000 + lo;
  }

  /** rdbLoadTime: 4 bytes little-endian, signed seconds. */
  seconds(): number {
    const at = this.read(4);
    return this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16) | (this.b[at + 3]! << 24);
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number {
    return new DataView(this.b.buffer, this.b.byteOffset + this.read(8), 8).getFloat64(0, true);
  }

  /** rdbLoadDoubleValue (ZSET v1 scores): a length byte (253 NaN, 254 +inf, 255 -inf), then text. */
  textDouble(): number {
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    const at = this.read(n);
    // sscanf("%lg") failing makes the loader return NULL: the checker's EOF path.
    const m = /^\s*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(binary(this.b.subarray(at, at + n)));
    if (!m) throw EOF;
    const t = m[1]!.toLowerCase();
    if (t.endsWith('nan')) return NaN;
    if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
    return Number(t);
  }
}

/** A read whose short read rdb.c reports itself (rdbReportReadError) instead of returning NULL. */
export function reading<T>(line: number, message: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e === EOF) throw new Corrupt(line, message);
    throw e;
  }
}


export function binary(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** printf("%s"): a C string stops at the first NUL. */
export const cString = (s: string): string => {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
};

/** string2ll: the canonical decimal form of a signed 64-bit integer (what an intset can hold). */
export function isCanonicalInt(s: string): boolean {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(s)) return false;
  const v = BigInt(s);
  return v >= -9223372036854775808n && v <= 9223372036854775807n;
}

/** moduleTypeNameByID: the 9-character name packed in the top 54 bits of a module id. */
export function moduleName(id: bigint): string {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let name = '';
  for (let i = 0; i < 9; i++) name += charset[Number((id >> BigInt(10 + (8 - i) * 6)) & 63n)];
  return name;
}
