/**
 * BGREWRITEAOF over the forkless snapshotter (§2.6), and auto-rewrite. At the cut, in one
 * synchronous turn: the buffer goes to the old incr (no cut when it cannot: those bytes belong
 * before the base, and after it they would replay twice), the snapshot starts, and the switch is
 * queued: close the old incr (its bytes become durable), open the next, persist a manifest listing
 * it when AOF is on, attach it. The base is written with writeAtomic under its final name (no
 * manifest lists it yet), then the manifest switches, then history files are deleted.
 *
 * One deviation: while waiting for the first rewrite (appendonly turned on at runtime), writes go
 * to the incr file the rewrite will add, not to `temp-<name>.incr`, because storage has no
 * rename. A failed attempt removes it, as Redis removes its temp incr, and so do turning AOF off
 * and closing before the rewrite ends (`ctx.unlisted`), where Redis leaves its temp incr behind:
 * under its final name, a later start would take it up (see aof.ts, openOnStart).
 */
import {
  finishRewrite, incrFileName, lastIncrFile, newBaseFile, startRewrite, withoutHistory, type AofState,
} from '../aof/index.ts';
import { AOFRW_FAILED_TO_START, AOFRW_IN_PROGRESS } from '../reply/errors.ts';
import { Status } from '../reply/reply.ts';
import type { AppendFile } from '../storage/storage.ts';
import { strerror, type AofContext, type RewriteJob } from './aof-context.ts';
import { writeManifest } from './aof-load.ts';
import { counting, respBase } from './aof-base.ts';
import { startSnapshot, type Snapshot } from './snapshot.ts';
import type { WritePath } from './aof-write.ts';

const REWRITE_STARTED = new Status('Background append only file rewriting started');
const REWRITE_SCHEDULED = new Status('Background append only file rewriting scheduled');

export interface Rewriter {
  /** rewriteAppendOnlyFileBackground; false (logged) when the buffer could not be written first. */
  start(): boolean;
  /** BGREWRITEAOF's reply, or throws the ReplyError. */
  bgrewriteaof(inExec: boolean): Status;
  /** killAppendOnlyChild: the rewrite stops, not counted as a failure. */
  kill(): void;
  /** aof_rewrite_scheduled. */
  scheduled: boolean;
  /** Scheduled rewrites, auto-rewrite, and reopening an incr a failed switch left closed. */
  cron(): void;
  /** aofDelHistoryFiles. */
  deleteHistory(): Promise<void>;
  /** Settles when the last rewrite started has ended, a killed one's temporary base removed. */
  settled(): Promise<void>;
  /** The info fields of the rewrite (aof_rewrite_*, aof_last_bgrewrite_status...). */
  fields(): Array<[string, string | number]>;
}

/** A base file's bytes from `snap`: its RDB as is (aof-use-rdb-preamble), or re-encoded as RESP. */
export function baseChunks(ctx: AofContext, snap: Snapshot, preamble: boolean): AsyncIterable<Uint8Array> {
  if (preamble) return snap.chunks;
  const ts = ctx.writer.timestamps ? ctx.nowSec() : undefined;
  return respBase(snap.chunks, { databases: ctx.engine.ks.dbs.length, ...(ts === undefined ? {} : { timestamp: ts }) });
}

/**
 * Closes `f` and removes `incr`, the incr a first rewrite wrote to, unless a manifest lists it by
 * now (the rewrite finished first: then it is data). Call it on the file queue.
 */
export async function closeUnlisted(ctx: AofContext, f: AppendFile | undefined, incr: string | undefined): Promise<void> {
  await f?.close();
  if (incr !== undefined && !ctx.manifest.incrs.some((i) => i.name === incr)) await ctx.storage.remove(ctx.path(incr));
}

