/**
 * Whole-database commands (Redis's db.c): FLUSHDB, FLUSHALL, SWAPDB, DBSIZE, RANDOMKEY, KEYS, SCAN,
 * and the DB index argument MOVE and COPY share.
 *
 * FLUSHDB/FLUSHALL/SWAPDB replace or swap `Db` objects instead of clearing maps, so a snapshot in
 * progress keeps iterating the data as it was at its cut (keyspace/db.ts).
 */
import type { Client } from '../engine/client.ts';
import type { Engine } from '../engine/engine.ts';
import { globMatch } from '../keyspace/glob.ts';
import { typeOf, type Entry } from '../keyspace/object.ts';
import { randomKey } from '../keyspace/random-key.ts';
import {
  DB_INDEX_RANGE, INVALID_FIRST_DB, INVALID_SECOND_DB, SYNTAX, valueOutOfRange, type ReplyError,
} from '../reply/errors.ts';
import { OK } from '../reply/reply.ts';
import { isOpt, parseInteger } from './args.ts';
import { matches, parseScanArgs, scanReply } from './scan.ts';
import { command, type CommandSpec } from './spec.ts';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const OUT_OF_INT_RANGE = valueOutOfRange(INT_MIN, INT_MAX);

/** A DB index argument as MOVE and COPY read it (getIntFromObjectOrReply, then selectDb). */
export function parseDbIndex(engine: Engine, arg: string): number {
  const n = parseInteger(arg);
  if (n < INT_MIN || n > INT_MAX) throw OUT_OF_INT_RANGE;
  if (n < 0 || n >= engine.ks.dbs.length) throw DB_INDEX_RANGE;
  return n;
}

/** SWAPDB's indexes: any parse or int-range failure gives that argument's own error. */
function parseSwapIndex(arg: string, error: ReplyError): number {
  const n = parseInteger(arg, error);
  if (n < INT_MIN || n > INT_MAX) throw error;
  return n;
}

/** `[ASYNC | SYNC]`: both free synchronously here, the garbage collector doing the rest. */
function checkFlushArgs(argv: string[]): void {
  if (argv.length === 1) return;
  const opt = argv[1]!;
  if (argv.length !== 2 || !(isOpt(opt, 'sync') || isOpt(opt, 'async'))) throw SYNTAX;
}

/** Empties db `index`; returns how many keys it held (expired ones included, as dictSize counts). */
function flushDb(engine: Engine, index: number): number {
  const old = engine.ks.dbs[index]!;
  engine.touchAllWatched(index, old);
  engine.ks.flush(index);
  return old.size;
}

/**
 * FLUSHDB/FLUSHALL are propagated even when nothing was removed (forceCommandPropagation): the
 * handler propagates itself and tells dispatch not to.
 */
function forcePropagation(c: Client, argv: string[]): void {
  c.engine.propagate(c.dbIndex, argv);
  c.noPropagate = true;
}

function scan(c: Client, argv: string[]): ReturnType<typeof scanReply> {
  const opts = parseScanArgs(argv, 1, true);
  const db = c.db;
  const ks = c.engine.ks;
  const visited: Array<[string, Entry]> = [];
  const cursor = c.engine.cursors.scan(db.keys, opts.cursor, opts.count, (item) => {
    visited.push(item);
  });
  const out: string[] = [];
  for (const [key, entry] of visited) {
    if (!matches(opts.pattern, key)) continue;
    let e: Entry | undefined = entry;
    if (opts.type !== undefined) {
      e = db.lookup(key);
      if ((e === undefined ? 'none' : typeOf(e.value)) !== opts.type) continue;
      // As Redis 7.0: a key the TYPE lookup just expired reads as "none" and is listed.
      if (e === undefined) {
        out.push(key);
        continue;
      }
    }
    if (e.expireAt !== -1 && ks.expireIfNeeded(db, key, e)) continue;
    out.push(key);
  }
  return scanReply(cursor, out);
}

