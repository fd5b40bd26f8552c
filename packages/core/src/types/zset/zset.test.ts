import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KEY, MEMBER_LE, MEMBER_LT, OrderTree, SCORE_LE, SCORE_LT } from './btree.ts';
import { ZSetValue } from './zset.ts';
import { checkTree } from './btree-check.ts';

type Pair = [string, number];

const cmpPair = (a: Pair, b: Pair): number => (a[1] - b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The model: pairs kept sorted by (score, member) in a plain array, plus member → score. */
class Model {
  readonly sorted: Pair[] = [];
  readonly scores = new Map<string, number>();

  private find(p: Pair): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpPair(this.sorted[mid]!, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(m: string, s: number): void {
    this.delete(m);
    this.sorted.splice(this.find([m, s]), 0, [m, s]);
    this.scores.set(m, s);
  }

  delete(m: string): boolean {
    const s = this.scores.get(m);
    if (s === undefined) return false;
    this.sorted.splice(this.find([m, s]), 1);
    this.scores.delete(m);
    return true;
  }

  removeRange(start: number, count: number): Pair[] {
    const out = this.sorted.splice(start, count);
    for (const [m] of out) this.scores.delete(m);
    return out;
  }
}

const op = (members: number, rangeCount: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ k: fc.constant('set' as const), m: fc.nat(members), s: fc.integer({ min: -50, max: 50 }) }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('del' as const), m: fc.nat(members) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('range' as const), start: fc.nat(members), count: fc.nat(rangeCount) }) },
  );

type Op = { k: 'set' | 'del' | 'range'; m?: number; s?: number; start?: number; count?: number };

let peakHeight = 0;

function run(ops: Op[], checkEvery = 1): ZSetValue {
  const z = new ZSetValue(false);
  const model = new Model();
  let step = 0;
  for (const o of ops) {
    if (o.k === 'set') {
      const m = `m${o.m}`;
      const old = z.score(m);
      if (old === undefined) z.insert(m, o.s!);
      else z.update(m, old, o.s!);
      model.set(m, o.s!);
    } else if (o.k === 'del') {
      const m = `m${o.m}`;
      expect(z.delete(m)).toBe(model.delete(m));
    } else {
      const start = Math.min(o.start!, z.size);
      const count = Math.min(o.count!, z.size - start);
      expect(z.removeRange(start, count)).toEqual(model.removeRange(start, count));
    }
    if (++step % checkEvery === 0) {
      expect(checkTree(z.tree)).toBe('');
      peakHeight = Math.max(peakHeight, z.tree.height);
    }
  }
  expect(checkTree(z.tree)).toBe('');
  const sorted = model.sorted;
  expect([...z]).toEqual(sorted);
  expect(z.size).toBe(sorted.length);
  sorted.forEach(([m], i) => expect(z.rank(m)).toBe(i));
  const count = (pred: (p: Pair) => boolean): number => sorted.filter(pred).length;
  for (const bound of [-51, -10, 0, 7, 51]) {
    expect(z.tree.countBelow(SCORE_LT, bound, '')).toBe(count((p) => p[1] < bound));
    expect(z.tree.countBelow(SCORE_LE, bound, '')).toBe(count((p) => p[1] <= bound));
  }
  for (let i = 0; i < sorted.length; i += 97) expect(z.at(i)).toEqual(sorted[i]);
  const rev: Pair[] = [];
  z.visit(sorted.length - 1, sorted.length, true, (m, s) => rev.push([m, s]));
  expect(rev).toEqual([...sorted].reverse());
  return z;
}

