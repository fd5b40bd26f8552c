/**
 * The AOF's write path (feedAppendOnlyFile + the write half of flushAppendOnlyFile): each
 * execution unit's propagated ops become RESP in the writer's buffer (aof_buf), and the buffer
 * goes to the incr file. The durability barrier and the policies' flushes are in aof-commit.ts.
 *
 * Units. Every execution unit that propagated something counts once: `written` when it enters
 * the buffer, `handed` once its bytes reached the file (the OS), `durable` once a flush covered
 * it. Each count only grows, except that turning AOF off forgets what is pending. Clients carry
 * the count of their last unit (Client.aofUnit), which the barrier compares with these.
 *
 * Errors. A write that throws keeps the bytes in the buffer (as Redis keeps aof_buf; a file's
 * write takes all the bytes or none) and sets aof_last_write_status to err, which makes dispatch
 * refuse writes with the AOF's MISCONF. The next drain retries; only a flush that succeeds after
 * it (the cron's retry, a later group commit) clears the error.
 *
 * Rewrites switch files through `detach` (at the cut) and `attach` (the next incr is open): in
 * between, bytes wait in the buffer and whoever needs a file waits for the next one
 * (`waitForFile`), because the old file's bytes are made durable by its close, which the switch
 * queues before opening the next one.
 */
import type { PropagatedOp } from '../engine/propagate.ts';
import { strerror, type AofContext, type SyncFlushable } from './aof-context.ts';

export interface Units {
  written: number;
  handed: number;
  durable: number;
}

export interface WritePath {
  readonly units: Units;
  /** The last write or flush error while aof_last_write_status is err. */
  readonly error: unknown;
  /** The propagation listener's body: true when the unit entered the buffer. */
  onOps(ops: readonly PropagatedOp[]): boolean;
  /** Hands the buffer to the file; false when it could not (no file, or the write failed). */
  drain(): boolean;
  /** A write or flush failed: aof_last_write_status err; waiters for a file reject. */
  failed(e: unknown): void;
  /** A flush covering `upTo` units succeeded: the error, if any, is solved. */
  flushed(upTo: number): void;
  /** Resolves once a file is attached and the buffer drained into it (or AOF is off); rejects on a write error. */
  waitForFile(): Promise<void>;
  /** Forgets the current file (the caller closes it). */
  detach(): SyncFlushable | undefined;
  /** `f` becomes the append target: the buffer goes to it, and waiters for a file go on. */
  attach(f: SyncFlushable): void;
  /** AOF off: forgets what is buffered and pending; nobody waits any more. */
  reset(): void;
  /** Drops the buffer (a failed first rewrite, as Redis drops its temp incr). */
  discard(): void;
  /** Waiters for a file reject with `e` (closing). */
  abandon(e: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

export function createWritePath(ctx: AofContext): WritePath {
  const { writer } = ctx;
  const units: Units = { written: 0, handed: 0, durable: 0 };
  let error: unknown;
  let waiters: Waiter[] = [];

  function drain(): boolean {
    if (writer.length > 0) {
      const f = ctx.file;
      if (f === undefined) return false;
      try {
        f.write(writer.view());
      } catch (e) {
        failed(e);
        return false;
      }
      ctx.currentSize += writer.length;
      writer.clear();
    }
    units.handed = units.written;
    return true;
  }

  function failed(e: unknown): void {
    if (error === undefined) ctx.log({ level: 'warning', message: `Error writing to the AOF file: ${strerror(e)}` });
    error = e;
    settle(e);
  }

  function settle(e?: unknown): void {
    if (waiters.length === 0) return;
    const all = waiters;
    waiters = [];
    for (const w of all) {
      if (e === undefined) w.resolve();
      else w.reject(e);
    }
  }

  return {
    units,
    get error() {
      return error;
    },
    onOps(ops) {
      // feedAppendOnlyFile: while waiting for the first rewrite, only once the rewrite has cut.
      if (ctx.state === 'off' || (ctx.state === 'wait-rewrite' && ctx.rewrite === undefined)) return false;
      // aof-timestamp-enabled is read into writer.timestamps at each CONFIG SET (AofSide.applyConfig).
      writer.append(ops, writer.timestamps ? ctx.nowSec() : 0);
      units.written++;
      return true;
    },
    drain,
    failed,
    flushed(upTo) {
      if (upTo > units.durable) units.durable = upTo;
      if (error === undefined) return;
      error = undefined;
      ctx.log({ level: 'warning', message: 'AOF write error looks solved, Redis can write again.' });
    },
    waitForFile() {
      return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    detach() {
      const f = ctx.file;
      ctx.file = undefined;
      return f;
    },
    attach(f) {
      ctx.file = f;
      if (drain()) settle();
    },
    reset() {
      writer.clear();
      writer.resetSelectedDb();
      units.handed = units.durable = units.written;
      error = undefined;
      settle();
    },
    discard() {
      writer.clear();
    },
    abandon: settle,
  };
}
