/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, with sorted sets and plain sets as
 * inputs. Expected replies, events and propagation captured from redis-server 7.0.15 as in
 * commands.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../commands/testing.ts';
import { Double } from '../../reply/reply.ts';
import type { Step } from './testing.ts';
import { itEffects, itReplies, type Effects } from './tables.suite.ts';

const TABLES: Record<string, Step[]> = {
  'zunion zinter zdiff': [
    [["zadd", "a", "1", "x", "2", "y", "3", "z"], 3],
    [["zadd", "b", "10", "y", "20", "z", "30", "w"], 3],
    [["zunion", "2", "a", "b"], ["x", "y", "z", "w"]],
    [["zunion", "2", "a", "b", "withscores"], ["x", "1", "y", "12", "z", "23", "w", "30"]],
    [["zinter", "2", "a", "b", "withscores"], ["y", "12", "z", "23"]],
    [["zdiff", "2", "a", "b", "withscores"], ["x", "1"]],
    [["zdiff", "2", "b", "a"], ["w"]],
    [["zunion", "2", "a", "b", "weights", "2", "-1", "withscores"], ["w", "-30", "z", "-14", "y", "-6", "x", "2"]],
    [["zunion", "2", "a", "b", "aggregate", "min", "withscores"], ["x", "1", "y", "2", "z", "3", "w", "30"]],
    [["zunion", "2", "a", "b", "aggregate", "MAX", "withscores"], ["x", "1", "y", "10", "z", "20", "w", "30"]],
    [["zinter", "2", "a", "b", "weights", "0.5", "0.1", "aggregate", "sum", "withscores"], ["y", "2", "z", "3.5"]],
    [["zinter", "2", "a", "b", "aggregate", "min", "withscores"], ["y", "2", "z", "3"]],
    [["zunion", "3", "a", "b", "nokey", "withscores"], ["x", "1", "y", "12", "z", "23", "w", "30"]],
    [["zinter", "3", "a", "b", "nokey", "withscores"], []],
    [["zdiff", "2", "nokey", "a"], []],
    [["zunion", "1", "nokey"], []],
    [["zinter", "2", "a", "a", "weights", "1", "2", "withscores"], ["x", "3", "y", "6", "z", "9"]],
    [["zunion", "2", "a", "a", "withscores"], ["x", "2", "y", "4", "z", "6"]],
    [["zdiff", "2", "a", "a"], []],
    [["zdiff", "1", "a", "withscores"], ["x", "1", "y", "2", "z", "3"]],
    [["zadd", "i", "inf", "x", "-inf", "y"], 2],
    [["zunion", "2", "i", "i", "withscores"], ["y", "-inf", "x", "inf"]],
    [["zunion", "2", "i", "a", "weights", "0", "1", "withscores"], ["x", "1", "y", "2", "z", "3"]],
    [["zinter", "2", "i", "a", "weights", "-1", "1", "withscores"], ["x", "-inf", "y", "inf"]],
    [["zunion", "1", "i", "weights", "-inf", "withscores"], ["x", "-inf", "y", "inf"]],
    [["zunion", "2", "a", "b", "weights", "1", "2", "weights", "3", "4", "withscores"], ["x", "3", "y", "46", "z", "89", "w", "120"]],
    [["zunion", "2", "a", "b", "aggregate", "min", "aggregate", "sum", "withscores"], ["x", "1", "y", "12", "z", "23", "w", "30"]],
    [["zunion", "1", "a", "withscores", "withscores"], ["x", "1", "y", "2", "z", "3"]],
    [["zadd", "k1", "inf", "a"], 1],
    [["zinter", "2", "k1", "k1", "weights", "1", "0", "withscores"], ["a", "0"]],
    [["zinter", "2", "k1", "k1", "weights", "0", "1", "withscores"], ["a", "inf"]],
    [["zinter", "2", "k1", "k1", "weights", "1", "0", "aggregate", "min", "withscores"], ["a", "inf"]],
    [["zinter", "2", "k1", "k1", "weights", "1", "0", "aggregate", "max", "withscores"], ["a", "inf"]],
    [["zunion", "2", "k1", "k1", "weights", "1", "0", "aggregate", "max", "withscores"], ["a", "inf"]],
    [["zunion", "2", "k1", "k1", "weights", "0", "-1", "aggregate", "min", "withscores"], ["a", "-inf"]],
  ],
  'sets as inputs': [
    [["zadd", "z", "1", "a", "5", "b"], 2],
    [["sadd", "s", "a", "c"], 2],
    [["sadd", "n", "1", "2", "3"], 3],
    [["zunion", "2", "z", "s", "withscores"], ["c", "1", "a", "2", "b", "5"]],
    [["zinter", "2", "z", "s", "withscores"], ["a", "2"]],
    [["zdiff", "2", "z", "s", "withscores"], ["b", "5"]],
    [["zdiff", "2", "s", "z", "withscores"], ["c", "1"]],
    [["zunion", "2", "s", "n", "weights", "2", "3", "withscores"], ["a", "2", "c", "2", "1", "3", "2", "3", "3", "3"]],
    [["zinter", "2", "s", "z", "aggregate", "max", "withscores"], ["a", "1"]],
    [["zintercard", "2", "s", "z"], 1],
    [["zunionstore", "d", "2", "s", "n"], 5],
    [["zrange", "d", "0", "-1", "withscores"], ["1", "1", "2", "1", "3", "1", "a", "1", "c", "1"]],
    [["type", "d"], "+zset"],
  ],
  'errors': [
    [["zadd", "a", "1", "x"], 1],
    [["set", "str", "v"], "+OK"],
    [["zunion", "0", "a"], "-ERR at least 1 input key is needed for 'zunion' command"],
    [["zunion", "-1", "a"], "-ERR at least 1 input key is needed for 'zunion' command"],
    [["zunion", "x", "a"], "-ERR value is not an integer or out of range"],
    [["zunion", "2", "a"], "-ERR syntax error"],
    [["zunion", "1", "a", "weights"], "-ERR syntax error"],
    [["zunion", "1", "a", "weights", "x"], "-ERR weight value is not a float"],
    [["zunion", "2", "a", "a", "weights", "1"], "-ERR syntax error"],
    [["zunion", "1", "a", "aggregate"], "-ERR syntax error"],
    [["zunion", "1", "a", "aggregate", "avg"], "-ERR syntax error"],
    [["zunion", "1", "a", "foo"], "-ERR syntax error"],
    [["zunion", "1", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zunion", "1", "str", "foo"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zunion", "2", "a", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zinter", "2", "nokey", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zdiff", "1", "a", "weights", "1"], "-ERR syntax error"],
    [["zdiff", "1", "a", "aggregate", "sum"], "-ERR syntax error"],
    [["zunionstore", "d", "1", "a", "withscores"], "-ERR syntax error"],
    [["zunionstore", "d", "0", "a"], "-ERR at least 1 input key is needed for 'zunionstore' command"],
    [["zinterstore", "d", "0", "a"], "-ERR at least 1 input key is needed for 'zinterstore' command"],
    [["zdiffstore", "d", "0", "a"], "-ERR at least 1 input key is needed for 'zdiffstore' command"],
    [["zinter", "1", "a", "limit", "1"], "-ERR syntax error"],
    [["zintercard", "0", "a"], "-ERR at least 1 input key is needed for 'zintercard' command"],
    [["zintercard", "1", "a", "limit", "-1"], "-ERR LIMIT can't be negative"],
    [["zintercard", "1", "a", "limit", "x"], "-ERR LIMIT can't be negative"],
    [["zintercard", "1", "a", "limit"], "-ERR syntax error"],
    [["zintercard", "1", "a", "withscores"], "-ERR syntax error"],
    [["zintercard", "1", "a", "weights", "1"], "-ERR syntax error"],
    [["zintercard", "2", "a"], "-ERR syntax error"],
    [["zintercard", "1", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zunion", "1", "a", "weights", "nan"], "-ERR weight value is not a float"],
  ],
  'store': [
    [["zadd", "a", "1", "x", "2", "y", "3", "z"], 3],
    [["zadd", "b", "10", "y", "20", "z", "30", "w"], 3],
    [["zunionstore", "d", "2", "a", "b"], 4],
    [["zrange", "d", "0", "-1", "withscores"], ["x", "1", "y", "12", "z", "23", "w", "30"]],
    [["object", "encoding", "d"], "listpack"],
    [["zinterstore", "d", "2", "a", "b", "weights", "1", "0"], 2],
    [["zrange", "d", "0", "-1", "withscores"], ["y", "2", "z", "3"]],
    [["zdiffstore", "d", "2", "a", "b"], 1],
    [["zrange", "d", "0", "-1", "withscores"], ["x", "1"]],
    [["zinterstore", "d", "2", "a", "nokey"], 0],
    [["exists", "d"], 0],
    [["set", "d", "str"], "+OK"],
    [["pexpireat", "d", "99999999999999"], 1],
    [["zunionstore", "d", "1", "a"], 3],
    [["persist", "d"], 0],
    [["type", "d"], "+zset"],
    [["zunionstore", "a", "2", "a", "b"], 4],
    [["zrange", "a", "0", "-1", "withscores"], ["x", "1", "y", "12", "z", "23", "w", "30"]],
    [["config", "set", "zset-max-listpack-entries", "2"], "+OK"],
    [["zunionstore", "d", "1", "b"], 3],
    [["object", "encoding", "d"], "skiplist"],
    [["zdiffstore", "d", "2", "b", "a"], 0],
    [["object", "encoding", "d"], null],
    [["config", "set", "zset-max-listpack-value", "3"], "+OK"],
    [["zadd", "long", "1", "abcd", "-0", "n"], 2],
    [["zunionstore", "d", "1", "long"], 2],
    [["object", "encoding", "d"], "skiplist"],
    [["zscore", "d", "n"], "-0"],
    [["zinterstore", "d", "1", "long"], 2],
    [["zscore", "d", "n"], "-0"],
    [["zadd", "nz", "1", "abcdef"], 1],
    [["zadd", "nz", "-0", "n"], 1],
    [["zunionstore", "d", "1", "nz"], 2],
    [["zscore", "d", "n"], "-0"],
    [["object", "encoding", "d"], "skiplist"],
    [["zdiffstore", "d", "1", "nz"], 2],
    [["zscore", "d", "n"], "-0"],
    [["zunion", "1", "nz", "withscores"], ["n", "-0", "abcdef", "1"]],
    [["zunionstore", "d2", "2", "nz", "nz", "weights", "1", "0"], 2],
    [["zrange", "d2", "0", "-1", "withscores"], ["n", "-0", "abcdef", "1"]],
    [["config", "set", "zset-max-listpack-value", "64"], "+OK"],
    [["zinterstore", "d3", "2", "nz", "nz"], 2],
    [["object", "encoding", "d3"], "listpack"],
    [["zrange", "d3", "0", "-1", "withscores"], ["n", "0", "abcdef", "2"]],
  ],
  'zintercard': [
    [["zadd", "a", "1", "x", "2", "y", "3", "z", "4", "w"], 4],
    [["zadd", "b", "1", "y", "1", "z", "1", "w", "1", "v"], 4],
    [["zintercard", "2", "a", "b"], 3],
    [["zintercard", "2", "a", "b", "limit", "0"], 3],
    [["zintercard", "2", "a", "b", "limit", "2"], 2],
    [["zintercard", "2", "a", "b", "limit", "10"], 3],
    [["zintercard", "2", "a", "nokey"], 0],
    [["zintercard", "1", "a", "limit", "1", "limit", "3"], 3],
    [["zintercard", "1", "a", "LIMIT", "2"], 2],
  ],
};


const EFFECTS: Record<string, Effects> = {
  'stores': {
    steps: [
      [["zadd", "a", "1", "x"], 1],
      [["zunionstore", "d", "1", "a"], 1],
      [["zinterstore", "d", "2", "a", "nokey"], 0],
      [["zinterstore", "d", "2", "a", "nokey"], 0],
      [["zdiffstore", "d", "1", "a"], 1],
      [["zunion", "1", "a"], ["x"]],
      [["zintercard", "1", "a"], 1],
      [["set", "s", "v"], "+OK"],
      [["zunionstore", "s", "1", "nokey"], 0],
      [["zunionstore", "s", "1", "a"], 1],
    ],
    events: ["0 zadd a", "0 zunionstore d", "0 del d", "0 zdiffstore d", "0 set s", "0 del s", "0 zunionstore s"],
    ops: [["zadd", "a", "1", "x"], ["zunionstore", "d", "1", "a"], ["zinterstore", "d", "2", "a", "nokey"], ["zdiffstore", "d", "1", "a"], ["set", "s", "v"], ["zunionstore", "s", "1", "nokey"], ["zunionstore", "s", "1", "a"]],
  },
};

describe('set operations: replies as redis-server 7.0.15 gives them', () => itReplies(TABLES));

describe('set operations: keyspace events and propagation as redis-server 7.0.15', () => {
  itEffects(EFFECTS);

  it('RESP3: WITHSCORES gives [member, score] pairs', () => {
    const { c } = setup();
    c.resp = 3;
    c.exec(['zadd', 'a', '1', 'x', '2', 'y']);
    expect(c.exec(['zunion', '1', 'a', 'withscores'])).toEqual([['x', new Double(1)], ['y', new Double(2)]]);
    expect(c.exec(['zdiff', '1', 'a'])).toEqual(['x', 'y']);
  });
});
