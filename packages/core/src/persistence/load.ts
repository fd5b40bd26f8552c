/**
 * Loading an RDB into the keyspace (rdbLoadRio's key handling) and the loading state INFO shows.
 *
 * - Keys whose TTL has already passed are dropped and counted (rdb_last_load_keys_expired),
 *   except in an AOF base or preamble: the incr files after it assume the exact keyspace.
 * - A key that already exists fails the load ("Duplicated key found in RDB file", a panic in
 *   Redis), unless `merge` (DEBUG RELOAD MERGE): then the file's value replaces it.
 * - Strings are loaded with `enc: 0`, what a SET stores (db.add); containers come from the codec
 *   with the encodings Redis 7.0 gives them on load, decided by the current config.
 *
 * `createRdbLoader` is push-driven, so the AOF loader can feed it an AOF base through its RdbSink;
 * `loadRdb` drives it from a stream of chunks (storage.readChunks) and keeps INFO's `loading*`
 * fields current. Between `startLoading` and `stopLoading` (one session, an AOF's base and incrs
 * together), `engine.loading` makes dispatch answer LOADING to commands without the `loading`
 * flag, except from `engine.loadingClient`, the client an AOF is replayed through; and expiry is
 * off (ks.expireEnabled), as on a loading Redis.
 */
import type { Engine } from '../engine/engine.ts';
import { setInfoFields, type InfoFields } from '../engine/info.ts';
import { createRdbDecoder, type RdbSummary } from '../rdb/decoder.ts';
import { RdbError } from '../rdb/errors.ts';
import { limitsFromConfig } from '../rdb/value-decode.ts';
import { debugDelay } from './timing.ts';

export interface RdbLoadOptions {
  /** The RDB is an AOF base (or a pre-7.0 preamble): keep keys whose TTL has passed. */
  aofBase?: boolean;
  /** DEBUG RELOAD MERGE: a key already present is replaced instead of failing the load. */
  merge?: boolean;
}

export interface RdbLoadSummary extends RdbSummary {
  keysLoaded: number;
  keysExpired: number;
  /** Bytes read, up to the end of the checksum (bytes after it are in `rest`). */
  bytes: number;
  aux: Array<[string, string]>;
}

/** The RdbSink the AOF loader takes (aof/loader.ts), plus the load's counts. */
export interface RdbLoader {
  /** Feeds the next chunk; true once the whole RDB (EOF and CRC) has been read. */
  push(chunk: Uint8Array): boolean;
  /** The input is complete: finishes the file, throws RdbError if it is cut short or damaged. */
  end(): RdbLoadSummary;
  /** Once done: the bytes given after the RDB (an old preamble AOF's RESP tail). */
  readonly rest: Uint8Array;
  readonly done: boolean;
  readonly keysLoaded: number;
}

/** Redis's log line before its panic, with the key (at most 128 bytes) and database. */
const duplicatedKey = (key: string, db: number): string =>
  `RDB has duplicated key '${key.slice(0, 128)}' in DB ${db}: Duplicated key found in RDB file`;

/**
 * A loader writing into `engine`'s keyspace. Any failure is an RdbError (code CORRUPT) thrown by
 * `push` or `end`; keys read before it stay loaded, as in Redis.
 */
export function createRdbLoader(engine: Engine, opts: RdbLoadOptions = {}): RdbLoader {
  const ks = engine.ks;
  const keepExpired = opts.aofBase === true;
  const merge = opts.merge === true;
  const state = loadingState(engine);
  const aux: Array<[string, string]> = [];
  let keysLoaded = 0;
  let keysExpired = 0;
  let pushed = 0;
  let chunkStart = 0;
  // A key can only clash with one loaded before it unless its database had keys already; the
  // others take the one-lookup insert (Db.addLoaded).
  const filled = new Set(ks.dbs.filter((db) => db.size > 0));
  const delay = engine.config.num('key-load-delay');

  const decoder = createRdbDecoder(
    {
      record(rec) {
        if (!keepExpired && rec.expireAt !== -1 && rec.expireAt < engine.now()) {
          keysExpired++;
          return;
        }
        const db = ks.dbs[rec.db]!;
        if (merge || filled.has(db)) {
          if (db.keys.has(rec.key)) {
            if (!merge) throw new RdbError(duplicatedKey(rec.key, rec.db), chunkStart);
            db.delete(rec.key);
          }
          const e = db.add(rec.key, rec.value);
          if (rec.expireAt !== -1) db.setExpire(rec.key, e, rec.expireAt);
        } else if (!db.addLoaded(rec.key, rec.value, rec.expireAt)) {
          throw new RdbError(duplicatedKey(rec.key, rec.db), chunkStart);
        }
        keysLoaded++;
        if (delay !== 0) debugDelay(delay, engine.random);
      },
      resizeDb(i, size, expires) {
        ks.dbs[i]!.reserve(size, expires);
      },
      aux(k, v) {
        aux.push([k, v]);
        if (k === 'used-mem') state.rdbUsedMem = Number(v) || 0;
      },
    },
    {
      limits: limitsFromConfig(engine.config),
      databases: ks.dbs.length,
      verifyChecksum: engine.config.value('rdbchecksum') === 'yes',
    },
  );

  const setCounts = (): void => {
    state.keysLoaded = keysLoaded;
    state.keysExpired = keysExpired;
  };

  // Loaded keys are not "new" keys: Redis's dbAddRDBLoad sends no keyspace event.
  const withoutEvents = <T>(fn: () => T): T => {
    const onNewKey = ks.onNewKey;
    ks.onNewKey = undefined;
    try {
      return fn();
    } finally {
      ks.onNewKey = onNewKey;
    }
  };

  return {
    push(chunk) {
      chunkStart = pushed;
      pushed += chunk.length;
      const complete = withoutEvents(() => decoder.push(chunk));
      // An AOF's RDB base ends here, never calling end(): INFO's last-load counts are set now.
      if (complete) setCounts();
      return complete;
    },
    end() {
      const summary = withoutEvents(() => decoder.end());
      setCounts();
      return { ...summary, keysLoaded, keysExpired, bytes: pushed - decoder.rest.length, aux };
    },
    get rest() {
      return decoder.rest;
    },
    get done() {
      return decoder.done;
    },
    get keysLoaded() {
      return keysLoaded;
    },
  };
}

