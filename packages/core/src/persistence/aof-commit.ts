/**
 * When AOF writes count as done: the durability barrier hosts await before releasing replies, and
 * the flushes of the fsync policies (the fsync half of flushAppendOnlyFile).
 *
 * Barrier, every policy: no reply leaves before its unit's bytes are in the file, so a killed
 * process loses no acknowledged write. everysec and no hand the buffer to the file in the barrier
 * itself, or (endOfTurn, for servers) in the hand-off `wrote` scheduled at the end of the task,
 * which then settles every barrier that waited for it. `always` returns the next group commit,
 * which hands and flushes everything written before it starts: one group runs at a time, after
 * the current task, and requests arriving while it flushes join the following one, which starts
 * after the task that ends the running one. On a file with `flushSync` the group flushes
 * synchronously, as Redis fsyncs in beforeSleep: the loop is blocked meanwhile, so every request
 * that arrives joins the next group whole, and is read in one poll (measured with 50 clients: ~29
 * writes per fdatasync, Redis ~26; on the thread pool the groups split in two, ~25, and the loop
 * polls ~4x as often). Before syncing, the group yields one more event-loop turn: the replies
 * just released bring requests back within microseconds, and that poll lets them join this group
 * rather than wait a whole fsync for the next (~34 per sync).
 *
 * Who is refused. A barrier waits for every unit written before it (no reply shows data the file
 * lacks), but on failure it rejects only a caller whose own units (Client.aofUnit: its writes,
 * a pop served to it) did not reach the file (under `always`: that no flush covered), and tells
 * each caller once (Client.aofReported). A read, or a writer whose units were already in, goes on
 * as in Redis, which answers reads while MISCONF refuses writes. The cron retries (see
 * aof-write.ts for the error state).
 *
 * everysec: a timer flushes at most 1 s after a write, on the thread pool. no: only close (and
 * SHUTDOWN) flush.
 */
import type { Client } from '../engine/client.ts';
import { StorageError } from '../storage/storage.ts';
import type { AofContext } from './aof-context.ts';
import type { WritePath } from './aof-write.ts';

export interface Commit {
  /** The durability barrier (engine.durability); `endOfTurn` and `c`: see engine.sync. */
  barrier(endOfTurn?: boolean, c?: Client): Promise<void> | undefined;
  /** Hands, then makes durable, everything written so far (everysec's timer, shutdown, close, retries). */
  flush(): Promise<void>;
  /**
   * A unit entered the buffer. Hosts call the barrier before releasing replies; this covers units
   * nobody waits on (active expiry, a host that does not call the barrier): under `always` they
   * join the next group commit, otherwise the buffer is drained at the end of the task.
   */
  wrote(): void;
  /** serverCron: retries a failed write or flush until one succeeds. */
  cron(): void;
  /** A CONFIG SET happened: appendfsync may have changed. */
  policyChanged(): void;
  /** Stops the timer and flushes; then flushes that find no file give up and waiting barriers reject. */
  close(): Promise<void>;
  /** An async flush runs (aof_pending_bio_fsync). */
  readonly fsyncPending: boolean;
}

