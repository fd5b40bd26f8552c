/**
 * The SCAN family's shared part (Redis's scanGenericCommand): cursor and option parsing, MATCH and
 * COUNT, and resumable cursors.
 *
 * Redis's cursor encodes a position in its hash table. Ours names a live `Map`/`Set` iterator kept
 * in a small registry: JS collection iterators are live (they skip deleted entries and reach added
 * ones), which gives SCAN's guarantee, "every element present for the whole scan is returned". A
 * cursor whose iterator was evicted or belongs to another collection restarts from the beginning,
 * which may repeat elements but never misses one, as Redis allows.
 */
import { INVALID_CURSOR, SYNTAX } from '../reply/errors.ts';
import type { Reply } from '../reply/reply.ts';
import { globMatch } from '../keyspace/glob.ts';
import { isOpt, parseInteger } from './args.ts';

/** Live cursors kept; the oldest is dropped past this. */
const MAX_CURSORS = 4096;

export interface ScanOptions {
  cursor: number;
  count: number;
  pattern: string | undefined;
  type: string | undefined;
}

/** Parses `cursor [MATCH pattern] [COUNT count] [TYPE type]` starting at argv[at]. */
export function parseScanArgs(argv: readonly string[], at: number, allowType: boolean): ScanOptions {
  const opts: ScanOptions = { cursor: parseCursor(argv[at]!), count: 10, pattern: undefined, type: undefined };
  for (let i = at + 1; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const hasValue = i + 1 < argv.length;
    if (isOpt(opt, 'count') && hasValue) {
      opts.count = parseInteger(argv[i + 1]!);
      if (opts.count < 1) throw SYNTAX;
    } else if (isOpt(opt, 'match') && hasValue) {
      const p = argv[i + 1]!;
      opts.pattern = p === '*' ? undefined : p;
    } else if (allowType && isOpt(opt, 'type') && hasValue) {
      opts.type = argv[i + 1]!.toLowerCase();
    } else {
      throw SYNTAX;
    }
  }
  return opts;
}

/**
 * parseScanCursorOrReply: strtoul over the C string (so up to the first NUL), refusing a leading
 * space, trailing junk or a value past 2^64-1. An optional sign is allowed and a negative value
 * wraps modulo 2^64 ("-1" is 2^64-1); an empty string is 0. Values we did not hand out restart.
 */
function parseCursor(raw: string): number {
  const nul = raw.indexOf('\0');
  const s = nul < 0 ? raw : raw.slice(0, nul);
  if (s === '') return 0;
  if (!/^[+-]?[0-9]+$/.test(s)) throw INVALID_CURSOR;
  let v = BigInt(s.replace(/^\+/, ''));
  if (v > 2n ** 64n - 1n || v < -(2n ** 64n - 1n)) throw INVALID_CURSOR;
  if (v < 0n) v = 2n ** 64n + v;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
}

interface Cursor {
  source: object;
  iter: Iterator<unknown>;
}

/** Registry of live cursors, one per engine. */
export class Cursors {
  private readonly live = new Map<number, Cursor>();
  private next = 1;

  /**
   * Walks `source` from `cursor`, visiting up to `count` elements (Redis's COUNT is work, not
   * results), and calls `visit` for each. Returns the cursor to resume from, 0 when done.
   */
  scan<T>(
    source: { [Symbol.iterator](): Iterator<T> } & object,
    cursor: number,
    count: number,
    visit: (item: T) => void,
  ): number {
    let cur = cursor === 0 ? undefined : this.live.get(cursor);
    this.live.delete(cursor);
    if (cur === undefined || cur.source !== source) cur = { source, iter: source[Symbol.iterator]() };
    const iter = cur.iter as Iterator<T>;
    for (let i = 0; i < count; i++) {
      const r = iter.next();
      if (r.done) return 0;
      visit(r.value);
    }
    const id = this.next++;
    if (this.next > Number.MAX_SAFE_INTEGER) this.next = 1;
    this.live.set(id, cur);
    if (this.live.size > MAX_CURSORS) this.live.delete(this.live.keys().next().value!);
    return id;
  }
}

/** `[cursor, [elements...]]`, the SCAN reply shape. */
export function scanReply(cursor: number, items: Reply[]): Reply {
  return [String(cursor), items];
}

export function matches(pattern: string | undefined, s: string): boolean {
  return pattern === undefined || globMatch(pattern, s);
}
