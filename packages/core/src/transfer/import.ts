/**
 * A whole dataset in and out of a live engine, with no platform dependency (the browser worker's
 * import/export, and any host's).
 *
 * `importDataset` replaces the dataset the way a client of Redis would, so persistence and
 * replication-like listeners see ordinary writes: the file is first loaded into a scratch engine
 * (which validates all of it: nothing in the live engine changes when it is bad), then one
 * connection runs `MULTI, FLUSHALL, (SELECT n, RESTORE key abs-ttl payload REPLACE ABSTTL)...,
 * EXEC` with each payload from the scratch engine's DUMP. The transaction makes the swap one
 * execution unit: readers see the old dataset or the new one, and the AOF logs it as one
 * MULTI/EXEC block, which a crash cannot leave half-applied.
 */
import { bytesToBinary } from '../bytes.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { loadRdb } from '../persistence/load.ts';
import { dumpOptions, dumpView } from '../rdb/dump.ts';
import { snapshotSync } from '../persistence/snapshot.ts';
import { ReplyError } from '../reply/errors.ts';
import { datasetToJson, loadJson } from './dataset.ts';

declare const TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };

/** The config a scratch engine needs to load and encode values as the live one would. */
const SCRATCH_CONFIG = [
  'databases', 'rdbchecksum', 'rdbcompression', 'list-max-listpack-size', 'list-compress-depth',
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'set-max-intset-entries',
  'zset-max-listpack-entries', 'zset-max-listpack-value',
];

/** The RDB signature: every dump.rdb (and RDB AOF base) starts with it. */
export function isRdb(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytesToBinary(bytes, 0, 5) === 'REDIS';
}

/**
 * Replaces `engine`'s dataset with the one in `bytes`, a dump.rdb (any version Larder reads) or
 * the JSON of json.ts as UTF-8, through commands on one connection (see above). Keys whose TTL has
 * passed are dropped. Resolves with the number of keys imported, once the writes are durable when
 * the engine's persistence asks for that (appendfsync always). Rejects with an Error saying what
 * is wrong and where (the byte offset in an RDB, the db and key in JSON), leaving the live
 * dataset as it was.
 */
export async function importDataset(engine: Engine, bytes: Uint8Array): Promise<number> {
  const config: Record<string, string> = {};
  for (const name of SCRATCH_CONFIG) config[name] = engine.config.text(name);
  const scratch = createEngine({ now: () => engine.now(), random: () => engine.random(), config, activeExpire: false });
  let keys: number;
  try {
    await load(scratch, bytes);
    replace(engine, scratch);
    // Counted before awaiting: other clients may write meanwhile.
    keys = engine.ks.dbs.reduce((n, db) => n + db.size, 0);
  } finally {
    scratch.close();
  }
  try {
    await engine.sync();
  } catch (e) {
    throw new Error(`imported, but writing it to the AOF failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return keys;
}

async function load(scratch: Engine, bytes: Uint8Array): Promise<void> {
  if (isRdb(bytes)) {
    try {
      await loadRdb(scratch, (async function* () {
        yield bytes;
      })(), { totalBytes: bytes.length });
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

/**
 * FLUSHALL, then every key of `scratch` RESTOREd, as one transaction of one connection. The
 * payloads are the scratch engine's values as DUMP would encode them (dumpView, without a DUMP
 * command each: the scratch engine is thrown away, so its statistics do not matter).
 */
function replace(engine: Engine, scratch: Engine): void {
  const c = engine.connect({ addr: 'import', laddr: 'import' });
  const opts = dumpOptions(scratch.config);
  const run = (argv: string[]): void => {
    const r = c.exec(argv);
    if (r instanceof ReplyError) throw new Error(`cannot import: ${argv[0]} failed: ${r.message}`);
  };
  let inMulti = false;
  try {
    run(['MULTI']);
    inMulti = true;
    run(['FLUSHALL']);
    scratch.ks.dbs.forEach((db, i) => {
      if (db.size === 0) return;
      // Collected first: a lookup may expire a key lazily, which must not happen mid-iteration.
      const keys = Array.from(db.keys.keys());
      run(['SELECT', String(i)]);
      for (const key of keys) {
        const e = db.lookup(key);
        if (e === undefined) continue; // expired meanwhile
        const payload = bytesToBinary(dumpView(e.value, opts));
        run(['RESTORE', key, e.expireAt === -1 ? '0' : String(e.expireAt), payload, 'REPLACE', 'ABSTTL']);
      }
    });
    inMulti = false;
    const r = c.exec(['EXEC']);
    if (r instanceof ReplyError) throw new Error(`cannot import: EXEC failed: ${r.message}`);
    if (!Array.isArray(r)) throw new Error('cannot import: the transaction was aborted');
    const failed = r.find((x) => x instanceof ReplyError);
    // Unreachable with payloads the scratch engine made; reported rather than ignored.
    if (failed !== undefined) throw new Error(`cannot import: a command of the transaction failed: ${(failed as ReplyError).message}`);
  } finally {
    if (inMulti) c.exec(['DISCARD']);
    c.close();
  }
}

/** The dataset as a dump.rdb file's bytes (what SAVE would write). */
export function exportRdb(engine: Engine): Uint8Array {
  const chunks = snapshotSync(engine);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The dataset as the JSON text of json.ts. */
export function exportJson(engine: Engine): string {
  return JSON.stringify(datasetToJson(engine));
}
