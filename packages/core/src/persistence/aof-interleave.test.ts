/**
 * The AOF's flush scheduling around a rewrite's incr switch: writes, barriers, BGREWRITEAOF, the
 * everysec timer, the cron and CONFIG SET appendonly interleaved in any order fast-check picks with
 * every storage operation (open, flush, close, truncate, writeAtomic, remove), the group-commit task
 * and every snapshot slice delayed by its scheduler. At each barrier's resolution, the files as a
 * crash would leave them must recover every acknowledged write: under `always` after a machine
 * crash, under everysec and no after a killed process (unflushed bytes kept). Every barrier must
 * settle, none may reject, and the closed files must load as the live dataset.
 *
 * A flush queued before a cut and run before the next incr was open once broke `always` (it
 * failed; then it resolved without the old file's bytes being durable): these runs cover it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../engine/engine.ts';
import { show } from '../commands/testing.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import type { AppendFile, Storage } from '../storage/storage.ts';
import { attachPersistence } from './index.ts';
import type { SyncFlushable } from './aof.ts';
import { fakeTimers } from './testing.ts';

const T0 = 1_795_000_000_000;

/** Op k of the history: INCR ctr, RPUSH seq 1, INCR ctr, RPUSH seq 2... (as test/crash). */
const op = (k: number): string[] => (k % 2 === 0 ? ['INCR', 'ctr'] : ['RPUSH', 'seq', String((k + 1) / 2)]);

/** How many ops of the history a storage recovers, or why it is not a prefix of the history. */
async function recover(storage: MemoryStorage, preamble: string): Promise<number | string> {
  const e = createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes', 'aof-use-rdb-preamble': preamble } });
  const p = await attachPersistence(e, storage);
  const c = e.connect();
  const ctr = Number(c.exec(['GET', 'ctr']) ?? 0);
  const seq = c.exec(['LRANGE', 'seq', '0', '-1']) as string[];
  await p.close();
  e.close();
  if (seq.some((x, i) => x !== String(i + 1))) return `seq is ${seq.join(',')}`;
  if (ctr !== seq.length && ctr !== seq.length + 1) return `ctr is ${ctr} with ${seq.length} in seq`;
  return ctr + seq.length;
}

/** Storage whose every async operation waits for `gate` before and after it runs. */
function slowStorage(inner: MemoryStorage, gate: () => Promise<void>, syncFlush: boolean): Storage {
  const wrap = (f: AppendFile): SyncFlushable => {
    const file: SyncFlushable = {
      get size() {
        return f.size;
      },
      write: (bytes) => f.write(bytes),
      async flush() {
        await gate();
        await f.flush();
        await gate();
      },
      async truncate(size) {
        await gate();
        await f.truncate(size);
      },
      async close() {
        await gate();
        await f.close();
      },
    };
    // The memory file's flush runs synchronously up to its end: a stand-in for fdatasyncSync.
    if (syncFlush) file.flushSync = () => void f.flush();
    return file;
  };
  return {
    description: 'slow memory',
    list: () => inner.list(),
    read: (name) => inner.read(name),
    readChunks: (name) => inner.readChunks(name),
    async writeAtomic(name, data) {
      await gate();
      await inner.writeAtomic(name, data);
      await gate();
    },
    async openAppend(name) {
      await gate();
      const f = await inner.openAppend(name);
      await gate();
      return wrap(f);
    },
    async remove(name) {
      await gate();
      await inner.remove(name);
    },
    close: () => inner.close(),
  };
}


type Action = 'write' | 'rewrite' | 'step' | 'second' | 'cron' | 'toggle';

const actions = (toggles: boolean): fc.Arbitrary<Action[]> =>
  fc.array(
    fc.oneof(
      { arbitrary: fc.constant<Action>('write'), weight: 5 },
      { arbitrary: fc.constant<Action>('rewrite'), weight: 1 },
      { arbitrary: fc.constant<Action>('step'), weight: 5 },
      { arbitrary: fc.constant<Action>('second'), weight: 1 },
      { arbitrary: fc.constant<Action>('cron'), weight: 1 },
      { arbitrary: fc.constant<Action>('toggle'), weight: toggles ? 1 : 0 },
    ),
    { maxLength: 40 },
  );

