/**
 * The string type's pure helpers. A string value is a bare byte string (bytes.ts); what Redis keeps
 * in its robj besides the bytes, the encoding, lives in `Entry.enc` as one of the states below, so
 * OBJECT ENCODING can answer as Redis 7.0 would for the same history of commands.
 */
import type { Entry } from '../../keyspace/object.ts';
import { INT64_MAX, INT64_MIN, isInt64 } from '../../commands/args.ts';
import { STRING_TOO_LONG } from '../../reply/errors.ts';
import type { Client } from '../../engine/client.ts';

/** Stored as SET stores it (tryObjectEncoding): "int" if it reads as an int64, else by length. */
export const STR_AUTO = 0;
/** Changed in place (APPEND, SETRANGE, SETBIT) or built whole (BITOP): always "raw". */
export const STR_RAW = 1;
/** Made by createStringObject without re-encoding (INCRBYFLOAT): "embstr" or "raw", never "int". */
export const STR_NOT_INT = 2;

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_MAX = 44;

export function stringEncoding(e: Entry): string {
  const s = e.value as string;
  if (e.enc === STR_RAW) return 'raw';
  if (e.enc === STR_AUTO && s.length <= 20 && isInt64(s)) return 'int';
  return s.length <= EMBSTR_MAX ? 'embstr' : 'raw';
}

/**
 * The int64 a string value holds under string2ll's rules, or undefined. A number while it is a
 * safe integer, a bigint beyond (so INCR stays on doubles for all everyday counters).
 */
export function int64Value(s: string): number | bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 20) return undefined;
  if (n > 15) return isInt64(s) ? toInt(BigInt(s)) : undefined;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : undefined;
  if (first < 49 || first > 57) return undefined;
  for (let j = i + 1; j < n; j++) {
    const ch = s.charCodeAt(j);
    if (ch < 48 || ch > 57) return undefined;
  }
  return Number(s);
}

/** `b` as a number if that is exact, else as is. */
export function toInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** `a + b` within int64, or undefined on overflow (incrDecrCommand's check). */
export function addInt64(a: number | bigint, b: number | bigint): number | bigint | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  return r < INT64_MIN || r > INT64_MAX ? undefined : toInt(r);
}

/**
 * checkStringLength: throws unless a string of `size + append` bytes fits proto-max-bulk-len.
 * Sizes may be past 2^53 (offsets given by the client); the comparison stays right.
 */
export function checkStringLength(c: Client, size: number, append: number): void {
  if (size + append > c.engine.config.num('proto-max-bulk-len')) throw STRING_TOO_LONG;
}

/** `n` zero bytes. */
export function zeros(n: number): string {
  return n <= 0 ? '' : '\0'.repeat(n);
}

/**
 * An option argument as C's string functions see it: Redis compares options with strcasecmp and
 * `opt[2] == '\0'`, which stop at the first NUL byte, so `NX\0junk` is NX there too.
 */
export function cstr(arg: string): string {
  const i = arg.indexOf('\0');
  return (i < 0 ? arg : arg.slice(0, i)).toLowerCase();
}
