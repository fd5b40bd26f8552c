/**
 * Replies are values, not bytes: a handler returns one of these and the edges encode it (RESP2 or
 * RESP3 on the wire, JS values in the typed client). The mapping to RESP follows Redis's
 * `addReply*` family:
 *
 * | JS value            | RESP2                    | RESP3            |
 * |---------------------|--------------------------|------------------|
 * | `string`            | bulk `$`                 | bulk `$`         |
 * | `number`/`bigint`   | integer `:`              | integer `:`      |
 * | `null`              | nil bulk `$-1`           | null `_`         |
 * | `Reply[]`           | array `*`                | array `*`        |
 * | `Status`            | simple `+`               | simple `+`       |
 * | `ReplyError`        | error `-`                | error `-`        |
 * | `Double`            | bulk, `%.17g` text       | double `,`       |
 * | `MapReply`          | flat array               | map `%`          |
 * | `SetReply`          | array                    | set `~`          |
 * | `NIL_ARRAY`         | `*-1`                    | null `_`         |
 * | `Push`              | array                    | push `>`         |
 * | `VerbatimString`    | bulk (the text)          | verbatim `=`     |
 */
import type { ReplyError } from './errors.ts';

export class Status {
  constructor(readonly value: string) {}
}
export class Double {
  constructor(readonly value: number) {}
}
export class MapReply {
  /** Flattened pairs: key, value, key, value, ... */
  constructor(readonly items: Reply[]) {}
}
export class SetReply {
  constructor(readonly items: Reply[]) {}
}
export class Push {
  constructor(readonly items: Reply[]) {}
}
/**
 * Several replies to one command, sent one after another (SUBSCRIBE a b answers twice). Only a
 * handler's top-level result may be one.
 */
export class Replies {
  constructor(readonly items: Reply[]) {}
}
/** Text Redis sends as a RESP3 verbatim string (INFO, CLIENT LIST, CLIENT INFO). */
export class VerbatimString {
  constructor(
    /** Three-letter format: `txt` or `mkd`. */
    readonly format: string,
    readonly text: string,
  ) {}
}
export class NilArray {
  private constructor() {}
  static readonly instance = new NilArray();
}

export type Reply =
  | string
  | number
  | bigint
  | null
  | Reply[]
  | Status
  | ReplyError
  | Double
  | MapReply
  | SetReply
  | Push
  | Replies
  | VerbatimString
  | NilArray;

export const OK = new Status('OK');
export const QUEUED = new Status('QUEUED');
export const PONG = new Status('PONG');
export const NIL_ARRAY = NilArray.instance;

/** `%.17g`, as Redis 7.0's addReplyDouble formats scores for RESP2 and as it writes them in AOFs. */
export function formatDouble17g(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // %g picks exponent style when exp < -4 or exp >= precision; toExponential gives the true exponent.
  const e = d.toExponential(16);
  const [mant, expStr] = e.split('e') as [string, string];
  const realExp = Number(expStr);
  if (realExp < -4 || realExp >= 17) {
    const m = stripZeros(mant);
    const sign = realExp < 0 ? '-' : '+';
    const abs = Math.abs(realExp);
    return `${m}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return stripZeros(d.toFixed(Math.max(0, 16 - realExp)));
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
