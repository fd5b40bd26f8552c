/**
 * The hash commands (Redis's t_hash.c). HINCRBY, HINCRBYFLOAT and HRANDFIELD live in
 * numeric.ts and random.ts beside this file.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import type { Client } from '../../engine/client.ts';
import { wrongArity } from '../../reply/errors.ts';
import { MapReply, OK, type Reply } from '../../reply/reply.ts';
import { matches, parseScanArgs, scanReply } from '../../commands/scan.ts';
import { hashForWrite, setField } from './write.ts';
import { hincrby, hincrbyfloat } from './numeric.ts';
import { hrandfield } from './random.ts';

/** HSET and HMSET: the same command with different replies. */
function hset(name: string) {
  return (c: Client, argv: string[]): Reply => {
    if (argv.length % 2 === 1) throw wrongArity(name);
    const key = argv[1]!;
    const config = c.engine.config;
    const maxValue = config.num('hash-max-listpack-value');
    const h = hashForWrite(c, key);
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) {
      h.fitLengths(argv[i]!, argv[i + 1]!, maxValue);
      if (h.set(argv[i]!, argv[i + 1]!)) created++;
    }
    h.fitCount(config.num('hash-max-listpack-entries'));
    c.changed(key, 'hset', 'h', (argv.length - 2) / 2);
    return name === 'hset' ? created : OK;
  };
}

function hsetnx(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const existing = c.db.read(key, 'hash');
  if (existing?.has(argv[2]!)) return 0;
  setField(c, hashForWrite(c, key), argv[2]!, argv[3]!);
  c.changed(key, 'hset', 'h');
  return 1;
}

function hdel(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const h = c.db.write(key, 'hash');
  if (h === undefined) return 0;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!h.delete(argv[i]!)) continue;
    deleted++;
    if (h.size === 0) {
      c.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    c.changed(key, 'hdel', 'h', deleted);
    if (removed) c.changed(key, 'del', 'g', 0);
  }
  return deleted;
}

function hgetall(c: Client, argv: string[]): Reply {
  const h = c.db.read(argv[1]!, 'hash');
  if (h === undefined) return new MapReply([]);
  const items: Reply[] = [];
  h.forEach((f, v) => items.push(f, v));
  return new MapReply(items);
}

function hkeysOrVals(values: boolean) {
  return (c: Client, argv: string[]): Reply => {
    const h = c.db.read(argv[1]!, 'hash');
    const out: Reply[] = [];
    if (h !== undefined) h.forEach((f, v) => out.push(values ? v : f));
    return out;
  };
}

function hscan(c: Client, argv: string[]): Reply {
  // Redis validates the cursor, then answers an empty scan for a missing key before reading options.
  parseScanArgs(argv.slice(0, 3), 2, false);
  const h = c.db.read(argv[1]!, 'hash');
  if (h === undefined) return scanReply(0, []);
  const opts = parseScanArgs(argv, 2, false);
  const items: Reply[] = [];
  const cursor = h.scan(c.engine.cursors, opts.cursor, opts.count, (f, v) => {
    if (matches(opts.pattern, f)) items.push(f, v);
  });
  return scanReply(cursor, items);
}

export const hashCommands: CommandSpec[] = [
  // HSET key field value [field value ...]
  command({
    name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Set the string value of a hash field', syntax: 'key field value [field value ...]',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    handler: hset('hset'),
  }),
  // HSETNX key field value
  command({
    name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Set the value of a hash field, only if the field does not exist', syntax: 'key field value',
    complexity: 'O(1)', handler: hsetnx,
  }),
  // HGET key field
  command({
    name: 'hget', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get the value of a hash field', syntax: 'key field', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'hash')?.get(argv[2]!) ?? null,
  }),
  // HMGET key field [field ...]
  command({
    name: 'hmget', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get the values of all the given hash fields', syntax: 'key field [field ...]',
    complexity: 'O(N) where N is the number of fields being requested.',
    handler: (c, argv) => {
      const h = c.db.read(argv[1]!, 'hash');
      const out: Reply[] = new Array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) out[i - 2] = h?.get(argv[i]!) ?? null;
      return out;
    },
  }),
  // HMSET key field value [field value ...]
  command({
    name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Set multiple hash fields to multiple values', syntax: 'key field value [field value ...]',
    complexity: 'O(N) where N is the number of fields being set.', handler: hset('hmset'),
  }),
  // HGETALL key
  command({
    name: 'hgetall', arity: 2, flags: ['readonly'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get all the fields and values in a hash', syntax: 'key',
    complexity: 'O(N) where N is the size of the hash.', handler: hgetall,
  }),
  // HDEL key field [field ...]
  command({
    name: 'hdel', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Delete one or more hash fields', syntax: 'key field [field ...]',
    complexity: 'O(N) where N is the number of fields to be removed.', handler: hdel,
  }),
  // HEXISTS key field
  command({
    name: 'hexists', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Determine if a hash field exists', syntax: 'key field', complexity: 'O(1)',
    handler: (c, argv) => (c.db.read(argv[1]!, 'hash')?.has(argv[2]!) ? 1 : 0),
  }),
  // HLEN key
  command({
    name: 'hlen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get the number of fields in a hash', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'hash')?.size ?? 0,
  }),
  // HSTRLEN key field
  command({
    name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'hash', since: '3.2.0',
    summary: 'Get the length of the value of a hash field', syntax: 'key field', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'hash')?.get(argv[2]!)?.length ?? 0,
  }),
  // HKEYS key
  command({
    name: 'hkeys', arity: 2, flags: ['readonly'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get all the fields in a hash', syntax: 'key',
    complexity: 'O(N) where N is the size of the hash.', handler: hkeysOrVals(false),
  }),
  // HVALS key
  command({
    name: 'hvals', arity: 2, flags: ['readonly'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Get all the values in a hash', syntax: 'key',
    complexity: 'O(N) where N is the size of the hash.', handler: hkeysOrVals(true),
  }),
  // HINCRBY key field increment
  command({
    name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Increment the integer value of a hash field by the given number', syntax: 'key field increment',
    complexity: 'O(1)', handler: hincrby,
  }),
  // HINCRBYFLOAT key field increment
  command({
    name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'hash', since: '2.6.0',
    summary: 'Increment the float value of a hash field by the given amount', syntax: 'key field increment',
    complexity: 'O(1)', handler: hincrbyfloat,
  }),
  // HRANDFIELD key [count [WITHVALUES]]
  command({
    name: 'hrandfield', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'hash', since: '6.2.0',
    summary: 'Get one or multiple random fields from a hash', syntax: 'key [count [WITHVALUES]]',
    complexity: 'O(N) where N is the number of fields returned', handler: hrandfield,
  }),
  // HSCAN key cursor [MATCH pattern] [COUNT count]
  command({
    name: 'hscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'hash', since: '2.8.0',
    summary: 'Incrementally iterate hash fields and associated values', syntax: 'key cursor [MATCH pattern] [COUNT count]',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: hscan,
  }),
];
