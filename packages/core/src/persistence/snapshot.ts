/**
 * The forkless snapshotter (reference §5.6): a point-in-time RDB of the keyspace, written while
 * the engine keeps serving, which is what Redis gets from fork() for BGSAVE and AOF rewrites.
 *
 * At the cut (one synchronous turn) the keyspace epoch is bumped, so every entry existing then
 * has `ver <= cut` and every later write stamps `ver > cut` (keyspace/db.ts), and the Db objects
 * of that instant are recorded. Then:
 * - slices, each within a small time budget, walk those Db objects' maps with live iterators and
 *   serialize every entry still at `ver <= cut`, marking it `cut + 1` (= the current epoch);
 * - the `beforeWrite` hook, which the keyspace calls once per entry per epoch before any change,
 *   serializes the entry's value as of the cut first (its pre-image), into the database it had
 *   at the cut, switching databases inline with SELECTDB (Redis's loader just follows them).
 * Each key present at the cut is so written exactly once with its value at the cut; keys created
 * later are never written. FLUSHDB and SWAPDB replace or swap Db objects instead of clearing
 * them, so the recorded objects stay valid.
 *
 * Pre-images are serialized synchronously (Dragonfly's way): the first write to a large
 * unvisited container pays its encoding once; no copy of the data is ever kept. A single large
 * value met by the iterator is likewise encoded within one slice. (A shallow copy would not help
 * a single-threaded engine: encoding it later blocks every client just the same.)
 */
import type { Engine } from '../engine/engine.ts';
import { datasetBytes, STARTUP_BYTES } from '../engine/memory.ts';
import type { Db } from '../keyspace/db.ts';
import type { Entry } from '../keyspace/object.ts';
import { createRdbEncoder, defaultAux, type RdbEncoder } from '../rdb/encoder.ts';
import { RDB_VERSION_7_0, RDB_VERSION_MIN_WRITE } from '../rdb/constants.ts';
import { versionFor } from '../rdb/value-encode.ts';
import { debugDelay, defaultScheduler, monotonicClock } from './timing.ts';

export interface SnapshotOptions {
  /** Writes AUX `aof-base 1`: the snapshot is an AOF base (rewrite with aof-use-rdb-preamble). */
  aofBase?: boolean;
  /** Runs `fn` on a later event-loop turn. Default: setImmediate, else MessageChannel, else setTimeout 0. */
  schedule?: (fn: () => void) => void;
  /**
   * Time budget of one slice, in ms (default 2). A slice overruns it by whatever lands inside it
   * (a scavenge of 1-6 ms under a write load): 1M keys under writes measured slices of at most
   * 2.1-2.4 ms with 2 (4.3 ms p99, 5-6 ms max with 3), at no cost in snapshot duration.
   */
  sliceMs?: number;
  /** The clock the budget is measured with, in ms (default performance.now, else Date.now). */
  clock?: () => number;
  /** Bytes produced but not yet consumed past which slices wait for the consumer (default 8 MiB). */
  highWaterMark?: number;
}

export interface Snapshot {
  /**
   * The RDB file's bytes in order, ending when it is complete. Consume it once (storage.writeAtomic
   * takes it as is). After `abort()` it throws SnapshotAborted, so a writer never commits a cut
   * file; leaving the iteration early aborts the snapshot.
   */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Resolves once the last byte is produced (the hook is gone by then); rejects when aborted. */
  readonly done: Promise<void>;
  /** Stops at once: the hook is removed, `chunks` and `done` fail. No effect once done. */
  abort(): void;
  /** Keys in the keyspace at the cut (INFO current_save_keys_total). */
  readonly keysTotal: number;
  /** Keys written so far (current_save_keys_processed). */
  readonly keysProcessed: number;
}

const running = new WeakMap<Engine, Snapshot>();

/** The snapshot running on `engine`, if any (INFO current_save_keys_*, "one child at a time"). */
export function activeSnapshot(engine: Engine): Snapshot | undefined {
  return running.get(engine);
}

/** Past this many keys the cut does not look for the lowest version (a Map walk costs ~50 ns a key). */
const VERSION_SCAN_LIMIT = 16384;

