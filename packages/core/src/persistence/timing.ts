/**
 * Time for the background work of persistence: the next event-loop turn on any host (snapshot
 * slices, sliced loads), a monotonic clock for their budgets, and Redis's debugDelay behind the
 * test knobs rdb-key-save-delay and key-load-delay.
 */
interface SchedulingGlobals {
  setImmediate?: (fn: () => void) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: (() => void) | null };
    port2: { postMessage(v: unknown): void };
  };
  setTimeout(fn: () => void, ms: number): unknown;
  performance?: { now(): number };
}
const g = globalThis as unknown as SchedulingGlobals;

let scheduler: ((fn: () => void) => void) | undefined;

/**
 * The next event-loop turn, after pending I/O: setImmediate (Node, Bun, Deno), else a
 * MessageChannel message (browsers and workers: setTimeout 0 is clamped to 4 ms after a few
 * nestings), else setTimeout.
 */
export function defaultScheduler(): (fn: () => void) => void {
  if (scheduler) return scheduler;
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (scheduler = (fn) => void setImmediate(fn));
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: Array<() => void> = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (scheduler = (fn) => {
      queue.push(fn);
      channel.port2.postMessage(0);
    });
  }
  return (scheduler = (fn) => void g.setTimeout(fn, 0));
}

/**
 * Redis's debugDelay, behind its test knobs rdb-key-save-delay and key-load-delay: `usec` µs of
 * pause per key (spun: the thread has nothing to yield to mid-step, as usleep blocks Redis's), or
 * for a negative `usec` 1 µs once in -usec keys on average.
 */
export function debugDelay(usec: number, random: () => number): void {
  if (usec < 0) usec = Math.floor(random() * -usec) === 0 ? 1 : 0;
  const end = spinClock() + usec / 1000;
  while (spinClock() < end);
}

export function monotonicClock(): () => number {
  const perf = g.performance;
  return perf ? () => perf.now() : Date.now;
}

const spinClock = monotonicClock();
