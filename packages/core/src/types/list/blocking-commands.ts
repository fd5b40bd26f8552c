/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP. With data at hand they act as their non-blocking
 * forms and propagate as them (LPOP key / LPOP key n / LMOVE / RPOPLPUSH). Otherwise the client
 * blocks (engine/blocking.ts); inside EXEC it answers at once as if the timeout had passed.
 *
 * A blocked client is served by `serve(ready)`, retried whenever one of its keys is created. As in
 * Redis 7.0 (serveClientsBlockedOnListKey) it pops from the key that became ready, not from the
 * first of its keys that has data; when the engine does not say which key that is, the keys are
 * tried in order. A key that now holds another type leaves the client blocked; a BLMOVE whose
 * destination holds another type is unblocked with WRONGTYPE, nothing moved (7.0's checkType in
 * serveClientBlockedOnList). A timeout answers a nil array, BLMOVE and BRPOPLPUSH included.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import type { Client } from '../../engine/client.ts';
import { typeOf } from '../../keyspace/object.ts';
import { NIL_ARRAY, type Reply } from '../../reply/reply.ts';
import { WRONGTYPE } from '../../reply/errors.ts';
import type { ListValue } from './list.ts';
import { lmoveGeneric, parseMpop } from './move-commands.ts';
import { moveElement, numKeysAt, parseWhere, popCommand, popElements, popOne, type Where } from './ops.ts';
import { parseTimeout } from '../../commands/timeout.ts';

/** The list at `key` for a blocked client, or undefined when it cannot be served from it. */
function readyList(c: Client, key: string): ListValue | undefined {
  const e = c.db.lookup(key);
  if (e === undefined || typeOf(e.value) !== 'list') return undefined;
  c.db.touchEntry(key, e);
  return e.value as ListValue;
}

/** Pops for BLPOP/BRPOP (count -1: one element, `[key, element]`) or BLMPOP (`[key, [elements]]`). */
function popFrom(c: Client, key: string, list: ListValue, where: Where, count: number, served: boolean): Reply {
  const argv = count === -1 ? [popCommand(where), key] : [popCommand(where), key, String(Math.min(count, list.length))];
  if (served) c.alsoPropagate(argv);
  else c.rewrite(argv);
  return count === -1 ? [key, popOne(c, key, list, where)] : [key, popElements(c, key, list, where, count)];
}

/** blockingPopGenericCommand; `timeoutArg` is parsed after the caller's own arguments. */
function blockingPop(c: Client, keys: string[], where: Where, timeoutArg: string, count: number): Reply | Promise<Reply> {
  const timeout = parseTimeout(timeoutArg);
  for (const key of keys) {
    const list = c.db.write(key, 'list');
    if (list !== undefined) return popFrom(c, key, list, where, count, false);
  }
  if (c.inExec) return NIL_ARRAY;
  const serve = (ready?: string): Reply | undefined => {
    for (const key of ready !== undefined ? [ready] : keys) {
      const list = readyList(c, key);
      if (list !== undefined) return popFrom(c, key, list, where, count, true);
    }
    return undefined;
  };
  return c.engine.blocking.block(c, keys, timeout, serve, NIL_ARRAY);
}

/**
 * blmoveGenericCommand. `propagated` is what the command propagates as when it is served without
 * blocking (the client's own LEFT/RIGHT text); once blocked, Redis writes them lower-case.
 */
function blmove(
  c: Client, src: string, dst: string, from: Where, to: Where, timeout: number, propagated: string[], rpoplpush: boolean,
): Reply | Promise<Reply> {
  if (c.db.read(src, 'list') !== undefined) {
    const reply = lmoveGeneric(c, src, dst, from, to);
    c.rewrite(propagated);
    return reply;
  }
  if (c.inExec) return null;
  const serve = (): Reply | undefined => {
    const srcList = readyList(c, src);
    if (srcList === undefined) return undefined;
    const d = c.db.lookup(dst);
    if (d !== undefined && typeOf(d.value) !== 'list') return WRONGTYPE;
    const dstList = d === undefined ? undefined : readyList(c, dst);
    c.alsoPropagate(rpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, from, to]);
    return moveElement(c, src, srcList, dst, dstList, from, to);
  };
  return c.engine.blocking.block(c, [src], timeout, serve, NIL_ARRAY);
}

const BLOCKING_POP_COMPLEXITY = 'O(N) where N is the number of provided keys.';
const MPOP_COMPLEXITY = 'O(N+M) where N is the number of provided keys and M is the number of elements returned.';

export const blockingCommands: CommandSpec[] = [
  // BLPOP key [key ...] timeout
  command({
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], group: 'list', since: '2.0.0',
    summary: 'Remove and get the first element in a list, or block until one is available',
    syntax: 'key [key ...] timeout', complexity: BLOCKING_POP_COMPLEXITY,
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), 'left', argv[argv.length - 1]!, -1),
  }),
  // BRPOP key [key ...] timeout
  command({
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: [1, -2, 1], group: 'list', since: '2.0.0',
    summary: 'Remove and get the last element in a list, or block until one is available',
    syntax: 'key [key ...] timeout', complexity: BLOCKING_POP_COMPLEXITY,
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), 'right', argv[argv.length - 1]!, -1),
  }),
  // BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
  command({
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], group: 'list',
    since: '6.2.0',
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    syntax: 'source destination (LEFT | RIGHT) (LEFT | RIGHT) timeout', complexity: 'O(1)',
    handler: (c, argv) => {
      const from = parseWhere(argv[3]!);
      const to = parseWhere(argv[4]!);
      const timeout = parseTimeout(argv[5]!);
      return blmove(c, argv[1]!, argv[2]!, from, to, timeout, ['LMOVE', ...argv.slice(1, 5)], false);
    },
  }),
  // BRPOPLPUSH source destination timeout
  command({
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: [1, 2, 1], group: 'list',
    since: '2.2.0',
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    syntax: 'source destination timeout', complexity: 'O(1)',
    handler: (c, argv) => {
      const timeout = parseTimeout(argv[3]!);
      return blmove(c, argv[1]!, argv[2]!, 'right', 'left', timeout, ['RPOPLPUSH', argv[1]!, argv[2]!], true);
    },
  }),
  // BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
  command({
    name: 'blmpop', arity: -5, flags: ['write', 'blocking'], group: 'list', since: '7.0.0',
    getKeys: numKeysAt(2),
    summary: 'Pop elements from a list, or block until one is available',
    syntax: 'timeout numkeys key [key ...] (LEFT | RIGHT) [COUNT count]', complexity: MPOP_COMPLEXITY,
    handler: (c, argv) => {
      const { keys, where, count } = parseMpop(argv, 2);
      return blockingPop(c, keys, where, argv[1]!, count);
    },
  }),
];
