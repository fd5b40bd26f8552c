/**
 * The sorted set value (Redis's zset): a member → score map for O(1) ZSCORE plus an ordered index
 * (btree.ts) by (score, member bytes) for ranks and ranges in O(log n).
 *
 * Encoding: Redis keeps small sets in a listpack and converts to a skiplist (never back) once a
 * new member would pass `zset-max-listpack-entries` or is longer than `zset-max-listpack-value`.
 * We keep one representation and only track the name OBJECT ENCODING reports, with one visible
 * consequence Redis has too: a listpack stores scores as text, where -0 is written "0", so a
 * listpack never holds -0.
 */
import { OrderTree, type Leaf } from './btree.ts';

/** The two config limits that decide the encoding. */
export interface ListpackLimits {
  entries: number;
  value: number;
}

/** True when a zset of `size` members, the longest `maxLen` bytes, fits a listpack (zsetConvertToListpackIfNeeded). */
export function fitsListpack(size: number, maxLen: number, limits: ListpackLimits): boolean {
  return size <= limits.entries && maxLen <= limits.value;
}

export class ZSetValue {
  readonly type = 'zset' as const;
  /** member → score. Its insertion order is what ZSCAN walks on a skiplist. */
  readonly dict = new Map<string, number>();
  tree = new OrderTree();
  /** True while OBJECT ENCODING would say "listpack". */
  listpack: boolean;

  constructor(listpack = true) {
    this.listpack = listpack;
  }

  /** Builds a zset from [member, score] pairs with distinct members, in any order (RDB loading). */
  static from(entries: Iterable<readonly [string, number]>, listpack: boolean): ZSetValue {
    const pairs = [...entries];
    pairs.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const scores: number[] = new Array(pairs.length);
    const members: string[] = new Array(pairs.length);
    const z = new ZSetValue(listpack);
    for (let i = 0; i < pairs.length; i++) {
      const [m, s] = pairs[i]!;
      scores[i] = listpack && s === 0 ? 0 : s;
      members[i] = m;
      z.dict.set(m, scores[i]!);
    }
    z.tree = OrderTree.build(scores, members);
    return z;
  }

  get size(): number {
    return this.dict.size;
  }

  get encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  /** Adds a member that is not present. */
  insert(member: string, score: number): void {
    if (this.listpack && score === 0) score = 0;
    this.dict.set(member, score);
    this.tree.insert(score, member);
  }

  /** Moves a present member from score `from` to `to`. */
  update(member: string, from: number, to: number): void {
    if (this.listpack && to === 0) to = 0;
    if (!this.tree.updateInPlace(from, member, to)) {
      this.tree.delete(from, member);
      this.tree.insert(to, member);
    }
    this.dict.set(member, to);
  }

  /** Removes `member`; false if absent. */
  delete(member: string): boolean {
    const s = this.dict.get(member);
    if (s === undefined) return false;
    this.dict.delete(member);
    this.tree.delete(s, member);
    return true;
  }

  /** 0-based rank of `member` in ascending order, or -1. */
  rank(member: string): number {
    const s = this.dict.get(member);
    return s === undefined ? -1 : this.tree.rank(s, member);
  }

  /** Calls `fn` for `count` members from rank `start` (descending ranks when `reverse`). */
  visit(start: number, count: number, reverse: boolean, fn: (member: string, score: number) => void): void {
    this.tree.visit(start, count, reverse, fn);
  }

  /** The pair at rank `rank` (0 <= rank < size). */
  at(rank: number): [string, number] {
    const leaf = this.tree.leafAt(rank);
    const i = this.tree.atIndex;
    return [leaf.m[i]!, leaf.s[i]!];
  }

  /**
   * Removes `count` members from rank `start`, ascending, and returns them as [member, score]
   * pairs in that order. Large ranges rebuild the index instead of deleting one by one.
   */
  removeRange(start: number, count: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    this.tree.visit(start, count, false, (m, s) => out.push([m, s]));
    for (const [m] of out) this.dict.delete(m);
    if (out.length > this.tree.size >> 2) {
      const scores: number[] = [];
      const members: string[] = [];
      const keep = (m: string, s: number): void => {
        scores.push(s);
        members.push(m);
      };
      this.tree.visit(0, start, false, keep);
      this.tree.visit(start + out.length, this.tree.size - start - out.length, false, keep);
      this.tree = OrderTree.build(scores, members);
    } else {
      for (const [m, s] of out) this.tree.delete(s, m);
    }
    return out;
  }

  /** Switches to the skiplist encoding (zsetConvert). */
  toSkiplist(): void {
    this.listpack = false;
  }

  /** Switches a skiplist to a listpack (zsetConvertToListpackIfNeeded): -0 scores become 0. */
  toListpack(): void {
    if (this.listpack) return;
    this.listpack = true;
    // -0 and 0 compare equal, so rewriting them in place keeps the order.
    for (let leaf = this.tree.head as Leaf | null; leaf; leaf = leaf.next) {
      for (let i = 0; i < leaf.s.length; i++) {
        if (Object.is(leaf.s[i], -0)) {
          leaf.s[i] = 0;
          this.dict.set(leaf.m[i]!, 0);
        }
      }
    }
  }

  clone(): ZSetValue {
    const scores: number[] = [];
    const members: string[] = [];
    this.tree.visit(0, this.tree.size, false, (m, s) => {
      scores.push(s);
      members.push(m);
    });
    const z = new ZSetValue(this.listpack);
    for (let i = 0; i < members.length; i++) z.dict.set(members[i]!, scores[i]!);
    z.tree = OrderTree.build(scores, members);
    return z;
  }

  /** [member, score] pairs in ascending (score, member) order. Do not change the set meanwhile. */
  *[Symbol.iterator](): IterableIterator<[string, number]> {
    for (let leaf = this.tree.head as Leaf | null; leaf; leaf = leaf.next) {
      for (let i = 0; i < leaf.m.length; i++) yield [leaf.m[i]!, leaf.s[i]!];
    }
  }
}
