import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HashValue } from './hash.ts';

describe('HashValue', () => {
  it('matches a Map, in listpack order, with every dense slot a live pair', () => {
    // A JS Map keeps insertion order, updates in place and closes gaps on delete: a listpack's order.
    const field = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '', '\x00', '\xff');
    const op = fc.tuple(fc.boolean(), field, fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const h = new HashValue();
        const model = new Map<string, string>();
        for (const [set, f, v] of ops) {
          if (set) {
            expect(h.set(f, v)).toBe(!model.has(f));
            model.set(f, v);
          } else {
            expect(h.delete(f)).toBe(model.delete(f));
          }
          expect(h.size).toBe(model.size);
        }
        expect([...h]).toEqual([...model]);
        const pairs: Array<[string, string]> = [];
        h.forEach((f, v) => pairs.push([f, v]));
        expect(pairs).toEqual([...model]);
        for (const [f, v] of model) {
          expect(h.get(f)).toBe(v);
          expect(h.has(f)).toBe(true);
        }
        const slots = Array.from({ length: h.size }, (_, i): [string, string] => [h.fieldAt(i), h.valueAt(i)]);
        expect(new Map(slots)).toEqual(model);
      }),
    );
  });

  it('turns into a hashtable past the limits and never back', () => {
    const h = new HashValue();
    h.set('a', '1');
    h.fitLengths('a', '1', 1);
    h.fitCount(1);
    expect(h.encoding).toBe('listpack');
    h.fitLengths('a', '12', 1);
    expect(h.encoding).toBe('hashtable');
    h.delete('a');
    h.fitCount(128);
    expect(h.encoding).toBe('hashtable');
    const g = new HashValue();
    g.set('a', '1');
    g.set('b', '2');
    g.fitCount(1);
    expect(g.encoding).toBe('hashtable');
  });

  it('builds with from() applying the limits', () => {
    expect(HashValue.from([['a', '1'], ['b', '2']]).encoding).toBe('listpack');
    expect(HashValue.from([['a', '1'], ['b', '2']], 1).encoding).toBe('hashtable');
    expect(HashValue.from([['a', 'x'.repeat(65)]]).encoding).toBe('hashtable');
    expect([...HashValue.from([['b', '1'], ['a', '2'], ['b', '3']])]).toEqual([['b', '3'], ['a', '2']]);
  });

  it('clones deeply, keeping order and encoding', () => {
    const h = HashValue.from([['x', '1'], ['y', '2']], 1);
    const copy = h.clone();
    copy.set('x', 'changed');
    copy.delete('y');
    expect([...h]).toEqual([['x', '1'], ['y', '2']]);
    expect([...copy]).toEqual([['x', 'changed']]);
    expect(copy.encoding).toBe('hashtable');
  });
});
