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
import type { ReplyError } from './reply-error.ts';

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
  const [digits, exp] = significant17(Math.abs(d));
  const sign = d < 0 ? '-' : '';
  // %g: exponent style when exp < -4 or exp >= precision (17), trailing zeros removed.
  if (exp < -4 || exp >= 17) {
    const m = stripZeros(`${digits[0]}.${digits.slice(1)}`);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${Math.abs(exp) < 10 ? '0' : ''}${Math.abs(exp)}`;
  }
  const fixed = exp >= 0
    ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
    : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + stripZeros(fixed);
}

/**
 * The 17 significant digits of `a` (> 0) and its decimal exponent, rounded as glibc's printf
 * rounds: to nearest, ties to even. JS's toExponential rounds ties away from zero, which differs
 * when the exact binary value ends in a 5 right after the 17th digit (e.g. 678063664041127.125);
 * only then is the exact expansion (toExponential(99) is exact in V8) consulted.
 */
function significant17(a: number): [string, number] {
  const probe = a.toExponential(17);
  const e18 = probe.indexOf('e');
  if (probe[e18 - 1] !== '5') {
    const [m, x] = a.toExponential(16).split('e') as [string, string];
    return [m.replace('.', ''), Number(x)];
  }
  const [m, x] = a.toExponential(99).split('e') as [string, string];
  const all = m.replace('.', '');
  let exp = Number(x);
  let head = all.slice(0, 17);
  const next = all[17]!;
  const tie = next === '5' && !/[1-9]/.test(all.slice(18));
  const up = next > '5' || (next === '5' && (!tie || Number(head[16]) % 2 === 1));
  if (up) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > 17) {
      head = head.slice(0, 17);
      exp++;
    }
  }
  return [head, exp];
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
