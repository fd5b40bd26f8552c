/**
 * A dataset to and from the JSON shape of json.ts.
 *
 * Export reads the keyspace directly: reading through commands could expire keys (and log the
 * deletions). Import goes through commands, so every value is built and encoded as Redis would
 * build it from the same writes, and checks the whole shape, naming the db and key at fault.
 */
import type { Engine } from '../engine/engine.ts';
import type { Value } from '../keyspace/object.ts';
import { ReplyError } from '../reply/errors.ts';
import {
  decodeBin, decodeName, encodeBin, encodeName, encodeScore, putName, scoreArg,
  type Bin, type JsonDataset, type JsonValue,
} from './json.ts';

/** The dataset as JSON; keys whose TTL has passed are left out. */
export function datasetToJson(engine: Engine): JsonDataset {
  const now = engine.now();
  const out: JsonDataset = {};
  engine.ks.dbs.forEach((db, i) => {
    const keys: Record<string, JsonValue> = {};
    let any = false;
    for (const [key, e] of db.keys) {
      if (e.expireAt !== -1 && e.expireAt <= now) continue;
      const v = toJson(e.value);
      if (e.expireAt !== -1) v.expireAt = e.expireAt;
      putName(keys, encodeName(key), v);
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
      const value: Record<string, Bin> = {};
      for (const [f, x] of v) putName(value, encodeName(f), encodeBin(x));
      return { type: 'hash', value };
    }
    case 'zset':
      return { type: 'zset', value: Array.from(v, ([m, s]): [Bin, ReturnType<typeof encodeScore>] => [encodeBin(m), encodeScore(s)]) };
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Elements per command: big containers load in several commands, each of bounded size. */
const BATCH = 512;

/**
 * Loads a JSON dataset (JSON.parse's result) into `engine` through commands. Throws an Error
 * naming the db and key at the first problem; what was loaded before it stays loaded (load into
 * a scratch engine to get all or nothing, as importDataset does). An empty container loads as
 * no key, as Redis holds none; two names for the same key bytes are refused.
 */
export function loadJson(engine: Engine, data: unknown): void {
  if (!isObject(data)) throw new Error('expected an object of databases');
  const dbCount = engine.ks.dbs.length;
  const c = engine.connect({ addr: 'import', laddr: 'import' });
  const run = (argv: string[], at: string): void => {
    const r = c.exec(argv);
    if (r instanceof ReplyError) throw new Error(`${at}: ${argv[0]} failed: ${r.message}`);
    if (r instanceof Promise) throw new Error(`${at}: ${argv[0]} blocked`); // none of ours block
  };
  const batched = (head: string[], args: string[], per: number, at: string): void => {
    for (let i = 0; i < args.length; i += per * BATCH) run([...head, ...args.slice(i, i + per * BATCH)], at);
  };
  try {
    for (const [db, keys] of Object.entries(data)) {
      if (!/^(0|[1-9][0-9]*)$/.test(db) || Number(db) >= dbCount) {
        throw new Error(`db ${JSON.stringify(db)}: not a database index (0 to ${dbCount - 1})`);
      }
      if (!isObject(keys)) throw new Error(`db ${db}: expected an object of keys`);
      run(['SELECT', db], `db ${db}`);
      const seen = new Set<string>();
      for (const [name, v] of Object.entries(keys)) {
        const at = `db ${db} key ${JSON.stringify(name)}`;
        const key = decodeName(name, at);
        if (seen.has(key)) throw new Error(`${at}: the same key as another name in this db`);
        seen.add(key);
        if (!isObject(v)) throw new Error(`${at}: expected {"type": ..., "value": ...}`);
        const value = v.value;
        const expireAt = v.expireAt;
        if (expireAt !== undefined && !Number.isSafeInteger(expireAt)) {
          throw new Error(`${at}: expireAt is a unix time in milliseconds (an integer)`);
        }
        const array = (what: string): unknown[] => {
          if (!Array.isArray(value)) throw new Error(`${at}: a ${what} value is an array`);
          return value;
        };
        if (v.type === 'string') run(['SET', key, decodeBin(value, at)], at);
        else if (v.type === 'list') batched(['RPUSH', key], array('list').map((x) => decodeBin(x, at)), 1, at);
        else if (v.type === 'set') batched(['SADD', key], array('set').map((x) => decodeBin(x, at)), 1, at);
        else if (v.type === 'hash') {
          if (!isObject(value)) throw new Error(`${at}: a hash value is an object of fields`);
          const args = Object.entries(value).flatMap(([f, x]) => [decodeName(f, `${at} field ${JSON.stringify(f)}`), decodeBin(x, at)]);
          batched(['HSET', key], args, 2, at);
        } else if (v.type === 'zset') {
          const args = array('zset').flatMap((pair) => {
            if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${at}: a zset element is [member, score]`);
            return [scoreArg(pair[1], at), decodeBin(pair[0], at)];
          });
          batched(['ZADD', key], args, 2, at);
        } else throw new Error(`${at}: unknown type ${String(v.type)}`);
        if (expireAt !== undefined) run(['PEXPIREAT', key, String(expireAt)], at);
      }
    }
  } finally {
    c.close();
  }
}
