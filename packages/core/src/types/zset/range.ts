/**
 * Ranges as runs of ranks. A range command walks the ordered set from its first element in range
 * (its last, in reverse), skips LIMIT's offset, and emits while elements stay in range; the run it
 * emits is always consecutive ranks, a `Span`. Score ranges are monotone in the (score, member)
 * order, so their spans come from two O(log n) rank lookups.
 *
 * Lex ranges are monotone only when all scores are equal, the case Redis documents; the index
 * answers those the same way. With mixed scores Redis's answer is whatever its walk finds, and
 * listpack and skiplist walk differently (for a skiplist it even depends on node levels). We replay
 * those walks member by member, in O(n) (see LexWalk): exact for listpacks, and for skiplists the
 * answer Redis gives when no node is promoted.
 */
import { MEMBER_LE, MEMBER_LT, SCORE_LE, SCORE_LT } from './btree.ts';
import type { LexBound, ScoreRange } from './parse.ts';
import type { ZSetValue } from './zset.ts';

/** `count` ranks from `start`, descending when `reverse`. */
export interface Span {
  start: number;
  count: number;
  reverse: boolean;
}

const EMPTY: Span = { start: 0, count: 0, reverse: false };

/** Z[REV]RANGE and ZREMRANGEBYRANK by index: Redis's start/end sanitizing. */
export function rankSpan(size: number, start: number, end: number, reverse: boolean): Span {
  if (start < 0) start = size + start;
  if (end < 0) end = size + end;
  if (start < 0) start = 0;
  if (start > end || start >= size) return EMPTY;
  if (end >= size) end = size - 1;
  return { start: reverse ? size - 1 - start : start, count: end - start + 1, reverse };
}

/**
 * The span of a monotone match [lo, hi) after LIMIT: an offset past the set's end answers nothing
 * at once, a negative one too (Redis's `while (offset--)` walks off the end); then `limit`
 * elements (negative: all).
 */
function limitSpan(size: number, lo: number, hi: number, offset: number, limit: number, reverse: boolean): Span {
  if (offset < 0 || (offset > 0 && offset >= size)) return EMPTY;
  const avail = hi - lo - offset;
  if (avail <= 0) return EMPTY;
  return { start: reverse ? hi - 1 - offset : lo + offset, count: limit < 0 ? avail : Math.min(limit, avail), reverse };
}

/** The ranks [lo, hi) of members whose scores are in `r`. */
export function scoreRanks(z: ZSetValue, r: ScoreRange): [number, number] {
  const lo = z.tree.countBelow(r.minex ? SCORE_LE : SCORE_LT, r.min, '');
  const hi = z.tree.countBelow(r.maxex ? SCORE_LT : SCORE_LE, r.max, '');
  return [lo, Math.max(lo, hi)];
}

export function scoreSpan(z: ZSetValue, r: ScoreRange, reverse = false, offset = 0, limit = -1): Span {
  const [lo, hi] = scoreRanks(z, r);
  return limitSpan(z.size, lo, hi, offset, limit, reverse);
}

/** True when the set's lex order is its index order: all scores equal, as ZRANGEBYLEX assumes. */
function lexMonotone(z: ZSetValue): boolean {
  const tree = z.tree;
  return tree.head.s[0] === tree.tail.s[tree.tail.s.length - 1];
}

/** With all scores equal: the ranks [lo, hi) of members in the lex range. */
function lexRanks(z: ZSetValue, min: LexBound, max: LexBound): [number, number] {
  const below = (b: LexBound, upper: boolean): number => {
    if (b.inf !== 0) return b.inf > 0 ? z.size : 0;
    // Below a lower bound: m < v ('[') or m <= v ('('); below an upper one: the reverse.
    return z.tree.countBelow(b.ex !== upper ? MEMBER_LE : MEMBER_LT, 0, b.value);
  };
  const lo = below(min, false);
  return [lo, Math.max(lo, below(max, true))];
}

/** ZRANGE BYLEX and friends: the run a lex range emits, in either direction, after LIMIT. */
export function lexSpan(z: ZSetValue, min: LexBound, max: LexBound, reverse = false, offset = 0, limit = -1): Span {
  if (z.size === 0) return EMPTY;
  if (lexMonotone(z)) {
    const [lo, hi] = lexRanks(z, min, max);
    return limitSpan(z.size, lo, hi, offset, limit, reverse);
  }
  const w = new LexWalk(z, min, max);
  if (offset < 0 || (offset > 0 && offset >= w.size)) return EMPTY;
  const from = reverse ? w.last() : w.first();
  return from < 0 ? EMPTY : w.run(reverse ? from - offset : from + offset, reverse, limit);
}

