/**
 * Table-driven tests of the set commands. Every expected reply below was recorded from a real
 * redis-server 7.0.15 running the same steps from an empty dataset (RESP2, replies in plain form:
 * `{ s }` status, `{ err }` error, `{ i }` an integer beyond 2^53, `{ len }` only the length is
 * deterministic; a trailing `true` compares as a multiset because the order is a hashtable's).
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';
import { ReplyError } from '../../reply/errors.ts';
import { MapReply, NilArray, OK, SetReply, Status, type Reply } from '../../reply/reply.ts';
import { objectEncoding, typeOf } from '../../keyspace/object.ts';

type Plain = string | number | null | Plain[] | { s: string } | { err: string } | { i: string } | { len: number } | { nilarray: true };
interface Scenario {
  name: string;
  steps: Array<[string[], Plain] | [string[], Plain, boolean]>;
}

const NOW = 1_700_000_000_000;

function plain(r: Reply): Plain {
  if (typeof r === 'string' || typeof r === 'number' || r === null) return r;
  if (typeof r === 'bigint') return Number.isSafeInteger(Number(r)) ? Number(r) : { i: String(r) };
  if (Array.isArray(r)) return r.map(plain);
  if (r instanceof MapReply || r instanceof SetReply) return r.items.map(plain);
  if (r instanceof Status) return { s: r.value };
  if (r instanceof ReplyError) return { err: r.message };
  if (r instanceof NilArray) return { nilarray: true };
  throw new Error(`unexpected reply ${String(r)}`);
}

/**
 * Runs one step. The few commands of other families the scenarios use are answered from the
 * keyspace directly, so these tests depend on nothing outside this type.
 */
function run(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  switch (argv[0]!.toLowerCase()) {
    case 'object': {
      const e = c.db.lookup(argv[2]!);
      return e === undefined ? null : objectEncoding(e);
    }
    case 'config':
      c.engine.config.set(argv[2]!, argv[3]!);
      return OK;
    case 'exists':
      return c.db.lookup(key) === undefined ? 0 : 1;
    case 'type': {
      const e = c.db.lookup(key);
      return new Status(e === undefined ? 'none' : typeOf(e.value));
    }
    case 'expire': {
      const e = c.db.lookup(key);
      if (e === undefined) return 0;
      c.db.setExpire(key, e, NOW + Number(argv[2]) * 1000);
      return 1;
    }
    case 'ttl': {
      const e = c.db.lookup(key);
      return e === undefined ? -2 : e.expireAt === -1 ? -1 : Math.round((e.expireAt - NOW) / 1000);
    }
  }
  const r = c.exec(argv);
  if (r instanceof Promise) throw new Error('unexpected blocking reply');
  return r;
}

