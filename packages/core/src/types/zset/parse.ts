/**
 * Range arguments of the sorted set commands, with Redis 7.0's acceptance rules: score ranges
 * (zslParseRange reads them with plain C `strtod`, so leading spaces, hex, "" (as 0) and overflow
 * to inf are accepted, trailing bytes are not) and lex ranges (zslParseLexRangeItem); and scores,
 * increments and weights (string2d).
 */
import { MIN_MAX_FLOAT, MIN_MAX_LEX, NOT_FLOAT, type ReplyError } from '../../reply/errors.ts';

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/**
 * C's strtod over `s` from `from`: the value, the index where parsing stopped (`from` when
 * nothing was converted), and whether it would set ERANGE by overflowing to inf or underflowing
 * to zero (glibc also flags denormal results, which no caller here refuses).
 */
export function strtod(s: string, from = 0): { value: number; end: number; erange: boolean } {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  const sign = neg ? -1 : 1;
  const c0 = s.charCodeAt(i) | 0x20;
  if (c0 === 0x69 /* i */ || c0 === 0x6e /* n */) {
    const word = s.slice(i, i + 8).toLowerCase();
    if (word.startsWith('inf')) return { value: sign * Infinity, end: i + (word === 'infinity' ? 8 : 3), erange: false };
    if (word.startsWith('nan')) {
      const tail = /^\([0-9A-Za-z_]*\)/.exec(s.slice(i + 3));
      return { value: NaN, end: i + 3 + (tail ? tail[0].length : 0), erange: false };
    }
  }
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    const hex = parseHex(s, i + 2);
    if (hex) return { value: sign * hex.value, end: hex.end, erange: hex.erange };
  }
  const start = i;
  let digits = 0;
  let nonzero = false;
  for (; isDigit(s.charCodeAt(i)); i++) {
    digits++;
    if (s[i] !== '0') nonzero = true;
  }
  if (s[i] === '.') {
    for (i++; isDigit(s.charCodeAt(i)); i++) {
      digits++;
      if (s[i] !== '0') nonzero = true;
    }
  }
  if (digits === 0) return { value: 0, end: from, erange: false };
  if (s[i] === 'e' || s[i] === 'E') {
    let j = i + 1;
    if (s[j] === '+' || s[j] === '-') j++;
    if (isDigit(s.charCodeAt(j))) {
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
  }
  // JS reads the same decimal syntax with the same round-to-nearest; overflow gives ±Infinity as strtod.
  const value = Number(s.slice(start, i));
  return { value: sign * value, end: i, erange: value === Infinity || (value === 0 && nonzero) };
}

/** strtod's hexadecimal form (`0x1.8p3`), after the "0x"; undefined when no hex digit follows. */
function parseHex(s: string, i: number): { value: number; end: number; erange: boolean } | undefined {
  let mant = 0n;
  let digits = 0;
  let shift = 0;
  for (; hexVal(s.charCodeAt(i)) >= 0; i++, digits++) mant = mant * 16n + BigInt(hexVal(s.charCodeAt(i)));
  if (s[i] === '.') {
    for (i++; hexVal(s.charCodeAt(i)) >= 0; i++, digits++, shift -= 4) {
      mant = mant * 16n + BigInt(hexVal(s.charCodeAt(i)));
    }
  }
  // "0x" with no hex digit: strtod reads the "0" and stops at the "x".
  if (digits === 0) return undefined;
  if (s[i] === 'p' || s[i] === 'P') {
    let j = i + 1;
    if (s[j] === '+' || s[j] === '-') j++;
    if (isDigit(s.charCodeAt(j))) {
      while (isDigit(s.charCodeAt(j))) j++;
      shift += Number(s.slice(i + 1, j));
      i = j;
    }
  }
  const value = Number(mant) * 2 ** shift;
  return { value, end: i, erange: value === Infinity || (value === 0 && mant !== 0n) };
}

/**
 * A score, increment or weight as Redis's string2d reads it (getDoubleFromObjectOrReply): the
 * whole argument, no leading space, hex accepted, NaN and out-of-range values refused.
 * NOTE: commands/args.ts parseDouble refuses hex and takes 1e400 as inf; this is Redis's rule.
 */
export function parseScore(arg: string, error: ReplyError = NOT_FLOAT): number {
  if (arg.length === 0 || isSpace(arg.charCodeAt(0))) throw error;
  const { value, end, erange } = strtod(arg);
  if (end !== arg.length || erange || Number.isNaN(value)) throw error;
  return value;
}

/** Parsing stopped at the end, or at a NUL byte (C sees the end of the string there). */
const atEnd = (s: string, i: number): boolean => i === s.length || s.charCodeAt(i) === 0;

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

function scoreBound(arg: string): [number, boolean] {
  const ex = arg[0] === '(';
  const { value, end } = strtod(arg, ex ? 1 : 0);
  if (!atEnd(arg, end) || Number.isNaN(value)) throw MIN_MAX_FLOAT;
  return [value, ex];
}

/** `min max` of ZRANGEBYSCORE and friends; throws 'min or max is not a float'. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const [lo, minex] = scoreBound(min);
  const [hi, maxex] = scoreBound(max);
  return { min: lo, max: hi, minex, maxex };
}

/** A lex bound: '-' and '+' are the infinities, otherwise the member and whether it is excluded. */
export interface LexBound {
  inf: -1 | 0 | 1;
  value: string;
  ex: boolean;
}

function lexBound(arg: string): LexBound {
  const c = arg[0];
  if ((c === '+' || c === '-') && atEnd(arg, 1)) return { inf: c === '+' ? 1 : -1, value: '', ex: true };
  if (c === '(' || c === '[') return { inf: 0, value: arg.slice(1), ex: c === '(' };
  throw MIN_MAX_LEX;
}

/** `min max` of ZRANGEBYLEX and friends; throws 'min or max not valid string range item'. */
export function parseLexRange(min: string, max: string): [LexBound, LexBound] {
  return [lexBound(min), lexBound(max)];
}