/**
 * Loads a whole RDB from `chunks` into the keyspace as one loading session (INFO `loading:1`
 * meanwhile). `totalBytes`, when known, drives loading_loaded_perc and loading_eta_seconds.
 */
export async function loadRdb(
  engine: Engine,
  chunks: AsyncIterable<Uint8Array>,
  opts: RdbLoadOptions & { totalBytes?: number } = {},
): Promise<RdbLoadSummary> {
  startLoading(engine, opts.totalBytes ?? 0);
  try {
    const loader = createRdbLoader(engine, opts);
    let loaded = 0;
    for await (const chunk of readAhead(chunks)) {
      loaded += chunk.length;
      loader.push(chunk);
      loadingProgress(engine, loaded);
    }
    return loader.end();
  } finally {
    stopLoading(engine);
  }
}

/**
 * `chunks` with the next read already in flight while the consumer parses the current chunk, so
 * reading the file overlaps decoding it. Holds at most one chunk more.
 */
export async function* readAhead(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<Uint8Array>> | undefined = it.next();
  try {
    for (;;) {
      const next: Promise<IteratorResult<Uint8Array>> = pending!;
      pending = undefined;
      const r = await next;
      if (r.done === true) return;
      pending = it.next();
      yield r.value;
    }
  } finally {
    // Stopped early with a read in flight: let it land, then close the source.
    if (pending !== undefined) {
      await pending.then(
        async (r) => {
          if (r.done !== true) await it.return?.();
        },
        () => {},
      );
    }
  }
}

/** The last load's counts and the current load's progress (Redis's server.loading_* fields). */
export interface LoadingState {
  loading: boolean;
  /** Unix seconds when the current load started. */
  startTime: number;
  totalBytes: number;
  loadedBytes: number;
  /** The `used-mem` AUX field of the RDB being loaded. */
  rdbUsedMem: number;
  keysLoaded: number;
  keysExpired: number;
  /** ks.expireEnabled before the load, restored after. */
  expireWas: boolean;
  /** Sessions open (a host's around attachPersistence's around a file's): loading ends with the outermost. */
  depth: number;
}

const states = new WeakMap<Engine, LoadingState>();

export function loadingState(engine: Engine): LoadingState {
  let s = states.get(engine);
  if (s === undefined) {
    const state: LoadingState = (s = {
      loading: false, startTime: 0, totalBytes: 0, loadedBytes: 0, rdbUsedMem: 0,
      keysLoaded: 0, keysExpired: 0, expireWas: true, depth: 0,
    });
    states.set(engine, state);
    setInfoFields(engine, 'persistence', () => loadingFields(engine, state));
  }
  return s;
}

/**
 * Starts a loading session (startLoading): one per file set, an AOF's base and incrs together.
 * Sessions nest: a host serving clients before it attaches persistence, and attachPersistence
 * itself, open one around the whole start, so no command runs between the loads and the AOF's
 * opening (redis-server runs none until all of it is done); the progress fields are the innermost's.
 */
export function startLoading(engine: Engine, totalBytes: number): void {
  const s = loadingState(engine);
  if (s.depth++ === 0) {
    s.loading = true;
    s.expireWas = engine.ks.expireEnabled;
    engine.ks.expireEnabled = false;
    engine.loading = true;
  }
  s.startTime = Math.floor(engine.now() / 1000);
  s.totalBytes = totalBytes;
  s.loadedBytes = 0;
  s.rdbUsedMem = 0;
}

/** Bytes read so far in this session. */
export function loadingProgress(engine: Engine, loadedBytes: number): void {
  loadingState(engine).loadedBytes = loadedBytes;
}

export function stopLoading(engine: Engine): void {
  const s = loadingState(engine);
  if (s.depth === 0 || --s.depth > 0) return;
  s.loading = false;
  engine.ks.expireEnabled = s.expireWas;
  engine.loading = false;
}

/** INFO persistence: `loading`, the last load's key counts, and the loading_* block while loading. */
function loadingFields(engine: Engine, s: LoadingState): InfoFields {
  const fields: InfoFields = [
    ['loading', s.loading ? 1 : 0],
    ['rdb_last_load_keys_expired', s.keysExpired],
    ['rdb_last_load_keys_loaded', s.keysLoaded],
  ];
  if (!s.loading) return fields;
  const perc = s.totalBytes > 0 ? (s.loadedBytes / (s.totalBytes + 1)) * 100 : 0;
  const elapsed = Math.floor(engine.now() / 1000) - s.startTime;
  const remaining = Math.max(0, s.totalBytes - s.loadedBytes);
  const eta = elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (s.loadedBytes + 1));
  fields.push(
    ['loading_start_time', s.startTime],
    ['loading_total_bytes', s.totalBytes],
    ['loading_rdb_used_mem', s.rdbUsedMem],
    ['loading_loaded_bytes', s.loadedBytes],
    ['loading_loaded_perc', perc.toFixed(2)],
    ['loading_eta_seconds', eta],
  );
  return fields;
}
