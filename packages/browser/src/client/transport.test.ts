import { describe, expect, it } from 'vitest';
import { createClient, errorToWire, ReplyError, StorageError, toWire, type Wire } from '@larder/core/client';
import type { Remote } from 'comlink';
import { commandCount, pushCommand, type Batch, type HostApi } from '../protocol.ts';
import { batchingTransport } from './transport.ts';

/** A transport whose "worker" records each batch and answers with `answer`. */
function recording(answer: (batch: Batch) => Wire[] | Promise<Wire[]>) {
  const batches: Batch[] = [];
  const api = {
    async exec(conn: string, batch: Batch) {
      expect(conn).toBe('tab:1');
      batches.push(batch);
      return answer(batch);
    },
  };
  return { batches, transport: batchingTransport(api as unknown as Remote<HostApi>, Promise.resolve('tab:1')) };
}

describe('batches', () => {
  it('encode each command as its argument count, then its arguments', () => {
    const b: Batch = [];
    pushCommand(b, ['SET', 'k', 'v']);
    pushCommand(b, ['PING']);
    pushCommand(b, ['DEL', 'a', 'b', 'c']);
    expect(b).toEqual([3, 'SET', 'k', 'v', 1, 'PING', 4, 'DEL', 'a', 'b', 'c']);
    expect(commandCount(b)).toBe(3);
    expect(commandCount([])).toBe(0);
  });
});

describe('batchingTransport', () => {
  it('sends the calls of one tick as one batch, in order, and settles each with its decoded reply', async () => {
    const { batches, transport } = recording((b) => {
      const out: Wire[] = [];
      for (let i = 0; i < b.length; i += (b[i] as number) + 1) out.push(b[i + 1] === 'GET' ? `got:${b[i + 2]}` : { s: 'OK' });
      return out;
    });
    const l = createClient(transport);
    const replies = await Promise.all([l.set('a', '1'), l.get('a'), l.set('b', 'héllo'), l.get('b')]);
    expect(replies).toEqual(['OK', 'got:a', 'OK', 'got:b']);
    expect(batches).toEqual([[3, 'SET', 'a', '1', 2, 'GET', 'a', 3, 'SET', 'b', 'h\u00c3\u00a9llo', 2, 'GET', 'b']]);
    // A later tick is another batch.
    await l.get('c');
    expect(batches.length).toBe(2);
  });

  it('rejects a call with its error, keeping class and code, and leaves the others alone', async () => {
    const { transport } = recording(() => [
      toWire(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')),
      errorToWire(new StorageError('QUOTA_EXCEEDED', 'QUOTA_EXCEEDED full')),
      'fine',
    ]);
    const l = createClient(transport);
    const [wrong, quota, fine] = await Promise.allSettled([l.lpush('k', 'x'), l.set('k', 'v'), l.get('k')]);
    expect((wrong as PromiseRejectedResult).reason).toBeInstanceOf(ReplyError);
    expect((quota as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    expect((quota as PromiseRejectedResult).reason.code).toBe('QUOTA_EXCEEDED');
    expect(fine).toEqual({ status: 'fulfilled', value: 'fine' });
  });

  it('hands raw replies to `send` (a pipeline decides about errors itself)', async () => {
    const { transport } = recording(() => [toWire(new ReplyError('ERR no')), 1]);
    const [err, one] = await Promise.all([transport.send(['X']), transport.send(['Y'])]);
    expect(err).toBeInstanceOf(ReplyError);
    expect(one).toBe(1);
  });

  it('fails every call of a batch the worker could not run', async () => {
    const gone = new Error('worker gone');
    const { transport } = recording(() => Promise.reject(gone));
    const l = createClient(transport);
    const out = await Promise.allSettled([l.get('a'), l.get('b')]);
    expect(out).toEqual([{ status: 'rejected', reason: gone }, { status: 'rejected', reason: gone }]);
  });

  it('refuses commands once closed', async () => {
    const { transport } = recording((b) => new Array<Wire>(commandCount(b)).fill(1));
    const l = createClient(transport);
    expect(await l.incr('n')).toBe(1);
    transport.close();
    await expect(l.incr('n')).rejects.toThrow(/^CLOSED/);
  });
});
