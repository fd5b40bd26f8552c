/**
 * Argument parsing with Redis's exact acceptance rules and errors (util.c string2ll / strtod as
 * used by getLongLongFromObjectOrReply and getDoubleFromObjectOrReply).
 */
import { NOT_FLOAT, NOT_INTEGER, SYNTAX, type ReplyError } from '../reply/errors.ts';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const INT_RE = /^(0|-?[1-9][0-9]{0,19})$/;

/** string2ll: no sign but '-', no leading zeros, no spaces, within int64. */
export function isInt64(s: string): boolean {
  if (!INT_RE.test(s)) return false;
  if (s.length < 18) return true;
  const b = BigInt(s);
  return b >= INT64_MIN && b <= INT64_MAX;
}

/**
 * An int64 argument as a JS number. Values past 2^53 lose precision but keep their order, which
 * is all index and count arguments need; arithmetic uses `parseBigInt`.
 */
export function parseInteger(s: string, error: ReplyError = NOT_INTEGER): number {
  if (s.length < 16 && INT_RE.test(s)) return Number(s);
  if (!isInt64(s)) throw error;
  return Number(s);
}

/** An int64 argument, exactly. */
export function parseBigInt(s: string, error: ReplyError = NOT_INTEGER): bigint {
  if (!isInt64(s)) throw error;
  return BigInt(s);
}

const FLOAT_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

/** A double as strtod reads it, refusing NaN, empty input and surrounding spaces. */
export function tryParseDouble(s: string): number | undefined {
  if (FLOAT_RE.test(s)) return Number(s);
  const m = INF_RE.exec(s);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

export function parseDouble(s: string, error: ReplyError = NOT_FLOAT): number {
  const d = tryParseDouble(s);
  if (d === undefined) throw error;
  return d;
}

/** Case-insensitive match of an option word. */
export function isOpt(arg: string, word: string): boolean {
  return arg.length === word.length && arg.toLowerCase() === word;
}

/** Throws `ERR syntax error` unless `cond`. */
export function expectSyntax(cond: boolean): void {
  if (!cond) throw SYNTAX;
}