describe('OrderTree / ZSetValue against a sorted-array model', () => {
  it('small sets: random inserts, score updates, deletes and range removals', () => {
    fc.assert(fc.property(fc.array(op(150, 40), { maxLength: 400 }), (ops) => void run(ops)), { numRuns: 150 });
  });

  it('large sets: several levels of inner nodes split and merge', () => {
    peakHeight = 0;
    fc.assert(
      fc.property(fc.array(op(20_000, 10), { minLength: 20_000, maxLength: 30_000 }), (ops) => void run(ops, 500)),
      { numRuns: 4 },
    );
    expect(peakHeight).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('grows to three levels and shrinks back to a leaf', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const rng = fc.sample(fc.array(fc.integer(), { minLength: 300_000, maxLength: 300_000 }), { seed, numRuns: 1 })[0]!;
        const t = new OrderTree();
        for (let i = 0; i < rng.length; i++) t.insert(rng[i]! % 1000, `k${i}`);
        expect(checkTree(t)).toBe('');
        expect(t.height).toBe(3);
        for (let i = 0; i < rng.length; i++) expect(t.delete(rng[i]! % 1000, `k${i}`)).toBe(true);
        expect(checkTree(t)).toBe('');
        expect(t.size).toBe(0);
        expect(t.height).toBe(0);
      }),
      { numRuns: 1 },
    );
  }, 60_000);

  it('deleting a contiguous run refills underfull nodes from full siblings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const keys = fc.sample(fc.array(fc.double({ noNaN: true }), { minLength: 200_000, maxLength: 200_000 }), { seed, numRuns: 1 })[0]!;
        const z = new ZSetValue(false);
        keys.forEach((s, i) => z.insert(`k${i}`, s));
        const sorted = [...z];
        // Delete ranks 50_000..150_000 one at a time from the middle outwards.
        for (let n = 0; n < 100_000; n++) {
          const [m] = z.at(50_000);
          expect(z.delete(m)).toBe(true);
          if (n % 5000 === 0) expect(checkTree(z.tree)).toBe('');
        }
        expect(checkTree(z.tree)).toBe('');
        expect([...z]).toEqual([...sorted.slice(0, 50_000), ...sorted.slice(150_000)]);
        for (let i = 0; i < z.size; i += 997) expect(z.rank(sorted[i < 50_000 ? i : i + 100_000]![0])).toBe(i);
      }),
      { numRuns: 1 },
    );
  }, 60_000);

  it('bulk build keeps the invariants and answers rank queries', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary-ascii', maxLength: 4 }), { maxLength: 5000 }), (members) => {
        members.sort();
        const scores = members.map(() => 1);
        const t = OrderTree.build(scores, members);
        expect(checkTree(t)).toBe('');
        for (let i = 0; i < members.length; i += 37) {
          expect(t.countBelow(KEY, 1, members[i]!)).toBe(i);
          expect(t.countBelow(MEMBER_LT, 1, members[i]!)).toBe(i);
          expect(t.countBelow(MEMBER_LE, 1, members[i]!)).toBe(i + 1);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('ZSetValue', () => {
  it('orders members as bytes and ties on score by member', () => {
    const z = new ZSetValue();
    z.insert('b', 1);
    z.insert('\xff', 1);
    z.insert('a\x00', 1);
    z.insert('a', 1);
    z.insert('z', 0);
    expect([...z].map(([m]) => m)).toEqual(['z', 'a', 'a\x00', 'b', '\xff']);
  });

  it('a listpack never holds -0; a skiplist does until it converts', () => {
    const lp = new ZSetValue(true);
    lp.insert('a', -0);
    expect(Object.is(lp.score('a'), 0)).toBe(true);
    const sl = new ZSetValue(false);
    sl.insert('a', -0);
    sl.insert('b', 0);
    expect(Object.is(sl.score('a'), -0)).toBe(true);
    expect(sl.encoding).toBe('skiplist');
    sl.toListpack();
    expect(Object.is(sl.score('a'), 0)).toBe(true);
    expect([...sl]).toEqual([['a', 0], ['b', 0]]);
    expect(sl.encoding).toBe('listpack');
  });

  it('clone is deep and keeps the encoding', () => {
    const z = ZSetValue.from([['x', 2], ['y', 1]], false);
    const c = z.clone();
    c.insert('w', 0);
    c.delete('x');
    expect([...z]).toEqual([['y', 1], ['x', 2]]);
    expect([...c]).toEqual([['w', 0], ['y', 1]]);
    expect(c.encoding).toBe('skiplist');
  });
});
