/**
 * The AOF side of persistence (aof.c's server half): propagated commands appended to the current
 * incr file, the fsync policies, BGREWRITEAOF and auto-rewrite over the forkless snapshotter,
 * turning AOF on and off at runtime, the AOF's MISCONF, and INFO's aof_* fields.
 *
 * Size: past the 400-line guideline because the write path, the rewrite and the runtime on/off
 * switch share one closure's state (file, buffer, manifest, rewrite job); splitting them needs
 * that state made explicit first. Planned, not done.
 *
 * Write path. Each execution unit's propagated ops become RESP in the writer's buffer (aof_buf).
 * The buffer goes to the AppendFile (write(2) on Node) when a host calls `barrier()` before
 * releasing replies, under every policy, and at the end of the task otherwise: as in Redis, no
 * reply leaves before its AOF bytes are in the kernel, so a killed process loses no acknowledged
 * write. A write that throws keeps the bytes in the buffer for the next attempt, as Redis keeps
 * aof_buf. Policies:
 * - always: `barrier()` (engine.durability) returns one shared flush for everything written so
 *   far, scheduled once per task after the current one: the group commit;
 * - everysec: a timer flushes at most 1 s after the first unflushed write;
 * - no: only close flushes.
 * A failed write or flush sets aof_last_write_status to err: writes are refused with
 * "MISCONF Errors writing to the AOF file: ..." until a retry (cron, next flush) succeeds.
 *
 * Rewrite (§2.6). At the cut, in one synchronous turn: the buffer goes to the old incr, the writer
 * forgets its db, the snapshot starts, and the next incr is chosen; commands after the cut wait in
 * the buffer until that incr is open (and, when on, listed in a persisted manifest). The base is
 * written with writeAtomic under its final name (the manifest does not list it yet, so it needs no
 * temp name), then the manifest switches, then history files are deleted. One deviation: while
 * waiting for the first rewrite (appendonly turned on at runtime), writes go to the incr file the
 * rewrite will add, not to `temp-<name>.incr`, because storage has no rename; a failed attempt
 * removes it, as Redis removes its temp incr.
 */
import type { Engine } from '../engine/engine.ts';
import type { PropagatedOp } from '../engine/propagate.ts';
import { setInfoFields, type InfoFields } from '../engine/info.ts';
import {
  createAofWriter, finishRewrite, incrFileName, lastIncrFile, newBaseFile, openOnServerStart, startRewrite, withoutHistory,
  timestampAnnotation, EMPTY_MANIFEST, type AofManifest, type AofState,
} from '../aof/index.ts';
import { persistenceOf } from './rdb-file.ts';
import { asciiBytes } from '../aof/clib.ts';
import { AOFRW_IN_PROGRESS, misconfAof, type ReplyError } from '../reply/errors.ts';
import { Status } from '../reply/reply.ts';
import { StorageError, type AppendFile, type Storage } from '../storage/storage.ts';
import { aofPath, writeManifest, type AofLog } from './aof-load.ts';
import { respBase } from './aof-base.ts';
import { snapshotSync, startSnapshot, type Snapshot, type SnapshotOptions } from './snapshot.ts';
import type { AofPersistence, BackgroundJobs } from './types.ts';

const REWRITE_STARTED = new Status('Background append only file rewriting started');
const REWRITE_SCHEDULED = new Status('Background append only file rewriting scheduled');

export interface AofTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AofOptions {
  /** Runs the group-commit flush after the current task. Default setImmediate, else setTimeout 0. */
  schedule?: (fn: () => void) => void;
  /** Timers for everysec. Default the global ones (unref'd). */
  timers?: AofTimers;
  /** How rewrites slice their snapshot. */
  snapshot?: SnapshotOptions;
  log?: AofLog;
}

