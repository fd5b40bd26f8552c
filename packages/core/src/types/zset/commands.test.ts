/**
 * ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK and the
 * encodings. Every expected reply, keyspace event and propagated command was captured from
 * redis-server 7.0.15 (replies over RESP2; events with notify-keyspace-events KEA; propagation from
 * its AOF), each table on an empty server with the default zset-max-listpack-* limits.
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../commands/testing.ts';
import { Double } from '../../reply/reply.ts';
import { runSteps, type Step } from './testing.ts';

const TABLES: Record<string, Step[]> = {
  'zadd options': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
    [["zadd", "z", "nx", "5", "a", "4", "d"], 1],
    [["zadd", "z", "xx", "5", "a", "4", "e"], 0],
    [["zadd", "z", "xx", "ch", "6", "a", "4", "e"], 1],
    [["zadd", "z", "gt", "ch", "1", "a", "7", "b"], 1],
    [["zadd", "z", "lt", "ch", "1", "a", "9", "c"], 1],
    [["zadd", "z", "gt", "lt", "1", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible"],
    [["zadd", "z", "nx", "gt", "1", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible"],
    [["zadd", "z", "nx", "lt", "1", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible"],
    [["zadd", "z", "xx", "nx", "1", "a"], "-ERR XX and NX options at the same time are not compatible"],
    [["zadd", "z", "XX", "GT", "CH", "10", "a", "10", "new"], 1],
    [["zadd", "z", "incr", "1", "a", "2", "b"], "-ERR INCR option supports a single increment-element pair"],
    [["zadd", "z", "1"], "-ERR wrong number of arguments for 'zadd' command"],
    [["zadd", "z", "1", "a", "2"], "-ERR syntax error"],
    [["zadd", "z", "ch"], "-ERR wrong number of arguments for 'zadd' command"],
    [["zadd", "z", "nan", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "abc", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "1", "a", "abc", "b"], "-ERR value is not a valid float"],
    [["zadd", "z", " 1", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "1 ", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "1e400", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "1e-400", "a"], "-ERR value is not a valid float"],
    [["zadd", "z", "0x10", "hex"], 1],
    [["zadd", "z", "5e-324", "tiny"], 1],
    [["zadd", "z", "+inf", "pinf"], 1],
    [["zadd", "z", "-INF", "ninf"], 1],
    [["zadd", "z", "-0", "negz"], 1],
    [["zrange", "z", "0", "-1", "withscores"], ["ninf", "-inf", "negz", "0", "tiny", "4.9406564584124654e-324", "c", "3", "d", "4", "b", "7", "a", "10", "hex", "16", "pinf", "inf"]],
    [["zcard", "z"], 9],
    [["zadd", "z", "incr", "5", "a"], "15"],
    [["zadd", "z", "incr", "nx", "5", "a"], null],
    [["zadd", "z", "incr", "xx", "5", "nope"], null],
    [["zadd", "z", "incr", "gt", "-1", "a"], null],
    [["zadd", "z", "incr", "lt", "-1", "a"], "14"],
    [["zadd", "z", "incr", "+inf", "pinf"], "inf"],
    [["zadd", "z", "incr", "-inf", "pinf"], "-ERR resulting score is not a number (NaN)"],
    [["zscore", "z", "pinf"], "inf"],
    [["zadd", "nokey", "xx", "1", "a"], 0],
    [["zadd", "nokey", "xx", "incr", "1", "a"], null],
    [["exists", "nokey"], 0],
    [["set", "str", "x"], "+OK"],
    [["zadd", "str", "1", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zadd", "str", "nan", "a"], "-ERR value is not a valid float"],
  ],
  'zincrby': [
    [["zincrby", "z", "1", "a"], "1"],
    [["zincrby", "z", "2.5", "a"], "3.5"],
    [["zincrby", "z", "-0.5", "a"], "3"],
    [["zincrby", "z", "abc", "a"], "-ERR value is not a valid float"],
    [["zincrby", "z", "nx", "a"], "-ERR syntax error"],
    [["zincrby", "z", "incr", "a"], "-ERR syntax error"],
    [["zincrby", "z", "1e308", "a"], "1e+308"],
    [["zincrby", "z", "1e308", "a"], "inf"],
    [["zincrby", "z", "-inf", "a"], "-ERR resulting score is not a number (NaN)"],
    [["zincrby", "z", "inf", "a"], "inf"],
    [["zscore", "z", "a"], "inf"],
    [["zincrby", "z2", "-0", "m"], "-0"],
    [["zscore", "z2", "m"], "0"],
    [["zincrby", "z2", "0.1", "m"], "0.10000000000000001"],
    [["zincrby", "z2", "0.2", "m"], "0.30000000000000004"],
    [["set", "str", "x"], "+OK"],
    [["zincrby", "str", "1", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
  ],
  'zrem zscore zmscore zcard': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
    [["zrem", "z", "a", "x", "a"], 1],
    [["zscore", "z", "a"], null],
    [["zscore", "z", "b"], "2"],
    [["zmscore", "z", "a", "b", "c", "x"], [null, "2", "3", null]],
    [["zmscore", "nokey", "a", "b"], [null, null]],
    [["zcard", "z"], 2],
    [["zcard", "nokey"], 0],
    [["zrem", "z", "b", "c", "x"], 2],
    [["exists", "z"], 0],
    [["zrem", "z", "a"], 0],
    [["zscore", "nokey", "a"], null],
    [["set", "str", "x"], "+OK"],
    [["zrem", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zscore", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zmscore", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zcard", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
  ],
  'zrank': [
    [["zadd", "z", "1", "a", "1", "b", "2", "c", "0", "d", "-inf", "e", "inf", "f"], 6],
    [["zrank", "z", "e"], 0],
    [["zrank", "z", "a"], 2],
    [["zrank", "z", "b"], 3],
    [["zrank", "z", "f"], 5],
    [["zrevrank", "z", "f"], 0],
    [["zrevrank", "z", "e"], 5],
    [["zrevrank", "z", "b"], 2],
    [["zrank", "z", "x"], null],
    [["zrevrank", "z", "x"], null],
    [["zrank", "nokey", "a"], null],
    [["set", "str", "x"], "+OK"],
    [["zrank", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
  ],
  'zcount zlexcount': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], 5],
    [["zcount", "z", "-inf", "+inf"], 5],
    [["zcount", "z", "(1", "3"], 2],
    [["zcount", "z", "(1", "(3"], 1],
    [["zcount", "z", "3", "1"], 0],
    [["zcount", "z", "2", "2"], 1],
    [["zcount", "z", "(2", "2"], 0],
    [["zcount", "z", "", "3"], 3],
    [["zcount", "z", "(", "3"], 3],
    [["zcount", "z", " 2", "3"], 2],
    [["zcount", "z", "2 ", "3"], "-ERR min or max is not a float"],
    [["zcount", "z", "0x2", "3"], 2],
    [["zcount", "z", "abc", "3"], "-ERR min or max is not a float"],
    [["zcount", "z", "nan", "3"], "-ERR min or max is not a float"],
    [["zcount", "z", "1", "(nan"], "-ERR min or max is not a float"],
    [["zcount", "z", "-1e400", "1e400"], 5],
    [["zcount", "z", "((1", "3"], "-ERR min or max is not a float"],
    [["zcount", "z", "[1", "3"], "-ERR min or max is not a float"],
    [["zcount", "nokey", "a", "b"], "-ERR min or max is not a float"],
    [["zcount", "nokey", "1", "2"], 0],
    [["zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"], 5],
    [["zlexcount", "l", "-", "+"], 5],
    [["zlexcount", "l", "[b", "[d"], 3],
    [["zlexcount", "l", "(b", "(d"], 1],
    [["zlexcount", "l", "(b", "[b"], 0],
    [["zlexcount", "l", "[b", "[b"], 1],
    [["zlexcount", "l", "+", "-"], 0],
    [["zlexcount", "l", "-", "-"], 0],
    [["zlexcount", "l", "[d", "[b"], 0],
    [["zlexcount", "l", "a", "c"], "-ERR min or max not valid string range item"],
    [["zlexcount", "l", "[a", "c"], "-ERR min or max not valid string range item"],
    [["zlexcount", "l", "+a", "[c"], "-ERR min or max not valid string range item"],
    [["zlexcount", "l", "[", "+"], 5],
    [["zlexcount", "l", "(", "+"], 5],
    [["zlexcount", "nokey", "a", "b"], "-ERR min or max not valid string range item"],
    [["zlexcount", "nokey", "-", "+"], 0],
    [["set", "str", "x"], "+OK"],
    [["zcount", "str", "1", "2"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zlexcount", "str", "-", "+"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
  ],
  'encodings': [
    [["config", "set", "zset-max-listpack-entries", "3"], "+OK"],
    [["zadd", "e", "1", "a", "2", "b", "3", "c"], 3],
    [["object", "encoding", "e"], "listpack"],
    [["zadd", "e", "4", "d"], 1],
    [["object", "encoding", "e"], "skiplist"],
    [["zrem", "e", "a", "b", "c"], 3],
    [["object", "encoding", "e"], "skiplist"],
    [["zadd", "f", "1", "a", "2", "b", "3", "c", "4", "d"], 4],
    [["object", "encoding", "f"], "skiplist"],
    [["zadd", "g", "1", "a"], 1],
    [["zadd", "g", "xx", "2", "a"], 0],
    [["zadd", "g", "2", "b", "3", "c"], 2],
    [["object", "encoding", "g"], "listpack"],
    [["zadd", "g", "4", "c"], 0],
    [["object", "encoding", "g"], "listpack"],
    [["config", "set", "zset-max-listpack-entries", "0"], "+OK"],
    [["zadd", "h", "1", "a"], 1],
    [["object", "encoding", "h"], "skiplist"],
    [["config", "set", "zset-max-listpack-entries", "128"], "+OK"],
    [["config", "set", "zset-max-listpack-value", "3"], "+OK"],
    [["zadd", "i", "1", "abcd"], 1],
    [["object", "encoding", "i"], "skiplist"],
    [["zadd", "j", "1", "abc", "2", "abcd"], 2],
    [["object", "encoding", "j"], "skiplist"],
    [["zadd", "k", "1", "abc"], 1],
    [["zincrby", "k", "1", "abcdef"], "1"],
    [["object", "encoding", "k"], "skiplist"],
    [["zadd", "n", "-0", "a"], 1],
    [["zscore", "n", "a"], "0"],
    [["zadd", "o", "-0", "a", "1", "abcdef"], 2],
    [["zrange", "o", "0", "-1", "withscores"], ["a", "0", "abcdef", "1"]],
    [["zadd", "p", "1", "abcdef"], 1],
    [["zadd", "p", "-0", "a"], 1],
    [["zscore", "p", "a"], "-0"],
    [["zincrby", "p", "-0", "a"], "-0"],
  ],
  'command getkeys': [
    [["command", "getkeys", "zunion", "2", "a", "b"], ["a", "b"]],
    [["command", "getkeys", "zunion", "3", "a", "b"], "-ERR Invalid arguments specified for command"],
    [["command", "getkeys", "zunion", "0", "a"], "-ERR Invalid arguments specified for command"],
    [["command", "getkeys", "zunionstore", "d", "2", "a", "b", "weights", "1", "2"], ["d", "a", "b"]],
    [["command", "getkeys", "zunionstore", "d", "3", "a", "b"], "-ERR Invalid arguments specified for command"],
    [["command", "getkeys", "zinterstore", "d", "1", "a"], ["d", "a"]],
    [["command", "getkeys", "zdiffstore", "d", "2", "a", "b"], ["d", "a", "b"]],
    [["command", "getkeys", "zmpop", "2", "a", "b", "min"], ["a", "b"]],
    [["command", "getkeys", "zmpop", "1", "a"], "-ERR Invalid number of arguments specified for command"],
    [["command", "getkeys", "bzmpop", "0", "2", "a", "b", "max"], ["a", "b"]],
    [["command", "getkeys", "zintercard", "1", "a", "limit", "2"], ["a"]],
    [["command", "getkeys", "zunion", "x", "a"], "-ERR Invalid arguments specified for command"],
    [["command", "getkeys", "zrangestore", "d", "s", "0", "-1"], ["d", "s"]],
    [["command", "getkeys", "bzpopmin", "a", "b", "0"], ["a", "b"]],
    [["command", "getkeys", "zadd", "z", "1", "a"], ["z"]],
  ],
};


const EFFECTS: Record<string, { steps: Step[]; events: string[]; ops: string[][] }> = {
  'zadd and zincrby': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b"], 2],
      [["zadd", "z", "1", "a"], 0],
      [["zadd", "z", "nx", "5", "a"], 0],
      [["zadd", "z", "ch", "5", "a", "2", "b", "3", "c"], 2],
      [["zadd", "z", "incr", "1", "a"], "6"],
      [["zincrby", "z", "0", "a"], "6"],
      [["zadd", "z", "xx", "1", "nope"], 0],
      [["zadd", "z", "gt", "1", "a"], 0],
      [["zadd", "z", "incr", "-inf", "a"], "-inf"],
      [["zadd", "z", "incr", "inf", "a"], "-ERR resulting score is not a number (NaN)"],
    ],
    events: ["0 zadd z", "0 zadd z", "0 zincr z", "0 zincr z"],
    ops: [["zadd", "z", "1", "a", "2", "b"], ["zadd", "z", "ch", "5", "a", "2", "b", "3", "c"], ["zadd", "z", "incr", "1", "a"], ["zadd", "z", "incr", "-inf", "a"]],
  },
  'zrem': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b"], 2],
      [["zrem", "z", "x"], 0],
      [["zrem", "z", "a", "x"], 1],
      [["zrem", "z", "b", "a"], 1],
      [["zrem", "z", "b"], 0],
    ],
    events: ["0 zadd z", "0 zrem z", "0 zrem z", "0 del z"],
    ops: [["zadd", "z", "1", "a", "2", "b"], ["zrem", "z", "a", "x"], ["zrem", "z", "b", "a"]],
  },
  'expire survives updates': {
    steps: [
      [["zadd", "z", "1", "a"], 1],
      [["pexpireat", "z", "99999999999999"], 1],
      [["zadd", "z", "2", "a"], 0],
      [["zrem", "z", "nope"], 0],
      [["persist", "z"], 1],
    ],
    events: ["0 zadd z", "0 expire z", "0 zadd z", "0 persist z"],
    ops: [["zadd", "z", "1", "a"], ["pexpireat", "z", "99999999999999"], ["zadd", "z", "2", "a"], ["persist", "z"]],
  },
};

describe('sorted set commands: replies as redis-server 7.0.15 gives them', () => {
  it.each(Object.entries(TABLES))('%s', (_name, steps) => {
    const { c } = setup();
    const { got, want } = runSteps(c, steps);
    expect(got).toEqual(want);
  });
});

describe('sorted set commands: keyspace events and propagation as redis-server 7.0.15', () => {
  it.each(Object.entries(EFFECTS))('%s', (_name, { steps, events, ops }) => {
    const s = setup();
    const { got, want } = runSteps(s.c, steps);
    expect(got).toEqual(want);
    expect(s.events).toEqual(events);
    expect(s.ops.map((op) => (op[0] === '0' ? op.slice(1) : op))).toEqual(ops);
  });
});

describe('RESP3 shapes', () => {
  it('scores are doubles, missing ones null', () => {
    const { c } = setup();
    c.resp = 3;
    c.exec(['zadd', 'z', '1.5', 'a']);
    expect(c.exec(['zscore', 'z', 'a'])).toEqual(new Double(1.5));
    expect(c.exec(['zmscore', 'z', 'a', 'x'])).toEqual([new Double(1.5), null]);
    expect(c.exec(['zadd', 'z', 'incr', '1', 'a'])).toEqual(new Double(2.5));
    expect(c.exec(['zadd', 'z', 'nx', 'incr', '1', 'a'])).toBeNull();
  });
});
