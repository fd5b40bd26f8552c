/**
 * One comparable shape for a reply from either side of a differential test: a RESP frame as the
 * wire carries it. The oracle's decoder produces it directly; Larder's `Reply` values are mapped
 * with the same table the RESP encoder follows (reply/reply.ts), for the client's protocol.
 *
 * `nil` is RESP2 `$-1` and RESP3 `_`; `nilarray` is RESP2 `*-1` (RESP3 has only `_`). Integers are
 * kept as decimal text so int64 values compare exactly. Strings are byte strings (latin1).
 */
import {
  Double, MapReply, NilArray, Push, Replies, SetReply, Status, ReplyError, VerbatimString, formatDouble17g, type Reply,
} from './larder.ts';

export type Norm =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: string }
  | { t: 'bulk'; v: string }
  | { t: 'verbatim'; v: string }
  | { t: 'double'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'bignum'; v: string }
  | { t: 'nil' }
  | { t: 'nilarray' }
  | { t: 'array'; v: Norm[] }
  | { t: 'map'; v: Norm[] }
  | { t: 'set'; v: Norm[] }
  | { t: 'push'; v: Norm[] }
  /** Something no RESP encoder could send: a handler bug (undefined, a float integer, ...). */
  | { t: 'bad'; v: string };

export const bulk = (v: string): Norm => ({ t: 'bulk', v });
export const int = (v: number | bigint | string): Norm => ({ t: 'int', v: String(v) });

/** A Larder reply as a client speaking `resp` would receive it. `Replies` must be split first. */
export function fromLarder(r: Reply, resp: 2 | 3): Norm {
  if (typeof r === 'string') return { t: 'bulk', v: r };
  if (typeof r === 'number') {
    return Number.isInteger(r) ? { t: 'int', v: String(r) } : { t: 'bad', v: `non-integer number ${r}` };
  }
  if (typeof r === 'bigint') return { t: 'int', v: String(r) };
  if (r === null) return { t: 'nil' };
  if (Array.isArray(r)) return { t: 'array', v: r.map((x) => fromLarder(x, resp)) };
  if (r instanceof Status) return { t: 'simple', v: r.value };
  if (r instanceof ReplyError) return { t: 'error', v: r.message };
  if (r instanceof Double) {
    const text = formatDouble17g(r.value);
    return resp === 2 ? { t: 'bulk', v: text } : { t: 'double', v: text };
  }
  const items = (xs: Reply[]): Norm[] => xs.map((x) => fromLarder(x, resp));
  if (r instanceof MapReply) return resp === 2 ? { t: 'array', v: items(r.items) } : { t: 'map', v: items(r.items) };
  if (r instanceof SetReply) return resp === 2 ? { t: 'array', v: items(r.items) } : { t: 'set', v: items(r.items) };
  if (r instanceof Push) return resp === 2 ? { t: 'array', v: items(r.items) } : { t: 'push', v: items(r.items) };
  if (r instanceof NilArray) return resp === 2 ? { t: 'nilarray' } : { t: 'nil' };
  if (r instanceof VerbatimString) return resp === 2 ? { t: 'bulk', v: r.text } : { t: 'verbatim', v: r.text };
  if (r instanceof Replies) return { t: 'bad', v: 'nested Replies' };
  return { t: 'bad', v: `unknown reply value ${describe(r)}` };
}

/** Larder's top-level reply as the frames it sends: `Replies` is several frames in a row. */
export function larderFrames(r: Reply, resp: 2 | 3): Norm[] {
  if (r instanceof Replies) return r.items.map((x) => fromLarder(x, resp));
  return [fromLarder(r, resp)];
}

function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'object' && x !== null) return `object ${x.constructor?.name ?? '?'}`;
  return `${typeof x} ${String(x)}`;
}

export function normEqual(a: Norm, b: Norm): boolean {
  if (a.t !== b.t) return false;
  if ('v' in a && 'v' in b) {
    if (Array.isArray(a.v) && Array.isArray(b.v)) {
      if (a.v.length !== b.v.length) return false;
      for (let i = 0; i < a.v.length; i++) if (!normEqual(a.v[i]!, b.v[i]!)) return false;
      return true;
    }
    return a.v === b.v;
  }
  return true;
}

/** A canonical string for sorting and multiset comparison. */
export function normKey(n: Norm): string {
  return JSON.stringify(n);
}

/** True when `a` and `b` hold the same elements in any order. */
export function sameMultiset(a: readonly Norm[], b: readonly Norm[]): boolean {
  if (a.length !== b.length) return false;
  const ka = a.map(normKey).sort();
  const kb = b.map(normKey).sort();
  return ka.every((k, i) => k === kb[i]);
}

/** Items of an aggregate reply (array, set, map, push), else undefined. */
export function items(n: Norm): Norm[] | undefined {
  return n.t === 'array' || n.t === 'set' || n.t === 'map' || n.t === 'push' ? n.v : undefined;
}

/** Splits a flat list into pairs (HGETALL in RESP2, map items). */
export function pairs<T>(xs: readonly T[]): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i]!, xs[i + 1]!]);
  return out;
}

/** A byte string quoted like redis-cli does: printable ASCII as is, the rest as \xHH escapes. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** One line, redis-cli flavoured, long aggregates cut. */
export function formatNorm(n: Norm, max = 400): string {
  const s = fmt(n);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function fmt(n: Norm): string {
  switch (n.t) {
    case 'simple': return `+${n.v}`;
    case 'error': return `(error) ${/[^\x20-\x7e]/.test(n.v) ? quote(n.v) : n.v}`;
    case 'int': return `(integer) ${n.v}`;
    case 'bulk': return quote(n.v);
    case 'verbatim': return `(verbatim) ${quote(n.v)}`;
    case 'double': return `(double) ${n.v}`;
    case 'bool': return `(bool) ${n.v}`;
    case 'bignum': return `(bignum) ${n.v}`;
    case 'nil': return '(nil)';
    case 'nilarray': return '(nil array)';
    case 'array': return `[${n.v.map(fmt).join(', ')}]`;
    case 'set': return `~{${n.v.map(fmt).join(', ')}}`;
    case 'push': return `>[${n.v.map(fmt).join(', ')}]`;
    case 'map': return `%{${pairs(n.v).map(([k, v]) => `${fmt(k)}: ${fmt(v)}`).join(', ')}}`;
    case 'bad': return `(BAD REPLY: ${n.v})`;
  }
}
