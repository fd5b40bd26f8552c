/**
 * The ordered index of a sorted set: an order-statistic B+tree over (score, member) pairs, the
 * role Redis's skiplist with spans plays. Leaves hold parallel `s`/`m` arrays and are linked both
 * ways for range walks; inner nodes hold each child's subtree size (rank in O(log n)) and
 * separator keys. In JS this beats a skiplist: a handful of small arrays per 64 elements instead
 * of an object and two arrays per element, and far fewer pointer hops per lookup.
 *
 * Invariants (btree-check.ts verifies them in tests):
 * - pairs are strictly ascending: score, then member as bytes (`<` on byte strings is memcmp);
 * - inner separator `ks/km[i]` (i >= 1) is <= every key under child i and > every key under child
 *   i-1. Separators are bounds, not necessarily live keys: deletes leave them valid. Index 0 is
 *   only read when a node splits, where it is a real separator of the old node;
 * - every node but the root has at least MIN entries; no node has more than MAX.
 *
 * This file is past 400 lines because insert, delete, their rebalancing and the rank walks all
 * share the node layout and the descent path; split apart they would each need its internals.
 */

export const LEAF_MAX = 64;
export const LEAF_MIN = LEAF_MAX >> 2;
/** Children per inner node. */
export const MAX = 64;
export const MIN = 16;
/** Entries per node when bulk loading: leaves room for inserts before the first splits. */
const FILL = 48;
const LEAF_FILL = (LEAF_MAX * 3) >> 2;

export class Leaf {
  next: Leaf | null = null;
  prev: Leaf | null = null;
  constructor(
    public s: number[],
    public m: string[],
  ) {}
}

export class Inner {
  constructor(
    public c: Node[],
    /** Subtree sizes, parallel to `c`. */
    public n: number[],
    public ks: number[],
    public km: string[],
  ) {}
}

export type Node = Leaf | Inner;

/**
 * How `countBelow` compares a pair with its bound: `KEY` (score, member) < bound; `SCORE_LT`,
 * `SCORE_LE` on the score; `MEMBER_LT`, `MEMBER_LE` on the member (lex ranges, meaningful when all
 * scores are equal, as ZRANGEBYLEX documents).
 */
export const KEY = 0;
export const SCORE_LT = 1;
export const SCORE_LE = 2;
export const MEMBER_LT = 3;
export const MEMBER_LE = 4;
export type Below = 0 | 1 | 2 | 3 | 4;

export function less(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

function below(mode: Below, s: number, m: string, bs: number, bm: string): boolean {
  switch (mode) {
    case KEY: return less(s, m, bs, bm);
    case SCORE_LT: return s < bs;
    case SCORE_LE: return s <= bs;
    case MEMBER_LT: return m < bm;
    default: return m <= bm;
  }
}

function insertAt<T>(a: T[], i: number, v: T): void {
  let j = a.length;
  a.push(v);
  for (; j > i; j--) a[j] = a[j - 1]!;
  a[i] = v;
}

function removeAt<T>(a: T[], i: number): void {
  const last = a.length - 1;
  for (let j = i; j < last; j++) a[j] = a[j + 1]!;
  a.pop();
}

/** Sum of `n[0..i)`, read from whichever end is nearer; `total` is the sum of all of `n`. */
function countLeft(n: readonly number[], i: number, total: number): number {
  let t = 0;
  if (i <= n.length >> 1) {
    for (let j = 0; j < i; j++) t += n[j]!;
    return t;
  }
  for (let j = i; j < n.length; j++) t += n[j]!;
  return total - t;
}

export function sum(a: readonly number[]): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]!;
  return t;
}

