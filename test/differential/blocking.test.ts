/**
 * Blocking commands across clients: one client blocks (up to three), another writes, and who gets
 * served with what, in which order, must match redis-server. See blocking.ts and
 * commands/blocking.ts. Single-client timeouts (a blocking command on an empty key answering nil
 * after 20-50 ms) are part of the lists and zsets families.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { beginRun, endRun, familyEnabled, fcParams, useRedis } from './harness.ts';
import { blockingScenario } from './commands/blocking.ts';
import { FakeTimers, runBlockingScenario } from './blocking.ts';
import { counters } from './runner.ts';

describe.runIf(familyEnabled('blocking'))('differential blocking', () => {
  const pools = useRedis(4);
  afterAll(() => {
    if (process.env.LARDER_DIFF_STATS === '1') {
      console.info(`[blocking] ${counters.steps} commands, ${counters.blocked} blocked clients, ${counters.servedWhileBlocked} served by another client`);
    }
  });

  test('blocked clients are served, in order, as by redis-server', async () => {
    const prop = fc.asyncProperty(fc.integer(), blockingScenario, async (seed, sc) => {
      const timers = new FakeTimers();
      const s = await beginRun(pools, { seed }, timers);
      let error: unknown;
      try {
        await runBlockingScenario(s, timers, sc);
      } catch (e) {
        error = e;
        throw e;
      } finally {
        endRun(pools, s, error);
      }
    });
    await fc.assert(prop, fcParams(250));
  }, 180_000);
});
