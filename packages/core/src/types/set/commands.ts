/**
 * The set commands (Redis's t_set.c). SPOP and SRANDMEMBER live in random.ts, the set algebra
 * (SINTER, SUNION, SDIFF and their STORE and CARD forms) in algebra.ts.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import type { Client } from '../../engine/client.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import { matches, parseScanArgs, scanReply } from '../../commands/scan.ts';
import { LIMIT_NEGATIVE, NUMKEYS_NOT_POSITIVE, NUMKEYS_TOO_MANY, SYNTAX } from '../../reply/errors.ts';
import { SetReply, type Reply } from '../../reply/reply.ts';
import { sinterGeneric, sunionDiffGeneric } from './algebra.ts';
import { spop, srandmember } from './random.ts';
import { SetValue } from './set.ts';

function sadd(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const maxIntset = c.engine.config.num('set-max-intset-entries');
  let s = c.db.write(key, 'set');
  if (s === undefined) c.db.add(key, (s = new SetValue()));
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i]!, maxIntset)) added++;
  if (added > 0) c.changed(key, 'sadd', 's', added);
  return added;
}

function srem(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const s = c.db.write(key, 'set');
  if (s === undefined) return 0;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!s.delete(argv[i]!)) continue;
    deleted++;
    if (s.size === 0) {
      c.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    c.changed(key, 'srem', 's', deleted);
    if (removed) c.changed(key, 'del', 'g', 0);
  }
  return deleted;
}

// Redis checks the destination's type only once the source exists.
function smove(c: Client, argv: string[]): Reply {
  const [, srcKey, dstKey, member] = argv as [string, string, string, string];
  // Redis looks both keys up before checking either, so an expired destination is deleted (and
  // its DEL propagated) even when the source is missing or not a set.
  c.db.lookup(srcKey);
  c.db.lookup(dstKey);
  const src = c.db.write(srcKey, 'set');
  if (src === undefined) return 0;
  const dst = c.db.write(dstKey, 'set');
  if (src === dst) return src.has(member) ? 1 : 0;
  if (!src.delete(member)) return 0;
  c.changed(srcKey, 'srem', 's');
  if (src.size === 0) {
    c.db.delete(srcKey);
    c.changed(srcKey, 'del', 'g', 0);
  }
  let d = dst;
  if (d === undefined) c.db.add(dstKey, (d = new SetValue()));
  if (d.add(member, c.engine.config.num('set-max-intset-entries'))) c.changed(dstKey, 'sadd', 's');
  return 1;
}

function sscan(c: Client, argv: string[]): Reply {
  // Redis validates the cursor, then answers an empty scan for a missing key before reading options.
  parseScanArgs(argv.slice(0, 3), 2, false);
  const s = c.db.read(argv[1]!, 'set');
  if (s === undefined) return scanReply(0, []);
  const opts = parseScanArgs(argv, 2, false);
  const items: Reply[] = [];
  const cursor = s.scan(c.engine.cursors, opts.cursor, opts.count, (m) => {
    if (matches(opts.pattern, m)) items.push(m);
  });
  return scanReply(cursor, items);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
function sintercard(c: Client, argv: string[]): Reply {
  const numkeys = parseInteger(argv[1]!, NUMKEYS_NOT_POSITIVE);
  if (numkeys < 1) throw NUMKEYS_NOT_POSITIVE;
  if (numkeys > argv.length - 2) throw NUMKEYS_TOO_MANY;
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (isOpt(argv[i]!, 'limit') && i + 1 < argv.length) {
      limit = parseInteger(argv[++i]!, LIMIT_NEGATIVE);
      if (limit < 0) throw LIMIT_NEGATIVE;
    } else {
      throw SYNTAX;
    }
  }
  return sinterGeneric(c, argv.slice(2, 2 + numkeys), { cardOnly: true, limit });
}

/** SINTERCARD's keys: `numkeys` of them after it, none when numkeys is invalid. */
function sintercardKeys(argv: readonly string[]): number[] {
  const n = Number(argv[1]);
  if (!Number.isInteger(n) || n < 1 || n > argv.length - 2) return [];
  return Array.from({ length: n }, (_, i) => i + 2);
}

