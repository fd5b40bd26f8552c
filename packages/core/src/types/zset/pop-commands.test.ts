/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP. Expected replies, events
 * and propagation captured from redis-server 7.0.15 as in commands.test.ts; the blocked-client
 * cases follow what its AOF recorded for clients served later (each served pop is its own
 * ZPOPMIN/ZPOPMAX, with n = min(count, size) for BZMPOP).
 */
import { describe, expect, it } from 'vitest';
import { setup } from '../../commands/testing.ts';
import { createEngine } from '../../engine/engine.ts';
import type { Timers } from '../../engine/blocking.ts';
import type { Push, Reply } from '../../reply/reply.ts';
import { Double, NIL_ARRAY } from '../../reply/reply.ts';
import { wire2, type Step } from './testing.ts';
import { itEffects, itReplies, type Effects } from './tables.suite.ts';

const TABLES: Record<string, Step[]> = {
  'zpopmin zpopmax': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"], 4],
    [["zpopmin", "z"], ["a", "1"]],
    [["zpopmax", "z"], ["d", "4"]],
    [["zpopmin", "z", "0"], []],
    [["zpopmin", "z", "-1"], "-ERR value is out of range, must be positive"],
    [["zpopmin", "z", "abc"], "-ERR value is out of range, must be positive"],
    [["zpopmin", "z", "1", "2"], "-ERR syntax error"],
    [["zpopmax", "z", "10"], ["c", "3", "b", "2"]],
    [["exists", "z"], 0],
    [["zpopmin", "z"], []],
    [["zpopmin", "z", "0"], []],
    [["zpopmax", "nokey", "5"], []],
    [["set", "str", "x"], "+OK"],
    [["zpopmin", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zpopmin", "str", "0"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zpopmin", "str", "-1"], "-ERR value is out of range, must be positive"],
    [["zadd", "z", "1", "a", "1", "b", "1", "c"], 3],
    [["zpopmin", "z", "2"], ["a", "1", "b", "1"]],
    [["zadd", "z", "1", "a", "1", "b"], 2],
    [["zpopmax", "z", "2"], ["c", "1", "b", "1"]],
  ],
  'zmpop': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
    [["zadd", "y", "10", "x"], 1],
    [["zmpop", "2", "nokey", "z", "min"], ["z", [["a", "1"]]]],
    [["zmpop", "2", "z", "y", "MAX", "count", "10"], ["z", [["c", "3"], ["b", "2"]]]],
    [["exists", "z"], 0],
    [["zmpop", "3", "nokey", "z", "y", "min", "COUNT", "1"], ["y", [["x", "10"]]]],
    [["zmpop", "1", "y", "max"], "*-1"],
    [["zmpop", "abc", "z", "min"], "-ERR numkeys should be greater than 0"],
    [["zmpop", "0", "z", "min"], "-ERR numkeys should be greater than 0"],
    [["zmpop", "-1", "z", "min"], "-ERR numkeys should be greater than 0"],
    [["zmpop", "2", "z", "min"], "-ERR syntax error"],
    [["zmpop", "1", "z", "mid"], "-ERR syntax error"],
    [["zmpop", "1", "z", "min", "count"], "-ERR syntax error"],
    [["zmpop", "1", "z", "min", "count", "0"], "-ERR count should be greater than 0"],
    [["zmpop", "1", "z", "min", "count", "-1"], "-ERR count should be greater than 0"],
    [["zmpop", "1", "z", "min", "count", "x"], "-ERR count should be greater than 0"],
    [["zmpop", "1", "z", "min", "count", "1", "count", "1"], "-ERR syntax error"],
    [["zmpop", "1", "z", "min", "foo"], "-ERR syntax error"],
    [["zmpop", "9223372036854775807", "z", "min"], "-ERR syntax error"],
    [["zmpop", "1", "nokey", "min"], "*-1"],
    [["set", "str", "x"], "+OK"],
    [["zmpop", "2", "nokey", "str", "min"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zadd", "z", "1", "a"], 1],
    [["zmpop", "2", "z", "str", "min"], ["z", [["a", "1"]]]],
    [["zmpop", "2", "str", "z", "min"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
  ],
  'blocking pops with data': [
    [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
    [["bzpopmin", "nokey", "z", "0"], ["z", "a", "1"]],
    [["bzpopmax", "z", "0.5"], ["z", "c", "3"]],
    [["bzmpop", "0", "2", "nokey", "z", "min", "count", "5"], ["z", [["b", "2"]]]],
    [["exists", "z"], 0],
    [["bzpopmin", "z", "abc"], "-ERR timeout is not a float or out of range"],
    [["bzpopmin", "z", "-1"], "-ERR timeout is negative"],
    [["bzpopmin", "z", "inf"], "-ERR timeout is negative"],
    [["bzpopmin", "z", "1e400"], "-ERR timeout is negative"],
    [["bzpopmin", "z", " 1"], "-ERR timeout is not a float or out of range"],
    [["bzpopmin", "z", ""], "-ERR timeout is not a float or out of range"],
    [["bzmpop", "abc", "1", "z", "min"], "-ERR timeout is not a float or out of range"],
    [["bzmpop", "-1", "1", "z", "min"], "-ERR timeout is negative"],
    [["bzmpop", "0", "0", "z", "min"], "-ERR numkeys should be greater than 0"],
    [["bzmpop", "-1", "0", "z", "min"], "-ERR numkeys should be greater than 0"],
    [["bzmpop", "abc", "1", "z", "mid"], "-ERR syntax error"],
    [["bzmpop", "0", "1", "z", "min", "count", "0"], "-ERR count should be greater than 0"],
    [["set", "str", "x"], "+OK"],
    [["bzpopmin", "str", "0"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["bzpopmin", "nokey", "str", "abc"], "-ERR timeout is not a float or out of range"],
    [["bzmpop", "0", "2", "nokey", "str", "max"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["zadd", "z", "1", "a"], 1],
    [["bzpopmin", "str", "z", "0"], "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    [["bzpopmin", "z", "str", "0"], ["z", "a", "1"]],
    [["multi"], "+OK"],
    [["bzpopmin", "nokey", "0"], "+QUEUED"],
    [["bzmpop", "0", "1", "nokey", "min"], "+QUEUED"],
    [["exec"], ["*-1", "*-1"]],
  ],
};


const EFFECTS: Record<string, Effects> = {
  'pops': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"], 6],
      [["zpopmin", "z"], ["a", "1"]],
      [["zpopmax", "z", "2"], ["f", "6", "e", "5"]],
      [["zpopmin", "z", "0"], []],
      [["zmpop", "1", "z", "min", "count", "10"], ["z", [["b", "2"], ["c", "3"], ["d", "4"]]]],
      [["zpopmin", "z"], []],
      [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
      [["zmpop", "1", "z", "max"], ["z", [["c", "3"]]]],
      [["bzpopmin", "z", "0"], ["z", "a", "1"]],
      [["bzmpop", "0", "1", "z", "max", "count", "9"], ["z", [["b", "2"]]]],
      [["zmpop", "1", "z", "min"], "*-1"],
    ],
    events: ["0 zadd z", "0 zpopmin z", "0 zpopmax z", "0 zpopmin z", "0 del z", "0 zadd z", "0 zpopmax z", "0 zpopmin z", "0 zpopmax z", "0 del z"],
    ops: [["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"], ["zpopmin", "z"], ["zpopmax", "z", "2"], ["ZPOPMIN", "z", "3"], ["zadd", "z", "1", "a", "2", "b", "3", "c"], ["ZPOPMAX", "z", "1"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "1"]],
  },
  'pops in a transaction': {
    steps: [
      [["zadd", "z", "1", "a", "2", "b", "3", "c"], 3],
      [["multi"], "+OK"],
      [["bzpopmax", "z", "0"], "+QUEUED"],
      [["bzpopmax", "z", "0"], "+QUEUED"],
      [["bzmpop", "1", "1", "z", "min"], "+QUEUED"],
      [["bzpopmin", "z", "1"], "+QUEUED"],
      [["exec"], [["z", "c", "3"], ["z", "b", "2"], ["z", [["a", "1"]]], "*-1"]],
    ],
    events: ["0 zadd z", "0 zpopmax z", "0 zpopmax z", "0 zpopmin z", "0 del z"],
    ops: [["zadd", "z", "1", "a", "2", "b", "3", "c"], ["MULTI"], ["ZPOPMAX", "z"], ["ZPOPMAX", "z"], ["ZPOPMIN", "z", "1"], ["EXEC"]],
  },
};

describe('pop commands: replies as redis-server 7.0.15 gives them', () => itReplies(TABLES));

describe('pop commands: keyspace events and propagation as redis-server 7.0.15', () => {
  itEffects(EFFECTS);

  it('RESP3: a single pop is a flat pair, with COUNT nested pairs', () => {
    const { c } = setup();
    c.resp = 3;
    c.exec(['zadd', 'z', '1', 'a', '2', 'b', '3', 'c']);
    expect(c.exec(['zpopmin', 'z'])).toEqual(['a', new Double(1)]);
    expect(c.exec(['zpopmin', 'z', '1'])).toEqual([['b', new Double(2)]]);
    expect(c.exec(['bzpopmax', 'z', '0'])).toEqual(['z', 'c', new Double(3)]);
    expect(c.exec(['zmpop', '1', 'z', 'min'])).toBe(NIL_ARRAY);
  });
});

/** An engine on fake timers with clients a, b, c, recording events and propagation. */
function blockingSetup() {
  const pending = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, _ms) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const e = createEngine({ timers, activeExpire: false, now: () => 1_700_000_000_000 });
  const events: string[] = [];
  const ops: string[][] = [];
  const listener = e.connect({
    onPush: (m) => {
      const [, , channel, key] = (m as Push).items as string[];
      events.push(`${channel!.replace(/^__keyevent@\d+__:/, '')} ${key}`);
    },
  });
  e.config.set('notify-keyspace-events', 'KEA');
  e.configChanged();
  e.pubsub.psubscribe(listener, '__keyevent@*');
  e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
  const fire = (): void => {
    for (const [id, fn] of [...pending]) {
      pending.delete(id);
      fn();
    }
  };
  return { e, a: e.connect(), b: e.connect(), c: e.connect(), events, ops, fire, pending };
}

/** The settled value of a promise, or 'pending'. */
async function state(p: Reply | Promise<Reply>): Promise<unknown> {
  const marker = Symbol('pending');
  const r = await Promise.race([Promise.resolve(p), Promise.resolve().then(() => marker)]);
  return r === marker ? 'pending' : wire2(r as Reply);
}

describe('blocked clients', () => {
  it('BZPOPMIN waits until a ZADD creates one of its keys, then pops from it', async () => {
    const s = blockingSetup();
    const p = s.a.exec(['bzpopmin', 'k1', 'k2', '0']);
    expect(p).toBeInstanceOf(Promise);
    expect(await state(p)).toBe('pending');
    expect(wire2(s.b.exec(['zadd', 'k2', '1', 'x', '2', 'y']))).toBe(2);
    expect(await state(p)).toEqual(['k2', 'x', '1']);
    expect(wire2(s.b.exec(['zrange', 'k2', '0', '-1']))).toEqual(['y']);
    expect(s.ops).toEqual([['zadd', 'k2', '1', 'x', '2', 'y'], ['ZPOPMIN', 'k2']]);
    expect(s.events).toEqual(['zadd k2', 'zpopmin k2']);
  });

  it('clients are served in the order they blocked, each from what is left', async () => {
    const s = blockingSetup();
    const p1 = s.a.exec(['bzpopmin', 'k', '0']);
    const p2 = s.b.exec(['bzmpop', '0', '1', 'k', 'max', 'count', '5']);
    s.c.exec(['zadd', 'k', '1', 'a', '2', 'b', '3', 'c']);
    expect(await state(p1)).toEqual(['k', 'a', '1']);
    expect(await state(p2)).toEqual(['k', [['c', '3'], ['b', '2']]]);
    expect(s.ops).toEqual([['zadd', 'k', '1', 'a', '2', 'b', '3', 'c'], ['ZPOPMIN', 'k'], ['ZPOPMAX', 'k', '2']]);
    expect(s.events).toEqual(['zadd k', 'zpopmin k', 'zpopmax k', 'del k']);
    expect(wire2(s.c.exec(['exists', 'k']))).toBe(0);
  });

  it('BZMPOP propagates min(count, size) and leaves the rest', async () => {
    const s = blockingSetup();
    const p = s.a.exec(['bzmpop', '0', '2', 'k1', 'k2', 'max', 'count', '5']);
    s.c.exec(['zadd', 'k1', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f', '7', 'g']);
    expect(await state(p)).toEqual(['k1', [['g', '7'], ['f', '6'], ['e', '5'], ['d', '4'], ['c', '3']]]);
    expect(s.ops.at(-1)).toEqual(['ZPOPMAX', 'k1', '5']);
    expect(wire2(s.c.exec(['zcard', 'k1']))).toBe(2);
  });

  it('a key of another type, or a zset gone by the end of the transaction, keeps the client waiting', async () => {
    const s = blockingSetup();
    const p = s.a.exec(['bzpopmax', 'k', '0']);
    s.b.exec(['set', 'k', 'x']);
    s.b.exec(['del', 'k']);
    s.b.exec(['rpush', 'k', 'x']);
    expect(await state(p)).toBe('pending');
    s.b.exec(['del', 'k']);
    s.b.exec(['multi']);
    s.b.exec(['zadd', 'k', '1', 'a']);
    s.b.exec(['zrem', 'k', 'a']);
    expect(wire2(s.b.exec(['exec']))).toEqual([1, 1]);
    expect(await state(p)).toBe('pending');
    s.b.exec(['zadd', 'k', '5', 'z']);
    expect(await state(p)).toEqual(['k', 'z', '5']);
    expect(s.e.blocking.count).toBe(0);
  });

  it('a timeout answers a nil array and the client no longer waits', async () => {
    const s = blockingSetup();
    const p1 = s.a.exec(['bzpopmin', 'k', '0.5']);
    const p2 = s.b.exec(['bzmpop', '1.5', '1', 'k', 'min']);
    expect(s.pending.size).toBe(2);
    s.fire();
    expect(await p1).toBe(NIL_ARRAY);
    expect(await p2).toBe(NIL_ARRAY);
    s.c.exec(['zadd', 'k', '1', 'a']);
    expect(wire2(s.c.exec(['zcard', 'k']))).toBe(1);
    expect(s.ops).toEqual([['zadd', 'k', '1', 'a']]);
  });

  it('timeout 0 blocks forever, with no timer', async () => {
    const s = blockingSetup();
    const p = s.a.exec(['bzpopmin', 'k', '0.0001']);
    expect(s.pending.size).toBe(0);
    s.c.exec(['zadd', 'k', '1', 'a']);
    expect(await state(p)).toEqual(['k', 'a', '1']);
  });

  it('RESP3: a served BZPOPMIN answers [key, member, double]', async () => {
    const s = blockingSetup();
    s.a.resp = 3;
    const p = s.a.exec(['bzpopmin', 'k', '0']);
    s.c.exec(['zadd', 'k', '2.5', 'm']);
    expect(await p).toEqual(['k', 'm', new Double(2.5)]);
  });
});
