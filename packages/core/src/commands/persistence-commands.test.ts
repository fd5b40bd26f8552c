/**
 * SHUTDOWN and LASTSAVE (SAVE and BGSAVE are in persistence/rdb-file.test.ts), with Redis
 * 7.0.15's replies and the cases of tests/unit/shutdown.tcl that apply in-process.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import { decodeRdb } from '../rdb/decoder.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { createRdbFile, installPersistence } from '../persistence/rdb-file.ts';
import type { AofPersistence, BackgroundJobs, Persistence } from '../persistence/types.ts';
import { show } from './testing.ts';

const T0 = 1_795_000_000_000;

function setup(config: Record<string, string> = {}, aof?: AofPersistence) {
  const e = createEngine({ now: () => T0, activeExpire: false, config });
  const storage: MemoryStorage = createMemoryStorage();
  const jobs: BackgroundJobs = { child: null };
  const rdb = createRdbFile(e, storage, jobs);
  let closed = 0;
  const p: Persistence = { storage, jobs, rdb, aof, log: () => {}, close: async () => void closed++ };
  installPersistence(e, p);
  let exits = 0;
  e.onShutdown = () => void exits++;
  const c = e.connect();
  return {
    e, c, storage,
    r: async (...argv: string[]) => show(await c.exec(argv)),
    exits: () => exits,
    closed: () => closed,
  };
}

const keysIn = async (storage: MemoryStorage): Promise<string[] | undefined> => {
  const bytes = await storage.read('dump.rdb');
  return bytes && decodeRdb(bytes).records.map((r) => r.key);
};

describe('SHUTDOWN', () => {
  it('refuses bad flag combinations, and ABORT finds nothing to abort', async () => {
    const s = setup();
    expect(await s.r('SHUTDOWN', 'SAVE', 'NOSAVE')).toBe('-ERR syntax error');
    expect(await s.r('SHUTDOWN', 'ABORT', 'NOW')).toBe('-ERR syntax error');
    expect(await s.r('SHUTDOWN', 'foo')).toBe('-ERR syntax error');
    expect(await s.r('SHUTDOWN', 'ABORT', 'abort')).toBe('-ERR No shutdown in progress.');
    expect(await s.r('MULTI')).toBe('+OK');
    expect(await s.r('SHUTDOWN')).toBe('-ERR Command not allowed inside a transaction');
    expect(s.exits()).toBe(0);
  });

  it('saves when save rules exist, then hands over to the host', async () => {
    const s = setup();
    await s.r('SET', 'k', 'v');
    expect(await s.r('SHUTDOWN')).toBe('+OK');
    expect(await keysIn(s.storage)).toEqual(['k']);
    expect([s.exits(), s.closed()]).toEqual([1, 1]);
  });

  it('NOSAVE does not save; SAVE saves without rules', async () => {
    const s = setup();
    await s.r('SET', 'k', 'v');
    await s.r('SHUTDOWN', 'NOSAVE', 'NOW', 'FORCE');
    expect(await keysIn(s.storage)).toBeUndefined();
    const t = setup({ save: '' });
    await t.r('SET', 'k', 'v');
    await t.r('SHUTDOWN');
    expect(await keysIn(t.storage)).toBeUndefined();
    await t.r('SHUTDOWN', 'save');
    expect(await keysIn(t.storage)).toEqual(['k']);
  });

  it('aborts when the save fails, unless FORCE', async () => {
    const s = setup();
    await s.r('SET', 'k', 'v');
    s.storage.setFull(true);
    expect(await s.r('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    expect(s.exits()).toBe(0);
    expect(await s.r('PING')).toBe('+PONG');
    expect(await s.r('SHUTDOWN', 'FORCE')).toBe('+OK');
    expect(s.exits()).toBe(1);
  });

  it('stops a running BGSAVE first and saves the current data', async () => {
    const s = setup();
    for (let i = 0; i < 100; i++) await s.r('SET', `k${i}`, 'v');
    expect(await s.r('BGSAVE')).toBe('+Background saving started');
    await s.r('SET', 'last', 'v');
    expect(await s.r('SHUTDOWN')).toBe('+OK');
    expect((await keysIn(s.storage))!.length).toBe(101);
    expect(s.e.persistence!.rdb.bgsaveInProgress).toBe(false);
  });

  it('is refused when the AOF refuses (initial rewrite running), unless FORCE', async () => {
    const calls: boolean[] = [];
    const aof: AofPersistence = {
      enabled: true,
      bgrewriteaof: () => {
        throw new Error('unused');
      },
      prepareShutdown: async (force) => {
        calls.push(force);
        return force;
      },
      writeError: () => undefined,
      replaceDataset: () => Promise.reject(new Error('unused')),
    };
    const s = setup({ save: '' }, aof);
    expect(await s.r('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    expect(await s.r('SHUTDOWN', 'FORCE')).toBe('+OK');
    expect(calls).toEqual([false, true]);
    expect(s.exits()).toBe(1);
  });

  it('without a host hook and without persistence, closes every client', async () => {
    const e: Engine = createEngine({ activeExpire: false });
    const c = e.connect();
    const other = e.connect();
    c.exec(['SET', 'k', 'v']);
    expect(show(await c.exec(['SHUTDOWN', 'NOSAVE']))).toBe('+OK');
    expect([c.closed, other.closed]).toEqual([true, true]);
  });
});

describe('LASTSAVE', () => {
  it('is the start time until a save succeeds', async () => {
    const e = createEngine({ now: () => T0, activeExpire: false });
    const c = e.connect();
    expect(c.exec(['LASTSAVE'])).toBe(Math.floor(T0 / 1000));
  });
});
