/**
 * What the hash commands propagate, which keyspace events they send, and their RESP3 reply shapes.
 * The expected streams were read from a redis-server 7.0.15's AOF and a PSUBSCRIBEd client.
 */
import { describe, expect, it } from 'vitest';
import { effectsSetup, type EffectsSetup } from '../../commands/testing.ts';
import type { Client } from '../../engine/client.ts';
import { MapReply, type Reply } from '../../reply/reply.ts';

const setup = (): EffectsSetup => effectsSetup(7);
const exec = (c: Client, line: string): Reply => c.exec(line.split(' ')) as Reply;

describe('hash propagation', () => {
  it('HINCRBYFLOAT is propagated as HSET of the result; no-ops are not propagated', () => {
    const { c, ops } = setup();
    for (const line of [
      'hset h f 1.5', 'hincrbyfloat h f 0.1', 'hincrbyfloat h g 3.0e3', 'hsetnx h f 2', 'hsetnx h b 2', 'hdel h zz',
      'hincrby h b 2', 'hincrbyfloat h b abc', 'hdel nokey a', 'hincrbyfloat h k 12345.6789',
    ]) exec(c, line);
    expect(ops.map((o) => o.join(' '))).toEqual([
      'hset h f 1.5', 'HSET h f 1.6', 'HSET h g 3000', 'hsetnx h b 2', 'hincrby h b 2', 'HSET h k 12345.67889999999999961',
    ]);
  });
});

describe('hash keyspace events', () => {
  it('match Redis event for event', () => {
    const { c, keyevents } = setup();
    const events = keyevents();
    for (const line of [
      'hset h a 1', 'hsetnx h a 2', 'hsetnx h b 2', 'hmset h c 3', 'hincrby h a 1', 'hincrbyfloat h a 1.5', 'hdel h a b c',
      'hdel h zz', 'hincrby h a x',
    ]) exec(c, line);
    expect(events).toEqual(['hset h', 'hset h', 'hset h', 'hincrby h', 'hincrbyfloat h', 'hdel h', 'del h']);
  });
});

describe('hash replies', () => {
  it('HRANDFIELD WITHVALUES pairs up in RESP3 and is flat in RESP2', () => {
    const { c } = setup();
    exec(c, 'hset h a 1 b 2');
    const pairs = new Map([['a', '1'], ['b', '2']]);
    c.resp = 3;
    for (const line of ['hrandfield h 2 withvalues', 'hrandfield h -3 withvalues', 'hrandfield h 1 withvalues']) {
      const r = exec(c, line) as string[][];
      expect(r).toHaveLength(Number(line.split(' ')[2]!.replace('-', '')));
      for (const [f, v] of r) expect(pairs.get(f!)).toBe(v);
    }
    expect(exec(c, 'hrandfield nokey 2 withvalues')).toEqual([]);
    expect(exec(c, 'hrandfield nokey')).toBeNull();
    expect(exec(c, 'hgetall nokey')).toEqual(new MapReply([]));
    expect(exec(c, 'hgetall h')).toEqual(new MapReply(['a', '1', 'b', '2']));
    c.resp = 2;
    const flat = exec(c, 'hrandfield h -5 withvalues') as string[];
    expect(flat).toHaveLength(10);
    for (let i = 0; i < 10; i += 2) expect(pairs.get(flat[i]!)).toBe(flat[i + 1]);
  });

  it('HRANDFIELD with a positive count returns distinct fields', () => {
    const { c } = setup();
    const fields = Array.from({ length: 50 }, (_, i) => `f${i}`);
    c.exec(['hset', 'h', ...fields.flatMap((f) => [f, 'v'])]);
    for (const n of [1, 2, 10, 30, 49]) {
      const r = exec(c, `hrandfield h ${n}`) as string[];
      expect(new Set(r).size).toBe(n);
      for (const f of r) expect(fields).toContain(f);
    }
  });
});
