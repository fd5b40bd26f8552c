/**
 * Keys and values inside the engine are *byte strings*: JS strings whose code units are all
 * 0..255, one per byte. They are binary-safe like Redis's sds, key a `Map` at native string
 * speed, and cost a fraction of a `Uint8Array` per value (V8 stores them one byte per char).
 * Conversions happen only at the edges: the RESP codec, the typed client, the RDB codec.
 */

// TextEncoder/TextDecoder exist on every platform Larder targets but are not in lib ES2023,
// which core compiles against to stay platform-free; declare just what we use.
declare const TextEncoder: new () => { encode(s: string): Uint8Array };
declare const TextDecoder: new () => { decode(b: Uint8Array): string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A native regex scan is ~3× faster than a charCodeAt loop on 100-byte values (measured).
const NON_ASCII = /[^\x00-\x7f]/;

/** True when every code unit of `s` is ASCII, so text and byte string coincide. */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** A platform's native bytes → byte-string conversion (each byte one char code 0–255). */
export type Latin1Decoder = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * The host's native latin1 decoder, when it gave one (setLatin1Decoder). Core has no platform
 * APIs, so it cannot reach one itself; the Node host's converts a 100-byte value 4–5× faster than
 * any pure-JS route (measured), and loading an RDB spends about a third of its time building these
 * strings. (TextDecoder('latin1') is no substitute: it is windows-1252.)
 */
export let nativeLatin1: Latin1Decoder | undefined;

/** Installs (or, with undefined, removes) the platform's native latin1 decoder. */
export function setLatin1Decoder(fn: Latin1Decoder | undefined): void {
  nativeLatin1 = fn;
}

/** Below this length the JS routes beat a call into native code (measured on V8). */
export const NATIVE_LATIN1_MIN = 16;

/** ARGS[n]: a packed array of n small integers, refilled for each String.fromCharCode.apply. */
const ARGS: number[][] = [];
/** Up to this length, apply over a reused plain array is the fastest JS conversion (measured). */
const APPLY_MAX = 256;
/** From this length, a pure-ASCII run goes through the UTF-8 decoder, faster there. */
const DECODER_MIN = 128;

/**
 * Bytes → byte string: the one conversion every decoder uses (RESP requests and replies, the AOF
 * and RDB loaders), so each length takes the fastest route measured on V8 for 10-byte keys and
 * 100-byte values. The host's native decoder from NATIVE_LATIN1_MIN bytes; below that, or without
 * one, String.fromCharCode.apply over a reused packed array (apply over a typed array takes V8's
 * slow generic path, about half the speed); longer pure-ASCII runs through the UTF-8 decoder,
 * identical to latin1 below 0x80; past APPLY_MAX, applyBinary.
 */
export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (nativeLatin1 !== undefined && n >= NATIVE_LATIN1_MIN) return nativeLatin1(bytes, start, end);
  if (n >= DECODER_MIN) {
    let high = 0;
    for (let i = start; i < end; i++) high |= bytes[i]!;
    if (high < 0x80) return decoder.decode(bytes.subarray(start, end));
    if (n > APPLY_MAX) return applyBinary(bytes, start, end);
  }
  const args = ARGS[n] ?? newArgs(n);
  for (let i = 0; i < n; i++) args[i] = bytes[start + i]!;
  return String.fromCharCode.apply(null, args);
}

/**
 * Bytes → byte string in a few lines: String.fromCharCode over 8 KiB subarrays (the argument-count
 * limit). The typed client's route for the bytes a caller passes, keeping the page client small;
 * the decoders take bytesToBinary.
 */
export function applyBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

function newArgs(n: number): number[] {
  const a = new Array<number>(n).fill(0);
  ARGS[n] = a;
  return a;
}

/** Byte string → bytes: a new array, or a view of `into` when it is long enough (reuse it with care). */
export function binaryToBytes(s: string, into?: Uint8Array): Uint8Array {
  const out = into !== undefined && into.length >= s.length ? into.subarray(0, s.length) : new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** What an import takes: a dump.rdb or a JSON export as bytes or a Blob, or JSON text. */
export type ImportData = Uint8Array | ArrayBuffer | string | { arrayBuffer(): Promise<ArrayBuffer> };

/** `data` as the bytes importDataset reads (text as UTF-8); a copy, so the caller may reuse its buffer. */
export async function importBytes(data: ImportData): Promise<Uint8Array> {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data.slice();
  // An ArrayBuffer's view would share its bytes; a Blob's arrayBuffer() is already a fresh one.
  return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : await data.arrayBuffer());
}

/** User text (UTF-16) → byte string of its UTF-8 encoding. */
export function textToBinary(s: string): string {
  return isAscii(s) ? s : applyBinary(encoder.encode(s));
}

/** Byte string holding UTF-8 → user text. Invalid sequences become U+FFFD. */
export function binaryToText(s: string): string {
  return NON_ASCII.test(s) ? decoder.decode(binaryToBytes(s)) : s;
}

/** The parts as one new array (always a copy: callers may keep or change it). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A value the public API accepts as a Redis string: text (sent as UTF-8), bytes, or a number. */
export type Input = string | Uint8Array | number | bigint;

/** Any public input → byte string. Numbers are formatted as Redis would read them back. */
export function toBinary(v: Input): string {
  if (typeof v === 'string') return textToBinary(v);
  if (v instanceof Uint8Array) return applyBinary(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  return String(v);
}
