import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListValue } from './list.ts';

describe('ListValue', () => {
  it('keeps the container contract: type, length, encoding, iteration, from/toArray', () => {
    const l = ListValue.from(['a', 'b', '\x00\xff']);
    expect(l.type).toBe('list');
    expect(l.length).toBe(3);
    expect(l.encoding).toBe('quicklist');
    expect([...l]).toEqual(['a', 'b', '\x00\xff']);
    expect(l.toArray()).toEqual(['a', 'b', '\x00\xff']);
    expect(new ListValue().toArray()).toEqual([]);
    expect(ListValue.from(new Set(['x', 'y'])).toArray()).toEqual(['x', 'y']);
  });

  it('wraps around its ring buffer at both ends', () => {
    const l = new ListValue();
    for (let i = 0; i < 3; i++) l.pushTail(`t${i}`);
    for (let i = 0; i < 3; i++) l.pushHead(`h${i}`);
    expect(l.toArray()).toEqual(['h2', 'h1', 'h0', 't0', 't1', 't2']);
    expect(l.popHead()).toBe('h2');
    expect(l.popTail()).toBe('t2');
    expect(l.at(0)).toBe('h1');
    expect(l.at(3)).toBe('t1');
    l.set(3, 'T');
    expect(l.range(1, 3)).toEqual(['h0', 't0', 'T']);
  });

  it('clone() is independent of the original', () => {
    const a = ListValue.from(['1', '2', '3']);
    const b = a.clone();
    b.pushHead('0');
    b.set(1, 'x');
    a.popTail();
    expect(a.toArray()).toEqual(['1', '2']);
    expect(b.toArray()).toEqual(['0', 'x', '2', '3']);
  });

  it('shrinks after draining and still works', () => {
    const l = new ListValue();
    for (let i = 0; i < 1000; i++) l.pushTail(String(i));
    l.trimHead(990);
    expect(l.toArray()).toEqual(['990', '991', '992', '993', '994', '995', '996', '997', '998', '999']);
    for (let i = 0; i < 9; i++) l.popTail();
    expect(l.toArray()).toEqual(['990']);
  });

  type Op =
    | { op: 'pushHead' | 'pushTail'; v: string }
    | { op: 'popHead' | 'popTail' }
    | { op: 'set' | 'insertAt'; i: number; v: string }
    | { op: 'trimHead' | 'trimTail'; n: number }
    | { op: 'removeIndexes'; picks: number[] };

  const value = fc.constantFrom('a', 'b', 'c', '', '\x00', '\xff\xfe');
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constantFrom('pushHead' as const, 'pushTail' as const), v: value }), weight: 6 },
    { arbitrary: fc.record({ op: fc.constantFrom('popHead' as const, 'popTail' as const) }), weight: 3 },
    fc.record({ op: fc.constantFrom('set' as const, 'insertAt' as const), i: fc.nat(), v: value }),
    fc.record({ op: fc.constantFrom('trimHead' as const, 'trimTail' as const), n: fc.nat({ max: 6 }) }),
    fc.record({ op: fc.constant('removeIndexes' as const), picks: fc.array(fc.nat(), { maxLength: 5 }) }),
  );

  it('behaves like an array under any sequence of operations (model test)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const l = new ListValue();
        const model: string[] = [];
        for (const o of ops) {
          switch (o.op) {
            case 'pushHead': l.pushHead(o.v); model.unshift(o.v); break;
            case 'pushTail': l.pushTail(o.v); model.push(o.v); break;
            case 'popHead': if (model.length > 0) expect(l.popHead()).toBe(model.shift()); break;
            case 'popTail': if (model.length > 0) expect(l.popTail()).toBe(model.pop()); break;
            case 'set':
              if (model.length > 0) {
                const i = o.i % model.length;
                l.set(i, o.v);
                model[i] = o.v;
              }
              break;
            case 'insertAt': {
              const i = o.i % (model.length + 1);
              l.insertAt(i, o.v);
              model.splice(i, 0, o.v);
              break;
            }
            case 'trimHead': { const n = Math.min(o.n, model.length); l.trimHead(n); model.splice(0, n); break; }
            case 'trimTail': { const n = Math.min(o.n, model.length); l.trimTail(n); model.splice(model.length - n, n); break; }
            case 'removeIndexes': {
              if (model.length === 0) break;
              const idx = [...new Set(o.picks.map((p) => p % model.length))].sort((a, b) => a - b);
              l.removeIndexes(idx);
              for (let k = idx.length - 1; k >= 0; k--) model.splice(idx[k]!, 1);
              break;
            }
          }
          expect(l.length).toBe(model.length);
        }
        expect(l.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(l.at(i)).toBe(model[i]);
      }),
      { numRuns: 300 },
    );
  });
});