async function trial(s: fc.Scheduler, policy: string, syncFlush: boolean, preamble: string, script: Action[]): Promise<void> {
  const inner = createMemoryStorage();
  let gated = false;
  const gate = (): Promise<void> => (gated ? s.schedule(Promise.resolve(), 'io') : Promise.resolve());
  const schedule = (fn: () => void): void => void s.schedule(Promise.resolve(), 'task').then(fn);
  let tick = 0;
  const e = createEngine({
    now: () => T0, activeExpire: false,
    config: { appendonly: 'yes', appendfsync: policy, 'aof-use-rdb-preamble': preamble },
  });
  const timers = fakeTimers();
  const p = await attachPersistence(e, slowStorage(inner, gate, syncFlush), {
    timers, schedule, snapshot: { schedule, sliceMs: 1, clock: () => tick++ },
  });
  const c = e.connect();
  // Keys for the snapshot to slice through while the history goes on.
  for (let i = 0; i < 20; i++) c.exec(['SET', `fill:${i}`, 'x']);
  await s.waitFor(p.aof.barrier() ?? Promise.resolve());
  gated = true;

  const checks: Array<{ files: MemoryStorage; atLeast: number }> = [];
  const failures: unknown[] = [];
  let barriers = 0;
  let settled = 0;
  let durable = true;
  let on = true;
  let next = 0;
  for (const a of script) {
    if (a === 'write') {
      const k = next++;
      c.exec(op(k));
      const ack = (): void => {
        settled++;
        if (durable) checks.push({ files: inner.crash(policy === 'always' ? 0 : Infinity), atLeast: k + 1 });
      };
      barriers++;
      const b = e.sync();
      if (b === undefined) ack();
      else b.then(ack, (err: unknown) => void (settled++, failures.push(err)));
    } else if (a === 'rewrite') {
      c.exec(['BGREWRITEAOF']);
    } else if (a === 'step') {
      if (s.count() > 0) await s.waitNext(1);
    } else if (a === 'second') {
      timers.fire();
    } else if (a === 'cron') {
      e.cron();
    } else {
      on = !on;
      // Turning AOF off drops its promise; the final load still checks what turning it on wrote.
      durable = false;
      c.exec(['CONFIG', 'SET', 'appendonly', on ? 'yes' : 'no']);
    }
  }
  for (let i = 0; i < 3; i++) {
    await s.waitIdle();
    e.cron();
  }
  await s.waitIdle();
  expect(failures).toEqual([]);
  expect(settled, 'every barrier settles').toBe(barriers);
  await s.waitFor(p.close());
  for (const { files, atLeast } of checks) {
    const got = await recover(files, preamble);
    if (typeof got === 'string' || got < atLeast) {
      throw new Error(`an acknowledged write is missing after a crash: recovered ${got}, acknowledged ${atLeast}`);
    }
  }
  if (on) expect(await recover(inner.crash(), preamble)).toBe(next);
  e.close();
}

describe('AOF flushes, barriers and rewrites under any interleaving', () => {
  const configs = [
    ['always', true], ['always', false], ['everysec', false], ['no', false],
  ] as const;
  it.each(configs)('appendfsync %s (sync flush %s): acknowledged writes survive; every barrier settles', async (policy, sync) => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), actions(false), fc.constantFrom('yes', 'no'), async (s, script, preamble) => {
        await trial(s, policy, sync, preamble, script);
      }),
      { numRuns: 100 },
    );
  });

  it.each(configs)('appendfsync %s (sync flush %s) with CONFIG SET appendonly toggled', async (policy, sync) => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), actions(true), async (s, script) => {
        await trial(s, policy, sync, 'yes', script);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a flush running across a cut (regression)', () => {
  it('under always, a write drained to the old incr is acknowledged only once that file is durable', async () => {
    const inner = createMemoryStorage();
    const gates: Array<() => void> = [];
    let gated = false;
    const gate = (): Promise<void> => (gated ? new Promise((res) => gates.push(res)) : Promise.resolve());
    const tasks: Array<() => void> = [];
    const runTasks = (): void => {
      for (const fn of tasks.splice(0)) fn();
    };
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    const e = createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes', appendfsync: 'always' } });
    const p = await attachPersistence(e, slowStorage(inner, gate, false), {
      timers: fakeTimers(), schedule: (fn) => void tasks.push(fn), snapshot: { schedule: (fn) => void tasks.push(fn) },
    });
    const c = e.connect();
    gated = true;
    const acked: number[] = [];
    const durableAtAck: Array<Promise<number | string>> = [];
    const write = (k: number): void => {
      c.exec(op(k));
      void e.sync()!.then(() => {
        acked.push(k);
        durableAtAck.push(recover(inner.crash(0), 'yes'));
      });
    };
    write(0);
    runTasks(); // the group commit starts: its flush waits at the storage
    await settle();
    gates.shift()!(); // the flush itself runs, then waits again before returning
    await settle();
    write(1); // handed to the old incr after that flush ran
    runTasks(); // a second flush is asked for before the cut
    await settle();
    expect(show(c.exec(['BGREWRITEAOF']))).toBe('+Background append only file rewriting started');
    for (let i = 0; i < 200 && acked.length < 2; i++) {
      gates.shift()?.();
      runTasks();
      await settle();
    }
    expect(acked).toEqual([0, 1]);
    expect(await Promise.all(durableAtAck)).toEqual([1, 2]);
    gated = false;
    for (const g of gates.splice(0)) g();
    for (let i = 0; i < 50 && p.aof.rewriting !== undefined; i++) {
      runTasks();
      await settle();
      for (const g of gates.splice(0)) g();
    }
    await p.close();
    e.close();
  });
});