/**
 * The version to stamp: the lowest that holds every value (reference §1.13), so a file of
 * strings, sets and hashtables loads into any Redis since 5.0; 10, what Redis 7.0 writes, as soon
 * as one value needs a 7.0 type, or, for a background snapshot, when the keyspace is too large to
 * walk within the cut's synchronous turn.
 */
function versionOf(dbs: readonly Db[], limit: number): number {
  let keys = 0;
  for (const db of dbs) keys += db.keys.size;
  if (keys > limit) return RDB_VERSION_7_0;
  for (const db of dbs) {
    for (const e of db.keys.values()) {
      if (typeof e.value !== 'string' && versionFor(e.value) === RDB_VERSION_7_0) return RDB_VERSION_7_0;
    }
  }
  return RDB_VERSION_MIN_WRITE;
}

function encoderFor(
  engine: Engine,
  dbs: readonly Db[],
  sink: (chunk: Uint8Array) => void,
  aofBase: boolean,
  versionScanLimit = Infinity,
): RdbEncoder {
  const config = engine.config;
  const enc = createRdbEncoder({
    sink,
    version: versionOf(dbs, versionScanLimit),
    compression: config.value('rdbcompression') === 'yes',
    checksum: config.value('rdbchecksum') === 'yes',
    listMaxListpackSize: config.num('list-max-listpack-size'),
  });
  enc.header(defaultAux({ ctime: engine.now() / 1000, usedMem: STARTUP_BYTES + datasetBytes(engine.ks), aofBase }));
  return enc;
}

/**
 * The whole RDB file of the current dataset, synchronously: SAVE, DEBUG RELOAD, SHUTDOWN and
 * FLUSHALL's save. Safe while a background snapshot runs (it only reads).
 */
export function snapshotSync(engine: Engine, opts: { aofBase?: boolean } = {}): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const dbs = engine.ks.dbs;
  const enc = encoderFor(engine, dbs, (c) => chunks.push(c), opts.aofBase === true);
  const keyDelay = engine.config.num('rdb-key-save-delay');
  dbs.forEach((db, i) => {
    if (db.keys.size === 0) return;
    enc.selectDb(i, db.keys.size, db.expires.size);
    for (const [key, e] of db.keys) {
      enc.key(key, e.value, e.expireAt);
      if (keyDelay !== 0) debugDelay(keyDelay, engine.random);
    }
  });
  enc.end();
  return chunks;
}

/**
 * Starts a background snapshot of `engine` as of now. Only one may run at a time: callers keep
 * Redis's one-child rule (persistence/types.ts); a second call throws.
 */
