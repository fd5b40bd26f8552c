/**
 * Writing RDB primitives into 64 KiB chunks handed to a sink, with the running CRC64: lengths
 * (§1.4), strings as rdbSaveRawString picks their form (§1.5), binary doubles and millisecond
 * times. The sink owns each chunk it receives (the writer never touches it again), so it may keep
 * it, queue it for an async write, or write it at once.
 */
import { formatDouble17g } from '../reply/reply.ts';
import { Crc64 } from './crc64.ts';
import { lzfCompress } from './lzf.ts';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.ts';

export type Sink = (chunk: Uint8Array) => void;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Scratch space for LZF: a string's bytes, and its compressed form. */
let plain = new Uint8Array(1024);
let packed = new Uint8Array(1024);
/** The buffer between a flush and the next bytes. */
const EMPTY = new Uint8Array(0);

export class RdbOutput {
  private buf: Uint8Array;
  private pos = 0;
  /** Bytes handed to the sink so far. */
  flushed = 0;
  readonly crc = new Crc64();

  constructor(
    private readonly sink: Sink,
    /** rdbcompression: LZF for strings over 20 bytes when it saves space. */
    readonly compression = true,
    /** rdbchecksum: maintain the CRC64 (else the trailer is zero). */
    readonly checksum = true,
    private readonly chunkSize = 65536,
    /**
     * A buffer to write into and keep after each flush, for a sink that copies what it is handed
     * (DUMP, one payload per key on import, reuses one instead of allocating a chunk each).
     */
    private readonly scratch?: Uint8Array,
  ) {
    this.buf = scratch ?? EMPTY;
  }

  /** Total bytes written, flushed or not. */
  get size(): number {
    return this.flushed + this.pos;
  }

  /** Hands the buffered bytes to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    if (this.checksum) this.crc.update(chunk);
    this.flushed += this.pos;
    // Without a scratch buffer the next chunk is allocated when bytes come, not now.
    this.buf = this.scratch ?? EMPTY;
    this.pos = 0;
    this.sink(chunk);
  }

  /** Makes room for `n` contiguous bytes, flushing first when they do not fit. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.chunkSize));
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }

  bytes(b: Uint8Array): void {
    if (b.length > this.chunkSize) {
      this.flush();
      if (this.checksum) this.crc.update(b);
      this.flushed += b.length;
      this.sink(b.slice());
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A byte string's bytes, no length prefix. */
  latin1(s: string): void {
    const n = s.length;
    for (let i = 0; i < n; ) {
      this.room(Math.min(n - i, this.chunkSize));
      const b = this.buf;
      const stop = Math.min(n, i + b.length - this.pos);
      let p = this.pos;
      for (; i < stop; i++) b[p++] = s.charCodeAt(i);
      this.pos = p;
    }
  }

