/**
 * CRC-64/REDIS (Redis's crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and
 * output, init 0, xorout 0. crc64("123456789") = 0xe9c6d914c4b8d9ca. It covers an RDB file from
 * the magic through the EOF opcode, and a DUMP payload up to its CRC (reference §1.10, §1.14).
 *
 * JS has no fast 64-bit integers, so the register is two uint32 halves and the update is
 * slicing-by-8 over eight 256-entry tables: one table lookup per byte, eight bytes per step. Long
 * runs go through the same tables in WebAssembly (crc64-wasm.ts), about three times as fast.
 */
import { createWasmCrc64, type CrcHalves, type CrcUpdate } from './crc64-wasm.ts';

/** The reflected polynomial. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/**
 * TABLE[2 * (k * 256 + b)] and the next slot: low and high halves of the CRC of byte b followed
 * by k zero bytes. Interleaved so that both halves of an entry share a cache line.
 */
const TABLE = new Int32Array(2 * 8 * 256);

for (let b = 0; b < 256; b++) {
  let lo = b;
  let hi = 0;
  for (let i = 0; i < 8; i++) {
    const odd = lo & 1;
    lo = (lo >>> 1) | (hi << 31);
    hi = hi >>> 1;
    if (odd) {
      lo ^= POLY_LO;
      hi ^= POLY_HI;
    }
  }
  TABLE[2 * b] = lo;
  TABLE[2 * b + 1] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let b = 0; b < 256; b++) {
    const prev = 2 * ((k - 1) * 256 + b);
    const plo = TABLE[prev]!;
    const phi = TABLE[prev + 1]!;
    const i = 2 * (plo & 0xff);
    TABLE[2 * (k * 256 + b)] = TABLE[i]! ^ ((plo >>> 8) | (phi << 24));
    TABLE[2 * (k * 256 + b) + 1] = TABLE[i + 1]! ^ (phi >>> 8);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Runs at least this long go through the WebAssembly loop (crc64-wasm.ts), when it loads. */
const WASM_MIN = 4096;

/** Made on first use; null where WebAssembly is not available. */
let wasm: CrcUpdate | null | undefined;

/** True when long runs take the WebAssembly loop here. */
export function crc64UsesWasm(): boolean {
  wasm ??= createWasmCrc64(TABLE) ?? null;
  return wasm !== null;
}

/** A running CRC64, updated chunk by chunk as a file streams through. */
export class Crc64 implements CrcHalves {
  lo = 0;
  hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    if (end - start >= WASM_MIN && crc64UsesWasm()) wasm!(this, buf, start, end);
    else crc64Js(this, buf, start, end);
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** Writes the CRC as Redis stores it: 8 bytes little-endian. */
  write(out: Uint8Array, at: number): void {
    writeU32LE(out, at, this.lo);
    writeU32LE(out, at + 4, this.hi);
  }

  /** True when the 8 little-endian bytes at `at` hold this CRC. */
  matches(buf: Uint8Array, at: number): boolean {
    return readU32LE(buf, at) === this.lo >>> 0 && readU32LE(buf, at + 4) === this.hi >>> 0;
  }
}

/** The CRC64 of `buf[start, end)`. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value;
}

/** The 8 little-endian bytes at `at` as an unsigned 64-bit value. */
export function readU64LE(buf: Uint8Array, at: number): bigint {
  return (BigInt(readU32LE(buf, at + 4)) << 32n) | BigInt(readU32LE(buf, at));
}

function readU32LE(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
}

function writeU32LE(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/** The JS slicing-by-8 loop: folds `buf[start, end)` into `s`. */
export function crc64Js(s: CrcHalves, buf: Uint8Array, start: number, end: number): void {
  let lo = s.lo;
  let hi = s.hi;
  let p = start;
  const T = TABLE;
  // Bytes up to a 4-byte boundary one at a time, then eight at a time through an aligned view.
  for (; p < end && ((buf.byteOffset + p) & 3) !== 0; p++) {
    const i = 2 * ((lo ^ buf[p]!) & 0xff);
    lo = T[i]! ^ ((lo >>> 8) | (hi << 24));
    hi = T[i + 1]! ^ (hi >>> 8);
  }
  if (end - p >= 8 && LITTLE_ENDIAN) {
    const words = new Int32Array(buf.buffer, buf.byteOffset + p, (end - p) >>> 2);
    const n = words.length & ~1;
    for (let w = 0; w < n; w += 2) {
      const xl = lo ^ words[w]!;
      const xh = hi ^ words[w + 1]!;
      const a = 3584 + ((xl & 0xff) << 1);
      const b = 3072 + (((xl >>> 8) & 0xff) << 1);
      const c = 2560 + (((xl >>> 16) & 0xff) << 1);
      const d = 2048 + ((xl >>> 24) << 1);
      const e = 1536 + ((xh & 0xff) << 1);
      const f = 1024 + (((xh >>> 8) & 0xff) << 1);
      const g = 512 + (((xh >>> 16) & 0xff) << 1);
      const h = (xh >>> 24) << 1;
      lo = T[a]! ^ T[b]! ^ T[c]! ^ T[d]! ^ T[e]! ^ T[f]! ^ T[g]! ^ T[h]!;
      hi = T[a + 1]! ^ T[b + 1]! ^ T[c + 1]! ^ T[d + 1]! ^ T[e + 1]! ^ T[f + 1]! ^ T[g + 1]! ^ T[h + 1]!;
    }
    p += n * 4;
  }
  for (; p < end; p++) {
    const i = 2 * ((lo ^ buf[p]!) & 0xff);
    lo = T[i]! ^ ((lo >>> 8) | (hi << 24));
    hi = T[i + 1]! ^ (hi >>> 8);
  }
  s.lo = lo;
  s.hi = hi;
}
