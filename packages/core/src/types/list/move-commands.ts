/**
 * LMOVE, RPOPLPUSH and LMPOP: commands that pop from one of several lists or move an element
 * between lists. Their generic parts (lmoveGeneric, mpopGeneric, parseMpop) also serve the
 * blocking variants when data is already there.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { NIL_ARRAY, type Reply } from '../../reply/reply.ts';
import { MPOP_COUNT_NOT_POSITIVE, SYNTAX } from '../../reply/errors.ts';
import { destination, moveElement, numKeysAt, parseNumKeys, parseWhere, popCommand, popElements, type Where } from './ops.ts';

/**
 * lmoveGenericCommand: nil when the source is missing; WRONGTYPE for either key before anything
 * moves. The caller has parsed its arguments and decides how the command propagates.
 */
export function lmoveGeneric(c: Client, src: string, dst: string, from: Where, to: Where): Reply {
  const srcList = c.db.write(src, 'list');
  if (srcList === undefined) return null;
  const dstList = destination(c, dst);
  return moveElement(c, src, srcList, dst, dstList, from, to);
}

/** LMPOP/BLMPOP's `numkeys key... LEFT|RIGHT [COUNT count]`, numkeys at argv[at]. */
export interface MpopArgs {
  keys: string[];
  where: Where;
  count: number;
}

export function parseMpop(argv: readonly string[], at: number): MpopArgs {
  const keys = parseNumKeys(argv, at);
  const whereAt = at + 1 + keys.length;
  const where = parseWhere(argv[whereAt]!);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && j < argv.length - 1 && isOpt(argv[j]!, 'count')) {
      count = parseInteger(argv[++j]!, MPOP_COUNT_NOT_POSITIVE);
      if (count < 1) throw MPOP_COUNT_NOT_POSITIVE;
    } else {
      throw SYNTAX;
    }
  }
  return { keys, where, count: count === -1 ? 1 : count };
}

/**
 * Pops up to `count` elements from the first non-empty list of `keys`: `[key, [elements]]`, or
 * undefined when every key is missing. WRONGTYPE stops the scan at a key of another type.
 * Propagated as `LPOP|RPOP key n` with n the number popped.
 */
export function mpopGeneric(c: Client, keys: readonly string[], where: Where, count: number): Reply | undefined {
  for (const key of keys) {
    const list = c.db.write(key, 'list');
    if (list === undefined) continue;
    const n = Math.min(count, list.length);
    const popped = popElements(c, key, list, where, count);
    c.rewrite([popCommand(where), key, String(n)]);
    return [key, popped];
  }
  return undefined;
}

export const moveCommands: CommandSpec[] = [
  // LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
  command({
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'list', since: '6.2.0',
    summary: 'Pop an element from a list, push it to another list and return it',
    syntax: 'source destination (LEFT | RIGHT) (LEFT | RIGHT)', complexity: 'O(1)',
    handler: (c, argv) => {
      const from = parseWhere(argv[3]!);
      const to = parseWhere(argv[4]!);
      return lmoveGeneric(c, argv[1]!, argv[2]!, from, to);
    },
  }),
  // RPOPLPUSH source destination
  command({
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'list', since: '1.2.0',
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    syntax: 'source destination', complexity: 'O(1)',
    handler: (c, argv) => lmoveGeneric(c, argv[1]!, argv[2]!, 'right', 'left'),
  }),
  // LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
  command({
    name: 'lmpop', arity: -4, flags: ['write'], group: 'list', since: '7.0.0',
    getKeys: numKeysAt(1),
    summary: 'Pop elements from a list', syntax: 'numkeys key [key ...] (LEFT | RIGHT) [COUNT count]',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    handler: (c, argv) => {
      const { keys, where, count } = parseMpop(argv, 1);
      return mpopGeneric(c, keys, where, count) ?? NIL_ARRAY;
    },
  }),
];
