/**
 * ZRANDMEMBER and ZSCAN. Deterministic replies (errors, whole-set samples, listpack scans) were
 * captured from redis-server 7.0.15; random samples are checked for what Redis promises.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setup } from '../../commands/testing.ts';
import { createEngine } from '../../engine/engine.ts';
import { Double } from '../../reply/reply.ts';
import { wire2, type Step } from './testing.ts';
import { itReplies } from './tables.suite.ts';

const TABLES: Record<string, Step[]> = {
  'zrandmember': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
    [["zrandmember", "z", "3"], ["c", "b", "a"]],
    [["zrandmember", "z", "5", "withscores"], ["c", "3", "b", "2", "a", "1"]],
    [["zrandmember", "z", "0"], []],
    [["zrandmember", "z", "0", "withscores"], []],
    [["zrandmember", "z", "-9223372036854775808"], "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"],
    [["zrandmember", "z", "9223372036854775807", "withscores"], "-ERR value is out of range"],
    [["zrandmember", "z", "4611686018427387904", "withscores"], "-ERR value is out of range"],
    [["zrandmember", "z", "-4611686018427387904", "withscores"], "-ERR value is out of range"],
    [["zrandmember", "z", "4611686018427387903", "withscores"], ["c", "3", "b", "2", "a", "1"]],
    [["zrandmember", "z", "1", "withscore"], "-ERR syntax error"],
    [["zrandmember", "z", "1", "withscores", "x"], "-ERR syntax error"],
    [["zrandmember", "z", "x"], "-ERR value is not an integer or out of range"],
    [["zrandmember", "z", "1.5"], "-ERR value is not an integer or out of range"],
    [["zrandmember", "nokey"], null],
    [["zrandmember", "nokey", "5"], []],
    [["zrandmember", "nokey", "x"], "-ERR value is not an integer or out of range"],
    [["zrandmember", "nokey", "-5", "withscores"], []],
    [["set", "str", "x"], "+OK"],
    [["zrandmember", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zrandmember", "str", "0"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zrandmember", "str", "x"], "-ERR value is not an integer or out of range"],
    [["zrandmember", "str", "1", "foo"], "-ERR syntax error"],
  ],
  'zscan': [
    [["zadd", "z", "1", "a", "2", "b", "1.5", "ab", "0.1", "x", "-0", "y"], 5],
    [["zscan", "z", "0"], ["0", ["y", "0", "x", "0.10000000000000001", "a", "1", "ab", "1.5", "b", "2"]]],
    [["zscan", "z", "0", "match", "a*"], ["0", ["a", "1", "ab", "1.5"]]],
    [["zscan", "z", "0", "count", "1"], ["0", ["y", "0", "x", "0.10000000000000001", "a", "1", "ab", "1.5", "b", "2"]]],
    [["zscan", "z", "0", "match", "[ax]", "count", "100"], ["0", ["x", "0.10000000000000001", "a", "1"]]],
    [["zscan", "z", "7"], ["0", ["y", "0", "x", "0.10000000000000001", "a", "1", "ab", "1.5", "b", "2"]]],
    [["zscan", "z", "0", "count", "0"], "-ERR syntax error"],
    [["zscan", "z", "0", "foo"], "-ERR syntax error"],
    [["zscan", "z", "0", "match"], "-ERR syntax error"],
    [["zscan", "z", "0", "type", "zset"], "-ERR syntax error"],
    [["zscan", "z", "abc"], "-ERR invalid cursor"],
    [["zscan", "z", "-1"], ["0", ["y", "0", "x", "0.10000000000000001", "a", "1", "ab", "1.5", "b", "2"]]],
    [["zscan", "z", "18446744073709551616"], "-ERR invalid cursor"],
    [["zscan", "nokey", "0", "foo"], ["0", []]],
    [["zscan", "nokey", "abc"], "-ERR invalid cursor"],
    [["set", "str", "x"], "+OK"],
    [["zscan", "str", "0", "foo"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zscan", "str", "abc"], "-ERR invalid cursor"],
  ],
};

describe('ZRANDMEMBER and ZSCAN: replies as redis-server 7.0.15 gives them', () => itReplies(TABLES));

describe('ZRANDMEMBER samples', () => {
  it('positive counts give distinct members, negative ones any members, with their scores', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: -400, max: 400 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        (size, count, randoms) => {
          const e = createEngine({ activeExpire: false, random: () => randoms.next().value });
          const c = e.connect();
          const args = Array.from({ length: size }, (_, i) => [String(i % 7), `m${i}`]).flat();
          c.exec(['zadd', 'z', ...args]);
          const reply = wire2(c.exec(['zrandmember', 'z', String(count), 'withscores'])) as string[];
          expect(reply.length).toBe(2 * (count >= 0 ? Math.min(count, size) : -count));
          const members: string[] = [];
          for (let i = 0; i < reply.length; i += 2) {
            const m = reply[i]!;
            expect(reply[i + 1]).toBe(String(Number(m.slice(1)) % 7));
            members.push(m);
          }
          if (count >= 0) expect(new Set(members).size).toBe(members.length);
          const single = wire2(c.exec(['zrandmember', 'z'])) as string;
          expect(Number(single.slice(1))).toBeLessThan(size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('RESP3: scored samples are [member, score] pairs', () => {
    const { c } = setup();
    c.resp = 3;
    c.exec(['zadd', 'z', '1', 'a']);
    expect(c.exec(['zrandmember', 'z', '-2', 'withscores'])).toEqual([['a', new Double(1)], ['a', new Double(1)]]);
  });
});

describe('ZSCAN on a skiplist', () => {
  it('walks every member exactly once across calls, with MATCH and COUNT', () => {
    const { c } = setup();
    const args = Array.from({ length: 500 }, (_, i) => [String(i / 4), `m${i}`]).flat();
    c.exec(['zadd', 'z', ...args]);
    expect(c.exec(['object', 'encoding', 'z'])).toBe('skiplist');
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = wire2(c.exec(['zscan', 'z', cursor, 'match', 'm1*', 'count', '37'])) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) {
        expect(seen.has(items[i]!)).toBe(false);
        seen.set(items[i]!, items[i + 1]!);
      }
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(10);
    const want = Array.from({ length: 500 }, (_, i) => i).filter((i) => `m${i}`.startsWith('m1'));
    expect(seen.size).toBe(want.length);
    for (const i of want) expect(seen.get(`m${i}`)).toBe(String(i / 4));
  });
});
