/**
 * `openLarder`: a persistent Larder in this process. The directory is a Redis `dir` (storage.ts):
 * the dataset is loaded from it as redis-server loads at startup (the AOF when appendonly is yes,
 * else dump.rdb), and every later write is persisted per `appendfsync` and the `save` rules.
 *
 * What a crash can lose (test/crash/ checks each against SIGKILL):
 * - appendfsync always: nothing acknowledged. A reply is released only after fdatasync(2) of its
 *   write (engine.durability; one sync covers every write of the same task).
 * - everysec: after a power loss or kernel crash, up to ~1 s of acknowledged writes (the last
 *   unsynced second). A killed *process* loses nothing acknowledged: the AOF hands its bytes to
 *   the kernel with write(2) within the task that applied them, before the reply leaves.
 * - no: after a power loss, whatever the kernel had not written back yet (Linux: up to ~30 s by
 *   default); a killed process again loses nothing acknowledged, for the same reason.
 */
import { resolve } from 'node:path';
import {
  createClient, createEngine, importBytes, inProcessTransport, type EngineOptions, type Engine, type ImportData, type Larder, type StringsOf, type Timers,
} from '@larder/core';
import { attachPersistence, type AofLog, type AttachedPersistence } from '@larder/core/persistence';
import { exportDataset, importDataset } from '@larder/core/transfer';
import { createNodeStorage } from './storage.ts';

export interface OpenLarderOptions {
  /** Return bulk strings as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
  /** The data directory (Redis's `dir`), created if missing and locked while open. */
  dir: string;
  /** Log the AOF (Redis's appendonly). Default false. */
  appendonly?: boolean;
  /** When AOF writes become durable. Default 'everysec', as Redis. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Snapshot rules, `"<seconds> <changes> ..."`; `""` disables. Default Redis's `3600 1 300 100 60 10000`. */
  save?: string;
  /** Receives Redis's log lines about loading and the AOF. */
  log?: AofLog;
  /** Engine options (see EngineOptions): injectable clock, randomness and timers. */
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  activeExpire?: boolean;
  /**
   * Any other config parameter, as `redis-server --name value` takes it (`hz: 50`,
   * `'aof-use-rdb-preamble': false`). Booleans become yes/no.
   */
  [param: string]: unknown;
}

export type OpenedLarder<S = string> = Omit<Larder<S>, 'close'> & {
  readonly engine: Engine;
  readonly persistence: AttachedPersistence;
  /** The dataset as a `dump.rdb` Blob, snapshotted at one instant while other calls are served (as BGSAVE), as the browser package's `export()`. */
  export(): Promise<Blob>;
  /**
   * Replaces the dataset with a `dump.rdb`'s (from redis-server or Larder) or a JSON export's, as
   * one step: other calls are served while the file loads, and with AOF on the dataset becomes the
   * AOF's new base, so a crash keeps the old dataset or the new one whole. Resolves with the number
   * of keys; rejects, changing nothing, on a bad file (the error says where) or a failed switch.
   */
  import(data: ImportData): Promise<number>;
  /**
   * Flushes the AOF (durably, whatever appendfsync says), stops persistence, closes the files and
   * releases the directory's lock. Does not save dump.rdb: call `save()` first for that, or send
   * SHUTDOWN for Redis's shutdown.
   */
  close(): Promise<void>;
};

const NOT_CONFIG = new Set(['dir', 'log', 'now', 'random', 'timers', 'activeExpire', 'bytes']);

/** Config parameters from the options: the named ones and any other key. */
export function configOf(opts: OpenLarderOptions): Record<string, string> {
  const config: Record<string, string> = { dir: resolve(opts.dir) };
  for (const [name, v] of Object.entries(opts)) {
    if (NOT_CONFIG.has(name) || v === undefined) continue;
    config[name] = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
  }
  return config;
}

/**
 * Opens `dir`, loads it and returns the typed client. Rejects, leaving the directory unlocked,
 * where redis-server would refuse to start: a directory another process holds (StorageError
 * LOCKED), a bad config value (ReplyError), or data it cannot load (RdbError, AofLoadError,
 * ManifestError).
 * @example
 * const db = await openLarder({ dir: './data', appendonly: true, appendfsync: 'always' });
 * await db.incr('visits');
 * await db.close();
 */
export async function openLarder<const O extends OpenLarderOptions>(opts: O): Promise<OpenedLarder<StringsOf<O>>> {
  const engineOpts: EngineOptions = { config: configOf(opts) };
  if (opts.now) engineOpts.now = opts.now;
  if (opts.random) engineOpts.random = opts.random;
  if (opts.timers) engineOpts.timers = opts.timers;
  if (opts.activeExpire !== undefined) engineOpts.activeExpire = opts.activeExpire;
  const engine = createEngine(engineOpts);
  let storage;
  let persistence: AttachedPersistence;
  try {
    storage = await createNodeStorage(engine.config.value('dir') as string);
    persistence = await attachPersistence(engine, storage, opts.log ? { log: opts.log } : {});
  } catch (e) {
    engine.close();
    await storage?.close();
    throw e;
  }
  const client = createClient<StringsOf<O>>(inProcessTransport(engine), { bytes: opts.bytes === true });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    // Started a microtask later so that a close() reached from inside it finds `closing` set.
    (closing ??= Promise.resolve().then(async () => {
      client.close();
      try {
        await persistence.close();
      } finally {
        engine.close();
        await storage.close();
      }
    }));
  // SHUTDOWN from a client: Redis's shutdown has already saved and flushed; release the files.
  engine.onShutdown = () => void close();
  return Object.assign(client, {
    engine,
    persistence,
    close,
    export: async () => new Blob([await exportDataset(engine)]),
    import: async (data: ImportData) => importDataset(engine, await importBytes(data)),
  });
}
