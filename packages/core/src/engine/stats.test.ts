/**
 * INFO's instantaneous_ops_per_sec, as Redis computes it: the command count sampled every 100 ms
 * by the cron, the rate the mean of the last 16 samples; CONFIG RESETSTAT clears it.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from './engine.ts';
import { VerbatimString } from '../reply/reply.ts';

describe('instantaneous_ops_per_sec', () => {
  it('is the mean rate over the last 16 samples of 100 ms', () => {
    let t = 1_000_000;
    const engine = createEngine({ now: () => t, activeExpire: false });
    const c = engine.connect();
    const ops = (): number => {
      const info = c.exec(['INFO', 'stats']);
      return Number(/instantaneous_ops_per_sec:(\d+)/.exec(info instanceof VerbatimString ? info.text : String(info))![1]);
    };
    expect(ops()).toBe(0);
    const tick = (commands: number, ms: number): void => {
      for (let i = 0; i < commands; i++) c.exec(['PING']);
      t += ms;
      engine.cron();
    };
    // 8 samples of 50 commands per 100 ms (500/s; the first also holds the INFO above: 510/s),
    // 8 still empty: the mean of 16 is about 250/s.
    for (let i = 0; i < 8; i++) tick(50, 100);
    expect(ops()).toBe(Math.floor((510 + 7 * 500) / 16));
    // 8 samples more, the first holding that INFO (10/s): the empty ones are gone.
    for (let i = 0; i < 8; i++) tick(0, 100);
    expect(ops()).toBe(Math.floor((510 + 7 * 500 + 10) / 16));
    // Ticks closer than ~100 ms apart (a cron at a higher hz) fold into one sample: INFO + 20 PINGs
    // in 100 ms (210/s), replacing the oldest (510/s).
    tick(10, 50);
    tick(10, 50);
    expect(ops()).toBe(Math.floor((210 + 7 * 500 + 10) / 16));
    c.exec(['CONFIG', 'RESETSTAT']);
    expect(ops()).toBe(0);
    engine.close();
  });
});
