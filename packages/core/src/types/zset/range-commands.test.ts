/**
 * ZRANGE in all its forms, ZRANGESTORE (with the destination's encoding and -0 scores as Redis
 * builds them) and ZREMRANGEBYRANK/SCORE/LEX, lex ranges over mixed scores included. Expected
 * replies, events and propagation captured from redis-server 7.0.15 as in commands.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../commands/testing.ts';
import { Double } from '../../reply/reply.ts';
import { runSteps, type Step } from './testing.ts';

const TABLES: Record<string, Step[]> = {
  'zrange by rank': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], 5],
    [["zrange", "z", "0", "-1"], ["a", "b", "c", "d", "e"]],
    [["zrange", "z", "0", "-1", "withscores"], ["a", "1", "b", "2", "c", "3", "d", "4", "e", "5"]],
    [["zrange", "z", "1", "3", "WITHSCORES"], ["b", "2", "c", "3", "d", "4"]],
    [["zrange", "z", "-2", "-1"], ["d", "e"]],
    [["zrange", "z", "-100", "100"], ["a", "b", "c", "d", "e"]],
    [["zrange", "z", "3", "1"], []],
    [["zrange", "z", "5", "10"], []],
    [["zrange", "z", "-1", "-2"], []],
    [["zrange", "z", "0", "-6"], []],
    [["zrange", "z", "0", "-1", "rev"], ["e", "d", "c", "b", "a"]],
    [["zrange", "z", "1", "2", "rev", "withscores"], ["d", "4", "c", "3"]],
    [["zrange", "z", "0", "-1", "limit", "0", "-1"], ["a", "b", "c", "d", "e"]],
    [["zrange", "z", "0", "-1", "limit", "0", "1"], "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"],
    [["zrange", "z", "0", "-1", "limit", "0"], "-ERR syntax error"],
    [["zrange", "z", "x", "1"], "-ERR value is not an integer or out of range"],
    [["zrange", "z", "0", "1.5"], "-ERR value is not an integer or out of range"],
    [["zrange", "z", "0", "9223372036854775808"], "-ERR value is not an integer or out of range"],
    [["zrange", "z", "-9223372036854775808", "9223372036854775807"], ["a", "b", "c", "d", "e"]],
    [["zrange", "z", "0", "-1", "rev", "rev"], "-ERR syntax error"],
    [["zrange", "z", "0", "-1", "foo"], "-ERR syntax error"],
    [["zrevrange", "z", "0", "-1"], ["e", "d", "c", "b", "a"]],
    [["zrevrange", "z", "0", "1", "withscores"], ["e", "5", "d", "4"]],
    [["zrevrange", "z", "0", "1", "limit", "0", "1"], "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"],
    [["zrevrange", "z", "0", "1", "rev"], "-ERR syntax error"],
    [["zrevrange", "z", "0", "1", "byscore"], "-ERR syntax error"],
    [["zrange", "nokey", "0", "-1"], []],
    [["zrange", "nokey", "x", "1"], "-ERR value is not an integer or out of range"],
    [["set", "str", "x"], "+OK"],
    [["zrange", "str", "0", "-1"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zrange", "str", "x", "-1"], "-ERR value is not an integer or out of range"],
  ],
  'zrange by score': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "-inf", "m", "inf", "p"], 7],
    [["zrange", "z", "-inf", "+inf", "byscore"], ["m", "a", "b", "c", "d", "e", "p"]],
    [["zrange", "z", "(1", "3", "byscore", "withscores"], ["b", "2", "c", "3"]],
    [["zrange", "z", "3", "(1", "byscore", "rev"], ["c", "b"]],
    [["zrange", "z", "1", "3", "byscore", "rev"], []],
    [["zrange", "z", "3", "1", "byscore", "rev", "withscores"], ["c", "3", "b", "2", "a", "1"]],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "2"], ["a", "b"]],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "1", "-1"], ["a", "b", "c", "d", "e", "p"]],
    [["zrange", "z", "+inf", "-inf", "byscore", "rev", "limit", "2", "3"], ["d", "c", "b"]],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "-1", "2"], []],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "7", "2"], []],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "6", "2"], ["p"]],
    [["zrange", "z", "-inf", "+inf", "byscore", "limit", "0", "0"], []],
    [["zrange", "z", "2", "4", "byscore", "limit", "2", "5"], ["d"]],
    [["zrange", "z", "2", "4", "byscore", "limit", "3", "5"], []],
    [["zrange", "z", "(inf", "+inf", "byscore"], []],
    [["zrange", "z", "-inf", "(-inf", "byscore"], []],
    [["zrangebyscore", "z", "2", "4"], ["b", "c", "d"]],
    [["zrangebyscore", "z", "2", "4", "withscores", "limit", "1", "1"], ["c", "3"]],
    [["zrangebyscore", "z", "2", "4", "limit", "1", "1", "withscores"], ["c", "3"]],
    [["zrangebyscore", "z", "2", "4", "rev"], "-ERR syntax error"],
    [["zrangebyscore", "z", "2", "4", "byscore"], "-ERR syntax error"],
    [["zrangebyscore", "z", "2", "4", "limit", "1"], "-ERR syntax error"],
    [["zrangebyscore", "z", "2", "4", "limit", "a", "1"], "-ERR value is not an integer or out of range"],
    [["zrangebyscore", "z", "a", "4"], "-ERR min or max is not a float"],
    [["zrevrangebyscore", "z", "4", "2"], ["d", "c", "b"]],
    [["zrevrangebyscore", "z", "2", "4"], []],
    [["zrevrangebyscore", "z", "+inf", "-inf", "withscores", "limit", "0", "3"], ["p", "inf", "e", "5", "d", "4"]],
    [["zrange", "z", "1", "2", "byscore", "bylex"], "-ERR syntax error"],
    [["zrange", "z", "1", "2", "byscore", "byscore"], "-ERR syntax error"],
    [["zrange", "z", "(1", "(2", "byscore"], []],
    [["zrange", "z", "(1", "(1", "byscore"], []],
    [["zrange", "z", "1", "1", "byscore"], ["a"]],
    [["zrange", "nokey", "a", "b", "byscore"], "-ERR min or max is not a float"],
    [["zrange", "nokey", "1", "2", "byscore"], []],
  ],
  'zrange by lex': [
    [["zadd", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "\xff", "0", "a\x00"], 7],
    [["zrange", "z", "-", "+", "bylex"], ["a", "a\x00", "b", "c", "d", "e", "\xff"]],
    [["zrange", "z", "[b", "(d", "bylex"], ["b", "c"]],
    [["zrange", "z", "(d", "[b", "bylex", "rev"], ["c", "b"]],
    [["zrange", "z", "+", "-", "bylex", "rev", "limit", "1", "3"], ["e", "d", "c"]],
    [["zrange", "z", "-", "+", "bylex", "withscores"], "-ERR syntax error, WITHSCORES not supported in combination with BYLEX"],
    [["zrange", "z", "-", "+", "bylex", "limit", "-1", "1"], []],
    [["zrange", "z", "-", "+", "bylex", "limit", "2", "-1"], ["b", "c", "d", "e", "\xff"]],
    [["zrange", "z", "[a", "[a\x00", "bylex"], ["a", "a\x00"]],
    [["zrange", "z", "(a", "+", "bylex"], ["a\x00", "b", "c", "d", "e", "\xff"]],
    [["zrangebylex", "z", "-", "+", "limit", "0", "2"], ["a", "a\x00"]],
    [["zrangebylex", "z", "a", "+"], "-ERR min or max not valid string range item"],
    [["zrangebylex", "z", "-", "+", "withscores"], "-ERR syntax error, WITHSCORES not supported in combination with BYLEX"],
    [["zrevrangebylex", "z", "+", "-"], ["\xff", "e", "d", "c", "b", "a\x00", "a"]],
    [["zrevrangebylex", "z", "[c", "-"], ["c", "b", "a\x00", "a"]],
    [["zrevrangebylex", "z", "-", "+"], []],
    [["zrange", "z", "[", "+", "bylex"], ["a", "a\x00", "b", "c", "d", "e", "\xff"]],
    [["zrange", "z", "-", "[", "bylex"], []],
    [["zrange", "z", "+", "+", "bylex"], []],
    [["zrange", "z", "-", "-", "bylex"], []],
    [["zadd", "m", "1", "a", "2", "b", "3", "c", "0", "z", "5", "y", "4", "d"], 6],
    [["zrange", "m", "-", "+", "bylex"], ["z", "a", "b", "c", "d", "y"]],
    [["zrange", "m", "[b", "[d", "bylex"], []],
    [["zrange", "m", "[a", "[c", "bylex"], []],
    [["zrange", "m", "[b", "+", "bylex"], ["z", "a", "b", "c", "d", "y"]],
    [["zrange", "m", "-", "[c", "bylex"], []],
    [["zrange", "m", "[d", "[b", "bylex", "rev"], []],
    [["zrange", "m", "+", "[b", "bylex", "rev"], ["y", "d", "c", "b"]],
    [["zrange", "m", "[c", "-", "bylex", "rev"], []],
    [["zrange", "m", "[a", "+", "bylex", "limit", "2", "2"], ["b", "c"]],
    [["zrange", "m", "[b", "[c", "bylex", "limit", "3", "5"], []],
    [["zrange", "m", "+", "[b", "bylex", "rev", "limit", "1", "9"], ["d", "c", "b"]],
    [["zlexcount", "m", "[b", "[d"], 0],
    [["zlexcount", "m", "-", "[c"], 0],
    [["zlexcount", "m", "[a", "+"], 6],
  ],
  'zrangestore': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], 5],
    [["zrangestore", "d", "z", "0", "-1"], 5],
    [["zrange", "d", "0", "-1", "withscores"], ["a", "1", "b", "2", "c", "3", "d", "4", "e", "5"]],
    [["object", "encoding", "d"], "listpack"],
    [["zrangestore", "d", "z", "1", "2", "rev"], 2],
    [["zrange", "d", "0", "-1", "withscores"], ["c", "3", "d", "4"]],
    [["zrangestore", "d", "z", "(1", "4", "byscore", "limit", "1", "2"], 2],
    [["zrange", "d", "0", "-1", "withscores"], ["c", "3", "d", "4"]],
    [["zrangestore", "d", "z", "[b", "+", "bylex"], 4],
    [["zrange", "d", "0", "-1"], ["b", "c", "d", "e"]],
    [["zrangestore", "d", "z", "5", "6"], 0],
    [["exists", "d"], 0],
    [["zrangestore", "d", "z", "0", "-1", "withscores"], "-ERR syntax error"],
    [["zrangestore", "d", "z", "0", "-1", "limit", "0", "1"], "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"],
    [["zrangestore", "d", "nokey", "0", "-1"], 0],
    [["set", "s", "x"], "+OK"],
    [["zrangestore", "s", "z", "0", "0"], 1],
    [["type", "s"], "+zset"],
    [["zrangestore", "d2", "s", "0", "0"], 1],
    [["zrangestore", "z", "z", "1", "2"], 2],
    [["zrange", "z", "0", "-1"], ["b", "c"]],
    [["pexpireat", "z", "99999999999999"], 1],
    [["zrangestore", "z", "z", "0", "-1"], 2],
    [["persist", "z"], 0],
  ],
  'zrangestore encodings': [
    [["zadd", "big", "-0", "a", "1", "b", "2", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "-0", "\x00"], 4],
    [["zrangestore", "d", "big", "0", "-1"], 4],
    [["zrange", "d", "0", "-1", "withscores"], ["\x00", "0", "a", "0", "b", "1", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "2"]],
    [["object", "encoding", "d"], "skiplist"],
    [["zrangestore", "d", "big", "0", "-1", "rev"], 4],
    [["zrange", "d", "0", "-1", "withscores"], ["\x00", "-0", "a", "0", "b", "1", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "2"]],
    [["zrangestore", "d", "big", "0", "1"], 2],
    [["zrange", "d", "0", "-1", "withscores"], ["\x00", "0", "a", "0"]],
    [["object", "encoding", "d"], "listpack"],
    [["config", "set", "zset-max-listpack-entries", "2"], "+OK"],
    [["zrangestore", "d", "big", "0", "-1"], 4],
    [["zrange", "d", "0", "-1", "withscores"], ["\x00", "-0", "a", "0", "b", "1", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "2"]],
    [["object", "encoding", "d"], "skiplist"],
    [["zrangestore", "d", "big", "-inf", "+inf", "byscore"], 4],
    [["zrange", "d", "0", "-1", "withscores"], ["\x00", "0", "a", "0", "b", "1", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "2"]],
    [["object", "encoding", "d"], "skiplist"],
    [["zrangestore", "d", "big", "0", "1"], 2],
    [["object", "encoding", "d"], "listpack"],
  ],
  'zremrangeby': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], 5],
    [["zremrangebyrank", "z", "1", "2"], 2],
    [["zrange", "z", "0", "-1"], ["a", "d", "e"]],
    [["zremrangebyrank", "z", "5", "10"], 0],
    [["zremrangebyrank", "z", "-1", "-1"], 1],
    [["zrange", "z", "0", "-1"], ["a", "d"]],
    [["zremrangebyrank", "z", "x", "1"], "-ERR value is not an integer or out of range"],
    [["zremrangebyrank", "z", "0", "-1"], 2],
    [["exists", "z"], 0],
    [["zremrangebyrank", "nokey", "0", "-1"], 0],
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], 5],
    [["zremrangebyscore", "z", "(1", "3"], 2],
    [["zrange", "z", "0", "-1"], ["a", "d", "e"]],
    [["zremrangebyscore", "z", "10", "20"], 0],
    [["zremrangebyscore", "z", "a", "1"], "-ERR min or max is not a float"],
    [["zremrangebyscore", "nokey", "a", "1"], "-ERR min or max is not a float"],
    [["zremrangebyscore", "z", "-inf", "+inf"], 3],
    [["exists", "z"], 0],
    [["zadd", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"], 5],
    [["zremrangebylex", "z", "(a", "[c"], 2],
    [["zrange", "z", "0", "-1"], ["a", "d", "e"]],
    [["zremrangebylex", "z", "a", "c"], "-ERR min or max not valid string range item"],
    [["zremrangebylex", "z", "[x", "+"], 0],
    [["zremrangebylex", "z", "-", "+"], 3],
    [["exists", "z"], 0],
    [["zadd", "m", "1", "z", "2", "a", "3", "y"], 3],
    [["zremrangebylex", "m", "[b", "+"], 3],
    [["zrange", "m", "0", "-1"], []],
    [["zremrangebylex", "m", "-", "[b"], 0],
    [["zrange", "m", "0", "-1"], []],
    [["set", "str", "x"], "+OK"],
    [["zremrangebyrank", "str", "0", "1"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zremrangebyscore", "str", "0", "1"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zremrangebylex", "str", "-", "+"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zremrangebyrank", "str", "x", "1"], "-ERR value is not an integer or out of range"],
  ],
  'lex over mixed scores in a skiplist': [
    [["zadd", "k3", "-2.5", "d", "0", "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"], 2],
    [["object", "encoding", "k3"], "skiplist"],
    [["zlexcount", "k3", "(c", "[e"], 0],
    [["zrange", "k3", "(c", "[e", "bylex"], []],
    [["zrange", "k3", "[e", "(c", "bylex", "rev"], []],
    [["zrangebylex", "k3", "-", "(e"], ["d", "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"]],
    [["zremrangebylex", "k3", "(c", "[e"], 2],
    [["exists", "k3"], 0],
    [["zadd", "k4", "1", "b", "0", "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"], 2],
    [["zlexcount", "k4", "[a", "[c"], 1],
    [["zrange", "k4", "[c", "[a", "bylex", "rev"], ["b"]],
    [["zremrangebylex", "k4", "[a", "[c"], 1],
  ],
};


const EFFECTS: Record<string, { steps: Step[]; events: string[]; ops: string[][] }> = {
  'zrangestore': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b"], 2],
      [["zrangestore", "d", "z", "0", "-1"], 2],
      [["zrangestore", "d", "z", "5", "6"], 0],
      [["zrangestore", "d", "z", "5", "6"], 0],
      [["set", "s", "x"], "+OK"],
      [["zrangestore", "s", "z", "0", "0"], 1],
      [["zrangestore", "s", "nokey", "0", "0"], 0],
    ],
    events: ["0 zadd z", "0 zrangestore d", "0 del d", "0 set s", "0 zrangestore s", "0 del s"],
    ops: [["zadd", "z", "1", "a", "2", "b"], ["zrangestore", "d", "z", "0", "-1"], ["zrangestore", "d", "z", "5", "6"], ["set", "s", "x"], ["zrangestore", "s", "z", "0", "0"], ["zrangestore", "s", "nokey", "0", "0"]],
  },
  'zremrangeby': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
      [["zremrangebyrank", "z", "5", "6"], 0],
      [["zremrangebyrank", "z", "0", "0"], 1],
      [["zremrangebyscore", "z", "10", "20"], 0],
      [["zremrangebyscore", "z", "2", "2"], 1],
      [["zremrangebylex", "z", "-", "+"], 1],
      [["zadd", "z", "1", "a"], 1],
      [["zremrangebylex", "z", "(a", "+"], 0],
    ],
    events: ["0 zadd z", "0 zremrangebyrank z", "0 zremrangebyscore z", "0 zremrangebylex z", "0 del z", "0 zadd z"],
    ops: [["zadd", "z", "1", "a", "2", "b", "3", "c"], ["zremrangebyrank", "z", "0", "0"], ["zremrangebyscore", "z", "2", "2"], ["zremrangebylex", "z", "-", "+"], ["zadd", "z", "1", "a"]],
  },
};

describe('range commands: replies as redis-server 7.0.15 gives them', () => {
  it.each(Object.entries(TABLES))('%s', (_name, steps) => {
    const { c } = setup();
    const { got, want } = runSteps(c, steps);
    expect(got).toEqual(want);
  });
});

describe('range commands: keyspace events and propagation as redis-server 7.0.15', () => {
  it.each(Object.entries(EFFECTS))('%s', (_name, { steps, events, ops }) => {
    const s = setup();
    const { got, want } = runSteps(s.c, steps);
    expect(got).toEqual(want);
    expect(s.events).toEqual(events);
    expect(s.ops.map((op) => (op[0] === '0' ? op.slice(1) : op))).toEqual(ops);
  });
});

describe('RESP3 shapes', () => {
  it('WITHSCORES gives [member, score] pairs', () => {
    const { c } = setup();
    c.resp = 3;
    c.exec(['zadd', 'z', '1', 'a', '2', 'b']);
    const pairs = [['a', new Double(1)], ['b', new Double(2)]];
    expect(c.exec(['zrange', 'z', '0', '-1', 'withscores'])).toEqual(pairs);
    expect(c.exec(['zrangebyscore', 'z', '-inf', '+inf', 'withscores'])).toEqual(pairs);
    expect(c.exec(['zrevrange', 'z', '0', '-1', 'withscores'])).toEqual([...pairs].reverse());
    expect(c.exec(['zrange', 'z', '0', '-1'])).toEqual(['a', 'b']);
  });
});
