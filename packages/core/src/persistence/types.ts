/**
 * What the rest of the engine sees of persistence: the commands (SAVE, BGSAVE, BGREWRITEAOF,
 * LASTSAVE, SHUTDOWN, DEBUG RELOAD), FLUSHALL and dispatch's write guard find it at
 * `engine.persistence` and code against these interfaces only, never the implementation.
 *
 * Two halves share one `Persistence`: the RDB side (rdb-file.ts: dump.rdb, save rules, MISCONF)
 * and the AOF side (aof.ts). Like Redis, they allow one background job at a time
 * (server.child_type): `jobs.child` says which one runs, and a job that finds the slot taken
 * schedules itself for the cron.
 *
 * Assembly (persistence/index.ts): one `jobs` object, `createRdbFile(engine, storage, jobs)`, the
 * AOF side, then `installPersistence(engine, persistence)` (rdb-file.ts), which sets
 * `engine.persistence`, the MISCONF write guard and the RDB cron job; the AOF side pushes its own
 * job onto `engine.cronJobs`. An engine nobody attached persistence to gets an RDB-only one over
 * in-memory storage on the first SAVE/BGSAVE/DEBUG RELOAD (`persistenceOf`).
 */
import type { Engine } from '../engine/engine.ts';
import type { ReplyError } from '../reply/errors.ts';
import type { Status } from '../reply/reply.ts';
import type { Storage } from '../storage/storage.ts';
import type { AofLog } from './aof-load.ts';

/** Redis's child types: a BGSAVE or an AOF rewrite (both run the forkless snapshotter). */
export type ChildType = 'rdb' | 'aof';

export interface BackgroundJobs {
  /** The background job running now, or null (Redis's server.child_type). */
  child: ChildType | null;
}

/** The RDB side (rdb-file.ts). */
export interface RdbPersistence {
  /** SAVE. Resolves once dump.rdb is durable; rejects with the ReplyError to answer. */
  save(): Promise<void>;
  /**
   * BGSAVE [SCHEDULE]: the status to answer ("Background saving started" / "... scheduled"), or
   * throws the ReplyError ("Background save already in progress", "Another child process ...").
   * `inExec`: called from EXEC, where Redis only schedules.
   */
  bgsave(schedule: boolean, inExec: boolean): Status;
  /** LASTSAVE: unix seconds of the last successful save. */
  readonly lastSave: number;
  readonly bgsaveInProgress: boolean;
  /** True when `save` has rules (SHUTDOWN without SAVE/NOSAVE saves only then). */
  readonly hasSaveRules: boolean;
  /**
   * After FLUSHALL emptied the keyspace: kills a running BGSAVE (not an error) and, when save
   * rules exist, saves the empty dataset at once, keeping `dirty` as it was (flushAllDataAndResetRDB).
   */
  afterFlushAll(): void;
  /**
   * FLUSHALL's save while its file is being written: replies wait for it (the durability barrier),
   * as Redis answers FLUSHALL only after its blocking rdbSave, so no acknowledged FLUSHALL can be
   * undone by a crash that finds the old dump.rdb. Resolves either way (Redis answers OK even when
   * that save fails). Undefined when none is pending.
   */
  readonly flushSave: Promise<void> | undefined;
  /** Stops a running BGSAVE without counting it as a failure (killRDBChild). */
  killBgsave(): void;
  /**
   * A synchronous save for SHUTDOWN and DEBUG RELOAD: the dataset is serialized now, the promise
   * resolves when the file is durable or rejects with the storage error.
   */
  saveNow(): Promise<void>;
  /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]. Rejects with the ReplyError to answer. */
  reload(opts: { save: boolean; flush: boolean; merge: boolean }): Promise<void>;
  /** The MISCONF error while writes are refused after a failed save, else undefined. */
  writeError(): ReplyError | undefined;
  /** One serverCron tick: save rules and scheduled BGSAVEs. */
  cron(): void;
  /**
   * Stops timers and any running BGSAVE; resolves once the file writes under way have settled (a
   * killed BGSAVE's temporary file removed), so that a process exiting after it leaves none behind.
   */
  close(): Promise<void>;
}

/** The AOF side (aof.ts); the AOF helper owns it and may add members. */
export interface AofPersistence {
  /** appendonly is on (aof_state != OFF, WAIT_REWRITE included). */
  readonly enabled: boolean;
  /** BGREWRITEAOF: the status to answer, or throws the ReplyError. */
  bgrewriteaof(inExec: boolean): Status;
  /**
   * SHUTDOWN's AOF part (finishShutdown): stop a rewrite, flush and fsync. Resolves false to refuse
   * the shutdown ("Writing initial AOF, can't exit": the first rewrite of a just enabled AOF is
   * still running and not `force`), true to let it go on.
   */
  prepareShutdown(force: boolean): Promise<boolean>;
  /** The MISCONF error while AOF writes fail, else undefined. */
  writeError(): ReplyError | undefined;
  /**
   * An import's switch (aof-import.ts): `swap` moves `scratch`'s dataset in once the AOF's files
   * hold it as their base. Rejects, without calling `swap`, when the files could not be switched.
   */
  replaceDataset(scratch: Engine, swap: () => void): Promise<void>;
}

export interface Persistence {
  readonly storage: Storage;
  readonly jobs: BackgroundJobs;
  readonly rdb: RdbPersistence;
  aof: AofPersistence | undefined;
  /** Redis's log lines about saving, loading, the AOF and shutdown (the host prints them). */
  readonly log: AofLog;
  /** Final flush, timers stopped, files closed. The storage stays open (its owner closes it). */
  close(): Promise<void>;
}
