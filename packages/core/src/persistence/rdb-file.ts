/**
 * The RDB side of persistence (the server half of Redis's rdb.c): SAVE, BGSAVE [SCHEDULE], the
 * `save` rules the cron checks, LASTSAVE, the dirty counter, stop-writes-on-bgsave-error
 * (MISCONF), FLUSHALL's save, DEBUG RELOAD, and INFO persistence's rdb_* fields.
 *
 * `dbfilename` is written through storage.writeAtomic, so a crash leaves the old file or the new.
 * Writes to it are queued one after another, so an older snapshot never lands over a newer one.
 *
 * A BGSAVE runs the forkless snapshotter while the engine serves; its accounting follows
 * backgroundSaveDoneHandler: success subtracts the `dirty` counted at its start and stamps
 * LASTSAVE, failure sets the error status (MISCONF while save rules exist), a kill (FLUSHALL,
 * SHUTDOWN) is neither. Synchronous saves (SAVE, FLUSHALL, DEBUG RELOAD, SHUTDOWN) serialize at
 * once and account at once, as Redis's blocking rdbSave does, then undo that if the write fails;
 * SAVE and SHUTDOWN answer only once the file is durable.
 */
import type { Engine } from '../engine/engine.ts';
import { saveRules } from '../engine/config-params.ts';
import { setInfoFields, type InfoFields } from '../engine/info.ts';
import {
  BGSAVE_IN_PROGRESS, BGSAVE_OTHER_CHILD, DEBUG_RELOAD_FAILED, GENERIC_ERR, MISCONF_RDB, type ReplyError,
} from '../reply/errors.ts';
import { Status } from '../reply/reply.ts';
import { createMemoryStorage } from '../storage/memory.ts';
import type { Storage } from '../storage/storage.ts';
import type { AofLog } from './aof-load.ts';
import { strerror } from './aof-context.ts';
import { createRdbLoader } from './load.ts';
import { activeSnapshot, snapshotSync, SnapshotAborted, startSnapshot, type Snapshot, type SnapshotOptions } from './snapshot.ts';
import type { BackgroundJobs, Persistence, RdbPersistence } from './types.ts';

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, the cron waits this long before retrying. */
const BGSAVE_RETRY_DELAY = 5;

const BGSAVE_STARTED = new Status('Background saving started');
const BGSAVE_SCHEDULED = new Status('Background saving scheduled');

