/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms BZPOPMIN, BZPOPMAX, BZMPOP (Redis's
 * genericZpopCommand, zmpopGenericCommand, blockingGenericZpopCommand).
 *
 * Propagation follows Redis 7.0 (verified on its AOF): ZMPOP and BZMPOP become
 * `ZPOPMIN|ZPOPMAX key n` with n = min(count, size), BZPOPMIN/BZPOPMAX become `ZPOPMIN|ZPOPMAX key`,
 * both when served at once and when a blocked client is served later.
 *
 * A blocked client is served by `serve(ready)`, retried whenever one of its keys is created. As in
 * Redis (serveClientsBlockedOnSortedSetKey) it pops from the key that became ready; when the
 * engine does not say which key that is, its keys are tried in order. A key that now holds another
 * type leaves the client blocked. A timeout, or blocking inside EXEC, answers a nil array.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { typeOf } from '../../keyspace/object.ts';
import { MPOP_COUNT_NOT_POSITIVE, NOT_POSITIVE, NUMKEYS_NOT_POSITIVE, SYNTAX } from '../../reply/errors.ts';
import { Double, NIL_ARRAY, type Reply } from '../../reply/reply.ts';
import { parseTimeout } from '../../commands/timeout.ts';
import type { ZSetValue } from './zset.ts';
import { numkeysGetKeys } from './util.ts';

type Where = 'min' | 'max';

const POP = { min: 'ZPOPMIN', max: 'ZPOPMAX' } as const;
const EVENT = { min: 'zpopmin', max: 'zpopmax' } as const;

/**
 * Pops up to `count` members (-1: one, the single-pop form) of the zset `z` at `key`; replies in
 * one of the four shapes Redis uses: flat or nested pairs, with or without the key in front.
 */
function popFrom(c: Client, key: string, z: ZSetValue, where: Where, count: number, emitKey: boolean, nested: boolean): Reply {
  const n = Math.min(count === -1 ? 1 : count, z.size);
  const popped = where === 'min' ? z.removeRange(0, n) : z.removeRange(z.size - n, n).reverse();
  const items: Reply[] = [];
  for (const [m, s] of popped) {
    if (nested) items.push([m, new Double(s)]);
    else items.push(m, new Double(s));
  }
  c.changed(key, EVENT[where], 'z', n);
  if (z.size === 0) {
    c.db.delete(key);
    c.changed(key, 'del', 'g', 0);
  }
  if (!emitKey) return items;
  return nested ? [key, items] : [key, ...items];
}

/** What a pop of `count` (-1: single) from a zset of `size` propagates as. */
function popArgv(key: string, where: Where, count: number, size: number): string[] {
  return count === -1 ? [POP[where], key] : [POP[where], key, String(Math.min(count, size))];
}

/**
 * genericZpopCommand without blocking: the first of `keys` that exists must be a zset and is
 * popped from; no such key gives [] or, for ZMPOP, a nil array.
 */
function popFirst(c: Client, keys: string[], where: Where, count: number, emitKey: boolean, nested: boolean, nilWhenEmpty: boolean): Reply {
  for (const key of keys) {
    const z = c.db.write(key, 'zset');
    if (z === undefined) continue;
    if (count === 0) return [];
    if (emitKey) c.rewrite(popArgv(key, where, count, z.size));
    return popFrom(c, key, z, where, count, emitKey, nested);
  }
  return nilWhenEmpty ? NIL_ARRAY : [];
}

function zpop(c: Client, argv: string[], where: Where): Reply {
  if (argv.length > 3) throw SYNTAX;
  let count = -1;
  if (argv.length === 3) {
    count = parseInteger(argv[2]!, NOT_POSITIVE);
    if (count < 0) throw NOT_POSITIVE;
  }
  return popFirst(c, [argv[1]!], where, count, false, c.resp === 3 && count !== -1, false);
}

