/**
 * The state the AOF's parts share, made explicit (Redis keeps it in `server.aof_*`): the append
 * target, the writer's buffer (aof_buf), the manifest, the AOF state, the running rewrite, and the
 * one queue that orders every async file operation. aof-write.ts (the write path and group
 * commit), aof-rewrite.ts (BGREWRITEAOF) and aof.ts (on/off, INFO, the AofSide) each take it.
 *
 * Ownership: `file` is set only through the write path's attach/detach; `manifest` by whatever op
 * persisted it, always on the queue; `state` by aof.ts (on/off) and a finished first rewrite;
 * `rewrite` by aof-rewrite.ts.
 */
import type { Engine } from '../engine/engine.ts';
import { createAofWriter, type AofManifest, type AofState, type AofWriter } from '../aof/index.ts';
import { StorageError, type AppendFile, type Storage } from '../storage/storage.ts';
import { aofPath, type AofLog } from './aof-load.ts';
import type { Snapshot, SnapshotOptions } from './snapshot.ts';
import type { BackgroundJobs } from './types.ts';

export interface AofTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AofOptions {
  /** Runs the group-commit flush after the current task. Default setImmediate, else setTimeout 0. */
  schedule?: (fn: () => void) => void;
  /**
   * Hands the buffer to the file when no barrier took it (everysec, no): default `schedule`, which
   * servers need, since their end-of-turn barriers wait for that hand-off so that the writes of
   * every socket read in one turn share one write. A host whose replies all pass a barrier that
   * drains by itself (engine.sync(false)) can pass queueMicrotask: then a write costs no extra task.
   */
  drain?: (fn: () => void) => void;
  /** Timers for everysec. Default the global ones (unref'd). */
  timers?: AofTimers;
  /** How rewrites slice their snapshot. */
  snapshot?: SnapshotOptions;
  log?: AofLog;
}

/**
 * An append file that can also make its bytes durable synchronously (Node: fdatasyncSync). The
 * `always` group commit uses it, as Redis fsyncs in beforeSleep: blocking the loop for the sync
 * lets every request that arrives meanwhile join the next group, and skips the thread-pool hop.
 */
export interface SyncFlushable extends AppendFile {
  flushSync?(): void;
}

/** A rewrite between its cut and its end (aof-rewrite.ts). */
export interface RewriteJob {
  snap: Snapshot;
  done: Promise<void>;
  aborted: boolean;
}

export interface AofContext {
  readonly engine: Engine;
  readonly storage: Storage;
  readonly jobs: BackgroundJobs;
  readonly name: string;
  readonly dir: string;
  readonly log: AofLog;
  readonly timers: AofTimers;
  readonly schedule: (fn: () => void) => void;
  readonly drain: (fn: () => void) => void;
  readonly snapshot: SnapshotOptions | undefined;
  readonly writer: AofWriter;
  cfg(name: string): string;
  path(file: string): string;
  nowSec(): number;
  /** Runs `op` after every async file operation queued before it (opens, closes, flushes, manifests). */
  enqueue<T>(op: () => Promise<T>): Promise<T>;
  /** Settles when every queued operation has. */
  idle(): Promise<unknown>;

  state: AofState;
  manifest: AofManifest;
  /** The incr file being appended to; undefined while a rewrite switches files, or when off. */
  file: SyncFlushable | undefined;
  rewrite: RewriteJob | undefined;
  /**
   * The incr the first rewrite (appendonly turned on at runtime) writes to, which no manifest lists
   * until that rewrite finishes: Redis's temp incr. Removed if AOF goes off or closes first, so no
   * later start (Larder's or redis-server's, which would reuse the name) replays what it holds.
   */
  unlisted: string | undefined;
  /** aof_current_size and aof_base_size. */
  currentSize: number;
  baseSize: number;
}

export function createContext(
  engine: Engine, storage: Storage, jobs: BackgroundJobs, manifest: AofManifest, opts: AofOptions,
): AofContext {
  const cfg = (name: string): string => engine.config.value(name) as string;
  const dir = cfg('appenddirname');
  let chain: Promise<unknown> = Promise.resolve();
  return {
    engine, storage, jobs, manifest, dir,
    name: cfg('appendfilename'),
    log: opts.log ?? (() => {}),
    timers: opts.timers ?? globalTimers,
    schedule: opts.schedule ?? defaultSchedule,
    drain: opts.drain ?? opts.schedule ?? defaultSchedule,
    snapshot: opts.snapshot,
    writer: createAofWriter({ timestamps: cfg('aof-timestamp-enabled') === 'yes' }),
    cfg,
    path: (f) => aofPath(dir, f),
    nowSec: () => Math.floor(engine.now() / 1000),
    enqueue<T>(op: () => Promise<T>): Promise<T> {
      const run = chain.then(op);
      chain = run.catch(() => {});
      return run;
    },
    idle: () => chain,
    state: 'off',
    file: undefined,
    rewrite: undefined,
    unlisted: undefined,
    currentSize: 0,
    baseSize: 0,
  };
}

/** strerror for a storage failure, as Redis prints errno in its AOF errors. */
export function strerror(e: unknown): string {
  const code = e instanceof StorageError ? e.code : 'IO';
  if (code === 'QUOTA_EXCEEDED') return 'No space left on device';
  if (code === 'CLOSED') return 'Bad file descriptor';
  if (code === 'LOCKED') return 'Resource temporarily unavailable';
  return 'Input/output error';
}

const g = globalThis as unknown as AofTimers & { setImmediate?: (fn: () => void) => void };

const globalTimers: AofTimers = {
  setTimeout(fn, ms) {
    const h = g.setTimeout(fn, ms) as { unref?: () => void };
    // Do not keep a Node process alive just for an fsync timer.
    h.unref?.();
    return h;
  },
  clearTimeout: (h) => g.clearTimeout(h),
};

const defaultSchedule = (fn: () => void): void => {
  if (g.setImmediate) g.setImmediate(fn);
  else g.setTimeout(fn, 0);
};