interface Group {
  promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function createCommit(ctx: AofContext, wp: WritePath): Commit {
  const { units } = wp;
  // Called unbound: hosts pass queueMicrotask itself (the browser owner), which browsers refuse with another `this`.
  const { drain } = ctx;
  /** appendfsync, read once per CONFIG SET (policyChanged) rather than per write. */
  let policy = ctx.cfg('appendfsync');
  /** The next group commit (always). */
  let next: Group | undefined;
  /** The group flushing now, when it had to go async. */
  let flushing: { upTo: number; promise: Promise<void> } | undefined;
  let asyncFlushes = 0;
  let everysecTimer: unknown;
  let drainScheduled = false;
  /** Barriers waiting for the end-of-task hand-off (everysec, no). */
  let handOff: Group | undefined;
  /** A synchronous group commit has waited its one extra turn. */
  let yielded = false;
  let closed = false;

  function endOfTask(): void {
    drainScheduled = false;
    const group = handOff;
    handOff = undefined;
    if (group === undefined) {
      wp.drain();
      return;
    }
    const done = barrier();
    if (done === undefined) group.resolve();
    else done.then(group.resolve, group.reject);
  }

  /** The next group commit, opened (and scheduled) if need be. */
  function joinGroup(): Promise<void> {
    if (next === undefined) {
      next = newGroup();
      if (flushing === undefined) ctx.schedule(runGroup);
    }
    return next.promise;
  }

  function barrier(endOfTurn = false, c?: Client): Promise<void> | undefined {
    if (ctx.state === 'off') return undefined;
    const seen = units.written;
    const own = c === undefined ? seen : c.aofUnit > c.aofReported ? c.aofUnit : 0;
    if (policy === 'always') {
      if (seen <= units.durable) return undefined;
      if (flushing !== undefined && flushing.upTo >= seen) return share(flushing.promise, c, own, 'durable');
      return share(joinGroup(), c, own, 'durable');
    }
    if (seen <= units.handed) return undefined;
    // The hand-off `wrote` scheduled is still ahead: wait for it rather than write now.
    if (endOfTurn && drainScheduled) return share((handOff ??= newGroup()).promise, c, own, 'handed');
    if (wp.drain()) return undefined;
    if (wp.error !== undefined) return own > units.handed ? Promise.reject(refuse(c, own, wp.error)) : undefined;
    // A rewrite is switching incr files: the bytes reach the next one when it opens.
    return wp.waitForFile().then(() => barrier(false, c));
  }

  /** A caller's share of an outcome many wait on: its failure is the caller's only if `own` did not get `where` after all. */
  function share(p: Promise<void>, c: Client | undefined, own: number, where: 'durable' | 'handed'): Promise<void> {
    return p.catch((e: unknown) => {
      if (own > units[where]) throw refuse(c, own, e);
    });
  }

  /** `c` is told that its units up to `own` failed, once. */
  function refuse(c: Client | undefined, own: number, e: unknown): unknown {
    if (c !== undefined && own > c.aofReported) c.aofReported = own;
    return e;
  }

  function runGroup(): void {
    if (next === undefined) return;
    const f = ctx.file;
    if (f?.flushSync !== undefined && !yielded) {
      yielded = true;
      ctx.schedule(runGroup);
      return;
    }
    yielded = false;
    const group = next;
    next = undefined;
    const upTo = units.written;
    if (f?.flushSync !== undefined) {
      try {
        if (!wp.drain()) throw wp.error;
        f.flushSync();
      } catch (e) {
        if (e !== wp.error) wp.failed(e);
        group.reject(e);
        return;
      }
      wp.flushed(upTo);
      group.resolve();
      return;
    }
    flushing = { upTo, promise: group.promise };
    flushAsync().then(group.resolve, group.reject).finally(() => {
      flushing = undefined;
      // After the current task, so that its arrivals join too.
      if (next !== undefined) ctx.schedule(runGroup);
    });
  }

  function flushAsync(): Promise<void> {
    const upTo = units.written;
    asyncFlushes++;
    const run = ctx.enqueue(async (): Promise<boolean> => {
      const f = ctx.file;
      // No file: a rewrite is switching incr files (the old one's close made its bytes durable).
      if (f === undefined) return ctx.state === 'off' || closed;
      if (!wp.drain()) throw wp.error;
      await f.flush();
      return true;
    });
    return run.then(
      // Outside the queue, so that the switch can run: wait for the next file, then flush again.
      (done) => (done ? wp.flushed(upTo) : wp.waitForFile().then(flushAsync)),
      (e: unknown) => {
        if (e !== wp.error) wp.failed(e);
        throw e;
      },
    ).finally(() => void asyncFlushes--);
  }

  function onTimer(): void {
    everysecTimer = undefined;
    void flushAsync().catch(() => {});
  }

  return {
    barrier,
    flush: flushAsync,
    wrote() {
      if (policy === 'always') {
        // Nobody may wait on it: observed here so that a failure is no unhandled rejection.
        if (next === undefined) joinGroup().catch(() => {});
        return;
      }
      if (!drainScheduled) {
        drainScheduled = true;
        drain(endOfTask);
      }
      if (everysecTimer === undefined && policy === 'everysec') everysecTimer = ctx.timers.setTimeout(onTimer, 1000);
    },
    cron() {
      if (ctx.state !== 'off' && wp.error !== undefined && asyncFlushes === 0) void flushAsync().catch(() => {});
    },
    policyChanged() {
      policy = ctx.cfg('appendfsync');
      if (policy === 'everysec' || everysecTimer === undefined) return;
      ctx.timers.clearTimeout(everysecTimer);
      everysecTimer = undefined;
    },
    async close() {
      closed = true;
      if (everysecTimer !== undefined) ctx.timers.clearTimeout(everysecTimer);
      everysecTimer = undefined;
      if (ctx.state !== 'off') await flushAsync().catch(() => {});
      wp.abandon(new StorageError('CLOSED', 'the AOF was closed before these writes reached a file'));
    },
    get fsyncPending() {
      return asyncFlushes > 0;
    },
  };
}
