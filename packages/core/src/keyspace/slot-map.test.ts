import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashKey, SlotMap } from './slot-map.ts';

/** The previous SlotMap, over V8's Map: the model for iteration order and live iterators. */
class MapModel {
  private readonly map = new Map<string, number | typeof GONE>();
  private holes = 0;
  get size(): number {
    return this.map.size - this.holes;
  }
  get(k: string): number | undefined {
    const v = this.map.get(k);
    return v === GONE ? undefined : v;
  }
  set(k: string, v: number): void {
    if (this.holes > 0 && this.map.get(k) === GONE) this.holes--;
    this.map.set(k, v);
  }
  delete(k: string): boolean {
    const v = this.map.get(k);
    if (v === undefined || v === GONE) return false;
    this.map.set(k, GONE);
    if (++this.holes > 1024 && this.holes > this.map.size - this.holes) {
      for (const [key, x] of this.map) if (x === GONE) this.map.delete(key);
      this.holes = 0;
    }
    return true;
  }
  clear(): void {
    this.map.clear();
    this.holes = 0;
  }
  *entries(): IterableIterator<[string, number]> {
    for (const [k, v] of this.map) if (v !== GONE) yield [k, v];
  }
}
const GONE: unique symbol = Symbol('gone');

type Op =
  | { op: 'set' | 'delete' | 'burst'; from: number; count: number }
  | { op: 'clear' }
  | { op: 'iter' }
  | { op: 'step'; which: number; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('set' as const, 'delete' as const), from: fc.nat(800), count: fc.integer({ min: 1, max: 2500 }) }) },
  // Adds a range and deletes nearly all of it: enough holes to sweep (over 1024, more than live).
  { weight: 2, arbitrary: fc.record({ op: fc.constant('burst' as const), from: fc.nat(800), count: fc.integer({ min: 1100, max: 2500 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'iter' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('step' as const), which: fc.nat(), n: fc.integer({ min: 1, max: 300 }) }) },
);

describe('SlotMap', () => {
  it('behaves as a Map for get/has/size/delete and iterates the live entries in insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('set', 'delete'), fc.integer({ min: 0, max: 40 }), fc.integer()), { maxLength: 3000 }),
        (ops) => {
          const s = new SlotMap<string, number>();
          const m = new Map<string, number>();
          for (const [op, k, v] of ops) {
            const key = `k${k}`;
            if (op === 'set') {
              s.set(key, v);
              m.set(key, v);
            } else {
              expect(s.delete(key)).toBe(m.delete(key));
            }
            expect(s.size).toBe(m.size);
            expect(s.get(key)).toBe(m.get(key));
            expect(s.has(key)).toBe(m.has(key));
          }
          expect(new Map(s)).toEqual(m);
          expect([...s.keys()].sort()).toEqual([...m.keys()].sort());
        },
      ),
    );
  });

  it('iterates, with live iterators across sets, deletes, sweeps and clears, as the Map-based model', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 40, size: 'max' }), (ops) => {
        const s = new SlotMap<string, number>();
        const m = new MapModel();
        const iters: Array<[Iterator<[string, number]>, Iterator<[string, number]>]> = [];
        let version = 0;
        for (const o of ops) {
          if (o.op === 'set' || o.op === 'delete' || o.op === 'burst') {
            for (let i = o.from; i < o.from + o.count; i++) {
              const k = `key:${i}`;
              if (o.op !== 'delete') {
                s.set(k, ++version);
                m.set(k, version);
              } else if (s.delete(k) !== m.delete(k)) {
                expect.fail(`delete ${k}`);
              }
            }
            if (o.op === 'burst') {
              for (let i = o.from; i < o.from + o.count - 10; i++) if (s.delete(`key:${i}`) !== m.delete(`key:${i}`)) expect.fail(`delete key:${i}`);
            }
          } else if (o.op === 'clear') {
            s.clear();
            m.clear();
          } else if (o.op === 'iter') {
            iters.push([s.entries(), m.entries()]);
          } else if (o.op === 'step' && iters.length > 0) {
            const [a, b] = iters[o.which % iters.length]!;
            for (let i = 0; i < o.n; i++) {
              const x = a.next();
              const y = b.next();
              if (x.done !== y.done || (!x.done && (x.value[0] !== y.value[0] || x.value[1] !== y.value[1]))) expect(x).toEqual(y);
              if (x.done) break;
            }
          }
          expect(s.size).toBe(m.size);
        }
        expect([...s]).toEqual([...m.entries()]);
        for (let i = 0; i < 3100; i += 97) expect(s.get(`key:${i}`)).toBe(m.get(`key:${i}`));
      }),
      { numRuns: 40 },
    );
  });

  it('hashes byte strings of every length to spread values', () => {
    const seen = new Set<number>();
    for (let n = 0; n < 64; n++) {
      const k = 'x'.repeat(n);
      seen.add(hashKey(k));
      expect(hashKey(k)).toBe(hashKey(k.slice()));
    }
    expect(seen.size).toBe(64);
    // Keys differing in one byte anywhere differ (MurmurHash3 mixes every byte).
    const base = Array.from({ length: 37 }, (_, i) => String.fromCharCode(i * 7)).join('');
    const hashes = new Set<number>();
    for (let i = 0; i < base.length; i++) hashes.add(hashKey(base.slice(0, i) + '\xff' + base.slice(i + 1)));
    expect(hashes.size).toBe(base.length);
  });

  it('keeps set+delete of one key cheap in a large map, unlike Map (V8 bucket chains)', () => {
    // Relative, not absolute: both run here, now. Map degrades ~100×; the margin is wide so a busy
    // machine cannot fail it.
    const time = (m: { set(k: string, v: number): unknown; delete(k: string): unknown }): number => {
      for (let i = 0; i < 100_000; i++) m.set(`key:${i}`, i);
      const t = performance.now();
      for (let i = 0; i < 20_000; i++) {
        m.set('hot', i);
        m.delete('hot');
      }
      return performance.now() - t;
    };
    const slot = time(new SlotMap<string, number>());
    const plain = time(new Map<string, number>());
    expect(slot * 4).toBeLessThan(plain);
  });

  it('sweeps holes so memory stays bounded, and live iterators survive a sweep', () => {
    const s = new SlotMap<string, number>();
    for (let i = 0; i < 5000; i++) s.set(`k${i}`, i);
    const it = s.keys();
    expect(it.next().value).toBe('k0');
    for (let i = 1; i < 4000; i++) s.delete(`k${i}`);
    const rest = [...it];
    expect(rest).toEqual(Array.from({ length: 1000 }, (_, j) => `k${4000 + j}`));
    expect(s.size).toBe(1001);
    // Past a sweep, an iterator that had passed deleted keys resumes exactly where it was.
    const t = new SlotMap<string, number>();
    for (let i = 0; i < 3000; i++) t.set(`k${i}`, i);
    const mid = t.keys();
    for (let i = 0; i < 2000; i++) mid.next();
    for (let i = 0; i < 2500; i++) t.delete(`k${i}`);
    expect(mid.next().value).toBe('k2500');
    // Past a clear, it starts over in the emptied map, as a Map iterator does.
    const again = t.keys();
    again.next();
    t.clear();
    t.set('a', 1);
    expect([...again]).toEqual(['a']);
  });
});