export function startSnapshot(engine: Engine, opts: SnapshotOptions = {}): Snapshot {
  if (running.has(engine)) throw new Error('a snapshot is already running on this engine');
  const ks = engine.ks;
  const schedule = opts.schedule ?? defaultScheduler();
  const clock = opts.clock ?? monotonicClock();
  const sliceMs = opts.sliceMs ?? 2;
  const keyDelay = engine.config.num('rdb-key-save-delay');

  const cut = ks.epoch;
  ks.epoch = cut + 1;
  const dbs = ks.dbs.slice();
  const indexAtCut = new Map<Db, number>();
  dbs.forEach((db, i) => indexAtCut.set(db, i));
  const sizes = dbs.map((db) => [db.keys.size, db.expires.size] as const);
  let keysTotal = 0;
  for (const [n] of sizes) keysTotal += n;

  const queue = new ChunkQueue(opts.highWaterMark ?? 8 * 1024 * 1024);
  const enc = encoderFor(engine, dbs, (c) => queue.push(c), opts.aofBase === true, VERSION_SCAN_LIMIT);
  /** The database the stream has selected last; the iterator's own is `dbIndex`. */
  let streamDb = -1;
  let dbIndex = -1;
  let it: Iterator<[string, Entry]> | undefined;
  let keysProcessed = 0;
  let finished = false;
  let sliceQueued = false;

  const write = (db: number, key: string, e: Entry): void => {
    if (streamDb !== db) {
      enc.selectDb(db);
      streamDb = db;
    }
    enc.key(key, e.value, e.expireAt);
    e.ver = cut + 1;
    keysProcessed++;
  };

  const previousHook = ks.beforeWrite;
  const hook = (db: Db, key: string, e: Entry): void => {
    previousHook?.(db, key, e);
    const i = indexAtCut.get(db);
    // A Db made after the cut (FLUSHDB's fresh one) holds only new entries.
    if (i === undefined || e.ver > cut) return;
    try {
      write(i, key, e);
    } catch (err) {
      fail(err);
    }
  };
  ks.beforeWrite = hook;

  let resolveDone!: () => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  // Callers that only consume `chunks` need not await `done`.
  done.catch(() => {});

  function release(): void {
    finished = true;
    if (ks.beforeWrite === hook) ks.beforeWrite = previousHook;
    if (running.get(engine) === snapshot) running.delete(engine);
  }

  function fail(err: unknown): void {
    if (finished) return;
    release();
    queue.fail(err);
    rejectDone(err);
  }

  /** Moves `it` to the next database that had keys at the cut; false when none is left. */
  function nextDb(): boolean {
    while (++dbIndex < dbs.length) {
      const [size, expires] = sizes[dbIndex]!;
      if (size === 0) continue;
      enc.selectDb(dbIndex, size, expires);
      streamDb = dbIndex;
      it = dbs[dbIndex]!.keys.entries();
      return true;
    }
    return false;
  }

  function slice(): void {
    sliceQueued = false;
    if (finished) return;
    try {
      const deadline = clock() + sliceMs;
      for (;;) {
        if (it === undefined && !nextDb()) {
          enc.end();
          release();
          queue.close();
          resolveDone();
          return;
        }
        const r = it!.next();
        if (r.done) {
          it = undefined;
          continue;
        }
        const [key, e] = r.value;
        // Created after the cut, or its pre-image is written already: nothing to write, but a long
        // run of such keys still counts against the budget.
        if (e.ver <= cut) {
          write(dbIndex, key, e);
          if (keyDelay !== 0) debugDelay(keyDelay, engine.random);
        }
        if (clock() >= deadline) break;
      }
      enc.flush();
    } catch (err) {
      fail(err);
      return;
    }
    next();
  }

  function next(): void {
    if (finished || sliceQueued) return;
    if (queue.full) return; // the consumer's next pull calls `next` again
    sliceQueued = true;
    schedule(slice);
  }

  queue.onDrain = next;
  queue.onCancel = () => fail(new SnapshotAborted());

  const snapshot: Snapshot = {
    chunks: queue,
    done,
    abort: () => fail(new SnapshotAborted()),
    keysTotal,
    get keysProcessed() {
      return keysProcessed;
    },
  };
  running.set(engine, snapshot);
  next();
  return snapshot;
}

/** What `chunks` and `done` fail with after `abort()`. */
export class SnapshotAborted extends Error {
  override name = 'SnapshotAborted';
  constructor() {
    super('snapshot aborted');
  }
}

/**
 * The single-consumer stream behind `Snapshot.chunks`: the producer pushes, the consumer pulls.
 * `full` tells the producer to pause; `onDrain` tells it to go on; `onCancel` reports a consumer
 * that stopped early.
 */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  onDrain: () => void = () => {};
  onCancel: () => void = () => {};
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private closed = false;
  private error: unknown;
  private failed = false;
  private waiter: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;
  private taken = false;

  constructor(private readonly highWaterMark: number) {}

  get full(): boolean {
    return this.bytes >= this.highWaterMark;
  }

  push(chunk: Uint8Array): void {
    if (this.closed || this.failed) return;
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  close(): void {
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve({ value: undefined, done: true });
  }

  fail(err: unknown): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.error = err;
    this.chunks = [];
    this.bytes = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.taken) throw new Error('snapshot chunks can be consumed only once');
    this.taken = true;
    return {
      next: () => {
        if (this.failed) return Promise.reject(this.error);
        const chunk = this.chunks.shift();
        if (chunk !== undefined) {
          this.bytes -= chunk.length;
          if (!this.full) this.onDrain();
          return Promise.resolve({ value: chunk, done: false });
        }
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        this.onDrain();
        return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
      },
      return: () => {
        if (!this.closed && !this.failed) this.onCancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