/** Index of the child of `x` whose key range holds (s, m). */
function childFor(x: Inner, s: number, m: string): number {
  let lo = 1;
  let hi = x.c.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (less(s, m, x.ks[mid]!, x.km[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** First index of `leaf` whose pair is not below the bound. */
function leafBound(leaf: Leaf, mode: Below, s: number, m: string): number {
  let lo = 0;
  let hi = leaf.s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(mode, leaf.s[mid]!, leaf.m[mid]!, s, m)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OrderTree {
  size = 0;
  head: Leaf;
  tail: Leaf;
  /** Read by btree-check.ts; changed only here. */
  root: Node;
  /** Inner levels above the leaves (0: the root is a leaf). */
  height = 0;
  /** Descent path of the current insert/delete: inner nodes and the child index taken. */
  private readonly pathN: Inner[] = [];
  private readonly pathI: number[] = [];
  /** Index within the leaf returned by the last `leafAt`. */
  atIndex = 0;

  constructor() {
    this.head = this.tail = new Leaf([], []);
    this.root = this.head;
  }

  /** Builds a tree from pairs already in ascending order, in O(n). */
  static build(scores: number[], members: string[]): OrderTree {
    const t = new OrderTree();
    const n = scores.length;
    if (n === 0) return t;
    let level: Node[] = [];
    let counts: number[] = [];
    const groups = Math.ceil(n / LEAF_FILL);
    let prev: Leaf | null = null;
    for (let g = 0, start = 0; g < groups; g++) {
      const end = Math.round(((g + 1) * n) / groups);
      const leaf = new Leaf(scores.slice(start, end), members.slice(start, end));
      leaf.prev = prev;
      if (prev) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(end - start);
      start = end;
    }
    t.head = level[0] as Leaf;
    t.tail = prev!;
    while (level.length > 1) {
      const up: Node[] = [];
      const upCounts: number[] = [];
      const k = Math.ceil(level.length / FILL);
      for (let g = 0, start = 0; g < k; g++) {
        const end = Math.round(((g + 1) * level.length) / k);
        const c = level.slice(start, end);
        const ks: number[] = [];
        const km: string[] = [];
        for (const child of c) {
          const leaf = firstLeaf(child);
          ks.push(leaf.s[0]!);
          km.push(leaf.m[0]!);
        }
        const cn = counts.slice(start, end);
        up.push(new Inner(c, cn, ks, km));
        upCounts.push(sum(cn));
        start = end;
      }
      level = up;
      counts = upCounts;
      t.height++;
    }
    t.root = level[0]!;
    t.size = n;
    return t;
  }

  /** Adds a pair that is not present. */
  insert(s: number, m: string): void {
    let node = this.root;
    let depth = 0;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      const i = childFor(x, s, m);
      x.n[i]!++;
      this.pathN[depth] = x;
      this.pathI[depth++] = i;
      node = x.c[i]!;
    }
    const leaf = node as Leaf;
    const pos = leafBound(leaf, KEY, s, m);
    insertAt(leaf.s, pos, s);
    insertAt(leaf.m, pos, m);
    this.size++;
    if (leaf.s.length > LEAF_MAX) this.splitUp(leaf, depth);
  }

  /** Removes a pair; false if it is not present. */
  delete(s: number, m: string): boolean {
    let node = this.root;
    let depth = 0;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      const i = childFor(x, s, m);
      this.pathN[depth] = x;
      this.pathI[depth++] = i;
      node = x.c[i]!;
    }
    const leaf = node as Leaf;
    const pos = leafBound(leaf, KEY, s, m);
    if (pos >= leaf.s.length || leaf.s[pos] !== s || leaf.m[pos] !== m) return false;
    for (let d = 0; d < depth; d++) this.pathN[d]!.n[this.pathI[d]!]!--;
    removeAt(leaf.s, pos);
    removeAt(leaf.m, pos);
    this.size--;
    if (leaf.s.length < LEAF_MIN && depth > 0) this.rebalanceUp(depth);
    return true;
  }

  /**
   * Changes the score of a present pair in place when its position does not move (Redis's
   * zslUpdateScore fast path); false when the caller must delete and re-insert.
   */
  updateInPlace(s: number, m: string, to: number): boolean {
    let node = this.root;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      node = x.c[childFor(x, s, m)]!;
    }
    const leaf = node as Leaf;
    const pos = leafBound(leaf, KEY, s, m);
    // The first and last slots border a separator or a sibling leaf: leave those to re-insertion.
    if (pos === 0 || pos >= leaf.s.length - 1) return false;
    if (!less(leaf.s[pos - 1]!, leaf.m[pos - 1]!, to, m) || !less(to, m, leaf.s[pos + 1]!, leaf.m[pos + 1]!)) {
      return false;
    }
    leaf.s[pos] = to;
    return true;
  }

  /** The 0-based rank of (s, m): how many pairs are below it. `countBelow(KEY, ...)`, specialized. */
  rank(s: number, m: string): number {
    let node = this.root;
    let rank = 0;
    let total = this.size;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      const i = childFor(x, s, m);
      rank += countLeft(x.n, i, total);
      total = x.n[i]!;
      node = x.c[i]!;
    }
    const leaf = node as Leaf;
    const ls = leaf.s;
    const lm = leaf.m;
    let lo = 0;
    let hi = ls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = ls[mid]!;
      if (v < s || (v === s && lm[mid]! < m)) lo = mid + 1;
      else hi = mid;
    }
    return rank + lo;
  }

  /** How many pairs are below the bound (for `KEY`: the 0-based rank of (s, m)). */
  countBelow(mode: Below, s: number, m: string): number {
    let node = this.root;
    let rank = 0;
    let total = this.size;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      // The last child whose lower bound is below: everything left of it is below too.
      let lo = 1;
      let hi = x.c.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (below(mode, x.ks[mid]!, x.km[mid]!, s, m)) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      rank += countLeft(x.n, i, total);
      total = x.n[i]!;
      node = x.c[i]!;
    }
    return rank + leafBound(node as Leaf, mode, s, m);
  }

  /** The leaf holding rank `rank` (0-based, < size); the index within it is left in `atIndex`. */
  leafAt(rank: number): Leaf {
    let node = this.root;
    for (let h = this.height; h > 0; h--) {
      const x = node as Inner;
      let i = 0;
      while (rank >= x.n[i]!) rank -= x.n[i++]!;
      node = x.c[i]!;
    }
    this.atIndex = rank;
    return node as Leaf;
  }

  /**
   * Calls `fn` for `count` pairs from rank `start`, ascending, or descending when `reverse`.
   * `fn` must not change the tree.
   */
  visit(start: number, count: number, reverse: boolean, fn: (m: string, s: number) => void): void {
    if (count <= 0) return;
    let leaf: Leaf | null = this.leafAt(start);
    let i = this.atIndex;
    while (leaf !== null && count-- > 0) {
      fn(leaf.m[i]!, leaf.s[i]!);
      if (reverse) {
        if (--i < 0) {
          leaf = leaf.prev;
          if (leaf !== null) i = leaf.s.length - 1;
        }
      } else if (++i >= leaf.s.length) {
        leaf = leaf.next;
        i = 0;
      }
    }
  }

  private splitUp(node: Node, depth: number): void {
    for (;;) {
      let right: Node;
      let rightCount: number;
      let sepS: number;
      let sepM: string;
      if (node instanceof Leaf) {
        const mid = node.s.length >> 1;
        const r = new Leaf(node.s.slice(mid), node.m.slice(mid));
        node.s.length = mid;
        node.m.length = mid;
        r.next = node.next;
        r.prev = node;
        if (node.next) node.next.prev = r;
        else this.tail = r;
        node.next = r;
        right = r;
        rightCount = r.s.length;
        sepS = r.s[0]!;
        sepM = r.m[0]!;
      } else {
        const mid = node.c.length >> 1;
        const r = new Inner(node.c.slice(mid), node.n.slice(mid), node.ks.slice(mid), node.km.slice(mid));
        node.c.length = node.n.length = node.ks.length = node.km.length = mid;
        right = r;
        rightCount = sum(r.n);
        sepS = r.ks[0]!;
        sepM = r.km[0]!;
      }
      if (depth === 0) {
        const leftCount = this.size - rightCount;
        this.root = new Inner([node, right], [leftCount, rightCount], [sepS, sepS], [sepM, sepM]);
        this.height++;
        return;
      }
      const parent = this.pathN[--depth]!;
      const i = this.pathI[depth]!;
      parent.n[i]! -= rightCount;
      insertAt(parent.c, i + 1, right);
      insertAt(parent.n, i + 1, rightCount);
      insertAt(parent.ks, i + 1, sepS);
      insertAt(parent.km, i + 1, sepM);
      if (parent.c.length <= MAX) return;
      node = parent;
    }
  }

  /** The node at path depth `depth` underflowed: merge it with or refill it from a sibling. */
  private rebalanceUp(depth: number): void {
    for (;;) {
      const parent = this.pathN[--depth]!;
      const i = this.pathI[depth]!;
      const li = i > 0 ? i - 1 : 0;
      if (li + 1 < parent.c.length) {
        const l = parent.c[li]!;
        const r = parent.c[li + 1]!;
        if (l instanceof Leaf) this.balanceLeaves(parent, li, l, r as Leaf);
        else balanceInners(parent, li, l, r as Inner);
      }
      if (depth === 0) {
        if (parent.c.length === 1) {
          this.root = parent.c[0]!;
          this.height--;
        }
        return;
      }
      if (parent.c.length >= MIN) return;
    }
  }

  private balanceLeaves(parent: Inner, li: number, l: Leaf, r: Leaf): void {
    const total = l.s.length + r.s.length;
    if (total <= LEAF_MAX) {
      for (let j = 0; j < r.s.length; j++) {
        l.s.push(r.s[j]!);
        l.m.push(r.m[j]!);
      }
      l.next = r.next;
      if (r.next) r.next.prev = l;
      else this.tail = l;
      parent.n[li]! += parent.n[li + 1]!;
      removeChild(parent, li + 1);
      return;
    }
    const want = total >> 1;
    if (l.s.length > want) {
      r.s = l.s.slice(want).concat(r.s);
      r.m = l.m.slice(want).concat(r.m);
      l.s.length = l.m.length = want;
    } else {
      const k = want - l.s.length;
      for (let j = 0; j < k; j++) {
        l.s.push(r.s[j]!);
        l.m.push(r.m[j]!);
      }
      r.s = r.s.slice(k);
      r.m = r.m.slice(k);
    }
    parent.n[li] = l.s.length;
    parent.n[li + 1] = r.s.length;
    parent.ks[li + 1] = r.s[0]!;
    parent.km[li + 1] = r.m[0]!;
  }
}

