/**
 * Model-based property test: random sequences of list commands run on the engine and on a model
 * built from plain JS arrays (Redis's documented semantics, written independently of the
 * implementation); every reply and the final dataset must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.ts';
import { ReplyError } from '../../reply/errors.ts';
import { NilArray, Status, type Reply } from '../../reply/reply.ts';

type Plain = string | number | null | Plain[] | { s: string };
function plain(r: Reply): Plain {
  if (r instanceof ReplyError) return { s: `-${r.message}` };
  if (r instanceof Status) return { s: `+${r.value}` };
  if (r instanceof NilArray) return { s: '*-1' };
  if (Array.isArray(r)) return r.map(plain);
  return r as string | number | null;
}

type Model = Map<string, string[]>;

const KEYS = ['a', 'b', 'c'];
const key = fc.constantFrom(...KEYS);
const el = fc.constantFrom('x', 'y', 'z', '', '\x00\xff');
const idx = fc.integer({ min: -7, max: 7 }).map(String);
const side = fc.constantFrom('LEFT', 'RIGHT', 'left', 'Right');
const cnt = fc.integer({ min: 0, max: 5 }).map(String);

const command: fc.Arbitrary<string[]> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), key, fc.array(el, { minLength: 1, maxLength: 4 })).map(([c, k, es]) => [c, k, ...es]), weight: 6 },
  fc.tuple(fc.constantFrom('LPUSHX', 'RPUSHX'), key, el).map((a) => [...a]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map((a) => [...a]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, cnt).map((a) => [...a]),
  fc.tuple(fc.constant('LLEN'), key).map((a) => [...a]),
  fc.tuple(fc.constant('LRANGE'), key, idx, idx).map((a) => [...a]),
  fc.tuple(fc.constant('LINDEX'), key, idx).map((a) => [...a]),
  fc.tuple(fc.constant('LSET'), key, idx, el).map((a) => [...a]),
  fc.tuple(fc.constant('LINSERT'), key, fc.constantFrom('BEFORE', 'AFTER'), el, el).map((a) => [...a]),
  fc.tuple(fc.constant('LREM'), key, fc.integer({ min: -3, max: 3 }).map(String), el).map((a) => [...a]),
  fc.tuple(fc.constant('LTRIM'), key, idx, idx).map((a) => [...a]),
  fc.tuple(fc.constant('LPOS'), key, el, fc.constantFrom('1', '2', '-1', '-2'), fc.option(cnt), fc.constantFrom('0', '2', '4')).map(
    ([, k, e, rank, count, maxlen]) => ['LPOS', k, e, 'RANK', rank, ...(count === null ? [] : ['COUNT', count]), 'MAXLEN', maxlen],
  ),
  fc.tuple(fc.constant('LMOVE'), key, key, side, side).map((a) => [...a]),
  fc.tuple(fc.constant('RPOPLPUSH'), key, key).map((a) => [...a]),
  fc.tuple(fc.uniqueArray(key, { minLength: 1, maxLength: 3 }), side, fc.option(fc.integer({ min: 1, max: 4 }))).map(
    ([ks, s, n]) => ['LMPOP', String(ks.length), ...ks, s, ...(n === null ? [] : ['COUNT', String(n)])],
  ),
  fc.tuple(fc.constantFrom('BLPOP', 'BRPOP'), fc.uniqueArray(key, { minLength: 1, maxLength: 3 })).map(([c, ks]) => [c, ...ks, '0']),
);

const clamp = (len: number, start: number, end: number): [number, number] | undefined => {
  if (start < 0) start += len;
  if (end < 0) end += len;
  start = Math.max(0, start);
  end = Math.min(end, len - 1);
  return start > end || start >= len ? undefined : [start, end];
};

/** Applies `argv` to the model and returns the expected reply. */
function apply(m: Model, argv: string[]): Plain {
  const [name, k] = [argv[0]!, argv[1]!];
  const get = (key: string) => m.get(key);
  const drop = (key: string) => {
    if (m.get(key)?.length === 0) m.delete(key);
  };
  const list = get(k);
  switch (name) {
    case 'LPUSH': case 'RPUSH': case 'LPUSHX': case 'RPUSHX': {
      if (!list && name.endsWith('X')) return 0;
      const l = list ?? [];
      for (const v of argv.slice(2)) if (name[0] === 'L') l.unshift(v); else l.push(v);
      m.set(k, l);
      return l.length;
    }
    case 'LPOP': case 'RPOP': {
      const n = argv[2] === undefined ? undefined : Number(argv[2]);
      if (!list) return n === undefined ? null : { s: '*-1' };
      const out = n === undefined ? [list[0]!] : [];
      if (n !== undefined) for (let i = 0; i < n && list.length > 0; i++) out.push((name === 'LPOP' ? list.shift() : list.pop())!);
      else if (name === 'LPOP') list.shift();
      else out[0] = list.pop()!;
      drop(k);
      return n === undefined ? out[0]! : out;
    }
    case 'LLEN': return list?.length ?? 0;
    case 'LRANGE': {
      const r = list && clamp(list.length, Number(argv[2]), Number(argv[3]));
      return r ? list!.slice(r[0], r[1] + 1) : [];
    }
    case 'LINDEX': {
      if (!list) return null;
      const i = Number(argv[2]) < 0 ? list.length + Number(argv[2]) : Number(argv[2]);
      return list[i] ?? null;
    }
    case 'LSET': {
      if (!list) return { s: '-ERR no such key' };
      const i = Number(argv[2]) < 0 ? list.length + Number(argv[2]) : Number(argv[2]);
      if (i < 0 || i >= list.length) return { s: '-ERR index out of range' };
      list[i] = argv[3]!;
      return { s: '+OK' };
    }
    case 'LINSERT': {
      if (!list) return 0;
      const i = list.indexOf(argv[3]!);
      if (i < 0) return -1;
      list.splice(argv[2] === 'AFTER' ? i + 1 : i, 0, argv[4]!);
      return list.length;
    }
    case 'LREM': {
      if (!list) return 0;
      const n = Number(argv[2]);
      const order = [...list.keys()];
      if (n < 0) order.reverse();
      const gone = order.filter((i) => list[i] === argv[3]).slice(0, n === 0 ? undefined : Math.abs(n));
      m.set(k, list.filter((_, i) => !gone.includes(i)));
      drop(k);
      return gone.length;
    }
    case 'LTRIM': {
      if (!list) return { s: '+OK' };
      const r = clamp(list.length, Number(argv[2]), Number(argv[3]));
      m.set(k, r ? list.slice(r[0], r[1] + 1) : []);
      drop(k);
      return { s: '+OK' };
    }
    case 'LPOS': {
      const rank = Number(argv[4]);
      const ci = argv.indexOf('COUNT');
      const count = ci < 0 ? undefined : Number(argv[ci + 1]);
      const maxlen = Number(argv[argv.length - 1]);
      if (!list) return count === undefined ? null : [];
      let order = [...list.keys()];
      if (rank < 0) order.reverse();
      if (maxlen > 0) order = order.slice(0, maxlen);
      const hits = order.filter((i) => list[i] === argv[2]).slice(Math.abs(rank) - 1);
      if (count === undefined) return hits[0] ?? null;
      return count === 0 ? hits : hits.slice(0, count);
    }
    case 'LMOVE': case 'RPOPLPUSH': {
      const from = name === 'RPOPLPUSH' ? 'right' : argv[3]!.toLowerCase();
      const to = name === 'RPOPLPUSH' ? 'left' : argv[4]!.toLowerCase();
      if (!list) return null;
      const v = (from === 'left' ? list.shift() : list.pop())!;
      const dst = get(argv[2]!) ?? [];
      if (to === 'left') dst.unshift(v); else dst.push(v);
      m.set(argv[2]!, dst);
      drop(k);
      return v;
    }
    case 'LMPOP': {
      const n = Number(argv[1]);
      const keys = argv.slice(2, 2 + n);
      const where = argv[2 + n]!.toLowerCase();
      const count = argv[3 + n] === 'COUNT' ? Number(argv[4 + n]) : 1;
      for (const key of keys) {
        const l = get(key);
        if (!l) continue;
        const out: string[] = [];
        for (let i = 0; i < count && l.length > 0; i++) out.push((where === 'left' ? l.shift() : l.pop())!);
        drop(key);
        return [key, out];
      }
      return { s: '*-1' };
    }
    case 'BLPOP': case 'BRPOP': {
      for (const key of argv.slice(1, -1)) {
        const l = get(key);
        if (!l) continue;
        const v = (name === 'BLPOP' ? l.shift() : l.pop())!;
        drop(key);
        return [key, v];
      }
      return { s: '*-1' };
    }
  }
  throw new Error(`model lacks ${name}`);
}

describe('list commands against a JS array model', () => {
  it('agree on every reply and on the final dataset', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (cmds) => {
        const engine = createEngine({ activeExpire: false });
        const c = engine.connect();
        const m: Model = new Map();
        // Blocking commands run inside MULTI so that an empty key answers at once instead of blocking.
        for (const argv of cmds) {
          const blocking = argv[0]!.startsWith('B');
          if (blocking) c.exec(['MULTI']);
          const queued = plain(c.exec(argv) as Reply);
          const reply = blocking ? (plain(c.exec(['EXEC']) as Reply) as Plain[])[0]! : queued;
          expect(reply, argv.join(' ')).toEqual(apply(m, argv));
        }
        for (const k of KEYS) {
          expect(plain(c.exec(['LRANGE', k, '0', '-1']) as Reply), k).toEqual(m.get(k) ?? []);
          expect(plain(c.exec(['EXISTS', k]) as Reply)).toBe(m.has(k) ? 1 : 0);
        }
        engine.close();
      }),
      { numRuns: 300 },
    );
  });
});
