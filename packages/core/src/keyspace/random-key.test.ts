import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Keyspace } from './keyspace.ts';
import { randomKey } from './random-key.ts';

describe('randomKey', () => {
  it('draws only live keys, keeps its array within 4/3 of the live keys, and reaches every key', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('del' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('draw' as const), r: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const db = new Keyspace(() => 0).dbs[0]!;
        const live = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'add') {
            const key = `k${o.key}`;
            if (!db.keys.has(key)) db.add(key, 'v');
            live.add(key);
          } else if (o.kind === 'del') {
            db.delete(`k${o.key}`);
            live.delete(`k${o.key}`);
          } else {
            const got = randomKey(db, () => o.r);
            if (live.size === 0) expect(got).toBeUndefined();
            else expect(live.has(got!)).toBe(true);
          }
          const s = db.sample;
          if (s !== undefined) expect(s.keys.length * 3).toBeLessThanOrEqual(live.size * 4);
        }
        // Once rebuilt, every live key is drawn by some value of random().
        if (live.size > 0) {
          db.sample = undefined;
          randomKey(db, () => 0);
          const n = db.sample!.keys.length;
          expect(n).toBe(live.size);
          const drawn = new Set<string>();
          for (let i = 0; i < n; i++) drawn.add(randomKey(db, () => (i + 0.5) / n)!);
          expect(drawn).toEqual(live);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skips and deletes expired keys', () => {
    let t = 1000;
    const ks = new Keyspace(() => t);
    const db = ks.dbs[0]!;
    for (const k of ['a', 'b', 'c']) db.add(k, 'v');
    db.setExpire('a', db.keys.get('a')!, 1500);
    db.setExpire('b', db.keys.get('b')!, 1500);
    t = 2000;
    expect(randomKey(db, () => 0)).toBe('c');
    expect(randomKey(db, () => 0.99)).toBe('c');
    expect(db.size).toBe(1);
    db.delete('c');
    db.add('d', 'v');
    db.setExpire('d', db.keys.get('d')!, 1500);
    expect(randomKey(db, () => 0.5)).toBeUndefined();
    expect(db.size).toBe(0);
  });
});