async function* each(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

export function createRdbFile(
  engine: Engine,
  storage: Storage,
  jobs: BackgroundJobs,
  /** How BGSAVE's snapshots slice their work (tests pass their own scheduler). */
  snapshotOptions: SnapshotOptions = {},
  /** Redis's lines about saves ("DB saved on disk", "Write error saving DB on disk: ..."). */
  log: AofLog = () => {},
): RdbPersistence {
  const nowSec = (): number => Math.floor(engine.now() / 1000);
  let lastSave = Math.floor(engine.stats.startedAt / 1000);
  let status: 'ok' | 'err' = 'ok';
  let lastBgsaveTry = 0;
  /** ms when the running BGSAVE started, -1 when none runs. */
  let saveTimeStart = -1;
  let saveTimeLast = -1;
  let saves = 0;
  let scheduled = false;
  let bgsave: Snapshot | undefined;
  let syncSaves = 0;
  let writes: Promise<unknown> = Promise.resolve();
  let closed = false;
  let flushSave: Promise<void> | undefined;

  const fileName = (): string => engine.config.value('dbfilename') as string;
  const hasRules = (): boolean => (engine.config.value('save') as string) !== '';

  /** Writes dbfilename after the writes before it, logging the outcome as rdbSave does. */
  function write(data: AsyncIterable<Uint8Array>): Promise<void> {
    const name = fileName();
    const run = writes.then(() => storage.writeAtomic(name, data)).then(
      () => log({ level: 'notice', message: 'DB saved on disk' }),
      (e: unknown) => {
        // A killed BGSAVE (FLUSHALL, SHUTDOWN) is no write error.
        if (!(e instanceof SnapshotAborted)) log({ level: 'warning', message: `Write error saving DB on disk: ${strerror(e)}` });
        throw e;
      },
    );
    writes = run.catch(() => {});
    return run;
  }

  /** rdbSaveBackground: the caller has checked that no other job runs. */
  function startBgsave(): void {
    saves++;
    lastBgsaveTry = nowSec();
    const dirtyBefore = engine.dirty;
    const started = engine.now();
    const snap = startSnapshot(engine, snapshotOptions);
    bgsave = snap;
    saveTimeStart = started;
    jobs.child = 'rdb';
    const done = (ok: boolean): void => {
      if (bgsave !== snap) return; // killed: already cleaned up, and not an error
      endBgsave();
      if (ok) {
        engine.dirty = Math.max(0, engine.dirty - dirtyBefore);
        lastSave = nowSec();
        status = 'ok';
        log({ level: 'notice', message: 'Background saving terminated with success' });
      } else {
        status = 'err';
        log({ level: 'warning', message: 'Background saving error' });
      }
    };
    log({ level: 'notice', message: 'Background saving started' });
    write(snap.chunks).then(() => done(true), () => done(false));
  }

  function endBgsave(): void {
    saveTimeLast = Math.floor((engine.now() - saveTimeStart) / 1000);
    saveTimeStart = -1;
    bgsave = undefined;
    if (jobs.child === 'rdb') jobs.child = null;
  }

  function killBgsave(): void {
    const snap = bgsave;
    if (snap === undefined) return;
    endBgsave();
    snap.abort();
  }

  /** rdbSave: accounts now, as a blocking save would, and undoes it if the write fails. */
  function commitSync(chunks: readonly Uint8Array[]): Promise<void> {
    const dirtyAt = engine.dirty;
    const before = { lastSave, status };
    const seq = ++syncSaves;
    engine.dirty -= dirtyAt;
    lastSave = nowSec();
    status = 'ok';
    return write(each(chunks)).catch((err: unknown) => {
      engine.dirty += dirtyAt;
      if (seq === syncSaves) ({ lastSave, status } = before);
      throw err;
    });
  }

  const saveNow = (): Promise<void> => commitSync(snapshotSync(engine));

  /** DEBUG RELOAD's emptyData: fresh Db objects, WATCHers told as FLUSHALL tells them. */
  function emptyData(): void {
    const ks = engine.ks;
    for (let i = 0; i < ks.dbs.length; i++) {
      engine.touchAllWatched(i, ks.dbs[i]!);
      ks.flush(i);
    }
  }

  function load(chunks: readonly Uint8Array[], merge: boolean): void {
    const loader = createRdbLoader(engine, { merge });
    for (const c of chunks) loader.push(c);
    loader.end();
  }

  const self: RdbPersistence = {
    save() {
      if (bgsave !== undefined) return Promise.reject(BGSAVE_IN_PROGRESS);
      saves++;
      return saveNow().catch(() => {
        throw GENERIC_ERR;
      });
    },
    bgsave(schedule, inExec) {
      if (bgsave !== undefined) throw BGSAVE_IN_PROGRESS;
      if (jobs.child !== null || inExec) {
        if (!schedule && !inExec) throw BGSAVE_OTHER_CHILD;
        scheduled = true;
        return BGSAVE_SCHEDULED;
      }
      startBgsave();
      return BGSAVE_STARTED;
    },
    get lastSave() {
      return lastSave;
    },
    get bgsaveInProgress() {
      return bgsave !== undefined;
    },
    get hasSaveRules() {
      return hasRules();
    },
    afterFlushAll() {
      killBgsave();
      if (!hasRules()) return;
      const saving: Promise<void> = saveNow().catch(() => {}).then(() => {
        if (flushSave === saving) flushSave = undefined;
      });
      flushSave = saving;
    },
    get flushSave() {
      return flushSave;
    },
    killBgsave,
    saveNow,
    async reload({ save, flush, merge }) {
      // Redis saves, empties and loads in one blocking step. Here the dataset is serialized,
      // emptied and loaded back synchronously (no command runs in between), then the file is
      // committed; NOSAVE reads the file first, then empties and loads at once.
      let chunks: readonly Uint8Array[];
      if (save) {
        chunks = snapshotSync(engine);
      } else {
        const data = await storage.read(fileName());
        chunks = data === undefined ? [] : [data];
      }
      if (flush) emptyData();
      try {
        if (chunks.length === 0) throw DEBUG_RELOAD_FAILED;
        load(chunks, merge);
      } catch {
        throw DEBUG_RELOAD_FAILED;
      }
      if (save) {
        await commitSync(chunks).catch(() => {
          throw GENERIC_ERR;
        });
      }
    },
    writeError(): ReplyError | undefined {
      if (status === 'ok') return undefined;
      if (engine.config.value('stop-writes-on-bgsave-error') !== 'yes' || !hasRules()) return undefined;
      return MISCONF_RDB;
    },
    cron() {
      if (closed || engine.loading) return;
      const now = nowSec();
      const mayRetry = status === 'ok' || now - lastBgsaveTry > BGSAVE_RETRY_DELAY;
      if (jobs.child === null && mayRetry) {
        for (const rule of saveRules(engine.config.value('save') as string)) {
          if (engine.dirty >= rule.changes && now - lastSave > rule.seconds) {
            startBgsave();
            break;
          }
        }
      }
      if (jobs.child === null && scheduled && mayRetry) {
        scheduled = false;
        startBgsave();
      }
    },
    close() {
      closed = true;
      killBgsave();
      return writes.then(() => {});
    },
  };

  setInfoFields(engine, 'persistence', () => (engine.persistence?.rdb === self ? fields() : []));

  function fields(): InfoFields {
    const snap = activeSnapshot(engine);
    const perc = snap !== undefined && snap.keysTotal > 0 ? (snap.keysProcessed * 100) / snap.keysTotal : 0;
    return [
      ['current_fork_perc', perc.toFixed(2)],
      ['current_save_keys_processed', snap?.keysProcessed ?? 0],
      ['current_save_keys_total', snap?.keysTotal ?? 0],
      ['rdb_changes_since_last_save', engine.dirty],
      ['rdb_bgsave_in_progress', bgsave !== undefined ? 1 : 0],
      ['rdb_last_save_time', lastSave],
      ['rdb_last_bgsave_status', status],
      ['rdb_last_bgsave_time_sec', saveTimeLast],
      ['rdb_current_bgsave_time_sec', saveTimeStart === -1 ? -1 : Math.floor((engine.now() - saveTimeStart) / 1000)],
      ['rdb_saves', saves],
    ];
  }

  return self;
}

const installedCron = new WeakMap<Engine, () => void>();

/**
 * Makes `p` the engine's persistence: `engine.persistence`, the MISCONF write guard (RDB errors
 * first, then the AOF's, as writeCommandsDeniedByDiskError) and, unless `cron` is false, the RDB
 * cron job (save rules, scheduled BGSAVEs). A persistence installed before is replaced (its cron
 * job removed); the AOF side adds its own cron job to `engine.cronJobs`.
 */
export function installPersistence(engine: Engine, p: Persistence, opts: { cron?: boolean } = {}): void {
  const previous = installedCron.get(engine);
  if (previous !== undefined) {
    const i = engine.cronJobs.indexOf(previous);
    if (i >= 0) engine.cronJobs.splice(i, 1);
    installedCron.delete(engine);
  }
  engine.persistence = p;
  engine.writeGuard = () => p.rdb.writeError() ?? p.aof?.writeError();
  if (opts.cron === false) return;
  const job = (): void => p.rdb.cron();
  engine.cronJobs.push(job);
  installedCron.set(engine, job);
}

/**
 * The engine's persistence, created on first use when none was attached: the RDB side only, over
 * an in-memory storage, so SAVE/BGSAVE/DEBUG RELOAD behave as on a Redis whose disk is the heap.
 * Its save rules never fire: a copy of the dataset in the same heap every hour protects nothing.
 */
export function persistenceOf(engine: Engine): Persistence {
  if (engine.persistence !== undefined) return engine.persistence;
  const storage = createMemoryStorage();
  const jobs: BackgroundJobs = { child: null };
  const rdb = createRdbFile(engine, storage, jobs);
  const p: Persistence = {
    storage,
    jobs,
    rdb,
    aof: undefined,
    log: () => {},
    close: async () => rdb.close(),
  };
  installPersistence(engine, p, { cron: false });
  return p;
}
