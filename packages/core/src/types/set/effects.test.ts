/**
 * What the set commands propagate, which keyspace events they send, and their RESP3 reply shapes.
 * The expected streams were read from a redis-server 7.0.15's AOF and a PSUBSCRIBEd client.
 */
import { describe, expect, it } from 'vitest';
import { effectsSetup, type EffectsSetup } from '../../commands/testing.ts';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';
import { SetReply, type Reply } from '../../reply/reply.ts';

const setup = (): EffectsSetup => effectsSetup(42);
const exec = (c: Client, line: string): Reply => c.exec(line.split(' ')) as Reply;

describe('set propagation', () => {
  it('SPOP without count is an SREM of the popped member, never a DEL', () => {
    const { c, ops } = setup();
    exec(c, 'sadd v 1 2');
    const first = exec(c, 'spop v') as string;
    const second = exec(c, 'spop v') as string;
    expect(ops).toEqual([['sadd', 'v', '1', '2'], ['SREM', 'v', first], ['SREM', 'v', second]]);
    expect(c.db.lookup('v')).toBeUndefined();
  });

  it('SPOP with a count is one SREM per member in MULTI/EXEC, a single SREM alone', () => {
    const { c, ops } = setup();
    exec(c, 'sadd s 1 2 3 4 5 6 7 8 9 10');
    ops.length = 0;
    const one = (exec(c, 'spop s 1') as SetReply).items;
    expect(ops).toEqual([['SREM', 's', one[0]]]);
    for (const count of [2, 6]) {
      ops.length = 0;
      const popped = (exec(c, `spop s ${count}`) as SetReply).items as string[];
      expect(popped).toHaveLength(count);
      expect(ops).toEqual([['MULTI'], ...popped.map((m) => ['SREM', 's', m]), ['EXEC']]);
    }
    expect(exec(c, 'scard s')).toBe(1);
  });

  it('SPOP of the whole set is a DEL; no-op pops propagate nothing', () => {
    const { c, ops } = setup();
    exec(c, 'sadd t a b c');
    ops.length = 0;
    exec(c, 'spop t 0');
    exec(c, 'spop nokey 3');
    exec(c, 'spop nokey');
    expect(ops).toEqual([]);
    exec(c, 'spop t 5');
    expect(ops).toEqual([['DEL', 't']]);
  });

  it('SPOP with a count near 2^63 counts it as changes, and later writes are still propagated', () => {
    const { e, c, ops } = setup();
    exec(c, 'sadd s 1');
    exec(c, 'spop s 9223372036854775807');
    // server.dirty is a long long there; a double that large no longer moves by 1 (dirtyEvents does).
    for (const line of ['sadd s 2', 'hset h f v', 'swapdb 0 1']) exec(c, line);
    expect(ops.map((o) => o.join(' '))).toEqual(['sadd s 1', 'DEL s', 'sadd s 2', 'hset h f v', 'swapdb 0 1']);
    expect(e.dirty).toBeGreaterThan(9e18);
  });

  it('an expired destination: SMOVE deletes it even when it moves nothing; an empty STORE deletes it unexpired', () => {
    let t = 1_700_000_000_000;
    const e = createEngine({ now: () => t, activeExpire: false });
    const c = e.connect();
    const ops: string[][] = [];
    e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
    for (const k of ['d1', 'd2', 'd3', 'd4']) exec(c, `set ${k} v px 10`);
    exec(c, 'set str v');
    exec(c, 'sadd src 1');
    ops.length = 0;
    t += 11;
    exec(c, 'smove nokey d1 m');
    expect((exec(c, 'smove str d2 m') as Error).message).toMatch(/^WRONGTYPE/);
    exec(c, 'sinterstore d3 nokey');
    exec(c, 'sunionstore d4 src');
    // As redis-server 7.0.15's AOF: SMOVE looks both keys up first; dbDelete does not expire.
    expect(ops.map((o) => o.join(' '))).toEqual([
      'DEL d1', 'DEL d2', 'sinterstore d3 nokey', 'MULTI', 'DEL d4', 'sunionstore d4 src', 'EXEC',
    ]);
  });

  it('propagates other writes as received, and only when they change something', () => {
    const { c, ops } = setup();
    for (const line of [
      'sadd s 1', 'sadd s 1', 'srem s 99', 'sadd t a b c', 'smove t u a', 'smove t u zz', 'smove nokey u a',
      'sinterstore x nokey', 'sunionstore y t', 'sdiffstore y t t', 'sdiffstore y t t',
    ]) exec(c, line);
    expect(ops.map((o) => o.join(' '))).toEqual([
      'sadd s 1', 'sadd t a b c', 'smove t u a', 'sunionstore y t', 'sdiffstore y t t',
    ]);
  });
});

describe('set keyspace events', () => {
  it('match Redis event for event', () => {
    const { c, keyevents } = setup();
    const events = keyevents();
    for (const line of [
      'sadd s 1 2', 'sadd s 1', 'srem s 1 2', 'sadd s 1 2 3', 'spop s', 'spop s 5', 'sadd a 1', 'smove a b 1', 'sadd a 1',
      'sadd b 1', 'smove a b 1', 'sadd x 1', 'sinterstore x nokey', 'sadd x 1', 'sunionstore y x', 'sdiffstore y x x',
      'sadd y 1', 'sinterstore y x', 'sadd s 1 2 3', 'spop s 0', 'spop s 1',
    ]) exec(c, line);
    expect(events).toEqual([
      'sadd s', 'srem s', 'del s', 'sadd s', 'spop s', 'spop s', 'del s', 'sadd a', 'srem a', 'del a', 'sadd b', 'sadd a',
      'srem a', 'del a', 'sadd x', 'del x', 'sadd x', 'sunionstore y', 'del y', 'sadd y', 'sinterstore y', 'sadd s',
      'spop s',
    ]);
  });
});

describe('set replies in RESP3', () => {
  it('uses sets where Redis 7.0 sends sets and arrays elsewhere', () => {
    const { c } = setup();
    c.resp = 3;
    exec(c, 'sadd s 1 2 3');
    expect(exec(c, 'smembers nokey')).toEqual(new SetReply([]));
    expect(exec(c, 'smembers s')).toEqual(new SetReply(['1', '2', '3']));
    expect(exec(c, 'spop nokey 2')).toEqual(new SetReply([]));
    expect(exec(c, 'spop nokey')).toBeNull();
    expect(exec(c, 'spop s 0')).toEqual(new SetReply([]));
    expect(exec(c, 'spop s 1')).toBeInstanceOf(SetReply);
    for (const line of ['sinter s nokey', 'sunion nokey', 'sdiff nokey', 'sinter s', 'sunion s', 'sdiff s']) {
      expect(exec(c, line)).toBeInstanceOf(SetReply);
    }
    for (const line of ['srandmember s 2', 'srandmember s 0', 'srandmember nokey 2', 'smismember nokey a b', 'sscan s 0']) {
      expect(Array.isArray(exec(c, line))).toBe(true);
    }
    expect(exec(c, 'sintercard 1 nokey')).toBe(0);
  });
});
