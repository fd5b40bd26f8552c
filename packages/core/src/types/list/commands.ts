/**
 * The list commands (Redis's t_list.c): pushes, pops, reads by index and range, LSET, LINSERT,
 * LREM, LTRIM, LPOS here; LMOVE/RPOPLPUSH/LMPOP in move-commands.ts, the blocking family in
 * blocking-commands.ts. Each handler parses and checks its arguments in Redis's order (which
 * decides which error wins), then changes the list.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { NIL_ARRAY, OK, type Reply } from '../../reply/reply.ts';
import {
  LPOS_COUNT_NEGATIVE, LPOS_MAXLEN_NEGATIVE, LPOS_RANK_ZERO, NOT_POSITIVE, NO_SUCH_KEY, OUT_OF_RANGE, SYNTAX, wrongArity,
} from '../../reply/errors.ts';
import { deleteIfEmpty, popElements, popOne, pushElements, type Where } from './ops.ts';
import { moveCommands } from './move-commands.ts';
import { blockingCommands } from './blocking-commands.ts';

/** LONG_MIN: 7.0 negates it without overflow checks, so as a rank or LREM count it means "all, from the tail". */
const LONG_MIN_TEXT = '-9223372036854775808';

function push(c: Client, argv: string[], where: Where, onlyIfExists: boolean): Reply {
  const key = argv[1]!;
  const list = c.db.write(key, 'list');
  if (list === undefined && onlyIfExists) return 0;
  return pushElements(c, key, list, where, argv, 2);
}

/** LPOP/RPOP key [count]: count parses as a positive long, then the key is looked up. */
function pop(c: Client, argv: string[], where: Where): Reply {
  if (argv.length > 3) throw wrongArity(where === 'left' ? 'lpop' : 'rpop');
  const key = argv[1]!;
  if (argv.length === 2) {
    const list = c.db.write(key, 'list');
    return list === undefined ? null : popOne(c, key, list, where);
  }
  const count = parseInteger(argv[2]!, NOT_POSITIVE);
  if (count < 0) throw NOT_POSITIVE;
  if (count === 0) return c.db.read(key, 'list') === undefined ? NIL_ARRAY : [];
  const list = c.db.write(key, 'list');
  return list === undefined ? NIL_ARRAY : popElements(c, key, list, where, count);
}

/** start/stop with Redis's clamping (addListRangeReply): undefined when the range is empty. */
function clampRange(start: number, end: number, len: number): [number, number] | undefined {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return undefined;
  return [start, end >= len ? len - 1 : end];
}

function lrange(c: Client, argv: string[]): Reply {
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  const list = c.db.read(argv[1]!, 'list');
  const r = list && clampRange(start, end, list.length);
  return r === undefined ? [] : list!.range(r[0], r[1]);
}

function lindex(c: Client, argv: string[]): Reply {
  const list = c.db.read(argv[1]!, 'list');
  if (list === undefined) return null;
  let i = parseInteger(argv[2]!);
  if (i < 0) i += list.length;
  return i >= 0 && i < list.length ? list.at(i) : null;
}

function lset(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const list = c.db.read(key, 'list');
  if (list === undefined) throw NO_SUCH_KEY;
  let i = parseInteger(argv[2]!);
  if (i < 0) i += list.length;
  if (i < 0 || i >= list.length) throw OUT_OF_RANGE;
  c.db.write(key, 'list')!.set(i, argv[3]!);
  c.changed(key, 'lset', 'l');
  return OK;
}

function linsert(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const w = argv[2]!.toLowerCase();
  if (w !== 'before' && w !== 'after') throw SYNTAX;
  const list = c.db.read(key, 'list');
  if (list === undefined) return 0;
  const pivot = argv[3]!;
  const len = list.length;
  let i = 0;
  while (i < len && list.at(i) !== pivot) i++;
  if (i === len) return -1;
  c.db.write(key, 'list')!.insertAt(w === 'after' ? i + 1 : i, argv[4]!);
  c.changed(key, 'linsert', 'l');
  return list.length;
}

function lrem(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const all = argv[2] === LONG_MIN_TEXT;
  let toRemove = parseInteger(argv[2]!);
  const list = c.db.read(key, 'list');
  if (list === undefined) return 0;
  const element = argv[3]!;
  const fromTail = toRemove < 0;
  toRemove = all ? 0 : Math.abs(toRemove);
  const found: number[] = [];
  const len = list.length;
  for (let k = 0; k < len; k++) {
    const i = fromTail ? len - 1 - k : k;
    if (list.at(i) !== element) continue;
    found.push(i);
    if (found.length === toRemove) break;
  }
  if (found.length === 0) return 0;
  if (fromTail) found.reverse();
  c.db.write(key, 'list')!.removeIndexes(found);
  c.changed(key, 'lrem', 'l', found.length);
  deleteIfEmpty(c, key, list);
  return found.length;
}