  /** A length in the shortest form. */
  len(n: number): void {
    this.room(9);
    const b = this.buf;
    let p = this.pos;
    if (n < 64) {
      b[p++] = n;
    } else if (n < 16384) {
      b[p++] = 0x40 | (n >>> 8);
      b[p++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[p++] = RDB_32BITLEN;
      b[p++] = n >>> 24;
      b[p++] = (n >>> 16) & 0xff;
      b[p++] = (n >>> 8) & 0xff;
      b[p++] = n & 0xff;
    } else {
      b[p++] = RDB_64BITLEN;
      const hi = Math.floor(n / 0x100000000);
      const lo = n >>> 0;
      for (let i = 3; i >= 0; i--) b[p++] = (hi >>> (8 * i)) & 0xff;
      for (let i = 3; i >= 0; i--) b[p++] = (lo >>> (8 * i)) & 0xff;
    }
    this.pos = p;
  }

  /**
   * A string as rdbSaveRawString writes it: INT8/16/32 when it is canonical integer text that
   * fits 32 bits, else LZF when compression is on, it is over 20 bytes and that saves at least
   * 4 bytes, else length + bytes.
   */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const v = int32Of(s);
      if (v !== undefined) return this.int(v);
    }
    if (this.compression && n > 20) {
      if (plain.length < n) plain = new Uint8Array(n * 2);
      for (let i = 0; i < n; i++) plain[i] = s.charCodeAt(i);
      if (this.lzf(plain, n)) return;
      // Incompressible: its bytes are already in `plain`, a copy instead of another char loop.
      this.len(n);
      this.bytes(plain.subarray(0, n));
      return;
    }
    this.len(n);
    this.latin1(s);
  }

  /** A blob (listpack, intset...) as a string: LZF when it pays, else length + bytes. */
  blob(b: Uint8Array): void {
    if (this.compression && b.length > 20 && this.lzf(b, b.length)) return;
    this.len(b.length);
    this.bytes(b);
  }

  private lzf(src: Uint8Array, n: number): boolean {
    if (packed.length < n) packed = new Uint8Array(n * 2);
    const clen = lzfCompress(src, 0, n, packed, 0, n - 4);
    if (clen === 0) return false;
    this.u8(0xc0 | RDB_ENC_LZF);
    this.len(clen);
    this.len(n);
    this.bytes(packed.subarray(0, clen));
    return true;
  }

  private int(v: number): void {
    this.room(5);
    const b = this.buf;
    let p = this.pos;
    if (v >= -128 && v <= 127) {
      b[p++] = 0xc0 | RDB_ENC_INT8;
      b[p++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      b[p++] = 0xc0 | RDB_ENC_INT16;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
    } else {
      b[p++] = 0xc0 | RDB_ENC_INT32;
      b[p++] = v & 0xff;
      b[p++] = (v >> 8) & 0xff;
      b[p++] = (v >> 16) & 0xff;
      b[p++] = (v >>> 24) & 0xff;
    }
    this.pos = p;
  }

  /** An 8-byte little-endian IEEE double. */
  binaryDouble(d: number): void {
    this.room(8);
    f64[0] = d;
    const b = this.buf;
    const p = this.pos;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) b[p + i] = f64Bytes[i]!;
    else for (let i = 0; i < 8; i++) b[p + i] = f64Bytes[7 - i]!;
    this.pos += 8;
  }

  /**
   * The old text double of RDB_TYPE_ZSET (rdbSaveDoubleValue up to 7.0): length codes 253 NaN,
   * 254 +inf, 255 -inf, else a length byte and integer or `%.17g` text. Only hand-built legacy
   * files use it; Redis has written ZSET_2 binary doubles since 4.0.
   */
  textDouble(d: number): void {
    if (Number.isNaN(d)) return this.u8(253);
    if (d === Infinity) return this.u8(254);
    if (d === -Infinity) return this.u8(255);
    const text = Number.isInteger(d) && d > -4503599627370495 && d < 4503599627370496 ? String(d) : formatDouble17g(d);
    this.u8(text.length);
    this.latin1(text);
  }

  /**
   * 8-byte little-endian signed milliseconds. Times are doubles, so a PXAT of INT64_MAX (which
   * Redis keeps, and saves) is held as 2^63: it is written as INT64_MAX, not wrapped to INT64_MIN,
   * which would load as long expired and drop the key.
   */
  millis(ms: number): void {
    this.room(8);
    const b = this.buf;
    const p = this.pos;
    if (ms >= 2 ** 63) {
      b.fill(0xff, p, p + 7);
      b[p + 7] = 0x7f;
      this.pos += 8;
      return;
    }
    const lo = ms >>> 0;
    const hi = Math.floor(ms / 0x100000000);
    for (let i = 0; i < 4; i++) b[p + i] = (lo >>> (8 * i)) & 0xff;
    for (let i = 0; i < 4; i++) b[p + 4 + i] = (hi >> (8 * i)) & 0xff;
    this.pos += 8;
  }
}

/** The value of `s` if it is canonical int64 text (string2ll) within int32, else undefined. */
function int32Of(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return undefined;
    c = s.charCodeAt(++i);
  }
  if (c === 48 /* 0 */) return n === 1 ? 0 : undefined;
  if (c < 49 || c > 57) return undefined;
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + c - 48;
  }
  if (s.charCodeAt(0) === 45) v = -v;
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}
