/** Test support for the persistence tests: AOF timers that fire only when told to. */
import type { AofTimers } from './aof.ts';

export interface FakeTimers extends AofTimers {
  /** Runs every pending timer once. */
  fire(): void;
  readonly pending: number;
}

export function fakeTimers(): FakeTimers {
  const fns = new Map<number, () => void>();
  let id = 0;
  return {
    setTimeout(fn) {
      fns.set(++id, fn);
      return id;
    },
    clearTimeout(h) {
      fns.delete(h as number);
    },
    fire() {
      const all = [...fns.values()];
      fns.clear();
      for (const fn of all) fn();
    },
    get pending() {
      return fns.size;
    },
  };
}

/** Timers that never fire: everysec's flush only happens when a test asks for it. */
export const noTimers: AofTimers = { setTimeout: () => 0, clearTimeout: () => {} };
