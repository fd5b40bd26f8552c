/**
 * The generic keyspace commands (Redis's db.c): deleting, testing, renaming, moving and copying
 * keys. The EXPIRE family, the whole-database commands and OBJECT live in their own files and are
 * gathered here into `genericCommands`.
 *
 * RENAME, MOVE and COPY keep the source's TTL and, for strings, its encoding state (`Entry.enc`):
 * Redis moves (or duplicates) the object itself, so OBJECT ENCODING does not change with the name.
 */
import type { Client } from '../engine/client.ts';
import { typeOf, type Entry, type TypeName, type Value } from '../keyspace/object.ts';
import type { Db } from '../keyspace/db.ts';
import { NO_SUCH_KEY, SAME_OBJECT, SYNTAX } from '../reply/errors.ts';
import { OK, Status, type Reply } from '../reply/reply.ts';
import { isOpt } from './args.ts';
import { command, type CommandSpec } from './spec.ts';
import { dbCommands, parseDbIndex } from './db-commands.ts';
import { expireCommands } from './expire-commands.ts';
import { objectCommand } from './object-command.ts';

const TYPE_REPLY: Record<TypeName | 'none', Status> = {
  string: new Status('string'),
  list: new Status('list'),
  hash: new Status('hash'),
  set: new Status('set'),
  zset: new Status('zset'),
  none: new Status('none'),
};

/** DEL and UNLINK: the same here, since freeing memory is the garbage collector's job. */
function del(c: Client, argv: string[]): number {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    if (db.lookup(key) === undefined) continue;
    db.delete(key);
    c.changed(key, 'del', 'g');
    n++;
  }
  return n;
}

/** EXISTS and TOUCH: how many of the keys exist, a repeated key counting each time. */
function countExisting(c: Client, argv: string[]): number {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (db.lookup(argv[i]!) !== undefined) n++;
  return n;
}

/** Adds `key` to `db` holding `value` with `from`'s TTL and string encoding state. */
function addLike(db: Db, key: string, from: Entry, value: Value): void {
  const e = db.add(key, value);
  e.enc = from.enc;
  if (from.expireAt !== -1) db.setExpire(key, e, from.expireAt);
}

function rename(c: Client, argv: string[], nx: boolean): Reply {
  const db = c.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  const e = db.lookup(src);
  if (e === undefined) throw NO_SUCH_KEY;
  if (src === dst) return nx ? 0 : OK;
  if (db.lookup(dst) !== undefined) {
    if (nx) return 0;
    db.delete(dst);
  }
  addLike(db, dst, e, e.value);
  db.delete(src);
  c.changed(src, 'rename_from', 'g');
  c.changed(dst, 'rename_to', 'g', 0);
  return nx ? 1 : OK;
}

function move(c: Client, argv: string[]): number {
  const key = argv[1]!;
  const dstIndex = parseDbIndex(c.engine, argv[2]!);
  if (dstIndex === c.dbIndex) throw SAME_OBJECT;
  const src = c.db;
  const e = src.lookup(key);
  if (e === undefined) return 0;
  const dst = c.engine.ks.dbs[dstIndex]!;
  if (dst.lookup(key) !== undefined) return 0;
  addLike(dst, key, e, e.value);
  src.delete(key);
  c.changed(key, 'move_from', 'g');
  c.engine.keyChanged(dstIndex, key, 'move_to', 'g', 0);
  return 1;
}

function copy(c: Client, argv: string[]): number {
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  let dstIndex = c.dbIndex;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (isOpt(opt, 'replace')) replace = true;
    else if (isOpt(opt, 'db') && j + 1 < argv.length) dstIndex = parseDbIndex(c.engine, argv[++j]!);
    else throw SYNTAX;
  }
  if (dstIndex === c.dbIndex && srcKey === dstKey) throw SAME_OBJECT;
  const e = c.db.lookup(srcKey);
  if (e === undefined) return 0;
  const dst = c.engine.ks.dbs[dstIndex]!;
  const existing = dst.lookup(dstKey) !== undefined;
  if (existing && !replace) return 0;
  const v = e.value;
  const value = typeof v === 'string' ? v : v.clone();
  if (existing) dst.delete(dstKey);
  addLike(dst, dstKey, e, value);
  c.engine.keyChanged(dstIndex, dstKey, 'copy_to', 'g');
  return 1;
}

const keyCommands: CommandSpec[] = [
  // DEL key [key ...]
  command({
    name: 'del', arity: -2, flags: ['write'], keys: [1, -1, 1], group: 'generic', since: '1.0.0',
    summary: 'Delete a key', syntax: 'key [key ...]',
    complexity: 'O(N) where N is the number of keys that will be removed.',
    handler: del,
  }),
  // UNLINK key [key ...]
  command({
    name: 'unlink', arity: -2, flags: ['write', 'fast'], keys: [1, -1, 1], group: 'generic', since: '4.0.0',
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    syntax: 'key [key ...]', complexity: 'O(1) for each key removed regardless of its size.',
    handler: del,
  }),
  // EXISTS key [key ...]
  command({
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], group: 'generic', since: '1.0.0',
    summary: 'Determine if a key exists', syntax: 'key [key ...]',
    complexity: 'O(N) where N is the number of keys to check.',
    handler: countExisting,
  }),
  // TOUCH key [key ...]
  command({
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], group: 'generic', since: '3.2.1',
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    syntax: 'key [key ...]', complexity: 'O(N) where N is the number of keys that will be touched.',
    handler: countExisting,
  }),
  // TYPE key
  command({
    name: 'type', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Determine the type stored at key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => {
      const e = c.db.lookup(argv[1]!);
      return TYPE_REPLY[e === undefined ? 'none' : typeOf(e.value)];
    },
  }),
  // RENAME key newkey
  command({
    name: 'rename', arity: 3, flags: ['write'], keys: [1, 2, 1], group: 'generic', since: '1.0.0',
    summary: 'Rename a key', syntax: 'key newkey', complexity: 'O(1)',
    handler: (c, argv) => rename(c, argv, false),
  }),
  // RENAMENX key newkey
  command({
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], keys: [1, 2, 1], group: 'generic', since: '1.0.0',
    summary: 'Rename a key, only if the new key does not exist', syntax: 'key newkey', complexity: 'O(1)',
    handler: (c, argv) => rename(c, argv, true),
  }),
  // MOVE key db
  command({
    name: 'move', arity: 3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Move a key to another database', syntax: 'key db', complexity: 'O(1)',
    handler: move,
  }),
  // COPY source destination [DB destination-db] [REPLACE]
  command({
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'generic', since: '6.2.0',
    summary: 'Copy a key', syntax: 'source destination [DB destination-db] [REPLACE]',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    handler: copy,
  }),
];

export const genericCommands: CommandSpec[] = [...keyCommands, ...expireCommands, ...dbCommands, objectCommand];
