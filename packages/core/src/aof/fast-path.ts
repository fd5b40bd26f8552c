/**
 * The AOF reader's common case, apart from its state machine (loader.ts): counts and lengths that
 * are plain digits, and a whole well-formed command read in one pass. What these refuse (-1,
 * undefined) goes through the state machine's C-rule parsing (clib.ts), which reads what they
 * accept the same way, so they change the speed of a load, never its verdict.
 */
import { bytesToBinary } from '../bytes.ts';

/** Where the last `digits` call stopped (after `crlfNumber`: past its "\r\n"). */
let digitsEnd = 0;

/** 1 to 9 decimal digits at `from`, before `to`: their value, or -1 (none, or a tenth). */
function digits(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  let i = from;
  for (; i < to && i - from < 10; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  digitsEnd = i;
  return i === from || i - from > 9 ? -1 : v;
}

/** A count or length line (ending at `to`): `digits` then '\r' or '\n', else -1. */
export function plainNumber(buf: Uint8Array, from: number, to: number): number {
  const v = digits(buf, from, to);
  const c = buf[digitsEnd];
  return v >= 0 && digitsEnd < to && (c === 0x0d || c === 0x0a) ? v : -1;
}

/** `digits` then "\r\n", all before `end`: the value, with `digitsEnd` past the "\r\n"; else -1. */
function crlfNumber(buf: Uint8Array, from: number, end: number): number {
  const v = digits(buf, from, end);
  const i = digitsEnd;
  if (v < 0 || i + 1 >= end || buf[i] !== 0x0d || buf[i + 1] !== 0x0a) return -1;
  digitsEnd = i + 2;
  return v;
}

/** Where the last command `wholeCommand` returned ends. */
export let commandEnd = 0;

/**
 * `*<n>\r\n` then n times `$<len>\r\n<data>` and two more bytes (unchecked, as Redis skips them),
 * all of it in `buf[start..end)`: the command's argv, with `commandEnd` after it; else undefined.
 */
export function wholeCommand(buf: Uint8Array, start: number, end: number): string[] | undefined {
  const n = crlfNumber(buf, start + 1, end);
  if (n < 1) return undefined;
  let p = digitsEnd;
  const argv: string[] = [];
  for (let k = 0; k < n; k++) {
    if (p >= end || buf[p] !== 0x24) return undefined;
    const len = crlfNumber(buf, p + 1, end);
    if (len < 0) return undefined;
    p = digitsEnd;
    if (end - p < len + 2) return undefined;
    argv.push(bytesToBinary(buf, p, p + len));
    p += len + 2;
  }
  commandEnd = p;
  return argv;
}