function removeChild(x: Inner, i: number): void {
  removeAt(x.c, i);
  removeAt(x.n, i);
  removeAt(x.ks, i);
  removeAt(x.km, i);
}

function balanceInners(parent: Inner, li: number, l: Inner, r: Inner): void {
  const bs = parent.ks[li + 1]!;
  const bm = parent.km[li + 1]!;
  const total = l.c.length + r.c.length;
  if (total <= MAX) {
    l.c.push(...r.c);
    l.n.push(...r.n);
    l.ks.push(bs);
    l.km.push(bm);
    for (let j = 1; j < r.ks.length; j++) {
      l.ks.push(r.ks[j]!);
      l.km.push(r.km[j]!);
    }
    parent.n[li]! += parent.n[li + 1]!;
    removeChild(parent, li + 1);
    return;
  }
  const want = total >> 1;
  let moved: number;
  if (l.c.length > want) {
    const mc = l.c.splice(want);
    const mn = l.n.splice(want);
    const mks = l.ks.splice(want);
    const mkm = l.km.splice(want);
    r.c = mc.concat(r.c);
    r.n = mn.concat(r.n);
    r.ks = mks.concat([bs], r.ks.slice(1));
    r.km = mkm.concat([bm], r.km.slice(1));
    parent.ks[li + 1] = mks[0]!;
    parent.km[li + 1] = mkm[0]!;
    moved = -sum(mn);
  } else {
    const k = want - l.c.length;
    const mn = r.n.splice(0, k);
    l.c.push(...r.c.splice(0, k));
    l.n.push(...mn);
    l.ks.push(bs, ...r.ks.slice(1, k));
    l.km.push(bm, ...r.km.slice(1, k));
    parent.ks[li + 1] = r.ks[k]!;
    parent.km[li + 1] = r.km[k]!;
    r.ks = r.ks.slice(k);
    r.km = r.km.slice(k);
    moved = sum(mn);
  }
  parent.n[li]! += moved;
  parent.n[li + 1]! -= moved;
}

function firstLeaf(node: Node): Leaf {
  while (!(node instanceof Leaf)) node = node.c[0]!;
  return node;
}
