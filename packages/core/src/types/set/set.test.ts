import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareInts, SetValue } from './set.ts';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
/** Members that are mostly small integers, sometimes text or non-canonical numbers. */
const member = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
  { weight: 1, arbitrary: int64.map(String) },
  { weight: 1, arbitrary: fc.constantFrom('a', 'b', '01', '-0', '+1', ' 1', '1.0', '') },
);

describe('compareInts', () => {
  it('orders canonical int64 strings by value', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        expect(Math.sign(compareInts(String(a), String(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      // Equal negatives once returned -0 (a CI run drew this pair).
      { examples: [[-10n, -10n], [0n, 0n]] },
    );
  });
});

describe('SetValue', () => {
  it('behaves as a set, stays sorted while an intset, and converts as Redis does', () => {
    const op = fc.tuple(fc.boolean(), member);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 0, max: 12 }), (ops, max) => {
        const s = new SetValue();
        const model = new Set<string>();
        let hashtable = false;
        for (const [add, m] of ops) {
          if (add) {
            const isNew = !model.has(m);
            expect(s.add(m, max)).toBe(isNew);
            model.add(m);
            if (isNew && (!/^(0|-?[1-9][0-9]*)$/.test(m) || BigInt(m) !== BigInt.asIntN(64, BigInt(m)) || model.size > max)) {
              hashtable = true;
            }
          } else {
            expect(s.delete(m)).toBe(model.delete(m));
          }
          expect(s.size).toBe(model.size);
          expect(s.encoding).toBe(hashtable ? 'hashtable' : 'intset');
        }
        for (const m of model) expect(s.has(m)).toBe(true);
        const members = [...s];
        expect(new Set(members)).toEqual(model);
        if (!hashtable) expect(members).toEqual([...members].sort(compareInts));
        const slots = Array.from({ length: s.size }, (_, i) => s.at(i));
        expect(new Set(slots)).toEqual(model);
      }),
    );
  });

  it('does not find non-canonical spellings in an intset', () => {
    const s = SetValue.from(['1', '-5', '10']);
    expect(s.encoding).toBe('intset');
    for (const m of ['01', '+1', '1.0', ' 1', '-05', '-0', 'x']) expect(s.has(m)).toBe(false);
    expect(s.delete('01')).toBe(false);
    expect([...s]).toEqual(['-5', '1', '10']);
  });

  it('builds with from() as SADD into a new set would', () => {
    expect(SetValue.from(['3', '1', '2']).encoding).toBe('intset');
    expect(SetValue.from(['3', 'x']).encoding).toBe('hashtable');
    expect(SetValue.from(['1', '2', '3'], 2).encoding).toBe('hashtable');
    expect(SetValue.from([]).size).toBe(0);
  });

  it('clones deeply, keeping the encoding', () => {
    for (const members of [['1', '2'], ['a', 'b', '3']]) {
      const s = SetValue.from(members);
      const copy = s.clone();
      copy.add('z', 512);
      copy.delete(members[0]!);
      expect([...s].sort()).toEqual([...members].sort());
      expect(copy.has('z')).toBe(true);
      expect(s.has('z')).toBe(false);
      expect(s.clone().encoding).toBe(s.encoding);
    }
  });
});