/** blockingGenericZpopCommand; `timeoutArg` is parsed after the caller's own arguments. */
function blockingPop(c: Client, keys: string[], where: Where, timeoutArg: string, count: number, nested: boolean): Reply | Promise<Reply> {
  const timeout = parseTimeout(timeoutArg);
  for (const key of keys) {
    const z = c.db.write(key, 'zset');
    if (z === undefined) continue;
    c.rewrite(popArgv(key, where, count, z.size));
    return popFrom(c, key, z, where, count, true, nested);
  }
  if (c.inExec) return NIL_ARRAY;
  const serve = (ready?: string): Reply | undefined => {
    for (const key of ready !== undefined ? [ready] : keys) {
      const e = c.db.lookup(key);
      if (e === undefined || typeOf(e.value) !== 'zset') continue;
      c.db.touchEntry(key, e);
      const z = e.value as ZSetValue;
      c.alsoPropagate(popArgv(key, where, count, z.size));
      return popFrom(c, key, z, where, count, true, nested);
    }
    return undefined;
  };
  return c.engine.blocking.block(c, keys, timeout, serve, NIL_ARRAY);
}

/** zmpopGenericCommand: `numkeys key [key ...] MIN|MAX [COUNT count]` from `at`. */
function zmpop(c: Client, argv: string[], at: number, timeoutArg: string | null): Reply | Promise<Reply> {
  const numkeys = parseInteger(argv[at]!, NUMKEYS_NOT_POSITIVE);
  if (numkeys < 1) throw NUMKEYS_NOT_POSITIVE;
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) throw SYNTAX;
  const w = argv[whereAt]!;
  let where: Where;
  if (isOpt(w, 'min')) where = 'min';
  else if (isOpt(w, 'max')) where = 'max';
  else throw SYNTAX;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && isOpt(argv[j]!, 'count') && j + 1 < argv.length) {
      count = parseInteger(argv[++j]!, MPOP_COUNT_NOT_POSITIVE);
      if (count < 1) throw MPOP_COUNT_NOT_POSITIVE;
    } else {
      throw SYNTAX;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(at + 1, whereAt);
  if (timeoutArg !== null) return blockingPop(c, keys, where, timeoutArg, count, true);
  return popFirst(c, keys, where, count, true, true, true);
}

const POP_COMPLEXITY =
  'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';
const MPOP_COMPLEXITY =
  'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';
const BPOP_COMPLEXITY = 'O(log(N)) with N being the number of elements in the sorted set.';

export const zpopCommands: CommandSpec[] = [
  // ZPOPMIN key [count]
  command({
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Remove and return members with the lowest scores in a sorted set', syntax: 'key [count]',
    complexity: POP_COMPLEXITY,
    handler: (c, argv) => zpop(c, argv, 'min'),
  }),
  // ZPOPMAX key [count]
  command({
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Remove and return members with the highest scores in a sorted set', syntax: 'key [count]',
    complexity: POP_COMPLEXITY,
    handler: (c, argv) => zpop(c, argv, 'max'),
  }),
  // ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
  command({
    name: 'zmpop', arity: -4, flags: ['write'], getKeys: numkeysGetKeys(1), group: 'sorted-set', since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set',
    syntax: 'numkeys key [key ...] MIN | MAX [COUNT count]', complexity: MPOP_COMPLEXITY,
    handler: (c, argv) => zmpop(c, argv, 1, null),
  }),
  // BZPOPMIN key [key ...] timeout
  command({
    name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], group: 'sorted-set',
    since: '5.0.0',
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    syntax: 'key [key ...] timeout', complexity: BPOP_COMPLEXITY,
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), 'min', argv[argv.length - 1]!, -1, false),
  }),
  // BZPOPMAX key [key ...] timeout
  command({
    name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: [1, -2, 1], group: 'sorted-set',
    since: '5.0.0',
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    syntax: 'key [key ...] timeout', complexity: BPOP_COMPLEXITY,
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), 'max', argv[argv.length - 1]!, -1, false),
  }),
  // BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
  command({
    name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], getKeys: numkeysGetKeys(2), group: 'sorted-set', since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set or block until one is available',
    syntax: 'timeout numkeys key [key ...] MIN | MAX [COUNT count]', complexity: MPOP_COMPLEXITY,
    handler: (c, argv) => zmpop(c, argv, 2, argv[1]!),
  }),
];