/** LTRIM notifies `ltrim` even when it removes nothing (then dirty does not move: not propagated). */
function ltrim(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  const list = c.db.read(key, 'list');
  if (list === undefined) return OK;
  const len = list.length;
  const r = clampRange(start, end, len);
  const left = r === undefined ? len : r[0];
  const right = r === undefined ? 0 : len - 1 - r[1];
  if (left + right > 0) {
    c.db.write(key, 'list');
    list.trimHead(left);
    list.trimTail(right);
  }
  c.changed(key, 'ltrim', 'l', left + right);
  deleteIfEmpty(c, key, list);
  return OK;
}

/** LPOS: every option is parsed (the last of a repeated one wins) before the key is read. */
function lpos(c: Client, argv: string[]): Reply {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  let rankMin = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = j < argv.length - 1;
    if (more && isOpt(opt, 'rank')) {
      const raw = argv[++j]!;
      rank = parseInteger(raw);
      if (rank === 0) throw LPOS_RANK_ZERO;
      rankMin = raw === LONG_MIN_TEXT;
    } else if (more && isOpt(opt, 'count')) {
      count = parseInteger(argv[++j]!, LPOS_COUNT_NEGATIVE);
      if (count < 0) throw LPOS_COUNT_NEGATIVE;
    } else if (more && isOpt(opt, 'maxlen')) {
      maxlen = parseInteger(argv[++j]!, LPOS_MAXLEN_NEGATIVE);
      if (maxlen < 0) throw LPOS_MAXLEN_NEGATIVE;
    } else {
      throw SYNTAX;
    }
  }
  const list = c.db.read(argv[1]!, 'list');
  if (list === undefined) return count === -1 ? null : [];
  const element = argv[2]!;
  const fromTail = rank < 0;
  // Redis negates LONG_MIN into itself: every match qualifies and COUNT never stops the scan.
  const skip = rankMin ? 1 : Math.abs(rank);
  const limit = rankMin ? 0 : count;
  const len = list.length;
  const scan = maxlen === 0 ? len : Math.min(maxlen, len);
  const out: number[] = [];
  let matches = 0;
  for (let k = 0; k < scan; k++) {
    const i = fromTail ? len - 1 - k : k;
    if (list.at(i) !== element || ++matches < skip) continue;
    if (count === -1) return i;
    out.push(i);
    if (limit > 0 && out.length >= limit) break;
  }
  return count === -1 ? null : out;
}

const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

export const listCommands: CommandSpec[] = [
  // LPUSH key element [element ...]
  command({
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Prepend one or multiple elements to a list', syntax: 'key element [element ...]', complexity: PUSH_COMPLEXITY,
    handler: (c, argv) => push(c, argv, 'left', false),
  }),
  // RPUSH key element [element ...]
  command({
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Append one or multiple elements to a list', syntax: 'key element [element ...]', complexity: PUSH_COMPLEXITY,
    handler: (c, argv) => push(c, argv, 'right', false),
  }),
  // LPUSHX key element [element ...]
  command({
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Prepend an element to a list, only if the list exists', syntax: 'key element [element ...]',
    complexity: PUSH_COMPLEXITY,
    handler: (c, argv) => push(c, argv, 'left', true),
  }),
  // RPUSHX key element [element ...]
  command({
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Append an element to a list, only if the list exists', syntax: 'key element [element ...]',
    complexity: PUSH_COMPLEXITY,
    handler: (c, argv) => push(c, argv, 'right', true),
  }),
  // LPOP key [count]
  command({
    name: 'lpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Remove and get the first elements in a list', syntax: 'key [count]',
    complexity: 'O(N) where N is the number of elements returned',
    handler: (c, argv) => pop(c, argv, 'left'),
  }),
  // RPOP key [count]
  command({
    name: 'rpop', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Remove and get the last elements in a list', syntax: 'key [count]',
    complexity: 'O(N) where N is the number of elements returned',
    handler: (c, argv) => pop(c, argv, 'right'),
  }),
  // LLEN key
  command({
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Get the length of a list', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'list')?.length ?? 0,
  }),
  // LRANGE key start stop
  command({
    name: 'lrange', arity: 4, flags: ['readonly'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Get a range of elements from a list', syntax: 'key start stop',
    complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    handler: lrange,
  }),
  // LINDEX key index
  command({
    name: 'lindex', arity: 3, flags: ['readonly'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Get an element from a list by its index', syntax: 'key index',
    complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    handler: lindex,
  }),
  // LSET key index element
  command({
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Set the value of an element in a list by its index', syntax: 'key index element',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    handler: lset,
  }),
  // LINSERT key <BEFORE | AFTER> pivot element
  command({
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Insert an element before or after another element in a list', syntax: 'key (BEFORE | AFTER) pivot element',
    complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    handler: linsert,
  }),
  // LREM key count element
  command({
    name: 'lrem', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Remove elements from a list', syntax: 'key count element',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    handler: lrem,
  }),
  // LTRIM key start stop
  command({
    name: 'ltrim', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Trim a list to the specified range', syntax: 'key start stop',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    handler: ltrim,
  }),
  // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
  command({
    name: 'lpos', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'list', since: '6.0.6',
    summary: 'Return the index of matching elements on a list', syntax: 'key element [RANK rank] [COUNT num-matches] [MAXLEN len]',
    complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    handler: lpos,
  }),
  ...moveCommands,
  ...blockingCommands,
];