/** What index.ts drives besides the AofPersistence interface. */
export interface AofSide extends AofPersistence {
  readonly state: AofState;
  readonly manifest: AofManifest;
  /** aofOpenIfNeededOnServerStart + aofDelHistoryFiles, after a load with appendonly yes. */
  openOnStart(loaded: { baseSize: number; totalSize: number; lastIncrSize: number }): Promise<void>;
  /** The durability barrier (engine.durability). */
  barrier(): Promise<void> | undefined;
  /** CONFIG SET appendonly (and appendfsync): applies a changed value. */
  applyConfig(): void;
  cron(): void;
  /** A promise for the rewrite running now, if any (tests). */
  readonly rewriting: Promise<void> | undefined;
  /** Flushes and closes the incr; stops timers and any rewrite. */
  close(): Promise<void>;
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

export function createAof(
  engine: Engine, storage: Storage, jobs: BackgroundJobs, initial: AofManifest, opts: AofOptions = {},
): AofSide {
  const cfg = (name: string): string => engine.config.value(name) as string;
  const name = cfg('appendfilename');
  const dir = cfg('appenddirname');
  const path = (f: string): string => aofPath(dir, f);
  const log: AofLog = opts.log ?? (() => {});
  const timers = opts.timers ?? globalTimers;
  const schedule = opts.schedule ?? defaultSchedule;
  const nowSec = (): number => Math.floor(engine.now() / 1000);
  const writer = createAofWriter({ timestamps: cfg('aof-timestamp-enabled') === 'yes' });

  let manifest = initial;
  let state: AofState = 'off';
  let file: AppendFile | undefined;
  /** Async file operations (open, close, flush, manifest writes) run one after another. */
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(op: () => Promise<T>): Promise<T> => {
    const run = chain.then(op);
    chain = run.catch(() => {});
    return run;
  };

  // Sizes and statuses (server.aof_*).
  let currentSize = 0;
  let baseSize = 0;
  let writeError: unknown;
  let lastRewriteStatus: 'ok' | 'err' = 'ok';
  let rewrites = 0;
  let consecutiveFailures = 0;
  let rewriteScheduled = false;
  let rewriteStart = -1;
  let lastRewriteTime = -1;
  let nextAutoRewrite = 0;

  // Group commit: units handed to the file so far, units covered by a completed flush.
  let written = 0;
  let durable = 0;
  /** Units whose barrier already failed: their replies were never released, so none waits again. */
  let reported = 0;
  let pendingFlush: { promise: Promise<void>; resolve(): void; reject(e: unknown): void } | undefined;
  let drainScheduled = false;
  let inflight: { promise: Promise<void>; upTo: number } | undefined;
  let everysecTimer: unknown;
  let unlisten: (() => void) | undefined;

  let rewrite: { snap: Snapshot; done: Promise<void>; aborted: boolean } | undefined;

  const policy = (): string => cfg('appendfsync');

  /** Hands the buffer to the file; on failure the bytes stay for the next attempt. */
  function drain(): boolean {
    if (writer.length === 0) return true;
    if (file === undefined) return false;
    try {
      file.write(writer.view());
    } catch (e) {
      writeFailed(e);
      return false;
    }
    currentSize += writer.length;
    writer.clear();
    releaseDrainWaiters();
    return true;
  }

  /**
   * Barriers waiting for bytes that could not reach a file yet (a rewrite is switching incr files,
   * which takes an async open): they resolve once drained (and, under `always`, flushed), and
   * reject on a write error, so no reply for those writes is released before the OS has them.
   */
  let drainWaiters: Array<{ resolve(): void; reject(e: unknown): void }> = [];

  function releaseDrainWaiters(): void {
    if (drainWaiters.length === 0) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    const next = barrier();
    for (const w of waiters) {
      if (next === undefined) w.resolve();
      else next.then(w.resolve, w.reject);
    }
  }

  function writeFailed(e: unknown): void {
    if (writeError === undefined) log({ level: 'warning', message: `Error writing to the AOF file: ${strerror(e)}` });
    writeError = e;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const w of waiters) w.reject(e);
  }

