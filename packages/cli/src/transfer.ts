/**
 * `larder export` and `larder import`: a dir's dataset out as an RDB file or JSON
 * (transfer-json.ts), and a file's dataset in as the dir's own.
 *
 * Both open the dir as serve does (its lock taken, so never while a server runs on it; with
 * appendonly yes an AOF that does not exist yet is created, as at redis-server's start). Import
 * replaces the dataset the way Redis itself would be made to: FLUSHALL, load the file, then
 * CONFIG SET appendonly yes (a rewrite: the file becomes the AOF base, the old AOF history is
 * deleted) or SAVE (dump.rdb).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { createEngine, ReplyError, type Engine, type Reply } from '@larder/core';
import { loadRdb, snapshotSync } from '@larder/core/persistence';
import type { Invocation } from './args.ts';
import { absoluteDir, openDir, warningsToStderr, type LogFn, type OpenedDir } from './persist.ts';
import {
  decodeBin, decodeName, encodeBin, encodeName, encodeScore, scoreArg, type JsonDataset, type JsonValue,
} from './transfer-json.ts';

/** Values as the containers expose them (the container contract of core's types). */
type Value = string | { type: string; [Symbol.iterator](): Iterator<unknown> };
interface EntryLike {
  value: Value;
  expireAt: number;
}

async function open(config: Record<string, string>, log: LogFn): Promise<{ engine: Engine; dir: OpenedDir } | number> {
  let engine: Engine;
  try {
    // No active expiry: an offline tool must not log deletions into the AOF it reads.
    engine = createEngine({ config: { ...config, dir: absoluteDir(config.dir) }, activeExpire: false });
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    process.stderr.write(`larder: ${e.message.replace(/^ERR /, '')}\n`);
    return 1;
  }
  const dir = await openDir(engine, log);
  if (dir === undefined) {
    engine.close();
    return 1;
  }
  return { engine, dir };
}

/** The dataset as JSON, from the keyspace directly (reading through commands could expire keys). */
export function datasetToJson(engine: Engine): JsonDataset {
  const now = engine.now();
  const out: JsonDataset = {};
  engine.ks.dbs.forEach((db, i) => {
    const keys: Record<string, JsonValue> = {};
    let any = false;
    for (const [key, e] of db.keys as Iterable<[string, EntryLike]>) {
      if (e.expireAt !== -1 && e.expireAt <= now) continue;
      const v = toJson(e.value);
      if (e.expireAt !== -1) v.expireAt = e.expireAt;
      keys[encodeName(key)] = v;
      any = true;
    }
    if (any) out[String(i)] = keys;
  });
  return out;
}

function toJson(v: Value): JsonValue {
  if (typeof v === 'string') return { type: 'string', value: encodeBin(v) };
  switch (v.type) {
    case 'list':
    case 'set':
      return { type: v.type, value: Array.from(v as Iterable<string>, encodeBin) };
    case 'hash': {
      const value: Record<string, ReturnType<typeof encodeBin>> = {};
      for (const [f, x] of v as Iterable<[string, string]>) value[encodeName(f)] = encodeBin(x);
      return { type: 'hash', value };
    }
    case 'zset':
      return { type: 'zset', value: Array.from(v as Iterable<[string, number]>, ([m, s]) => [encodeBin(m), encodeScore(s)]) };
    default:
      throw new Error(`cannot export a value of type ${v.type}`);
  }
}

