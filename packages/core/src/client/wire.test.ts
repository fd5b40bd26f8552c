import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import { ReplyError } from '../reply/errors.ts';
import { Double, MapReply, NIL_ARRAY, OK, Push, QUEUED, Replies, SetReply, Status, VerbatimString, type Reply } from '../reply/reply.ts';
import { StorageError } from '../storage/storage.ts';
import { LarderError, errorToWire, fromWire, toWire, type Wire } from './wire.ts';

/** What structured clone (postMessage) does to a value: class identity is lost. */
const clone = (w: Wire): Wire => structuredClone(w);

describe('wire replies', () => {
  it('round-trips every reply class through structured clone', () => {
    const replies: Reply[] = [
      'bytes\u0000\u00ff', 42, 2n ** 70n, null, ['a', 1, null], new Status('OK'), new Double(1.5), new Double(Infinity),
      new MapReply(['k', new Double(2)]), new SetReply(['m']), new Push(['message', 'c', 'x']),
      new Replies([['subscribe', 'a', 1]]), new VerbatimString('txt', 'info'), NIL_ARRAY,
      [new ReplyError('ERR nested'), 'ok'],
    ];
    for (const r of replies) expect(fromWire(clone(toWire(r)))).toEqual(r);
    const e = fromWire(clone(toWire(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))));
    expect(e).toBeInstanceOf(ReplyError);
    expect((e as ReplyError).prefix).toBe('WRONGTYPE');
  });

  it('carries every reply the engine gives for a session of commands', () => {
    const engine = createEngine({ activeExpire: false });
    const c = engine.connect();
    const session = [['HELLO', '3'], ['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'], ['ZADD', 'z', '1.5', 'm'], ['ZSCORE', 'z', 'm'],
      ['SADD', 's', 'x'], ['SMEMBERS', 's'], ['INFO', 'server'], ['GET', 'nope'], ['LPUSH', 'h', 'x'], ['SUBSCRIBE', 'a', 'b']];
    for (const argv of session) {
      const r = c.exec(argv) as Reply;
      expect(fromWire(clone(toWire(r)))).toEqual(r);
    }
    engine.close();
  });

  it('sends OK and QUEUED as one shared object each, which a message clones once', () => {
    const replies = [new Status('OK'), OK, QUEUED, new Status('QUEUED'), new Status('PONG')].map(toWire);
    expect(replies[0]).toBe(replies[1]);
    expect(replies[2]).toBe(replies[3]);
    const cloned = clone(replies) as Wire[];
    expect(cloned[0]).toBe(cloned[1]);
    expect(cloned.map(fromWire)).toEqual([OK, OK, QUEUED, QUEUED, new Status('PONG')]);
  });

  it('throws errors other than replies, keeping class and code', () => {
    const quota = errorToWire(new StorageError('QUOTA_EXCEEDED', 'full'));
    expect(() => fromWire(clone(quota))).toThrow(StorageError);
    try {
      fromWire(clone(quota));
    } catch (e) {
      expect((e as StorageError).code).toBe('QUOTA_EXCEEDED');
    }
    const lost = Object.assign(new Error('gone'), { name: 'LarderError', code: 'OWNER_LOST' });
    expect(() => fromWire(clone(errorToWire(lost)))).toThrow(LarderError);
    expect(errorToWire('text')).toEqual({ e: 'text', name: 'Error' });
  });
});