  function writeRecovered(): void {
    if (writeError === undefined) return;
    writeError = undefined;
    log({ level: 'warning', message: 'AOF write error looks solved, Redis can write again.' });
  }

  function onOps(ops: readonly PropagatedOp[]): void {
    // feedAppendOnlyFile: while waiting for the first rewrite, only once the rewrite has cut.
    if (state === 'off' || (state === 'wait-rewrite' && rewrite === undefined)) return;
    writer.timestamps = cfg('aof-timestamp-enabled') === 'yes';
    writer.append(ops, nowSec());
    written++;
    // Batched: hosts call barrier() before releasing replies, which hands the batch to the file
    // (Redis writes aof_buf before replying, in beforeSleep). The end-of-task drain covers writes
    // nobody waits on (active expiry, a host that does not call the barrier).
    if (!drainScheduled) {
      drainScheduled = true;
      schedule(() => {
        drainScheduled = false;
        drain();
      });
    }
    if (policy() === 'everysec' && everysecTimer === undefined) {
      everysecTimer = timers.setTimeout(() => {
        everysecTimer = undefined;
        void flushNow().catch(() => {});
      }, 1000);
    }
  }

  /** Drains and makes everything written so far durable; records the outcome. */
  function flushNow(): Promise<void> {
    const upTo = written;
    const run = enqueue(async (): Promise<boolean> => {
      if (!drain()) {
        // A rewrite is switching incr files (its open is queued behind this op): not an error.
        if (file === undefined && writeError === undefined && state !== 'off') return false;
        throw writeError ?? new StorageError('IO', 'AOF file is not open');
      }
      if (file !== undefined) await file.flush();
      return true;
    }).then((done) =>
      // Outside the queue, so the switch can run: wait until the new file has the bytes (and,
      // under `always`, has flushed them), through the same waiters barrier() uses.
      done ? undefined : new Promise<void>((resolve, reject) => drainWaiters.push({ resolve, reject })),
    ).then(
      () => {
        if (upTo > durable) durable = upTo;
        writeRecovered();
      },
      (e: unknown) => {
        writeFailed(e);
        if (upTo > reported) reported = upTo;
        throw e;
      },
    );
    inflight = { promise: run, upTo };
    const clear = (): void => {
      if (inflight?.promise === run) inflight = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /**
   * Every policy: the batch reaches the file (the OS) before any reply is released, so a killed
   * process loses no acknowledged write. `always` then also waits for the flush (group commit).
   */
  function barrier(): Promise<void> | undefined {
    if (!drain() && state !== 'off' && writeError === undefined) {
      return new Promise<void>((resolve, reject) => drainWaiters.push({ resolve, reject }));
    }
    if (state === 'off' || policy() !== 'always' || written <= Math.max(durable, reported)) return undefined;
    if (inflight !== undefined && inflight.upTo >= written) return inflight.promise;
    if (pendingFlush === undefined) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      pendingFlush = { promise, resolve, reject };
      schedule(() => {
        const p = pendingFlush!;
        pendingFlush = undefined;
        flushNow().then(p.resolve, p.reject);
      });
    }
    return pendingFlush.promise;
  }

  // --- rewrite ---

  /** rewriteAppendOnlyFileBackground; the caller has checked that no other job runs. */
  function startRewriteNow(): void {
    const during = state;
    drain();
    const oldFile = file;
    file = undefined;
    writer.resetSelectedDb();
    const preamble = cfg('aof-use-rdb-preamble') === 'yes';
    const snap = startSnapshot(engine, { ...opts.snapshot, aofBase: true });
    const job = { snap, done: Promise.resolve(), aborted: false };
    rewrite = job;
    jobs.child = 'aof';
    rewrites++;
    rewriteStart = engine.now();
    let incrName: string | null = null;

    // Switch the append target on the file chain (so after any earlier switch): the old incr
    // gets its last bytes, the next one opens, listed first in a persisted manifest when on.
    const switched = enqueue(async () => {
      await oldFile?.close();
      const adopted = file; // opened by an aborted rewrite's switch after this cut
      file = undefined;
      await adopted?.close();
      const begun = startRewrite(manifest, during, name);
      // Waiting for the first rewrite: the incr the finished rewrite will list (see the header).
      incrName = during === 'wait-rewrite' ? incrFileName(name, manifest.incrSeq + 1) : begun.open;
      if (incrName === null) return;
      const f = await storage.openAppend(path(incrName));
      if (f.size > 0) await f.truncate(0);
      if (begun.persist) await writeManifest(storage, dir, name, begun.manifest);
      manifest = begun.manifest;
      if (rewrite !== job && (state === 'off' || rewrite !== undefined)) {
        await f.close();
        return;
      }
      file = f;
      drain();
    });

    let bytes = 0;
    async function* counted(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const c of chunks) {
        bytes += c.length;
        yield c;
      }
    }
    const ts = writer.timestamps ? nowSec() : undefined;
    const base = preamble
      ? snap.chunks
      : respBase(snap.chunks, { databases: engine.ks.dbs.length, ...(ts === undefined ? {} : { timestamp: ts }) });
    job.done = (async () => {
      let ok = false;
      try {
        await switched;
        const baseName = newBaseFile(manifest, name, preamble).name;
        await storage.writeAtomic(path(baseName), counted(base));
        if (job.aborted) return;
        await enqueue(() => finish(during, preamble, baseName, bytes));
        ok = true;
      } catch (e) {
        if (!job.aborted) log({ level: 'warning', message: `Background AOF rewrite failed: ${String(e)}` });
        // The snapshot must not keep its hook when the switch failed before consuming it.
        snap.abort();
      } finally {
        if (rewrite === job) endRewrite(job, ok, during, incrName);
      }
    })();
  }

