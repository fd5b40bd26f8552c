/**
 * Model-based test: random sequences of string and bitmap commands run against the engine and
 * against a deliberately naive model (a Map of byte arrays, bits expanded one by one), and must
 * answer alike at every step.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setup, show } from '../../commands/testing.ts';

type Model = Map<string, number[]>;
type Op = { argv: string[]; model: (m: Model) => unknown };

const NOT_INT = '-ERR value is not an integer or out of range';
const OVERFLOW = '-ERR increment or decrement would overflow';
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

const toBytes = (s: string): number[] => [...s].map((ch) => ch.charCodeAt(0));
const toStr = (b: number[]): string => String.fromCharCode(...b);
const bitsOf = (b: number[]): number[] => b.flatMap((x) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (x >> i) & 1));

/** Inclusive [start, end] with Redis's negative indexes, clamped to `len`; undefined when empty. */
function range(start: number, end: number, len: number): [number, number] | undefined {
  const s = Math.max(0, start < 0 ? len + start : start);
  const e = Math.min(len - 1, Math.max(0, end < 0 ? len + end : end));
  return s > e || len === 0 ? undefined : [s, e];
}

const key = fc.constantFrom('a', 'b', 'c');
const bytes = fc.array(fc.constantFrom(0, 1, 0x30, 0x31, 0x39, 0x2d, 0x61, 0x80, 0xff), { maxLength: 8 }).map(toStr);
const value = fc.oneof(bytes, fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('9223372036854775807', '-9223372036854775808'));
const index = fc.integer({ min: -20, max: 20 });

const ops: fc.Arbitrary<Op>[] = [
  fc.tuple(key, value).map(([k, v]) => ({ argv: ['SET', k, v], model: (m: Model) => (m.set(k, toBytes(v)), '+OK') })),
  key.map((k) => ({ argv: ['GET', k], model: (m: Model) => (m.has(k) ? toStr(m.get(k)!) : null) })),
  key.map((k) => ({ argv: ['STRLEN', k], model: (m: Model) => m.get(k)?.length ?? 0 })),
  key.map((k) => ({ argv: ['DEL', k], model: (m: Model) => (m.delete(k) ? 1 : 0) })),
  fc.tuple(key, bytes).map(([k, v]) => ({
    argv: ['APPEND', k, v],
    model: (m: Model) => {
      const b = [...(m.get(k) ?? []), ...toBytes(v)];
      m.set(k, b);
      return b.length;
    },
  })),
  fc.tuple(key, fc.integer({ min: 0, max: 20 }), bytes).map(([k, off, v]) => ({
    argv: ['SETRANGE', k, String(off), v],
    model: (m: Model) => {
      const b = [...(m.get(k) ?? [])];
      if (v.length === 0) return b.length;
      while (b.length < off) b.push(0);
      toBytes(v).forEach((x, i) => (b[off + i] = x));
      m.set(k, b);
      return b.length;
    },
  })),
  fc.tuple(key, index, index).map(([k, s, e]) => ({
    argv: ['GETRANGE', k, String(s), String(e)],
    model: (m: Model) => {
      const b = m.get(k) ?? [];
      if (s < 0 && e < 0 && s > e) return '';
      const r = range(s, e, b.length);
      return r ? toStr(b.slice(r[0], r[1] + 1)) : '';
    },
  })),
  fc.tuple(key, fc.oneof(fc.integer({ min: -5, max: 5 }).map(BigInt), fc.constantFrom(MAX, MIN, 2n ** 53n))).map(([k, by]) => ({
    argv: ['INCRBY', k, String(by)],
    model: (m: Model) => {
      const cur = m.has(k) ? toStr(m.get(k)!) : '0';
      if (!/^(0|-?[1-9][0-9]*)$/.test(cur) || BigInt(cur) < MIN || BigInt(cur) > MAX) return NOT_INT;
      const next = BigInt(cur) + by;
      if (next < MIN || next > MAX) return OVERFLOW;
      m.set(k, toBytes(String(next)));
      return Number.isSafeInteger(Number(next)) ? Number(next) : next;
    },
  })),
  fc.tuple(key, fc.integer({ min: 0, max: 80 }), fc.constantFrom(0, 1)).map(([k, off, bit]) => ({
    argv: ['SETBIT', k, String(off), String(bit)],
    model: (m: Model) => {
      const b = [...(m.get(k) ?? [])];
      while (b.length <= off >> 3) b.push(0);
      const old = bitsOf(b)[off]!;
      const mask = 1 << (7 - (off % 8));
      b[off >> 3] = bit ? b[off >> 3]! | mask : b[off >> 3]! & ~mask;
      m.set(k, b);
      return old;
    },
  })),
  fc.tuple(key, fc.integer({ min: 0, max: 90 })).map(([k, off]) => ({
    argv: ['GETBIT', k, String(off)],
    model: (m: Model) => bitsOf(m.get(k) ?? [])[off] ?? 0,
  })),
  fc.tuple(key, fc.option(fc.tuple(index, index, fc.constantFrom('BYTE', 'BIT')))).map(([k, r]) => ({
    argv: r ? ['BITCOUNT', k, String(r[0]), String(r[1]), r[2]] : ['BITCOUNT', k],
    model: (m: Model) => {
      const bits = bitsOf(m.get(k) ?? []);
      if (!r) return bits.filter((x) => x === 1).length;
      if (r[0] < 0 && r[1] < 0 && r[0] > r[1]) return 0;
      const unit = r[2] === 'BIT' ? 1 : 8;
      const got = range(r[0], r[1], bits.length / unit);
      return got ? bits.slice(got[0] * unit, (got[1] + 1) * unit).filter((x) => x === 1).length : 0;
    },
  })),
  fc.tuple(key, fc.constantFrom(0, 1), fc.option(fc.tuple(index, index, fc.constantFrom('BYTE', 'BIT')))).map(([k, bit, r]) => ({
    argv: r ? ['BITPOS', k, String(bit), String(r[0]), String(r[1]), r[2]] : ['BITPOS', k, String(bit)],
    model: (m: Model) => {
      if (!m.has(k)) return bit ? -1 : 0;
      const bits = bitsOf(m.get(k)!);
      const unit = r?.[2] === 'BIT' ? 1 : 8;
      const got = r ? range(r[0], r[1], bits.length / unit) : range(0, -1, bits.length / 8);
      if (!got) return -1;
      const from = got[0] * unit;
      const i = bits.slice(from, (got[1] + 1) * unit).indexOf(bit);
      if (i >= 0) return from + i;
      // Only a search for 0 with no end given runs past the string.
      return bit === 0 && !r ? bits.length : -1;
    },
  })),
];

describe('string commands against a model', () => {
  it('answer like a Map of byte arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(...ops), { maxLength: 60 }), (script) => {
        const { c } = setup();
        const model: Model = new Map();
        for (const op of script) {
          expect([op.argv, show(c.exec(op.argv))]).toEqual([op.argv, op.model(model)]);
        }
        for (const k of ['a', 'b', 'c']) {
          expect(c.db.lookup(k)?.value ?? null).toEqual(model.has(k) ? toStr(model.get(k)!) : null);
        }
      }),
      { numRuns: 300 },
    );
  });
});
