/**
 * A whole dataset in and out of a live engine, with no platform dependency (the browser worker's
 * import/export, and any host's).
 *
 * `importDataset` replaces the dataset as one step: the file is first loaded into a scratch
 * engine, in slices that yield to the event loop (so it is all validated, and nothing in the live
 * engine changes when it is bad), then the scratch engine's databases are swapped in whole, as
 * FLUSHALL followed by a RESTORE of every key would leave them: WATCHers of keys in either are
 * dirtied, clients blocked on keys that now exist are served, `dirty` counts both sides. Like a
 * replica's full sync it sends no keyspace notification per key.
 *
 * With AOF on, the imported dataset becomes the next AOF base instead of a logged write per key
 * (persistence/aof-import.ts): readers see the old dataset or the new one, a crash recovers one of
 * them whole, and no reply given after the swap precedes the files holding it.
 */
import { bytesToBinary, concatBytes } from '../bytes.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { loadRdb } from '../persistence/load.ts';
import { activeSnapshot, snapshotSync, startSnapshot } from '../persistence/snapshot.ts';
import { defaultScheduler } from '../persistence/timing.ts';
import { StorageError } from '../storage/storage.ts';
import { datasetToJson, loadJson } from './dataset.ts';

declare const TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };

/** The config a scratch engine needs to load and encode values as the live one would. */
const SCRATCH_CONFIG = [
  'databases', 'rdbchecksum', 'rdbcompression', 'list-max-listpack-size', 'list-compress-depth',
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'set-max-intset-entries',
  'zset-max-listpack-entries', 'zset-max-listpack-value',
];

/** Bytes of an RDB decoded per event-loop turn while importing (~2-3 ms of work). */
const SLICE = 256 * 1024;

/** How importDataset and exportDataset pace their slices. */
export interface TransferOptions {
  /** Runs `fn` on a later event-loop turn, between slices (default: setImmediate, else a MessageChannel message). */
  schedule?: (fn: () => void) => void;
}

/** The RDB signature: every dump.rdb (and RDB AOF base) starts with it. */
export function isRdb(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytesToBinary(bytes, 0, 5) === 'REDIS';
}

/**
 * Replaces `engine`'s dataset with the one in `bytes`, a dump.rdb (any version Larder reads) or
 * the JSON of json.ts as UTF-8 (see above). Keys whose TTL has passed are dropped. Resolves with
 * the number of keys imported, once the AOF's files hold them when AOF is on.
 * Rejects with an Error saying what is wrong and where (the byte offset in an RDB, the db and key
 * in JSON), or why the files could not take it, leaving the live dataset as it was.
 */
export async function importDataset(engine: Engine, bytes: Uint8Array, opts: TransferOptions = {}): Promise<number> {
  const config: Record<string, string> = {};
  for (const name of SCRATCH_CONFIG) config[name] = engine.config.text(name);
  const scratch = createEngine({ now: () => engine.now(), random: () => engine.random(), config, activeExpire: false });
  let keys = 0;
  try {
    await load(scratch, bytes, opts.schedule ?? defaultScheduler());
    const refused = engine.writeGuard?.();
    if (refused !== undefined) throw new Error(`cannot import: ${refused.message}`, { cause: refused });
    const swap = (): void => {
      swapIn(engine, scratch);
      // Counted now: other clients may write as soon as this turn ends.
      keys = engine.ks.dbs.reduce((n, db) => n + db.size, 0);
    };
    const aof = engine.persistence?.aof;
    // With AOF on, resolved means the files hold the import (their base), whatever the policy.
    if (aof?.enabled !== true) swap();
    else {
      await aof.replaceDataset(scratch, swap).catch((e: unknown) => {
        const why = `cannot import: the AOF could not take the new dataset: ${e instanceof Error ? e.message : String(e)}`;
        // A storage failure keeps its code (QUOTA_EXCEEDED...), which survives the worker boundary.
        throw e instanceof StorageError ? new StorageError(e.code, why, { cause: e }) : new Error(why, { cause: e });
      });
    }
  } finally {
    scratch.close();
  }
  return keys;
}

/** `bytes` in slices, each after a turn of the event loop, so that a large load lets other clients in. */
async function* sliced(bytes: Uint8Array, schedule: (fn: () => void) => void): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SLICE) {
    if (at > 0) await new Promise<void>((resolve) => schedule(resolve));
    yield bytes.subarray(at, at + SLICE);
  }
}

async function load(scratch: Engine, bytes: Uint8Array, schedule: (fn: () => void) => void): Promise<void> {
  if (isRdb(bytes)) {
    try {
      await loadRdb(scratch, sliced(bytes, schedule), { totalBytes: bytes.length });
    } catch (e) {
      throw new Error(`invalid RDB file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return;
  }
  if (bytes.length === 0) throw new Error('empty input: neither an RDB file nor JSON');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new Error('neither an RDB file (no "REDIS" signature) nor JSON (not valid UTF-8)', { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`neither an RDB file (no "REDIS" signature) nor valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    loadJson(scratch, data);
  } catch (e) {
    throw new Error(`invalid JSON dataset: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Moves `scratch`'s databases into `engine` (see the header); serves clients the new keys unblock. */
function swapIn(engine: Engine, scratch: Engine): void {
  scratch.ks.dbs.forEach((src, i) => {
    const old = engine.ks.dbs[i]!;
    engine.touchAllWatched(i, old, src);
    engine.addDirty(old.size + src.size);
    engine.ks.adopt(i, src);
    engine.signalReadyKeys(i);
  });
  engine.afterCommand();
}

/** The dataset as a dump.rdb file's bytes (what SAVE would write), in one synchronous step. */
export function exportRdb(engine: Engine): Uint8Array {
  return concatBytes(snapshotSync(engine));
}

/**
 * The dataset as a dump.rdb, through a forkless snapshot (what BGSAVE writes, at one instant)
 * made in slices, so that a live engine keeps serving while a large dataset is encoded. Waits
 * first for a snapshot already running (a BGSAVE, a rewrite): an engine runs one at a time.
 */
export async function exportDataset(engine: Engine, opts: TransferOptions = {}): Promise<Uint8Array> {
  for (let s = activeSnapshot(engine); s !== undefined; s = activeSnapshot(engine)) await s.done.catch(() => {});
  const parts: Uint8Array[] = [];
  for await (const chunk of startSnapshot(engine, opts.schedule ? { schedule: opts.schedule } : {}).chunks) parts.push(chunk);
  return concatBytes(parts);
}

/** The dataset as the JSON text of json.ts. */
export function exportJson(engine: Engine): string {
  return JSON.stringify(datasetToJson(engine));
}