/** ZLEXCOUNT. A skiplist counts from the rank of the first to the rank of the last in range. */
export function lexCount(z: ZSetValue, min: LexBound, max: LexBound): number {
  if (z.size === 0) return 0;
  if (lexMonotone(z)) {
    const [lo, hi] = lexRanks(z, min, max);
    return hi - lo;
  }
  const w = new LexWalk(z, min, max);
  const first = w.first();
  if (first < 0) return 0;
  if (z.listpack) return w.run(first, false, -1).count;
  const last = w.last();
  return last < 0 ? w.size - first : last - first + 1;
}

/** ZREMRANGEBYLEX: the run it deletes. A skiplist's delete skips the in-range precheck. */
export function lexDeleteSpan(z: ZSetValue, min: LexBound, max: LexBound): Span {
  if (z.size === 0) return EMPTY;
  if (lexMonotone(z)) {
    const [lo, hi] = lexRanks(z, min, max);
    return { start: lo, count: hi - lo, reverse: false };
  }
  const w = new LexWalk(z, min, max);
  const first = z.listpack ? w.first() : w.firstGteMin();
  return first < 0 ? EMPTY : w.run(first, false, -1);
}

/**
 * Redis's walks over a lex range with mixed scores, member by member: the listpack's
 * (zzlFirstInLexRange, zzlLastInLexRange) and the skiplist's along its bottom level
 * (zslFirstInLexRange, zslLastInLexRange), which is what it does when no node is promoted.
 */
class LexWalk {
  readonly size: number;
  private readonly m: string[] = [];
  private readonly listpack: boolean;

  constructor(
    z: ZSetValue,
    private readonly min: LexBound,
    private readonly max: LexBound,
  ) {
    this.size = z.size;
    this.listpack = z.listpack;
    z.visit(0, z.size, false, (m) => this.m.push(m));
  }

  private gteMin(i: number): boolean {
    const b = this.min;
    const m = this.m[i]!;
    return b.inf !== 0 ? b.inf < 0 : b.ex ? m > b.value : m >= b.value;
  }

  private lteMax(i: number): boolean {
    const b = this.max;
    const m = this.m[i]!;
    return b.inf !== 0 ? b.inf > 0 : b.ex ? m < b.value : m <= b.value;
  }

  /** z*IsInLexRange: the bounds are ordered, the last member >= min, the first <= max. */
  private inRange(): boolean {
    const { min, max } = this;
    let cmp: number;
    if (min.inf !== 0 || max.inf !== 0) cmp = min.inf === max.inf ? 0 : min.inf < max.inf ? -1 : 1;
    else cmp = min.value < max.value ? -1 : min.value > max.value ? 1 : 0;
    if (cmp > 0 || (cmp === 0 && (min.ex || max.ex))) return false;
    return this.gteMin(this.size - 1) && this.lteMax(0);
  }

  firstGteMin(): number {
    let i = 0;
    while (i < this.size && !this.gteMin(i)) i++;
    return i < this.size ? i : -1;
  }

  /** First in range: the first member >= min, if it is <= max. */
  first(): number {
    if (!this.inRange()) return -1;
    const i = this.firstGteMin();
    return i >= 0 && this.lteMax(i) ? i : -1;
  }

  /**
   * Last in range, if it is >= min: a listpack takes the last member <= max scanning back from
   * the tail; a skiplist walks forward from the head while the next member is <= max.
   */
  last(): number {
    if (!this.inRange()) return -1;
    let i: number;
    if (this.listpack) {
      for (i = this.size - 1; i >= 0 && !this.lteMax(i); i--);
    } else {
      for (i = 0; i + 1 < this.size && this.lteMax(i + 1); i++);
    }
    return i >= 0 && this.gteMin(i) ? i : -1;
  }

  /** The emit loop from `start`: up to `limit` members (negative: no limit) while still in range. */
  run(start: number, reverse: boolean, limit: number): Span {
    let i = start;
    let count = 0;
    for (; i >= 0 && i < this.size && count !== limit; reverse ? i-- : i++, count++) {
      if (reverse ? !this.gteMin(i) : !this.lteMax(i)) break;
    }
    return count === 0 ? EMPTY : { start, count, reverse };
  }
}