/** Loads a JSON dataset through commands, so every value is built and encoded as Redis would. */
export function loadJson(engine: Engine, data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('expected an object of databases');
  const c = engine.connect({ addr: 'import', laddr: 'import' });
  const run = (argv: string[]): void => {
    const r = c.exec(argv) as Reply;
    if (r instanceof ReplyError) throw new Error(`${argv[0]} ${argv[1] ?? ''}: ${r.message}`);
  };
  const batched = (head: string[], args: string[], per: number): void => {
    for (let i = 0; i < args.length; i += per * 512) run([...head, ...args.slice(i, i + per * 512)]);
  };
  try {
    for (const [db, keys] of Object.entries(data as Record<string, Record<string, JsonValue>>)) {
      run(['SELECT', db]);
      for (const [name, v] of Object.entries(keys)) {
        const key = decodeName(name);
        const at = `db ${db} key ${JSON.stringify(name)}`;
        if (v.type === 'string') run(['SET', key, decodeBin(v.value, at)]);
        else if (v.type === 'list') batched(['RPUSH', key], v.value.map((x) => decodeBin(x, at)), 1);
        else if (v.type === 'set') batched(['SADD', key], v.value.map((x) => decodeBin(x, at)), 1);
        else if (v.type === 'hash') {
          batched(['HSET', key], Object.entries(v.value).flatMap(([f, x]) => [decodeName(f), decodeBin(x, at)]), 2);
        } else if (v.type === 'zset') {
          batched(['ZADD', key], v.value.flatMap(([m, s]) => [scoreArg(s, at), decodeBin(m, at)]), 2);
        } else throw new Error(`${at}: unknown type ${String((v as { type?: unknown }).type)}`);
        if (v.expireAt !== undefined) run(['PEXPIREAT', key, String(v.expireAt)]);
      }
    }
  } finally {
    c.close();
  }
}

export async function runExport(inv: Extract<Invocation, { kind: 'export' }>, log: LogFn): Promise<number> {
  const opened = await open(inv.config, warningsToStderr);
  if (typeof opened === 'number') return opened;
  const { engine, dir } = opened;
  try {
    const chunks = inv.format === 'rdb'
      ? snapshotSync(engine)
      : [Buffer.from(`${JSON.stringify(datasetToJson(engine))}\n`, 'utf8')];
    const out = inv.out === undefined ? process.stdout : createWriteStream(inv.out);
    for (const c of chunks) out.write(c);
    if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (inv.out !== undefined) log(`Exported ${engine.ks.dbs.reduce((n, db) => n + db.keys.size, 0)} keys to ${inv.out}`);
    return 0;
  } finally {
    engine.close();
    await dir.close();
  }
}

export async function runImport(inv: Extract<Invocation, { kind: 'import' }>, log: LogFn): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(inv.file);
  } catch (e) {
    process.stderr.write(`larder: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const appendonly = inv.config.appendonly === 'yes';
  // Opened without the AOF and without save rules: nothing is logged or saved until the end.
  const opened = await open({ ...inv.config, appendonly: 'no', save: '' }, log);
  if (typeof opened === 'number') return opened;
  const { engine, dir } = opened;
  const c = engine.connect({ addr: 'import', laddr: 'import' });
  try {
    c.exec(['FLUSHALL']);
    const isRdb = Buffer.from(bytes.subarray(0, 5)).toString('latin1') === 'REDIS';
    try {
      if (isRdb) await loadRdb(engine, (async function* () {
        yield bytes;
      })(), { totalBytes: bytes.length });
      else loadJson(engine, JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (e) {
      process.stderr.write(`larder: cannot import ${inv.file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const keys = engine.ks.dbs.reduce((n, db) => n + db.keys.size, 0);
    if (appendonly) {
      const r = await c.exec(['CONFIG', 'SET', 'appendonly', 'yes']);
      if (r instanceof ReplyError) throw r;
      await dir.persistence.aof.rewriting;
      if (dir.persistence.aof.state !== 'on') throw new Error('the AOF rewrite failed');
      log(`Imported ${keys} keys from ${inv.file} into ${engine.config.value('dir')} as the AOF base`);
    } else {
      await dir.persistence.rdb.save();
      log(`Imported ${keys} keys from ${inv.file} into ${engine.config.value('dir')}/${engine.config.value('dbfilename')}`);
    }
    return 0;
  } finally {
    c.close();
    await dir.close();
    engine.close();
  }
}