/** A fixed Park-Miller sequence: the tables only check what does not depend on it. */
function lcg(): () => number {
  let x = 12345;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

function sorted(p: Plain): Plain {
  return Array.isArray(p) ? [...p].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : p;
}

function runScenarios(scenarios: Scenario[]): void {
  for (const sc of scenarios) {
    it(sc.name, () => {
      const engine = createEngine({ activeExpire: false, now: () => NOW, random: lcg() });
      const c = engine.connect();
      for (const [argv, expected, unordered] of sc.steps) {
        const actual = plain(run(c, argv));
        const label = argv.join(' ').slice(0, 120);
        if (expected !== null && typeof expected === 'object' && 'len' in expected) {
          expect((actual as Plain[]).length, label).toBe(expected.len);
        } else if (unordered) {
          expect(sorted(actual), label).toEqual(sorted(expected));
        } else {
          expect(actual, label).toEqual(expected);
        }
      }
      engine.close();
    });
  }
}

describe('set commands, answers recorded from Redis 7.0.15', () => runScenarios(SET_SCENARIOS));

const SET_SCENARIOS: Scenario[] = [
  { name: "SADD, SREM, SISMEMBER, SMISMEMBER, SCARD", steps: [
    [["sadd", "s", "3", "1", "2", "-5", "10"], 5],
    [["sadd", "s", "1", "2", "3"], 0],
    [["sadd", "s", "7", "7", "7"], 1],
    [["smembers", "s"], ["-5", "1", "2", "3", "7", "10"]],
    [["scard", "s"], 6],
    [["sismember", "s", "7"], 1],
    [["sismember", "s", "8"], 0],
    [["sismember", "s", "07"], 0],
    [["sismember", "s", "abc"], 0],
    [["sismember", "nokey", "1"], 0],
    [["smismember", "s", "1", "8", "7", "x"], [1, 0, 1, 0]],
    [["smismember", "nokey", "a", "b"], [0, 0]],
    [["scard", "nokey"], 0],
    [["srem", "s", "7", "8", "x", "07"], 1],
    [["srem", "nokey", "a"], 0],
    [["smembers", "s"], ["-5", "1", "2", "3", "10"]],
    [["srem", "s", "3", "1", "2", "-5", "10", "99"], 5],
    [["exists", "s"], 0],
    [["smembers", "nokey"], []],
    [["sadd", "t", "a"], 1],
    [["srem", "t", "a"], 1],
    [["exists", "t"], 0],
  ] },
  { name: "intset order, and conversion on the first non-integer", steps: [
    [["sadd", "s", "9223372036854775807", "-9223372036854775808", "0", "100", "-100", "99", "-99"], 7],
    [["smembers", "s"], ["-9223372036854775808", "-100", "-99", "0", "99", "100", "9223372036854775807"]],
    [["object", "encoding", "s"], "intset"],
    [["sadd", "s", "9223372036854775808"], 1],
    [["object", "encoding", "s"], "hashtable"],
    [["smembers", "s"], ["-100", "-9223372036854775808", "-99", "0", "100", "9223372036854775807", "9223372036854775808", "99"], true],
    [["srem", "s", "9223372036854775808"], 1],
    [["object", "encoding", "s"], "hashtable"],
    [["sadd", "i", "1", "2"], 2],
    [["sadd", "i", "007"], 1],
    [["object", "encoding", "i"], "hashtable"],
    [["sadd", "j", "-0"], 1],
    [["object", "encoding", "j"], "hashtable"],
    [["sadd", "k", "+1"], 1],
    [["object", "encoding", "k"], "hashtable"],
    [["sadd", "l", "\"", "1\""], 2],
    [["object", "encoding", "l"], "hashtable"],
    [["sadd", "m", "1"], 1],
    [["sismember", "m", "1.0"], 0],
    [["srem", "m", "01"], 0],
    [["scard", "m"], 1],
  ] },
  { name: "intset to hashtable past set-max-intset-entries", steps: [
    [["config", "set", "set-max-intset-entries", "3"], {"s": "OK"}],
    [["sadd", "s", "1", "2", "3"], 3],
    [["object", "encoding", "s"], "intset"],
    [["sadd", "s", "3"], 0],
    [["object", "encoding", "s"], "intset"],
    [["sadd", "s", "4"], 1],
    [["object", "encoding", "s"], "hashtable"],
    [["srem", "s", "4", "3"], 2],
    [["object", "encoding", "s"], "hashtable"],
    [["config", "set", "set-max-intset-entries", "0"], {"s": "OK"}],
    [["sadd", "t", "1"], 1],
    [["object", "encoding", "t"], "hashtable"],
    [["config", "set", "set-max-intset-entries", "512"], {"s": "OK"}],
    [["sadd", "u", "a"], 1],
    [["object", "encoding", "u"], "hashtable"],
  ] },
  { name: "WRONGTYPE", steps: [
    [["set", "str", "x"], {"s": "OK"}],
    [["sadd", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["srem", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["smembers", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sismember", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["smismember", "str", "a"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["scard", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["spop", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["spop", "str", "2"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["srandmember", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["srandmember", "str", "2"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sinter", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sintercard", "1", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sinterstore", "d", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sunion", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sunionstore", "d", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sdiff", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sdiffstore", "d", "str"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["sscan", "str", "0"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["spop", "str", "-1"], {"err": "ERR value is out of range, must be positive"}],
    [["srandmember", "str", "x"], {"err": "ERR value is not an integer or out of range"}],
    [["get", "str"], "x"],
  ] },
  { name: "SMOVE", steps: [
    [["sadd", "a", "1", "2", "x"], 3],
    [["set", "str", "v"], {"s": "OK"}],
    [["smove", "nokey", "str", "a"], 0],
    [["smove", "a", "str", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["smove", "str", "a", "1"], {"err": "WRONGTYPE Operation against a key holding the wrong kind of value"}],
    [["smove", "a", "a", "1"], 1],
    [["smove", "a", "a", "99"], 0],
    [["smove", "a", "b", "99"], 0],
    [["exists", "b"], 0],
    [["smove", "a", "b", "1"], 1],
    [["object", "encoding", "b"], "intset"],
    [["smembers", "b"], ["1"]],
    [["smove", "a", "b", "x"], 1],
    [["object", "encoding", "b"], "hashtable"],
    [["smembers", "b"], ["1", "x"], true],
    [["sadd", "c", "2"], 1],
    [["smove", "a", "c", "2"], 1],
    [["exists", "a"], 0],
    [["smembers", "c"], ["2"]],
    [["sadd", "d", "5"], 1],
    [["smove", "d", "e", "5"], 1],
    [["exists", "d"], 0],
    [["smembers", "e"], ["5"]],
  ] },
  { name: "SPOP and SRANDMEMBER deterministic answers", steps: [
    [["spop", "nokey"], null],
    [["spop", "nokey", "3"], []],
    [["spop", "nokey", "-1"], {"err": "ERR value is out of range, must be positive"}],
    [["spop", "nokey", "abc"], {"err": "ERR value is out of range, must be positive"}],
    [["spop", "nokey", "1.5"], {"err": "ERR value is out of range, must be positive"}],
    [["spop", "nokey", "9223372036854775808"], {"err": "ERR value is out of range, must be positive"}],
    [["sadd", "s", "3", "1", "2"], 3],
    [["spop", "s", "1", "2"], {"err": "ERR syntax error"}],
    [["spop", "s", "0"], []],
    [["srandmember", "nokey"], null],
    [["srandmember", "nokey", "3"], []],
    [["srandmember", "nokey", "-3"], []],
    [["srandmember", "s", "-9223372036854775808"], {"err": "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"}],
    [["srandmember", "s", "abc"], {"err": "ERR value is not an integer or out of range"}],
    [["srandmember", "s", "1", "2"], {"err": "ERR syntax error"}],
    [["srandmember", "s", "0"], []],
    [["srandmember", "s", "3"], ["1", "2", "3"]],
    [["srandmember", "s", "100"], ["1", "2", "3"]],
    [["srandmember", "s", "9223372036854775807"], ["1", "2", "3"]],
    [["scard", "s"], 3],
    [["spop", "s", "3"], ["1", "2", "3"]],
    [["exists", "s"], 0],
    [["sadd", "t", "5", "x"], 2],
    [["spop", "t", "2"], ["5", "x"], true],
    [["sadd", "u", "10", "3", "7"], 3],
    [["spop", "u", "1000"], ["3", "7", "10"]],
    [["exists", "u"], 0],
    [["sadd", "v", "only"], 1],
    [["spop", "v"], "only"],
    [["exists", "v"], 0],
  ] },
  { name: "SPOP rebuilds the remainder when most of the set goes", steps: [
    [["sadd", "s", "a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], 11],
    [["srem", "s", "a"], 1],
    [["object", "encoding", "s"], "hashtable"],
    [["spop", "s", "9"], {"len": 9}],
    [["object", "encoding", "s"], "intset"],
    [["scard", "s"], 1],
    [["sadd", "t", "a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], 11],
    [["srem", "t", "a"], 1],
    [["spop", "t", "2"], {"len": 2}],
    [["object", "encoding", "t"], "hashtable"],
    [["scard", "t"], 8],
    [["sadd", "u", "a", "b", "c", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], 13],
    [["spop", "u", "12"], {"len": 12}],
    [["scard", "u"], 1],
  ] },
  { name: "SINTER, SINTERCARD, SINTERSTORE", steps: [
    [["sadd", "a", "1", "2", "3", "4", "x"], 5],
    [["sadd", "b", "2", "3", "4", "5", "x", "y"], 6],
    [["sadd", "c", "3", "4", "x", "z"], 4],
    [["sinter", "a", "b", "c"], ["3", "4", "x"], true],
    [["sinter", "a"], ["1", "2", "3", "4", "x"], true],
    [["sinter", "a", "nokey"], [], true],
    [["sinter", "nokey"], []],
    [["sintercard", "3", "a", "b", "c"], 3],
    [["sintercard", "3", "a", "b", "c", "limit", "2"], 2],
    [["sintercard", "3", "a", "b", "c", "LIMIT", "0"], 3],
    [["sintercard", "3", "a", "b", "c", "limit", "1", "limit", "0"], 3],
    [["sintercard", "1", "nokey"], 0],
    [["sintercard", "2", "a", "a"], 5],
    [["sinterstore", "d", "a", "b", "c"], 3],
    [["object", "encoding", "d"], "hashtable"],
    [["smembers", "d"], ["3", "4", "x"], true],
    [["sadd", "i1", "1", "2", "x"], 3],
    [["sadd", "i2", "1", "2", "y"], 3],
    [["sinterstore", "d", "i1", "i2"], 2],
    [["object", "encoding", "d"], "intset"],
    [["smembers", "d"], ["1", "2"]],
    [["sinter", "i1", "i2"], ["1", "2"], true],
    [["sinterstore", "i1", "i1", "i2"], 2],
    [["smembers", "i1"], ["1", "2"]],
    [["sinterstore", "d", "a", "nokey"], 0],
    [["exists", "d"], 0],
    [["sinterstore", "d", "a", "nokey"], 0],
    [["set", "str", "v"], {"s": "OK"}],
    [["sinterstore", "str", "a", "c"], 3],
    [["type", "str"], {"s": "set"}],
    [["sinter", "a", "nokey", "str"], []],
    [["sinterstore", "a2", "a"], 5],
    [["object", "encoding", "a2"], "hashtable"],
    [["sadd", "e", "1", "2"], 2],
    [["sadd", "f", "3"], 1],
    [["sinterstore", "e", "e", "f"], 0],
    [["exists", "e"], 0],
  ] },
  { name: "SINTERCARD argument errors", steps: [
    [["sadd", "s", "1", "2", "3"], 3],
    [["sintercard", "0", "s"], {"err": "ERR numkeys should be greater than 0"}],
    [["sintercard", "abc", "s"], {"err": "ERR numkeys should be greater than 0"}],
    [["sintercard", "2", "s"], {"err": "ERR Number of keys can't be greater than number of args"}],
    [["sintercard", "-1", "s"], {"err": "ERR numkeys should be greater than 0"}],
    [["sintercard", "1", "s", "limit", "-1"], {"err": "ERR LIMIT can't be negative"}],
    [["sintercard", "1", "s", "limit", "abc"], {"err": "ERR LIMIT can't be negative"}],
    [["sintercard", "1", "s", "limit"], {"err": "ERR syntax error"}],
    [["sintercard", "1", "s", "foo", "1"], {"err": "ERR syntax error"}],
    [["sintercard", "1", "s", "s"], {"err": "ERR syntax error"}],
    [["sintercard", "1", "s", "limit", "2"], 2],
    [["sintercard", "9223372036854775808", "s"], {"err": "ERR numkeys should be greater than 0"}],
    [["sintercard", "1"], {"err": "ERR wrong number of arguments for 'sintercard' command"}],
  ] },
  { name: "SUNION, SUNIONSTORE", steps: [
    [["sadd", "a", "3", "1", "2"], 3],
    [["sadd", "b", "5", "4", "3"], 3],
    [["sunion", "a", "b"], ["1", "2", "3", "4", "5"]],
    [["sunion", "a", "nokey", "b"], ["1", "2", "3", "4", "5"]],
    [["sunion", "nokey"], []],
    [["sunionstore", "d", "a", "b"], 5],
    [["object", "encoding", "d"], "intset"],
    [["smembers", "d"], ["1", "2", "3", "4", "5"]],
    [["sadd", "c", "x"], 1],
    [["sunion", "a", "c"], ["1", "2", "3", "x"], true],
    [["sunionstore", "d", "a", "c"], 4],
    [["object", "encoding", "d"], "hashtable"],
    [["smembers", "d"], ["1", "2", "3", "x"], true],
    [["sunionstore", "d", "nokey"], 0],
    [["exists", "d"], 0],
    [["sunionstore", "d", "nokey"], 0],
    [["sunionstore", "a", "a", "b"], 5],
    [["smembers", "a"], ["1", "2", "3", "4", "5"]],
    [["sadd", "z", "1"], 1],
    [["sunionstore", "z", "z"], 1],
    [["smembers", "z"], ["1"]],
  ] },
  { name: "SDIFF, SDIFFSTORE and the encoding of each algorithm", steps: [
    [["sadd", "a", "1", "2", "3", "4", "x"], 5],
    [["sadd", "b", "2", "x"], 2],
    [["sadd", "c", "3"], 1],
    [["sdiff", "a", "b", "c"], ["1", "4"]],
    [["sdiff", "a", "nokey"], ["1", "2", "3", "4", "x"], true],
    [["sdiff", "a"], ["1", "2", "3", "4", "x"], true],
    [["sdiff", "nokey", "a"], []],
    [["sdiff", "a", "a"], []],
    [["sdiff", "a", "b", "a"], []],
    [["sdiffstore", "d", "a", "b"], 3],
    [["object", "encoding", "d"], "intset"],
    [["smembers", "d"], ["1", "3", "4"]],
    [["sadd", "p", "1", "2", "3", "x"], 4],
    [["sadd", "q", "x"], 1],
    [["sadd", "r", "9"], 1],
    [["sadd", "t", "8"], 1],
    [["sdiffstore", "d", "p", "q", "r", "t"], 3],
    [["object", "encoding", "d"], "hashtable"],
    [["smembers", "d"], ["1", "2", "3"], true],
    [["sdiffstore", "d", "p", "q"], 3],
    [["object", "encoding", "d"], "intset"],
    [["sdiffstore", "d", "a", "a"], 0],
    [["exists", "d"], 0],
    [["sdiffstore", "d", "nokey", "a"], 0],
    [["sdiff", "p", "q", "r", "t"], ["1", "2", "3"], true],
    [["sadd", "big", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "x"], 11],
    [["sadd", "s1", "x"], 1],
    [["sadd", "s2", "99"], 1],
    [["sadd", "s3", "98"], 1],
    [["sadd", "s4", "97"], 1],
    [["sdiffstore", "d2", "big", "s1", "s2", "s3", "s4"], 10],
    [["object", "encoding", "d2"], "hashtable"],
    [["sdiffstore", "d3", "big", "s1"], 10],
    [["object", "encoding", "d3"], "intset"],
  ] },
  { name: "STORE replaces any type and drops the TTL", steps: [
    [["sadd", "a", "1", "2"], 2],
    [["set", "dst", "v"], {"s": "OK"}],
    [["expire", "dst", "100"], 1],
    [["sunionstore", "dst", "a"], 2],
    [["type", "dst"], {"s": "set"}],
    [["ttl", "dst"], -1],
    [["sadd", "dst", "9"], 1],
    [["expire", "dst", "100"], 1],
    [["sinterstore", "dst", "a"], 2],
    [["ttl", "dst"], -1],
    [["expire", "dst", "100"], 1],
    [["sdiffstore", "dst", "a"], 2],
    [["ttl", "dst"], -1],
    [["sadd", "keep", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], 10],
    [["expire", "keep", "100"], 1],
    [["spop", "keep", "9"], {"len": 9}],
    [["ttl", "keep"], 100],
    [["scard", "keep"], 1],
  ] },
  { name: "SSCAN", steps: [
    [["sadd", "s", "3", "1", "2", "10", "11"], 5],
    [["sscan", "s", "0"], ["0", ["1", "2", "3", "10", "11"]]],
    [["sscan", "s", "0", "match", "1*"], ["0", ["1", "10", "11"]]],
    [["sscan", "s", "0", "count", "1"], ["0", ["1", "2", "3", "10", "11"]]],
    [["sscan", "nokey", "0"], ["0", []]],
    [["sscan", "nokey", "0", "foo"], ["0", []]],
    [["sscan", "s", "0", "foo"], {"err": "ERR syntax error"}],
    [["sscan", "s", "abc"], {"err": "ERR invalid cursor"}],
    [["sscan", "s", "0", "count", "0"], {"err": "ERR syntax error"}],
    [["sscan", "s", "0", "MATCH", "*0", "COUNT", "2"], ["0", ["10"]]],
    [["sscan", "s", "0", "type", "set"], {"err": "ERR syntax error"}],
    [["sadd", "h", "x"], 1],
    [["sscan", "h", "0"], ["0", ["x"]]],
  ] },
];
