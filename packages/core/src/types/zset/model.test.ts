/**
 * Model-based test of the sorted set commands: random command sequences run on the engine and on
 * a model (a member → score map, sorted into an array for each question), and every reply must
 * agree: ranks, ranges by rank and score with LIMIT and REV, counts, pops and range removals.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../../engine/engine.ts';
import { formatDouble17g } from '../../reply/reply.ts';
import { wire2 } from './testing.ts';

type Pair = [string, number];

class Model {
  readonly scores = new Map<string, number>();

  sorted(): Pair[] {
    return [...this.scores].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

const member = fc.nat(299).map((i) => `m${i}`);
const score = fc.integer({ min: -20, max: 20 });
const index = fc.integer({ min: -320, max: 320 });

type Cmd = { argv: string[]; expect: (m: Model) => unknown };

const flat = (pairs: Pair[], withScores: boolean): string[] =>
  withScores ? pairs.flatMap(([m, s]) => [m, formatDouble17g(s)]) : pairs.map(([m]) => m);

/** Redis's rank range sanitizing, on the model. */
function rankSlice(n: number, start: number, end: number): [number, number] {
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (start > end || start >= n) return [0, 0];
  return [start, Math.min(end, n - 1) + 1];
}

const commands: fc.Arbitrary<Cmd> = fc.oneof(
  fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 20 }).map((pairs) => ({
    argv: ['zadd', 'z', ...pairs.flatMap(([s, m]) => [String(s), m])],
    expect: (md: Model) => {
      let added = 0;
      for (const [s, m] of pairs) {
        if (!md.scores.has(m)) added++;
        md.scores.set(m, s);
      }
      return added;
    },
  })),
  fc.tuple(score, member).map(([s, m]) => ({
    argv: ['zincrby', 'z', String(s), m],
    expect: (md: Model) => {
      const v = (md.scores.get(m) ?? 0) + s;
      md.scores.set(m, v);
      return formatDouble17g(v);
    },
  })),
  fc.array(member, { minLength: 1, maxLength: 5 }).map((ms) => ({
    argv: ['zrem', 'z', ...ms],
    expect: (md: Model) => ms.filter((m) => md.scores.delete(m)).length,
  })),
  fc.tuple(member, fc.boolean()).map(([m, rev]) => ({
    argv: [rev ? 'zrevrank' : 'zrank', 'z', m],
    expect: (md: Model) => {
      const s = md.sorted();
      const i = s.findIndex(([x]) => x === m);
      return i < 0 ? null : rev ? s.length - 1 - i : i;
    },
  })),
  fc.tuple(index, index, fc.boolean(), fc.boolean()).map(([a, b, rev, ws]) => ({
    argv: ['zrange', 'z', String(a), String(b), ...(rev ? ['rev'] : []), ...(ws ? ['withscores'] : [])],
    expect: (md: Model) => {
      let s = md.sorted();
      if (rev) s = s.reverse();
      const [from, to] = rankSlice(s.length, a, b);
      return flat(s.slice(from, to), ws);
    },
  })),
  fc.tuple(score, score, fc.boolean(), fc.boolean(), fc.boolean(), fc.option(fc.tuple(fc.nat(30), fc.integer({ min: -1, max: 30 })))).map(
    ([lo, hi, loEx, hiEx, rev, limit]) => ({
      argv: [
        'zrange', 'z', rev ? `${hiEx ? '(' : ''}${hi}` : `${loEx ? '(' : ''}${lo}`, rev ? `${loEx ? '(' : ''}${lo}` : `${hiEx ? '(' : ''}${hi}`,
        'byscore', ...(rev ? ['rev'] : []), ...(limit ? ['limit', String(limit[0]), String(limit[1])] : []), 'withscores',
      ],
      expect: (md: Model) => {
        let s = md.sorted().filter(([, v]) => (loEx ? v > lo : v >= lo) && (hiEx ? v < hi : v <= hi));
        if (rev) s = s.reverse();
        if (limit) {
          if (limit[0] >= md.scores.size && limit[0] > 0) s = [];
          else s = s.slice(limit[0], limit[1] < 0 ? undefined : limit[0] + limit[1]);
        }
        return flat(s, true);
      },
    }),
  ),
  fc.tuple(score, score).map(([lo, hi]) => ({
    argv: ['zcount', 'z', String(lo), `(${hi}`],
    expect: (md: Model) => [...md.scores.values()].filter((v) => v >= lo && v < hi).length,
  })),
  fc.tuple(fc.boolean(), fc.option(fc.nat(40))).map(([max, count]) => ({
    argv: [max ? 'zpopmax' : 'zpopmin', 'z', ...(count === null ? [] : [String(count)])],
    expect: (md: Model) => {
      let s = md.sorted();
      if (max) s = s.reverse();
      const taken = s.slice(0, count ?? 1);
      for (const [m] of taken) md.scores.delete(m);
      return flat(taken, true);
    },
  })),
  fc.tuple(index, index).map(([a, b]) => ({
    argv: ['zremrangebyrank', 'z', String(a), String(b)],
    expect: (md: Model) => {
      const s = md.sorted();
      const [from, to] = rankSlice(s.length, a, b);
      for (const [m] of s.slice(from, to)) md.scores.delete(m);
      return to - from;
    },
  })),
  fc.tuple(score, score).map(([lo, hi]) => ({
    argv: ['zremrangebyscore', 'z', `(${lo}`, String(hi)],
    expect: (md: Model) => {
      const gone = [...md.scores].filter(([, v]) => v > lo && v <= hi);
      for (const [m] of gone) md.scores.delete(m);
      return gone.length;
    },
  })),
  fc.constant<Cmd>({ argv: ['zcard', 'z'], expect: (md: Model) => md.scores.size }),
  member.map((m) => ({
    argv: ['zscore', 'z', m],
    expect: (md: Model) => {
      const v = md.scores.get(m);
      return v === undefined ? null : formatDouble17g(v);
    },
  })),
);

describe('sorted set commands against a sorted-array model', () => {
  it('agree on every reply of random command sequences', () => {
    fc.assert(
      fc.property(fc.array(commands, { minLength: 1, maxLength: 120 }), (cmds) => {
        const e = createEngine({ activeExpire: false });
        const c = e.connect();
        const md = new Model();
        for (const cmd of cmds) {
          const got = wire2(c.exec(cmd.argv));
          expect([cmd.argv.join(' '), got]).toEqual([cmd.argv.join(' '), cmd.expect(md)]);
        }
        expect(wire2(c.exec(['zrange', 'z', '0', '-1', 'withscores']))).toEqual(flat(md.sorted(), true));
        expect(wire2(c.exec(['exists', 'z']))).toBe(md.scores.size > 0 ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
