/**
 * Model-based test: random command sequences against a Map of JS Sets. Checks every reply, the
 * keyspace (empty sets never linger), and the intset invariant (only integers, within the limit,
 * replied in ascending order).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parkMiller } from '../../commands/testing.ts';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';
import { MapReply, SetReply, type Reply } from '../../reply/reply.ts';
import { compareInts, SetValue } from './set.ts';

const KEYS = ['a', 'b', 'c'];
const MAX_INTSET = 6;
const key = fc.constantFrom(...KEYS);
const member = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('x', 'y', '07', '') },
);
const members = fc.array(member, { minLength: 1, maxLength: 4 });
const keys = fc.array(key, { minLength: 1, maxLength: 3 });

const command = fc.oneof(
  members.chain((ms) => key.map((k) => ['sadd', k, ...ms])),
  members.chain((ms) => key.map((k) => ['srem', k, ...ms])),
  fc.tuple(key, member).map(([k, m]) => ['sismember', k, m]),
  members.chain((ms) => key.map((k) => ['smismember', k, ...ms])),
  key.map((k) => ['scard', k]),
  key.map((k) => ['smembers', k]),
  fc.tuple(key, key, member).map(([s, d, m]) => ['smove', s, d, m]),
  key.map((k) => ['spop', k]),
  fc.tuple(key, fc.integer({ min: 0, max: 12 })).map(([k, n]) => ['spop', k, String(n)]),
  key.map((k) => ['srandmember', k]),
  fc.tuple(key, fc.integer({ min: -8, max: 12 })).map(([k, n]) => ['srandmember', k, String(n)]),
  fc.tuple(fc.constantFrom('sinter', 'sunion', 'sdiff'), keys).map(([op, ks]) => [op, ...ks]),
  fc.tuple(fc.constantFrom('sinterstore', 'sunionstore', 'sdiffstore'), key, keys).map(([op, d, ks]) => [op, d, ...ks]),
  fc.tuple(keys, fc.integer({ min: 0, max: 4 })).map(([ks, l]) => ['sintercard', String(ks.length), ...ks, 'LIMIT', String(l)]),
  fc.tuple(key, fc.integer({ min: 1, max: 4 })).map(([k, n]) => ['sscan', k, '0', 'COUNT', String(n)]),
);

type Model = Map<string, Set<string>>;

const items = (r: Reply): Reply[] => (r instanceof SetReply || r instanceof MapReply ? r.items : (r as Reply[]));
const sortedOf = (xs: Iterable<string>): string[] => [...xs].sort();

function inter(model: Model, ks: string[]): Set<string> {
  const sets = ks.map((k) => model.get(k) ?? new Set<string>());
  return new Set([...sets[0]!].filter((m) => sets.every((s) => s.has(m))));
}
function union(model: Model, ks: string[]): Set<string> {
  return new Set(ks.flatMap((k) => [...(model.get(k) ?? [])]));
}
function diff(model: Model, ks: string[]): Set<string> {
  const rest = union(model, ks.slice(1));
  return new Set([...(model.get(ks[0]!) ?? [])].filter((m) => !rest.has(m)));
}
function store(model: Model, dst: string, result: Set<string>): number {
  if (result.size > 0) model.set(dst, result);
  else model.delete(dst);
  return result.size;
}

/** Runs `argv` on the model and checks Larder's reply against it. */
function check(c: Client, model: Model, argv: string[]): void {
  const r = c.exec(argv) as Reply;
  const [cmd, k] = argv as [string, string];
  const s = model.get(k);
  const size = s?.size ?? 0;
  switch (cmd) {
    case 'sadd': {
      const next = s ?? new Set<string>();
      const before = next.size;
      for (const m of argv.slice(2)) next.add(m);
      model.set(k, next);
      return void expect(r).toBe(next.size - before);
    }
    case 'srem': {
      let n = 0;
      for (const m of argv.slice(2)) if (s?.delete(m)) n++;
      if (s?.size === 0) model.delete(k);
      return void expect(r).toBe(n);
    }
    case 'sismember':
      return void expect(r).toBe(s?.has(argv[2]!) ? 1 : 0);
    case 'smismember':
      return void expect(r).toEqual(argv.slice(2).map((m) => (s?.has(m) ? 1 : 0)));
    case 'scard':
      return void expect(r).toBe(size);
    case 'smembers':
      return void expect(sortedOf(items(r) as string[])).toEqual(sortedOf(s ?? []));
    case 'smove': {
      const [, src, dst, m] = argv as [string, string, string, string];
      const from = model.get(src);
      const moved = from?.has(m) ?? false;
      expect(r).toBe(moved ? 1 : 0);
      if (moved && src !== dst) {
        from!.delete(m);
        if (from!.size === 0) model.delete(src);
        model.set(dst, (model.get(dst) ?? new Set()).add(m));
      }
      return;
    }
    case 'spop': {
      const popped = argv.length === 2 ? (r === null ? [] : [r as string]) : (items(r) as string[]);
      const want = argv.length === 2 ? Math.min(1, size) : Math.min(Number(argv[2]), size);
      expect(popped).toHaveLength(want);
      expect(new Set(popped).size).toBe(want);
      for (const m of popped) expect(s!.delete(m)).toBe(true);
      if (s?.size === 0) model.delete(k);
      return;
    }
    case 'srandmember': {
      if (argv.length === 2) return void expect(r === null ? size === 0 : s!.has(r as string)).toBe(true);
      const n = Number(argv[2]);
      const got = r as string[];
      expect(got).toHaveLength(size === 0 ? 0 : n < 0 ? -n : Math.min(n, size));
      for (const m of got) expect(s!.has(m)).toBe(true);
      if (n > 0) expect(new Set(got).size).toBe(got.length);
      return;
    }
    case 'sinter':
    case 'sunion':
    case 'sdiff': {
      const op = cmd === 'sinter' ? inter : cmd === 'sunion' ? union : diff;
      return void expect(sortedOf(items(r) as string[])).toEqual(sortedOf(op(model, argv.slice(1))));
    }
    case 'sinterstore':
    case 'sunionstore':
    case 'sdiffstore': {
      const op = cmd === 'sinterstore' ? inter : cmd === 'sunionstore' ? union : diff;
      return void expect(r).toBe(store(model, k, op(model, argv.slice(2))));
    }
    case 'sintercard': {
      const n = inter(model, argv.slice(2, -2)).size;
      const limit = Number(argv[argv.length - 1]);
      return void expect(r).toBe(limit === 0 ? n : Math.min(n, limit));
    }
    case 'sscan': {
      const seen: string[] = [];
      let cursor = '0';
      let reply = r as [string, string[]];
      for (let rounds = 0; ; rounds++) {
        [cursor] = reply;
        seen.push(...reply[1]);
        if (cursor === '0' || rounds > 100) break;
        reply = c.exec(['sscan', k, cursor, 'COUNT', argv[4]!]) as [string, string[]];
      }
      expect(cursor).toBe('0');
      return void expect(sortedOf(seen)).toEqual(sortedOf(s ?? []));
    }
  }
}

function checkKeyspace(c: Client, model: Model): void {
  for (const k of KEYS) {
    const v = c.db.lookup(k)?.value as SetValue | undefined;
    const m = model.get(k);
    expect(v?.size, k).toBe(m?.size);
    if (v === undefined || v.encoding !== 'intset') continue;
    const list = [...v];
    expect(list.length).toBeLessThanOrEqual(MAX_INTSET);
    expect(list).toEqual([...list].sort(compareInts));
    for (const x of list) expect(x).toMatch(/^(0|-?[1-9][0-9]*)$/);
  }
}

describe('set commands against a model', () => {
  it('agree with JS Sets on every reply and state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 31 - 2 }), (cmds, seed) => {
        const e = createEngine({
          activeExpire: false,
          random: parkMiller(seed),
          config: { 'set-max-intset-entries': String(MAX_INTSET) },
        });
        const c = e.connect();
        const model: Model = new Map();
        for (const argv of cmds) {
          check(c, model, argv);
          checkKeyspace(c, model);
        }
        e.close();
      }),
      { numRuns: 300 },
    );
  });
});
