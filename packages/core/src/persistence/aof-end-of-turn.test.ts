// engine.sync(true): under everysec and no, the barriers taken in one task wait for one hand-off
// of the AOF buffer at the end of the task (a server's beforeSleep), and all fail if it fails.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import { createMemoryStorage } from '../storage/memory.ts';
import { StorageError, type AppendFile, type Storage } from '../storage/storage.ts';
import { attachPersistence } from './index.ts';
import { noTimers } from './testing.ts';


/** Memory storage counting its append files' writes; `failNext` makes the next one throw. */
function countingStorage(): Storage & { writes: number; failNext: boolean; crash(): Storage } {
  const inner = createMemoryStorage();
  const s = {
    ...inner,
    writes: 0,
    failNext: false,
    // A killed process: what reached the file survives, flushed or not.
    crash: () => inner.crash(Number.MAX_SAFE_INTEGER),
    openAppend: async (name: string): Promise<AppendFile> => {
      const f = await inner.openAppend(name);
      return {
        get size() {
          return f.size;
        },
        write(bytes) {
          if (s.failNext) {
            s.failNext = false;
            throw new StorageError('QUOTA_EXCEEDED', 'injected');
          }
          s.writes++;
          f.write(bytes);
        },
        flush: () => f.flush(),
        truncate: (size) => f.truncate(size),
        close: () => f.close(),
      };
    },
  };
  return s;
}

describe.each(['everysec', 'no'])('engine.sync(true) under appendfsync %s', (policy) => {
  async function setup() {
    const storage = countingStorage();
    const engine = createEngine({ config: { appendonly: 'yes', appendfsync: policy }, activeExpire: false });
    const p = await attachPersistence(engine, storage, { timers: noTimers });
    return { storage, engine, p };
  }

  it('hands the writes of every client in a task to the file in one write', async () => {
    const { storage, engine, p } = await setup();
    const before = storage.writes;
    const a = engine.connect();
    const b = engine.connect();
    a.exec(['SET', 'a', '1']);
    const ba = engine.sync(true);
    b.exec(['SET', 'b', '2']);
    const bb = engine.sync(true);
    expect(ba).toBeInstanceOf(Promise);
    expect(storage.writes).toBe(before);
    await Promise.all([ba, bb]);
    expect(storage.writes).toBe(before + 1);
    // Both are in the file: a killed process (no flush) keeps them.
    const after = storage.crash();
    await p.close();
    engine.close();
    const back = createEngine({ config: { appendonly: 'yes' }, activeExpire: false });
    await attachPersistence(back, after, { timers: noTimers });
    expect(back.connect().exec(['MGET', 'a', 'b'])).toEqual(['1', '2']);
    back.close();
  });

  it('is undefined when nothing waits to be written', async () => {
    const { engine, p } = await setup();
    engine.connect().exec(['GET', 'a']);
    expect(engine.sync(true)).toBeUndefined();
    await p.close();
    engine.close();
  });

  it('rejects every barrier of the task when the hand-off fails, and later ones succeed after a retry', async () => {
    const { storage, engine, p } = await setup();
    const a = engine.connect();
    a.exec(['SET', 'a', '1']);
    const first = engine.sync(true);
    engine.connect().exec(['SET', 'b', '2']);
    const second = engine.sync(true);
    storage.failNext = true;
    await expect(first).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    await expect(second).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    // Refused until a retry succeeds (the cron's), as after any AOF write error.
    expect(String(a.exec(['SET', 'c', '3']))).toMatch(/MISCONF Errors writing to the AOF file/);
    engine.cron();
    await p.aof.flush().catch(() => {});
    await expect.poll(() => p.aof.writeError()).toBeUndefined();
    a.exec(['SET', 'c', '3']);
    await engine.sync(true);
    expect(a.exec(['MGET', 'a', 'b', 'c'])).toEqual(['1', '2', '3']);
    await p.close();
    engine.close();
  });
});
