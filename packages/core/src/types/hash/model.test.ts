/**
 * Model-based test: random command sequences against a Map of JS Maps, whose insertion order is a
 * listpack's. Checks every reply (order included), errors, and that empty hashes never linger.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parkMiller } from '../../commands/testing.ts';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';
import { ReplyError } from '../../reply/errors.ts';
import { MapReply, OK, type Reply } from '../../reply/reply.ts';
import type { HashValue } from './hash.ts';

const KEYS = ['h', 'g'];
const key = fc.constantFrom(...KEYS);
const field = fc.constantFrom('a', 'b', 'c', 'd', 'e', '');
const value = fc.oneof(fc.integer({ min: -3, max: 3 }).map(String), fc.constantFrom('x', '1.5', '9223372036854775807', ''));
const fields = fc.array(field, { minLength: 1, maxLength: 3 });
const pairs = fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());

const command = fc.oneof(
  fc.tuple(fc.constantFrom('hset', 'hmset'), key, pairs).map(([cmd, k, ps]) => [cmd, k, ...ps]),
  fc.tuple(key, field, value).map(([k, f, v]) => ['hsetnx', k, f, v]),
  fc.tuple(key, field).map(([k, f]) => ['hget', k, f]),
  fc.tuple(key, fields).map(([k, fs]) => ['hmget', k, ...fs]),
  fc.tuple(key, fields).map(([k, fs]) => ['hdel', k, ...fs]),
  fc.tuple(fc.constantFrom('hgetall', 'hkeys', 'hvals', 'hlen'), key),
  fc.tuple(fc.constantFrom('hexists', 'hstrlen'), key, field),
  fc.tuple(key, field, fc.constantFrom('1', '-2', '9223372036854775807', 'x')).map(([k, f, n]) => ['hincrby', k, f, n]),
  fc.tuple(key, field, fc.constantFrom('0.5', '-1', '1e3', 'x')).map(([k, f, n]) => ['hincrbyfloat', k, f, n]),
  fc.tuple(key, fc.integer({ min: -7, max: 7 }), fc.boolean()).map(([k, n, wv]) => ['hrandfield', k, String(n), ...(wv ? ['WITHVALUES'] : [])]),
  key.map((k) => ['hrandfield', k]),
  fc.tuple(key, fc.integer({ min: 1, max: 3 })).map(([k, n]) => ['hscan', k, '0', 'COUNT', String(n)]),
);

type Model = Map<string, Map<string, string>>;
const INT = /^(0|-?[1-9][0-9]*)$/;
const halves = (s: string): bigint => (INT.test(s) ? 2n * BigInt(s) : BigInt(Number(s) * 2));
function fromHalves(n: bigint): string {
  const a = n < 0n ? -n : n;
  const text = (a / 2n).toString() + (a % 2n === 1n ? '.5' : '');
  return n < 0n ? `-${text}` : text;
}

function check(c: Client, model: Model, argv: string[]): void {
  const r = c.exec(argv) as Reply;
  const [cmd, k, f] = argv as [string, string, string];
  const h = model.get(k);
  const err = r instanceof ReplyError ? r.message : undefined;
  switch (cmd) {
    case 'hset':
    case 'hmset': {
      const next = h ?? new Map<string, string>();
      const before = next.size;
      for (let i = 2; i < argv.length; i += 2) next.set(argv[i]!, argv[i + 1]!);
      model.set(k, next);
      return void expect(r).toEqual(cmd === 'hset' ? next.size - before : OK);
    }
    case 'hsetnx': {
      if (h?.has(f)) return void expect(r).toBe(0);
      model.set(k, (h ?? new Map()).set(f, argv[3]!));
      return void expect(r).toBe(1);
    }
    case 'hget':
      return void expect(r).toBe(h?.get(f) ?? null);
    case 'hmget':
      return void expect(r).toEqual(argv.slice(2).map((x) => h?.get(x) ?? null));
    case 'hdel': {
      let n = 0;
      for (const x of argv.slice(2)) if (h?.delete(x)) n++;
      if (h?.size === 0) model.delete(k);
      return void expect(r).toBe(n);
    }
    case 'hgetall':
      return void expect(r).toEqual(new MapReply([...(h ?? [])].flat()));
    case 'hkeys':
      return void expect(r).toEqual([...(h?.keys() ?? [])]);
    case 'hvals':
      return void expect(r).toEqual([...(h?.values() ?? [])]);
    case 'hlen':
      return void expect(r).toBe(h?.size ?? 0);
    case 'hexists':
      return void expect(r).toBe(h?.has(f) ? 1 : 0);
    case 'hstrlen':
      return void expect(r).toBe(h?.get(f)?.length ?? 0);
    case 'hincrby': {
      const old = h?.get(f);
      if (argv[3] === 'x') return void expect(err).toBe('ERR value is not an integer or out of range');
      if (old !== undefined && !INT.test(old)) return void expect(err).toBe('ERR hash value is not an integer');
      const sum = BigInt(old ?? '0') + BigInt(argv[3]!);
      if (sum >= 2n ** 63n) return void expect(err).toBe('ERR increment or decrement would overflow');
      model.set(k, (h ?? new Map()).set(f, String(sum)));
      return void expect(String(r)).toBe(String(sum));
    }
    case 'hincrbyfloat': {
      const old = h?.get(f);
      if (argv[3] === 'x') return void expect(err).toBe('ERR value is not a valid float');
      if (old !== undefined && (old === '' || old === 'x')) return void expect(err).toBe('ERR hash value is not a float');
      // Every value here is a multiple of 0.5, exact in a long double below 2^62; past that the
      // 64-bit significand rounds, so only the magnitude is checked and Larder's text adopted.
      const sum = halves(old ?? '0') + halves(argv[3]!);
      const big = sum >= 2n ** 63n || sum <= -(2n ** 63n);
      if (big) expect(Math.abs(Number(r) - Number(sum) / 2)).toBeLessThanOrEqual(2);
      else expect(r).toBe(fromHalves(sum));
      model.set(k, (h ?? new Map()).set(f, r as string));
      return;
    }
    case 'hrandfield': {
      if (argv.length === 2) return void expect(r === null ? h === undefined : h!.has(r as string)).toBe(true);
      const n = Number(argv[2]);
      const withValues = argv.length === 4;
      const got = r as string[];
      const count = h === undefined ? 0 : n < 0 ? -n : Math.min(n, h.size);
      expect(got).toHaveLength(withValues ? 2 * count : count);
      const step = withValues ? 2 : 1;
      const picked = got.filter((_, i) => i % step === 0);
      for (let i = 0; i < got.length; i += step) {
        expect(h!.has(got[i]!)).toBe(true);
        if (withValues) expect(got[i + 1]).toBe(h!.get(got[i]!));
      }
      if (n > 0) expect(new Set(picked).size).toBe(picked.length);
      return;
    }
    case 'hscan': {
      const seen = new Map<string, string>();
      let reply = r as [string, string[]];
      for (let rounds = 0; rounds < 100; rounds++) {
        for (let i = 0; i < reply[1].length; i += 2) seen.set(reply[1][i]!, reply[1][i + 1]!);
        if (reply[0] === '0') break;
        reply = c.exec(['hscan', k, reply[0], 'COUNT', argv[4]!]) as [string, string[]];
      }
      expect(reply[0]).toBe('0');
      return void expect(seen).toEqual(h ?? new Map());
    }
  }
}

describe('hash commands against a model', () => {
  it('agree with JS Maps on every reply, in listpack order', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.boolean(), (cmds, seed, small) => {
        const e = createEngine({
          activeExpire: false,
          random: parkMiller(seed),
          // Small limits put half of the runs through hashtable-encoded hashes.
          config: small ? { 'hash-max-listpack-entries': '2', 'hash-max-listpack-value': '1' } : {},
        });
        const c = e.connect();
        const model: Model = new Map();
        for (const argv of cmds) {
          check(c, model, argv);
          for (const k of KEYS) expect((c.db.lookup(k)?.value as HashValue | undefined)?.size).toBe(model.get(k)?.size);
        }
        e.close();
      }),
      { numRuns: 300 },
    );
  });
});
