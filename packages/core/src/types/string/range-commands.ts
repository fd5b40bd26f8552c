/**
 * APPEND, STRLEN, GETRANGE (and its old name SUBSTR), SETRANGE: the commands that read or write
 * part of a string (t_string.c).
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import type { Reply } from '../../reply/reply.ts';
import { OFFSET_OUT_OF_RANGE, WRONGTYPE } from '../../reply/errors.ts';
import { checkStringLength, STR_RAW, zeros } from './string.ts';

/** GETRANGE's clamping of start/end (inclusive, negative from the end) to `s`. */
function getRange(c: Client, argv: string[]): Reply {
  let start = parseInteger(argv[2]!);
  let end = parseInteger(argv[3]!);
  const s = c.db.read(argv[1]!, 'string');
  if (s === undefined) return '';
  const len = s.length;
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start = Math.max(0, len + start);
  if (end < 0) end = Math.max(0, len + end);
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return '';
  return s.slice(start, end + 1);
}

function append(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const tail = argv[2]!;
  const e = c.db.lookup(key);
  if (e === undefined) {
    c.db.add(key, tail);
  } else {
    const s = e.value;
    if (typeof s !== 'string') throw WRONGTYPE;
    checkStringLength(c, s.length, tail.length);
    c.db.touchEntry(key, e);
    // V8 concatenates into a rope, so appending to a long string stays cheap.
    e.value = s + tail;
    e.enc = STR_RAW;
  }
  c.changed(key, 'append', '$');
  return e === undefined ? tail.length : (e.value as string).length;
}

function setRange(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const offset = parseInteger(argv[2]!);
  const patch = argv[3]!;
  if (offset < 0) throw OFFSET_OUT_OF_RANGE;
  const e = c.db.lookup(key);
  if (e !== undefined && typeof e.value !== 'string') throw WRONGTYPE;
  const old = e === undefined ? '' : (e.value as string);
  // Setting nothing changes nothing, and is not checked against the size limit.
  if (patch.length === 0) return old.length;
  checkStringLength(c, offset, patch.length);
  const head = offset <= old.length ? old.slice(0, offset) : old + zeros(offset - old.length);
  const next = head + patch + old.slice(offset + patch.length);
  if (e === undefined) {
    c.db.add(key, next).enc = STR_RAW;
  } else {
    c.db.touchEntry(key, e);
    e.value = next;
    e.enc = STR_RAW;
  }
  c.changed(key, 'setrange', '$');
  return next.length;
}

const APPEND_COMPLEXITY =
  'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.';
const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';
const SETRANGE_COMPLEXITY =
  'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.';

export const rangeCommands: CommandSpec[] = [
  // APPEND key value
  command({
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '2.0.0',
    summary: 'Append a value to a key', syntax: 'key value', complexity: APPEND_COMPLEXITY,
    handler: append,
  }),
  // STRLEN key
  command({
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'string', since: '2.2.0',
    summary: 'Get the length of the value stored in a key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'string')?.length ?? 0,
  }),
  // GETRANGE key start end
  command({
    name: 'getrange', arity: 4, flags: ['readonly'], keys: [1, 1, 1], group: 'string', since: '2.4.0',
    summary: 'Get a substring of the string stored at a key', syntax: 'key start end',
    complexity: RANGE_COMPLEXITY,
    handler: getRange,
  }),
  // SUBSTR key start end (GETRANGE's name before 2.4)
  command({
    name: 'substr', arity: 4, flags: ['readonly'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Get a substring of the string stored at a key', syntax: 'key start end',
    complexity: RANGE_COMPLEXITY,
    handler: getRange,
  }),
  // SETRANGE key offset value
  command({
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'string', since: '2.2.0',
    summary: 'Overwrite part of a string at key starting at the specified offset', syntax: 'key offset value',
    complexity: SETRANGE_COMPLEXITY,
    handler: setRange,
  }),
];
