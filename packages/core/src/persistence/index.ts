/**
 * Persistence for an engine over a Storage: `attachPersistence` loads the dataset as Redis's
 * loadDataFromDisk does (§3.1: with appendonly yes only the AOF, an empty start when it does not
 * exist; otherwise dbfilename), then opens the AOF for appending (aofOpenIfNeededOnServerStart),
 * installs the RDB and AOF sides on the engine and starts writing.
 *
 * CONFIG SET appendonly/appendfsync take effect through `engine.configChanged`, which is wrapped
 * here (the engine has no per-parameter apply hook); `close()` undoes every installation.
 */
import type { Durability, Engine } from '../engine/engine.ts';
import { ConfigApplyError } from '../engine/config.ts';
import type { Storage } from '../storage/storage.ts';
import { createAof, type AofOptions, type AofSide } from './aof.ts';
import { manifestFileName } from '../aof/index.ts';
import { aofPath, loadAof, readManifest, upgradeIfNeeded, type AofLog, type AofLoadSummary } from './aof-load.ts';
import { loadRdb, startLoading, stopLoading } from './load.ts';
import { withFile } from './load-errors.ts';
import { createRdbFile, installPersistence } from './rdb-file.ts';
import type { BackgroundJobs, Persistence } from './types.ts';

export { AofLoadError, describeLoadError } from './load-errors.ts';
export type { AofLog } from './aof-load.ts';
export type { AofOptions, AofSide } from './aof.ts';
// For hosts' offline tools (larder export/import): a dataset in, a dataset out.
export { loadRdb, loadingState } from './load.ts';
// For hosts that take clients before they attach (larder serve): LOADING from the first command.
export { startLoading, stopLoading } from './load.ts';
export { snapshotSync } from './snapshot.ts';

export interface AttachOptions extends AofOptions {
  /** Redis's log lines about loading and the AOF (level, message). */
  log?: AofLog;
}

export interface AttachedPersistence extends Persistence {
  aof: AofSide;
  /** What the startup load found. */
  readonly loaded: { source: 'aof' | 'rdb' | 'none' } & Partial<AofLoadSummary>;
}

/**
 * Loads, then persists every later write. Rejects where Redis would exit: a bad manifest
 * (ManifestError), an AOF it cannot load (AofLoadError), an RDB it cannot load (RdbError).
 */
export async function attachPersistence(
  engine: Engine, storage: Storage, options: AttachOptions = {},
): Promise<AttachedPersistence> {
  // Loading from the first read to the AOF's opening: a command in between would change the
  // dataset under the load, or write what no AOF records.
  startLoading(engine, 0);
  try {
    return await attach(engine, storage, options);
  } finally {
    stopLoading(engine);
  }
}

async function attach(engine: Engine, storage: Storage, options: AttachOptions): Promise<AttachedPersistence> {
  const log: AofLog = options.log ?? (() => {});
  const appendonly = engine.config.value('appendonly') === 'yes';
  const dir = engine.config.value('appenddirname') as string;
  const name = engine.config.value('appendfilename') as string;
  let manifest = await readManifest(storage, dir, name).catch((e: unknown) => {
    throw withFile(e, aofPath(dir, manifestFileName(name)));
  });
  let loaded: AttachedPersistence['loaded'] = { source: 'none' };
  let summary: AofLoadSummary = { status: 'not-exist', baseSize: 0, totalSize: 0, lastIncrSize: 0 };
  if (appendonly) {
    manifest = await upgradeIfNeeded(storage, dir, name, manifest, log);
    summary = await loadAof(engine, storage, dir, manifest, log);
    loaded = { source: 'aof', ...summary };
  } else {
    const file = engine.config.value('dbfilename') as string;
    if (await rdbPresent(storage, file)) {
      const totalBytes = (await storage.size?.(file).catch(() => undefined)) ?? 0;
      await loadRdb(engine, storage.readChunks(file), { totalBytes }).catch((e: unknown) => {
        throw withFile(e, file);
      });
      loaded = { source: 'rdb' };
      log({ level: 'notice', message: 'DB loaded from disk' });
    }
  }

  const jobs: BackgroundJobs = { child: null };
  const rdb = createRdbFile(engine, storage, jobs, options.snapshot, log);
  const aof = createAof(engine, storage, jobs, manifest, { ...options, log });
  if (appendonly) await aof.openOnStart(summary);

  const configChanged = engine.configChanged;
  engine.configChanged = function (this: Engine) {
    configChanged.call(this);
    aof.applyConfig();
  };
  const cron = (): void => aof.cron();
  engine.cronJobs.push(cron);
  const durability: Durability = {
    barrier(endOfTurn, c) {
      const logged = aof.barrier(endOfTurn, c);
      const flushed = rdb.flushSave;
      if (flushed === undefined) return logged;
      return logged === undefined ? flushed : Promise.all([logged, flushed]).then(() => {});
    },
    units: aof.units,
  };
  engine.durability = durability;

  let closing: Promise<void> | undefined;
  const p: AttachedPersistence = {
    storage,
    jobs,
    rdb,
    aof,
    loaded,
    log,
    close() {
      closing ??= (async () => {
        const rdbClosed = rdb.close();
        const i = engine.cronJobs.indexOf(cron);
        if (i >= 0) engine.cronJobs.splice(i, 1);
        if (engine.durability === durability) engine.durability = undefined;
        engine.configChanged = configChanged;
        await aof.close();
        await rdbClosed;
      })();
      return closing;
    },
  };
  installPersistence(engine, p);
  // applyAppendOnlyConfig after the load: a CONFIG SET appendonly made while loading. If it
  // cannot take effect now, it is undone, as a CONFIG SET it failed.
  try {
    aof.applyConfig();
  } catch (e) {
    if (!(e instanceof ConfigApplyError)) throw e;
    engine.config.set(e.param, 'no', true);
  }
  return p;
}

/**
 * Whether dbfilename is there to load. Only "does not exist" means start empty: a name listed as
 * no file (a directory, a file it cannot read) fails the start as it does in Redis (rdb.tcl
 * "Server should not start if RDB file can't be open"), with the file named on the error.
 */
async function rdbPresent(storage: Storage, file: string): Promise<boolean> {
  if ((await storage.list()).includes(file)) return true;
  try {
    return (await storage.read(file)) !== undefined;
  } catch (e) {
    throw withFile(e, file);
  }
}
