/**
 * The AOF side of persistence (aof.c's server half), assembled from its parts over one explicit
 * state (aof-context.ts): the write path and the fsync policies' group commit (aof-write.ts), the
 * rewrite (aof-rewrite.ts), and here opening on server start, turning AOF on and off at runtime,
 * the AOF's MISCONF, SHUTDOWN's part and INFO's aof_* fields.
 *
 * Policies: `always` = the durability barrier waits for a flush shared by every write before it
 * (group commit); `everysec` = a timer flushes at most 1 s after a write; `no` = only close
 * flushes. Under every policy a reply leaves only once its write's bytes reached the file.
 */
import type { Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { setInfoFields, type InfoFields } from '../engine/info.ts';
import { ConfigApplyError } from '../engine/config.ts';
import { openOnServerStart, timestampAnnotation, EMPTY_MANIFEST, type AofManifest, type AofState } from '../aof/index.ts';
import { asciiBytes } from '../aof/clib.ts';
import { misconfAof, type ReplyError } from '../reply/errors.ts';
import type { Storage } from '../storage/storage.ts';
import { createContext, strerror, type AofOptions } from './aof-context.ts';
import { writeManifest } from './aof-load.ts';
import { createCommit } from './aof-commit.ts';
import { replaceDataset } from './aof-import.ts';
import { closeUnlisted, createRewriter } from './aof-rewrite.ts';
import { createWritePath } from './aof-write.ts';
import { persistenceOf } from './rdb-file.ts';
import { snapshotSync } from './snapshot.ts';
import type { AofPersistence, BackgroundJobs } from './types.ts';

export { strerror, type AofOptions, type AofTimers, type SyncFlushable } from './aof-context.ts';

/** What index.ts drives besides the AofPersistence interface. */
export interface AofSide extends AofPersistence {
  readonly state: AofState;
  readonly manifest: AofManifest;
  /** aofOpenIfNeededOnServerStart + aofDelHistoryFiles, after a load with appendonly yes. */
  openOnStart(loaded: { baseSize: number; totalSize: number; lastIncrSize: number }): Promise<void>;
  /** The durability barrier (engine.durability). */
  barrier(endOfTurn?: boolean, c?: Client): Promise<void> | undefined;
  /** Units written so far (aof-write.ts: `written`), which clients' aofUnit marks count in. */
  readonly units: { readonly written: number };
  /**
   * CONFIG SET appendonly, appendfsync, aof-disable-auto-gc: applies a changed value. Also called
   * once after the startup load, for a change made while loading (applyAppendOnlyConfig).
   */
  applyConfig(): void;
  cron(): void;
  /** A promise for the rewrite running now, if any (tests). */
  readonly rewriting: Promise<void> | undefined;
  /**
   * Makes every write so far durable now, whatever appendfsync says (a browser page being hidden
   * or unloaded). Resolves at once when the AOF is off; rejects with the storage error.
   */
  flush(): Promise<void>;
  /** Flushes and closes the incr; stops timers and any rewrite. */
  close(): Promise<void>;
}

export function createAof(
  engine: Engine, storage: Storage, jobs: BackgroundJobs, initial: AofManifest, opts: AofOptions = {},
): AofSide {
  const ctx = createContext(engine, storage, jobs, initial, opts);
  const { log } = ctx;
  const wp = createWritePath(ctx);
  const commit = createCommit(ctx, wp);
  const rw = createRewriter(ctx, wp);
  let autoGc = ctx.cfg('aof-disable-auto-gc') !== 'yes';
  /** aof_last_write_status stays err after AOF is turned off in error, until it is turned on again. */
  let errWhenOff = false;

  /** startAppendOnly (CONFIG SET appendonly yes). */
  function turnOn(): void {
    if (errWhenOff) {
      log({ level: 'warning', message: 'AOF reopen, just ignore the last error.' });
      errWhenOff = false;
    }
    ctx.state = 'wait-rewrite';
    if (jobs.child === 'aof') {
      // It is not gathering what the AOF needs (its base is older, its incr not the one to use).
      log({ level: 'warning', message: 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.' });
      rw.kill();
    }
    if (jobs.child !== null) {
      rw.scheduled = true;
      log({ level: 'warning', message: 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.' });
      return;
    }
    if (!rw.start()) {
      ctx.state = 'off';
      log({ level: 'warning', message: "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error." });
      throw new ConfigApplyError('appendonly', 'Unable to turn on AOF. Check server logs.');
    }
  }

  /** Closes the detached incr; one that no manifest lists (ctx.unlisted) is removed as well. */
  function closeFile(): Promise<void> {
    const f = wp.detach();
    const unlisted = ctx.unlisted;
    ctx.unlisted = undefined;
    if (f === undefined && unlisted === undefined) return Promise.resolve();
    return ctx.enqueue(() => closeUnlisted(ctx, f, unlisted)).catch(() => {});
  }

  /** stopAppendOnly (CONFIG SET appendonly no): flush, close, kill the rewrite. Listed files stay. */
  function turnOff(): void {
    wp.drain();
    errWhenOff = wp.error !== undefined;
    rw.kill();
    ctx.state = 'off';
    rw.scheduled = false;
    void closeFile();
    wp.reset();
  }

  const self: AofSide = {
    get enabled() {
      return ctx.state !== 'off';
    },
    get state() {
      return ctx.state;
    },
    get manifest() {
      return ctx.manifest;
    },
    get rewriting() {
      return ctx.rewrite?.done;
    },
    bgrewriteaof: (inExec) => rw.bgrewriteaof(inExec),
    async prepareShutdown(force) {
      if (ctx.rewrite !== undefined && ctx.state === 'wait-rewrite' && !force) {
        log({ level: 'warning', message: "Writing initial AOF, can't exit." });
        return false;
      }
      if (ctx.rewrite !== undefined) log({ level: 'warning', message: 'There is a child rewriting the AOF. Killing it!' });
      rw.kill();
      if (ctx.state !== 'off') {
        log({ level: 'notice', message: 'Calling fsync() on the AOF file.' });
        await commit.flush().catch(() => {});
      }
      return true;
    },
    replaceDataset: (scratch, swap) => replaceDataset(ctx, wp, rw, scratch, swap),
    writeError(): ReplyError | undefined {
      if (ctx.state === 'off' || wp.error === undefined) return undefined;
      return misconfAof(strerror(wp.error));
    },
    async openOnStart(loaded) {
      const { writer, name } = ctx;
      const start = openOnServerStart(ctx.manifest, name, ctx.cfg('aof-use-rdb-preamble') === 'yes');
      if (start.createBase !== null) {
        const preamble = start.createBase.endsWith('.rdb');
        const chunks = preamble ? snapshotSync(engine, { aofBase: true }) : [];
        if (!preamble && writer.timestamps) {
          writer.lastTimestamp = ctx.nowSec();
          chunks.push(asciiBytes(timestampAnnotation(writer.lastTimestamp)));
        }
        await storage.writeAtomic(ctx.path(start.createBase), chunks.length === 1 ? chunks[0]! : each(chunks));
        log({ level: 'notice', message: `Creating AOF base file ${start.createBase} on server start` });
        // Redis counts neither this base in aof_current_size nor in aof_base_size (0 until a rewrite).
      }
      const f = await storage.openAppend(ctx.path(start.incr));
      if (start.newIncr && f.size > 0) {
        // No manifest lists it (left by a crash during a first rewrite): its writes belong to no dataset.
        log({ level: 'warning', message: `Emptying ${start.incr} (${f.size} bytes), which the manifest does not list` });
        await f.truncate(0);
      }
      log({ level: 'notice', message: `${start.newIncr ? 'Creating' : 'Opening'} AOF incr file ${start.incr} on server start` });
      if (start.manifest !== ctx.manifest) await writeManifest(storage, ctx.dir, name, start.manifest);
      ctx.manifest = start.manifest;
      wp.attach(f);
      ctx.state = 'on';
      ctx.currentSize = loaded.totalSize;
      ctx.baseSize = loaded.baseSize;
      await rw.deleteHistory();
    },
    barrier: commit.barrier,
    units: wp.units,
    flush: () => (ctx.state === 'off' ? Promise.resolve() : commit.flush()),
    applyConfig() {
      commit.policyChanged();
      ctx.writer.timestamps = ctx.cfg('aof-timestamp-enabled') === 'yes';
      const want = ctx.cfg('appendonly') === 'yes';
      if (want && ctx.state === 'off') turnOn();
      else if (!want && ctx.state !== 'off') turnOff();
      // updateAofAutoGCEnabled: turning GC back on deletes the history at once.
      const gc = ctx.cfg('aof-disable-auto-gc') !== 'yes';
      if (gc && !autoGc) void ctx.enqueue(() => rw.deleteHistory()).catch(() => {});
      autoGc = gc;
    },
    cron() {
      if (engine.loading) return;
      rw.cron();
      // A failed write is retried until it succeeds (Redis retries in every beforeSleep).
      commit.cron();
    },
    async close() {
      unlisten();
      rw.kill();
      await commit.close();
      await closeFile();
      await ctx.idle();
      await rw.settled();
    },
  };

  const unlisten = engine.propagation.listen((ops) => {
    if (wp.onOps(ops)) commit.wrote();
  });

  setInfoFields(engine, 'persistence', () => (engine.persistence?.aof === self ? fields() : []));

  function fields(): InfoFields {
    const f: InfoFields = [
      ['aof_enabled', ctx.state !== 'off' ? 1 : 0],
      ...rw.fields(),
      ['aof_last_write_status', wp.error === undefined && !errWhenOff ? 'ok' : 'err'],
    ];
    if (ctx.state !== 'off') {
      f.push(
        ['aof_current_size', ctx.currentSize],
        ['aof_base_size', ctx.baseSize],
        ['aof_pending_rewrite', rw.scheduled ? 1 : 0],
        ['aof_buffer_length', ctx.writer.length],
        ['aof_pending_bio_fsync', commit.fsyncPending ? 1 : 0],
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
