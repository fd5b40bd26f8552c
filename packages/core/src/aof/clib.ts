/**
 * The few C library behaviours the AOF readers must copy to give Redis's verdicts on damaged
 * files: fgets's line window, strtol/atoi's lax number parsing (leading blanks, a sign, digits,
 * junk after), and C strings ending at the first NUL. Redis reads AOFs and manifests through these,
 * so a line "*3junk" is a 3-argument command and a 2000-byte line is read in 1023-byte pieces.
 */

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** isspace() in the C locale. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Where the line fgets(buf, size) would read from `buf[from..end)` stops (exclusive): after the
 * first '\n', or after size-1 bytes. When the bytes run out first it is `end` if `eof` (fgets
 * returns the partial line), NEED_MORE otherwise; at eof with nothing left it is NO_LINE.
 */
export function fgetsEnd(buf: Uint8Array, from: number, end: number, size: number, eof: boolean): number {
  const limit = from + size - 1;
  const stop = limit < end ? limit : end;
  for (let i = from; i < stop; i++) if (buf[i] === 0x0a) return i + 1;
  if (stop === limit) return limit;
  if (!eof) return NEED_MORE;
  return end > from ? end : NO_LINE;
}
export const NEED_MORE = -1;
export const NO_LINE = -2;

/** End of the C string starting at `from` within `buf[from..to)`: the first NUL, or `to`. */
export function cstrEnd(buf: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === 0) return i;
  return to;
}

/** Where the last strtol call stopped (its endptr), as an index into the buffer it read. */
export let strtolEnd = 0;
/** True when the last strtol call overflowed (errno ERANGE). */
export let strtolRange = false;

/**
 * strtol(s, &end, 10) over the C string at `buf[from..to)` (which stops earlier at a NUL): leading
 * blanks, an optional sign, then digits; no digits gives 0 with `strtolEnd = from`. Out-of-range
 * values clamp to LONG_MIN/LONG_MAX (as doubles) and set `strtolRange`. Exact below 2^53.
 */
export function strtol(buf: Uint8Array, from: number, to: number): number {
  const big = strtolBig(buf, from, to);
  return typeof big === 'number' ? big : Number(big);
}

/** atoi(): strtol's value cut to a C int the way glibc does, by keeping the low 32 bits. */
export function atoi(buf: Uint8Array, from: number, to: number): number {
  const v = strtolBig(buf, from, to);
  return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, v));
}

/**
 * strtol (or strtoll, atoll: the same on LP64) exactly, for values C holds as long long: a number
 * while that is exact, a bigint past 2^53. Sets `strtolEnd` and `strtolRange` as strtol does.
 */
export function strtolExact(buf: Uint8Array, from: number, to: number): number | bigint {
  const v = strtolBig(buf, from, to);
  return typeof v === 'number' || v > MAX_SAFE || v < -MAX_SAFE ? v : Number(v);
}

/** strtol's value: a number when it has at most 15 digits (exact), a bigint otherwise. */
function strtolBig(buf: Uint8Array, from: number, to: number): number | bigint {
  const stop = cstrEnd(buf, from, to);
  strtolRange = false;
  let i = from;
  while (i < stop && isSpace(buf[i]!)) i++;
  let negative = false;
  if (i < stop && (buf[i] === 0x2b || buf[i] === 0x2d)) negative = buf[i++] === 0x2d;
  const digits = i;
  while (i < stop && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  if (i === digits) {
    strtolEnd = from;
    return 0;
  }
  strtolEnd = i;
  if (i - digits <= 15) {
    let v = 0;
    for (let j = digits; j < i; j++) v = v * 10 + (buf[j]! - 0x30);
    return negative ? -v : v;
  }
  let s = '';
  for (let j = digits; j < i; j++) s += String.fromCharCode(buf[j]!);
  let v = BigInt(s);
  if (negative) v = -v;
  if (v > LONG_MAX || v < LONG_MIN) {
    strtolRange = true;
    v = v > 0n ? LONG_MAX : LONG_MIN;
  }
  return v;
}

/** Byte string → bytes view for the C helpers (char codes are bytes). */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