  /** backgroundRewriteDoneHandler's success path, run on the file chain. */
  async function finish(during: AofState, preamble: boolean, baseName: string, bytes: number): Promise<void> {
    const done = finishRewrite(manifest, during === 'wait-rewrite' ? 'wait-rewrite' : state, name, preamble);
    if (done.base !== baseName) throw new Error(`AOF base name changed during the rewrite (${baseName} → ${done.base})`);
    try {
      await writeManifest(storage, dir, name, done.manifest);
    } catch (e) {
      await storage.remove(path(baseName)).catch(() => {});
      throw e;
    }
    manifest = done.manifest;
    if (state === 'wait-rewrite') state = 'on';
    currentSize = bytes + (file?.size ?? 0);
    baseSize = currentSize;
    log({ level: 'notice', message: 'Background AOF rewrite finished successfully' });
    await deleteHistory();
  }

  /** aofDelHistoryFiles. */
  async function deleteHistory(): Promise<void> {
    if (manifest.history.length === 0 || cfg('aof-disable-auto-gc') === 'yes') return;
    const gone = withoutHistory(manifest);
    await writeManifest(storage, dir, name, gone.manifest);
    manifest = gone.manifest;
    for (const f of gone.removed) {
      log({ level: 'notice', message: `Removing the history file ${f} in the background` });
      await storage.remove(path(f)).catch(() => {});
    }
  }

  function endRewrite(job: NonNullable<typeof rewrite>, ok: boolean, during: AofState, incrName: string | null): void {
    rewrite = undefined;
    if (jobs.child === 'aof') jobs.child = null;
    lastRewriteTime = Math.floor((engine.now() - rewriteStart) / 1000);
    rewriteStart = -1;
    if (ok) {
      lastRewriteStatus = 'ok';
      consecutiveFailures = 0;
      return;
    }
    if (job.aborted) return;
    lastRewriteStatus = 'err';
    consecutiveFailures++;
    if (state === 'on' && file === undefined) {
      // The switch to a new incr failed: keep appending to the last listed one.
      void enqueue(async () => {
        if (file !== undefined || state !== 'on') return;
        file = await storage.openAppend(path(lastIncrFile(manifest, name).name));
        drain();
      }).catch(writeFailed);
    }
    if (during === 'wait-rewrite' && state === 'wait-rewrite') {
      // Redis drops what the temp incr gathered and starts over with a new rewrite.
      writer.clear();
      const f = file;
      file = undefined;
      void enqueue(async () => {
        await f?.close();
        if (incrName !== null) await storage.remove(path(incrName));
      }).catch(() => {});
      rewriteScheduled = true;
    }
  }