export function createRewriter(ctx: AofContext, wp: WritePath): Rewriter {
  const { engine, jobs, log } = ctx;
  let lastStatus: 'ok' | 'err' = 'ok';
  let rewrites = 0;
  let consecutiveFailures = 0;
  let startedAt = -1;
  let lastTime = -1;
  let delayMinutes = 0;
  let nextAttempt = 0;
  let reopening = false;
  let lastJob: Promise<void> = Promise.resolve();

  function start(): boolean {
    const during = ctx.state;
    try {
      ctx.storage.ensureFolderSync?.(ctx.dir);
    } catch (e) {
      log({ level: 'warning', message: `Can't open or create append-only dir ${ctx.dir}: ${strerror(e)}` });
      lastStatus = 'err';
      return false;
    }
    if (!wp.drain()) {
      log({ level: 'warning', message: `Can't rewrite the append only file in background: ${strerror(wp.error)}` });
      return false;
    }
    const oldFile = wp.detach();
    ctx.writer.resetSelectedDb();
    const preamble = ctx.cfg('aof-use-rdb-preamble') === 'yes';
    const snap = startSnapshot(engine, { ...ctx.snapshot, aofBase: true });
    const job: RewriteJob = { snap, done: Promise.resolve(), aborted: false };
    ctx.rewrite = job;
    jobs.child = 'aof';
    rewrites++;
    startedAt = engine.now();
    let incrName: string | null = null;

    // On the file queue, so after any earlier switch.
    const switched = ctx.enqueue(async () => {
      await oldFile?.close();
      // Opened by an aborted rewrite's switch after this cut.
      const adopted = wp.detach();
      if (adopted !== undefined) {
        ctx.writer.resetSelectedDb();
        await adopted.close();
      }
      const begun = startRewrite(ctx.manifest, during, ctx.name);
      // Waiting for the first rewrite: the incr the finished rewrite will list (see the header).
      incrName = during === 'wait-rewrite' ? incrFileName(ctx.name, ctx.manifest.incrSeq + 1) : begun.open;
      if (incrName === null) return;
      const f = await ctx.storage.openAppend(ctx.path(incrName));
      try {
        if (f.size > 0) await f.truncate(0);
        if (begun.persist) await writeManifest(ctx.storage, ctx.dir, ctx.name, begun.manifest);
      } catch (e) {
        await f.close().catch(() => {}); // not attached: nobody else would (a browser keeps it locked)
        throw e;
      }
      ctx.manifest = begun.manifest;
      if (ctx.rewrite !== job && (ctx.state === 'off' || ctx.rewrite !== undefined)) {
        await closeUnlisted(ctx, f, during === 'wait-rewrite' ? incrName : undefined);
        return;
      }
      if (during === 'wait-rewrite') ctx.unlisted = incrName;
      wp.attach(f);
    });

    let bytes = 0;
    const base = baseChunks(ctx, snap, preamble);
    job.done = lastJob = (async () => {
      let ok = false;
      try {
        await switched;
        const baseName = newBaseFile(ctx.manifest, ctx.name, preamble).name;
        await ctx.storage.writeAtomic(ctx.path(baseName), counting(base, (n) => (bytes += n)));
        if (job.aborted) {
          // Killed once its base was written: no manifest will list that base.
          await ctx.storage.remove(ctx.path(baseName)).catch(() => {});
          return;
        }
        await ctx.enqueue(() => finish(during, preamble, baseName, bytes));
        ok = true;
      } catch (e) {
        if (!job.aborted) log({ level: 'warning', message: `Background AOF rewrite failed: ${String(e)}` });
        // The snapshot must not keep its hook when the switch failed before consuming it.
        snap.abort();
      } finally {
        if (ctx.rewrite === job) end(ok, during, incrName);
      }
    })();
    return true;
  }

  /** backgroundRewriteDoneHandler's success path, run on the file queue. */
  async function finish(during: AofState, preamble: boolean, baseName: string, bytes: number): Promise<void> {
    const done = finishRewrite(ctx.manifest, during === 'wait-rewrite' ? 'wait-rewrite' : ctx.state, ctx.name, preamble);
    if (done.base !== baseName) throw new Error(`AOF base name changed during the rewrite (${baseName} → ${done.base})`);
    try {
      await writeManifest(ctx.storage, ctx.dir, ctx.name, done.manifest);
    } catch (e) {
      await ctx.storage.remove(ctx.path(baseName)).catch(() => {});
      throw e;
    }
    ctx.manifest = done.manifest;
    ctx.unlisted = undefined;
    if (ctx.state === 'wait-rewrite') ctx.state = 'on';
    ctx.currentSize = bytes + (ctx.file?.size ?? 0);
    ctx.baseSize = ctx.currentSize;
    log({ level: 'notice', message: 'Background AOF rewrite finished successfully' });
    await deleteHistory();
  }

  async function deleteHistory(): Promise<void> {
    if (ctx.manifest.history.length === 0 || ctx.cfg('aof-disable-auto-gc') === 'yes') return;
    const gone = withoutHistory(ctx.manifest);
    await writeManifest(ctx.storage, ctx.dir, ctx.name, gone.manifest);
    ctx.manifest = gone.manifest;
    for (const f of gone.removed) {
      log({ level: 'notice', message: `Removing the history file ${f} in the background` });
      await ctx.storage.remove(ctx.path(f)).catch(() => {});
    }
  }

  function end(ok: boolean, during: AofState, incrName: string | null): void {
    ctx.rewrite = undefined;
    if (jobs.child === 'aof') jobs.child = null;
    lastTime = Math.floor((engine.now() - startedAt) / 1000);
    startedAt = -1;
    if (ok) {
      lastStatus = 'ok';
      consecutiveFailures = 0;
      return;
    }
    lastStatus = 'err';
    consecutiveFailures++;
    // The switch to a new incr failed: keep appending to the last listed one.
    reopen();
    if (during === 'wait-rewrite' && ctx.state === 'wait-rewrite') {
      // Redis drops what the temp incr gathered and starts over with a new rewrite.
      wp.discard();
      const f = wp.detach();
      ctx.unlisted = undefined;
      void ctx.enqueue(() => closeUnlisted(ctx, f, incrName ?? undefined)).catch(() => {});
      self.scheduled = true;
    }
  }

  /** With AOF on and no file (a failed switch), opens the last listed incr again. */
  function reopen(): void {
    if (reopening || ctx.state !== 'on' || ctx.file !== undefined) return;
    reopening = true;
    void ctx.enqueue(async () => {
      if (ctx.file !== undefined || ctx.state !== 'on' || ctx.rewrite !== undefined) return;
      wp.attach(await ctx.storage.openAppend(ctx.path(lastIncrFile(ctx.manifest, ctx.name).name)));
    }).catch(wp.failed).finally(() => void (reopening = false));
  }

  /**
   * aofRewriteLimited: after 3 failed rewrites in a row, the cron's rewrites (scheduled and
   * automatic) wait 1 minute, then 2, 4... up to 60 between attempts; each wait starts with a
   * refusal that logs it. A success, or a BGREWRITEAOF, resets the count.
   */
  function limited(): boolean {
    if (consecutiveFailures < 3) {
      delayMinutes = 0;
      nextAttempt = 0;
      return false;
    }
    const now = engine.now();
    if (nextAttempt !== 0) {
      if (now < nextAttempt) return true;
      nextAttempt = 0;
      return false;
    }
    delayMinutes = delayMinutes === 0 ? 1 : Math.min(60, delayMinutes * 2);
    nextAttempt = now + delayMinutes * 60_000;
    log({ level: 'warning', message: `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${delayMinutes} minutes` });
    return true;
  }

  /** auto-aof-rewrite-percentage/min-size. */
  function autoRewrite(): void {
    const perc = engine.config.num('auto-aof-rewrite-percentage');
    if (perc <= 0 || ctx.currentSize <= engine.config.num('auto-aof-rewrite-min-size')) return;
    const growth = Math.floor((ctx.currentSize * 100) / Math.max(ctx.baseSize, 1)) - 100;
    if (growth < perc || limited()) return;
    log({ level: 'notice', message: `Starting automatic rewriting of AOF on ${growth}% growth` });
    start();
  }

  const self: Rewriter = {
    start,
    scheduled: false,
    bgrewriteaof(inExec) {
      if (jobs.child === 'aof') throw AOFRW_IN_PROGRESS;
      if (jobs.child !== null || inExec) {
        self.scheduled = true;
        consecutiveFailures = 0;
        return REWRITE_SCHEDULED;
      }
      if (!start()) throw AOFRW_FAILED_TO_START;
      return REWRITE_STARTED;
    },
    kill() {
      const job = ctx.rewrite;
      if (job === undefined) return;
      job.aborted = true;
      job.snap.abort();
      ctx.rewrite = undefined;
      if (jobs.child === 'aof') jobs.child = null;
      startedAt = -1;
    },
    cron() {
      if (ctx.rewrite === undefined && ctx.file === undefined) reopen();
      // A write error first: the buffer must reach the old incr before any cut.
      if (jobs.child !== null || wp.error !== undefined) return;
      if (self.scheduled) {
        if (!limited()) self.scheduled = !start();
      } else if (ctx.state === 'on') autoRewrite();
    },
    deleteHistory,
    settled: () => lastJob,
    fields: () => [
      ['aof_rewrite_in_progress', ctx.rewrite !== undefined ? 1 : 0],
      ['aof_rewrite_scheduled', self.scheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', lastTime],
      ['aof_current_rewrite_time_sec', startedAt === -1 ? -1 : Math.floor((engine.now() - startedAt) / 1000)],
      ['aof_last_bgrewrite_status', lastStatus],
      ['aof_rewrites', rewrites],
      ['aof_rewrites_consecutive_failures', consecutiveFailures],
    ],
  };
  return self;
}