export const dbCommands: CommandSpec[] = [
  // FLUSHDB [ASYNC | SYNC]
  command({
    name: 'flushdb', arity: -1, flags: ['write'], group: 'server', since: '1.0.0',
    summary: 'Remove all keys from the current database', syntax: '[ASYNC | SYNC]',
    complexity: 'O(N) where N is the number of keys in the selected database',
    handler: (c, argv) => {
      checkFlushArgs(argv);
      c.engine.addDirty(flushDb(c.engine, c.dbIndex));
      forcePropagation(c, argv);
      return OK;
    },
  }),
  // FLUSHALL [ASYNC | SYNC]
  command({
    name: 'flushall', arity: -1, flags: ['write'], group: 'server', since: '1.0.0',
    summary: 'Remove all keys from all databases', syntax: '[ASYNC | SYNC]',
    complexity: 'O(N) where N is the total number of keys in all databases',
    handler: (c, argv) => {
      checkFlushArgs(argv);
      let removed = 0;
      for (let i = 0; i < c.engine.ks.dbs.length; i++) removed += flushDb(c.engine, i);
      c.engine.addDirty(removed); // 7.0.15: the keys removed, nothing more (an empty FLUSHALL adds 0)
      // Kills a running BGSAVE and, with save rules, saves the empty dataset (flushAllDataAndResetRDB).
      c.engine.persistence?.rdb.afterFlushAll();
      forcePropagation(c, argv);
      return OK;
    },
  }),
  // SWAPDB index1 index2
  command({
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], group: 'server', since: '4.0.0',
    summary: 'Swaps two Redis databases', syntax: 'index1 index2',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    handler: (c, argv) => {
      const a = parseSwapIndex(argv[1]!, INVALID_FIRST_DB);
      const b = parseSwapIndex(argv[2]!, INVALID_SECOND_DB);
      const engine = c.engine;
      const dbs = engine.ks.dbs;
      if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw DB_INDEX_RANGE;
      if (a !== b) {
        engine.touchAllWatched(a, dbs[a]!, dbs[b]!);
        engine.touchAllWatched(b, dbs[b]!, dbs[a]!);
        engine.ks.swap(a, b);
        engine.signalReadyKeys(a);
        engine.signalReadyKeys(b);
      }
      engine.addDirty(1);
      return OK;
    },
  }),
  // DBSIZE
  command({
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], group: 'server', since: '1.0.0',
    summary: 'Return the number of keys in the selected database', syntax: '', complexity: 'O(1)',
    handler: (c) => c.db.size,
  }),
  // RANDOMKEY
  command({
    name: 'randomkey', arity: 1, flags: ['readonly', 'touches_arbitrary_keys'], group: 'generic', since: '1.0.0',
    summary: 'Return a random key from the keyspace', syntax: '', complexity: 'O(1)',
    handler: (c) => randomKey(c.db, c.engine.random) ?? null,
  }),
  // KEYS pattern
  command({
    name: 'keys', arity: 2, flags: ['readonly'], group: 'generic', since: '1.0.0',
    summary: 'Find all keys matching the given pattern', syntax: 'pattern',
    complexity: 'O(N) with N being the number of keys in the database',
    handler: (c, argv) => {
      const pattern = argv[1]!;
      const all = pattern === '*';
      const ks = c.engine.ks;
      const out: string[] = [];
      // Expired keys are skipped, not deleted (keyIsExpired, as Redis 7.0's KEYS).
      for (const [key, e] of c.db.keys) {
        if ((all || globMatch(pattern, key)) && !ks.isExpired(e)) out.push(key);
      }
      return out;
    },
  }),
  // SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
  command({
    name: 'scan', arity: -2, flags: ['readonly', 'touches_arbitrary_keys'], group: 'generic', since: '2.8.0',
    summary: 'Incrementally iterate the keys space', syntax: 'cursor [MATCH pattern] [COUNT count] [TYPE type]',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
    handler: scan,
  }),
];