  function killRewrite(): void {
    const job = rewrite;
    if (job === undefined) return;
    job.aborted = true;
    job.snap.abort();
    rewrite = undefined;
    if (jobs.child === 'aof') jobs.child = null;
    rewriteStart = -1;
  }

  /** aofRewriteLimited: after 3 failures in a row, automatic rewrites back off 1, 2, 4 ... 60 minutes. */
  function limited(): boolean {
    if (consecutiveFailures < 3) return false;
    const now = engine.now();
    if (now < nextAutoRewrite) return true;
    const minutes = Math.min(60, 2 ** (consecutiveFailures - 3));
    nextAutoRewrite = now + minutes * 60_000;
    log({ level: 'warning', message: `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${minutes} minutes` });
    return false;
  }

  // --- on / off ---

  /** startAppendOnly (CONFIG SET appendonly yes). */
  function turnOn(): void {
    state = 'wait-rewrite';
    // Redis kills a running rewrite and starts over; here it runs to its end, then this one.
    if (jobs.child !== null) {
      rewriteScheduled = true;
      log({ level: 'warning', message: 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.' });
      return;
    }
    startRewriteNow();
  }

  /** stopAppendOnly (CONFIG SET appendonly no): flush, close, kill the rewrite. Files stay. */
  function turnOff(): void {
    drain();
    killRewrite();
    const f = file;
    file = undefined;
    state = 'off';
    rewriteScheduled = false;
    writer.clear();
    writer.resetSelectedDb();
    durable = written;
    writeError = undefined;
    if (f !== undefined) void enqueue(() => f.close()).catch(() => {});
  }

  const self: AofSide = {
    get enabled() {
      return state !== 'off';
    },
    get state() {
      return state;
    },
    get manifest() {
      return manifest;
    },
    get rewriting() {
      return rewrite?.done;
    },
    bgrewriteaof(inExec) {
      if (jobs.child === 'aof') throw AOFRW_IN_PROGRESS;
      if (jobs.child !== null || inExec) {
        rewriteScheduled = true;
        consecutiveFailures = 0;
        return REWRITE_SCHEDULED;
      }
      startRewriteNow();
      return REWRITE_STARTED;
    },
    async prepareShutdown(force) {
      if (rewrite !== undefined && state === 'wait-rewrite' && !force) {
        log({ level: 'warning', message: "Writing initial AOF, can't exit." });
        return false;
      }
      killRewrite();
      if (state !== 'off') await flushNow().catch(() => {});
      return true;
    },
    writeError(): ReplyError | undefined {
      if (state === 'off' || writeError === undefined) return undefined;
      return misconfAof(strerror(writeError));
    },
    async openOnStart(loaded) {
      const start = openOnServerStart(manifest, name, cfg('aof-use-rdb-preamble') === 'yes');
      if (start.createBase !== null) {
        const preamble = start.createBase.endsWith('.rdb');
        const chunks = preamble ? snapshotSync(engine, { aofBase: true }) : [];
        if (!preamble && writer.timestamps) {
          writer.lastTimestamp = nowSec();
          chunks.push(asciiBytes(timestampAnnotation(writer.lastTimestamp)));
        }
        await storage.writeAtomic(path(start.createBase), chunks.length === 1 ? chunks[0]! : each(chunks));
        log({ level: 'notice', message: `Creating AOF base file ${start.createBase} on server start` });
        // Redis counts neither this base in aof_current_size nor in aof_base_size (0 until a rewrite).
      }
      const f = await storage.openAppend(path(start.incr));
      log({ level: 'notice', message: `${start.newIncr ? 'Creating' : 'Opening'} AOF incr file ${start.incr} on server start` });
      if (start.manifest !== manifest) await writeManifest(storage, dir, name, start.manifest);
      manifest = start.manifest;
      file = f;
      state = 'on';
      currentSize = loaded.totalSize + (start.newIncr ? f.size : 0);
      baseSize = loaded.baseSize;
      await deleteHistory();
    },
    barrier,
    applyConfig() {
      const want = cfg('appendonly') === 'yes';
      if (want && state === 'off') turnOn();
      else if (!want && state !== 'off') turnOff();
      if (policy() !== 'everysec' && everysecTimer !== undefined) {
        timers.clearTimeout(everysecTimer);
        everysecTimer = undefined;
      }
    },
    cron() {
      if (engine.loading) return;
      if (jobs.child === null && rewriteScheduled) {
        rewriteScheduled = false;
        startRewriteNow();
      }
      if (state === 'on' && jobs.child === null) {
        const perc = engine.config.num('auto-aof-rewrite-percentage');
        const minSize = engine.config.num('auto-aof-rewrite-min-size');
        if (perc > 0 && currentSize > minSize) {
          const growth = Math.floor((currentSize * 100) / Math.max(baseSize, 1)) - 100;
          if (growth >= perc && !limited()) {
            log({ level: 'notice', message: `Starting automatic rewriting of AOF on ${growth}% growth` });
            startRewriteNow();
          }
        }
      }
      // A failed write is retried until it succeeds (Redis retries in every beforeSleep).
      if (state !== 'off' && writeError !== undefined && inflight === undefined) void flushNow().catch(() => {});
    },
    async close() {
      if (everysecTimer !== undefined) timers.clearTimeout(everysecTimer);
      everysecTimer = undefined;
      unlisten?.();
      unlisten = undefined;
      killRewrite();
      if (state !== 'off') await flushNow().catch(() => {});
      const f = file;
      file = undefined;
      if (f !== undefined) await enqueue(() => f.close()).catch(() => {});
      await chain;
    },
  };

  unlisten = engine.propagation.listen(onOps);

  setInfoFields(engine, 'persistence', () => (engine.persistence?.aof === self ? fields() : []));

  function fields(): InfoFields {
    const f: InfoFields = [
      ['aof_enabled', state !== 'off' ? 1 : 0],
      ['aof_rewrite_in_progress', rewrite !== undefined ? 1 : 0],
      ['aof_rewrite_scheduled', rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', lastRewriteTime],
      ['aof_current_rewrite_time_sec', rewriteStart === -1 ? -1 : Math.floor((engine.now() - rewriteStart) / 1000)],
      ['aof_last_bgrewrite_status', lastRewriteStatus],
      ['aof_rewrites', rewrites],
      ['aof_rewrites_consecutive_failures', consecutiveFailures],
      ['aof_last_write_status', writeError === undefined ? 'ok' : 'err'],
    ];
    if (state !== 'off') {
      f.push(
        ['aof_current_size', currentSize],
        ['aof_base_size', baseSize],
        ['aof_pending_rewrite', rewriteScheduled ? 1 : 0],
        ['aof_buffer_length', writer.length],
        ['aof_pending_bio_fsync', inflight !== undefined ? 1 : 0],
        ['aof_delayed_fsync', 0],
      );
    }
    return f;
  }

  return self;
}

async function* each(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

/**
 * The engine's AOF side, created on first use (BGREWRITEAOF on an engine nobody attached
 * persistence to): off, over the engine's persistence storage, as a Redis with appendonly no.
 */
export function aofOf(engine: Engine): AofPersistence {
  const p = persistenceOf(engine);
  if (p.aof === undefined) {
    const aof = createAof(engine, p.storage, p.jobs, EMPTY_MANIFEST);
    p.aof = aof;
    engine.cronJobs.push(() => aof.cron());
  }
  return p.aof;
}
