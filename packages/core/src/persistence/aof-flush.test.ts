// AofSide.flush(): a host's "make it durable now" (a browser page going hidden), whatever the policy.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import { createMemoryStorage } from '../storage/memory.ts';
import { attachPersistence } from './index.ts';
import { noTimers } from './testing.ts';


describe('AOF flush()', () => {
  for (const policy of ['no', 'everysec'] as const) {
    it(`makes writes durable at once under appendfsync ${policy}`, async () => {
      const storage = createMemoryStorage();
      const engine = createEngine({ config: { appendonly: 'yes', appendfsync: policy }, activeExpire: false });
      const p = await attachPersistence(engine, storage, { timers: noTimers });
      const c = engine.connect();
      c.exec(['SET', 'k', 'v']);
      await engine.sync();
      // Without a flush, a machine crash now could lose the write (no timer will fire here).
      await p.aof.flush();
      const after = storage.crash(0);
      await p.close();
      engine.close();
      const back = createEngine({ config: { appendonly: 'yes' }, activeExpire: false });
      await attachPersistence(back, after, { timers: noTimers });
      expect(back.connect().exec(['GET', 'k'])).toBe('v');
      back.close();
    });
  }

  it('resolves at once when the AOF is off', async () => {
    const engine = createEngine({ config: { appendonly: 'no' }, activeExpire: false });
    const p = await attachPersistence(engine, createMemoryStorage(), { timers: noTimers });
    await expect(p.aof.flush()).resolves.toBeUndefined();
    await p.close();
    engine.close();
  });
});
