import { describe, expect, it } from 'vitest';
import { createLarder } from './in-process.ts';
import { methodOf } from './build.ts';
import { ReplyError } from '../reply/errors.ts';

const argvOf = (name: Parameters<typeof methodOf>[0], ...args: unknown[]) => methodOf(name).argv(args);

describe('typed client', () => {
  it('round-trips text, including non-ASCII, as UTF-8 bytes', async () => {
    const l = createLarder({ activeExpire: false });
    expect(await l.set('k', 'héllo ✓')).toBe('OK');
    expect(await l.get('k')).toBe('héllo ✓');
    expect(await l.call('STRLEN', 'k')).toBe(10);
    expect(await l.get('missing')).toBeNull();
  });

  it('round-trips arbitrary bytes in bytes mode', async () => {
    const l = createLarder({ activeExpire: false, bytes: true });
    const bytes = new Uint8Array([0, 255, 128, 10, 13, 0]);
    await l.set('b', bytes);
    expect(await l.get('b')).toEqual(bytes);
  });

  it('rejects with ReplyError carrying Redis text', async () => {
    const l = createLarder({ activeExpire: false });
    const err = await l.call('GET').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).message).toBe("ERR wrong number of arguments for 'get' command");
  });

  it('pipelines and transactions keep order and return results', async () => {
    const l = createLarder({ activeExpire: false });
    expect(await l.pipeline().set('a', '1').get('a').call('GET', 'nope').exec()).toEqual(['OK', '1', null]);
    expect(await l.multi().set('b', '2').get('b').exec()).toEqual(['OK', '2']);
  });

  it('translates option objects into Redis words', () => {
    expect(argvOf('set', 'k', 'v', { nx: true, ex: 10, get: true })).toEqual(['SET', 'k', 'v', 'NX', 'GET', 'EX', '10']);
    expect(argvOf('zadd', 'z', { gt: true, ch: true }, { score: 1.5, member: 'a' }, { score: 2, member: 'b' }))
      .toEqual(['ZADD', 'z', 'GT', 'CH', '1.5', 'a', '2', 'b']);
    expect(argvOf('zadd', 'z', { score: -Infinity, member: 'm' })).toEqual(['ZADD', 'z', '-inf', 'm']);
    expect(argvOf('zrange', 'z', '(1', '+inf', { byScore: true, offset: 1, count: 2, withScores: true }))
      .toEqual(['ZRANGE', 'z', '(1', '+inf', 'BYSCORE', 'LIMIT', '1', '2', 'WITHSCORES']);
    expect(argvOf('hset', 'h', { f: 'v', g: 1 })).toEqual(['HSET', 'h', 'f', 'v', 'g', '1']);
    expect(argvOf('scan', 0, { match: 'user:*', count: 100 })).toEqual(['SCAN', '0', 'MATCH', 'user:*', 'COUNT', '100']);
    expect(argvOf('zunionstore', 'd', ['a', 'b'], { weights: [1, 2], aggregate: 'max' }))
      .toEqual(['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2', 'AGGREGATE', 'MAX']);
    expect(argvOf('blpop', ['a', 'b'], 0.5)).toEqual(['BLPOP', 'a', 'b', '0.5']);
    expect(argvOf('lmpop', ['a'], 'LEFT', 3)).toEqual(['LMPOP', '1', 'a', 'LEFT', 'COUNT', '3']);
  });
});

describe('durability barrier', () => {
  it('holds a reply until the barrier resolves, and rejects when it fails', async () => {
    const l = createLarder({ activeExpire: false });
    let release!: () => void;
    let fail!: (e: Error) => void;
    let pending: Promise<void> | undefined;
    l.engine.durability = { barrier: () => pending, units: { written: 0 } };
    pending = new Promise<void>((res) => (release = res));
    let done = false;
    const p = l.set('k', 'v').then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    release();
    expect(await p).toBe('OK');
    pending = new Promise<void>((_res, rej) => (fail = rej));
    const q = l.set('k', 'w');
    fail(new Error('fsync failed'));
    await expect(q).rejects.toThrow('fsync failed');
    pending = undefined;
    expect(await l.get('k')).toBe('w');
  });
});
