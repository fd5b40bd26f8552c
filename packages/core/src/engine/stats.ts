/** Counters behind INFO stats and INFO commandstats / errorstats. */

/** Samples kept per rate (Redis's STATS_METRIC_SAMPLES). */
const SAMPLES = 16;

/**
 * A rate as INFO's `instantaneous_*` fields show it (Redis's trackInstantaneousMetric): a running
 * total sampled every ~100 ms (by the cron), its rate the mean of the last 16 samples, in whole units
 * per second as Redis's long long arithmetic gives.
 */
export class InstantMetric {
  private readonly samples = new Array<number>(SAMPLES).fill(0);
  private next = 0;
  private lastCount = 0;

  constructor(private lastTime: number) {}

  /** Records `count`, a running total, at `now` (ms), unless less than ~100 ms passed since the last sample. */
  sample(now: number, count: number): void {
    const t = now - this.lastTime;
    // 90, not 100: a 100 ms cron tick may read the millisecond clock 99 ms after the previous one.
    if (t < 90) return;
    this.samples[this.next] = Math.floor(((count - this.lastCount) * 1000) / t);
    this.next = (this.next + 1) % SAMPLES;
    this.lastTime = now;
    this.lastCount = count;
  }

  get perSecond(): number {
    let sum = 0;
    for (const x of this.samples) sum += x;
    return Math.floor(sum / SAMPLES);
  }

  /** CONFIG RESETSTAT: samples cleared, counting again from `count`. */
  reset(now: number, count: number): void {
    this.samples.fill(0);
    this.lastTime = now;
    this.lastCount = count;
  }
}

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export class Stats {
  connections = 0;
  commandsProcessed = 0;
  expiredKeys = 0;
  keyspaceMisses = 0;
  totalErrorReplies = 0;
  /** Error prefix → count (INFO errorstats). */
  readonly errors = new Map<string, number>();
  /** Full command name (`config|get`) → counters. */
  readonly commands = new Map<string, CommandStats>();
  /** Commands per second (instantaneous_ops_per_sec), sampled by the engine's cron. */
  readonly opsPerSec: InstantMetric;

  constructor(readonly startedAt: number) {
    this.opsPerSec = new InstantMetric(startedAt);
  }

  command(name: string): CommandStats {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 }));
    return s;
  }

  error(prefix: string): void {
    this.totalErrorReplies++;
    this.errors.set(prefix, (this.errors.get(prefix) ?? 0) + 1);
  }

  reset(now: number): void {
    this.opsPerSec.reset(now, 0);
    this.commands.clear();
    this.errors.clear();
    this.totalErrorReplies = 0;
    this.expiredKeys = 0;
    this.keyspaceMisses = 0;
    this.commandsProcessed = 0;
  }
}