export const setCommands: CommandSpec[] = [
  // SADD key member [member ...]
  command({
    name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Add one or more members to a set', syntax: 'key member [member ...]',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    handler: sadd,
  }),
  // SREM key member [member ...]
  command({
    name: 'srem', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Remove one or more members from a set', syntax: 'key member [member ...]',
    complexity: 'O(N) where N is the number of members to be removed.', handler: srem,
  }),
  // SMEMBERS key
  command({
    name: 'smembers', arity: 2, flags: ['readonly'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Get all the members in a set', syntax: 'key', complexity: 'O(N) where N is the set cardinality.',
    handler: (c, argv) => new SetReply([...(c.db.read(argv[1]!, 'set') ?? [])]),
  }),
  // SISMEMBER key member
  command({
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Determine if a given value is a member of a set', syntax: 'key member', complexity: 'O(1)',
    handler: (c, argv) => (c.db.read(argv[1]!, 'set')?.has(argv[2]!) ? 1 : 0),
  }),
  // SMISMEMBER key member [member ...]
  command({
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'set', since: '6.2.0',
    summary: 'Returns the membership associated with the given elements for a set', syntax: 'key member [member ...]',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    handler: (c, argv) => {
      const s = c.db.read(argv[1]!, 'set');
      const out: Reply[] = new Array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) out[i - 2] = s?.has(argv[i]!) ? 1 : 0;
      return out;
    },
  }),
  // SCARD key
  command({
    name: 'scard', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Get the number of members in a set', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'set')?.size ?? 0,
  }),
  // SPOP key [count]
  command({
    name: 'spop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Remove and return one or multiple random members from a set', syntax: 'key [count]',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    handler: spop,
  }),
  // SRANDMEMBER key [count]
  command({
    name: 'srandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Get one or multiple random members from a set', syntax: 'key [count]',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    handler: srandmember,
  }),
  // SMOVE source destination member
  command({
    name: 'smove', arity: 4, flags: ['write', 'fast'], keys: [1, 2, 1], group: 'set', since: '1.0.0',
    summary: 'Move a member from one set to another', syntax: 'source destination member', complexity: 'O(1)',
    handler: smove,
  }),
  // SINTER key [key ...]
  command({
    name: 'sinter', arity: -2, flags: ['readonly'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Intersect multiple sets', syntax: 'key [key ...]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: (c, argv) => sinterGeneric(c, argv.slice(1)),
  }),
  // SINTERCARD numkeys key [key ...] [LIMIT limit]
  command({
    name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], keys: [0, 0, 0], getKeys: sintercardKeys,
    group: 'set', since: '7.0.0',
    summary: 'Intersect multiple sets and return the cardinality of the result', syntax: 'numkeys key [key ...] [LIMIT limit]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: sintercard,
  }),
  // SINTERSTORE destination key [key ...]
  command({
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Intersect multiple sets and store the resulting set in a key', syntax: 'destination key [key ...]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: (c, argv) => sinterGeneric(c, argv.slice(2), { dst: argv[1]! }),
  }),
  // SUNION key [key ...]
  command({
    name: 'sunion', arity: -2, flags: ['readonly'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Add multiple sets', syntax: 'key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), undefined, 'union'),
  }),
  // SUNIONSTORE destination key [key ...]
  command({
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Add multiple sets and store the resulting set in a key', syntax: 'destination key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'union'),
  }),
  // SDIFF key [key ...]
  command({
    name: 'sdiff', arity: -2, flags: ['readonly'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Subtract multiple sets', syntax: 'key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), undefined, 'diff'),
  }),
  // SDIFFSTORE destination key [key ...]
  command({
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Subtract multiple sets and store the resulting set in a key', syntax: 'destination key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'diff'),
  }),
  // SSCAN key cursor [MATCH pattern] [COUNT count]
  command({
    name: 'sscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'set', since: '2.8.0',
    summary: 'Incrementally iterate Set elements', syntax: 'key cursor [MATCH pattern] [COUNT count]',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: sscan,
  }),
];
