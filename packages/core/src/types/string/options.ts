/**
 * SET's and GETEX's options (t_string.c parseExtendedStringArgumentsOrReply and
 * getExpireMillisecondsOrReply), with Redis's rules for which options may be combined: a repeated
 * option is allowed (the last expire wins), a conflicting one is a syntax error.
 */
import { INT64_MAX, parseInteger } from '../../commands/args.ts';
import { INVALID_EXPIRE, SYNTAX } from '../../reply/errors.ts';
import { cstr } from './string.ts';

export const NX = 1 << 0;
export const XX = 1 << 1;
export const GET = 1 << 2;
export const KEEPTTL = 1 << 3;
export const PERSIST = 1 << 4;
export const EX = 1 << 5;
export const PX = 1 << 6;
export const EXAT = 1 << 7;
export const PXAT = 1 << 8;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

export interface StringOptions {
  flags: number;
  /** The argument after EX/PX/EXAT/PXAT, if any. */
  expire: string | undefined;
}

/**
 * Parses options from argv[3] (SET) or argv[2] (GETEX). `forSet` selects which words are options:
 * SET takes NX XX GET KEEPTTL, GETEX takes PERSIST; both take the four expire forms.
 */
export function parseStringOptions(argv: readonly string[], forSet: boolean): StringOptions {
  let flags = 0;
  let expire: string | undefined;
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = cstr(argv[j]!);
    const hasNext = j + 1 < argv.length;
    let unit = 0;
    if (opt === 'nx' && forSet && !(flags & XX)) flags |= NX;
    else if (opt === 'xx' && forSet && !(flags & NX)) flags |= XX;
    else if (opt === 'get' && forSet) flags |= GET;
    else if (opt === 'keepttl' && forSet && !(flags & (PERSIST | ANY_EXPIRE))) flags |= KEEPTTL;
    else if (opt === 'persist' && !forSet && !(flags & (KEEPTTL | ANY_EXPIRE))) flags |= PERSIST;
    else if (opt === 'ex') unit = EX;
    else if (opt === 'px') unit = PX;
    else if (opt === 'exat') unit = EXAT;
    else if (opt === 'pxat') unit = PXAT;
    else throw SYNTAX;
    if (unit !== 0) {
      // Any other expire form, KEEPTTL or PERSIST already given conflicts; the same form may repeat.
      if (!hasNext || flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~unit))) throw SYNTAX;
      flags |= unit;
      expire = argv[++j]!;
    }
  }
  return { flags, expire };
}

/** LLONG_MAX / 1000: larger second counts overflow when turned into milliseconds. */
const MAX_SECONDS = 9223372036854775;

/**
 * The absolute unix-ms expire time that `arg` gives under `flags` (EX/PX are relative to `now`),
 * or throws "invalid expire time in '<cmd>' command" as Redis does for zero, negative and
 * overflowing values. A bigint when past 2^53, so the propagated PXAT stays exact.
 */
export function expireAt(arg: string, flags: number, now: number, cmd: string): number | bigint {
  const n = parseInteger(arg);
  const seconds = (flags & (EX | EXAT)) !== 0;
  if (n <= 0 || (seconds && n > MAX_SECONDS)) throw INVALID_EXPIRE(cmd);
  const relative = (flags & (EX | PX)) !== 0;
  const ms = (seconds ? n * 1000 : n) + (relative ? now : 0);
  if (Number.isSafeInteger(ms)) return ms;
  const exact = BigInt(arg) * (seconds ? 1000n : 1n) + (relative ? BigInt(now) : 0n);
  if (exact > INT64_MAX) throw INVALID_EXPIRE(cmd);
  return exact;
}
