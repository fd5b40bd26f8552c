/**
 * INCR, INCRBY, DECR, DECRBY (int64, exact) and INCRBYFLOAT (x87 long double, see long-double.ts).
 * A counter keeps its key's TTL, as Redis's dbOverwrite does.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { INT64_MIN, parseBigInt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import type { Reply } from '../../reply/reply.ts';
import { DECREMENT_OVERFLOW, INCR_NAN_OR_INF, NOT_FLOAT, NOT_INTEGER, OVERFLOW, WRONGTYPE } from '../../reply/errors.ts';
import { addLongDouble, formatLongDouble, parseLongDouble } from './long-double.ts';
import { addInt64, int64Value, STR_AUTO, STR_NOT_INT, toInt } from './string.ts';

/** An increment argument: a number when exact, a bigint past 2^53. */
function increment(arg: string): number | bigint {
  const n = parseInteger(arg);
  return Number.isSafeInteger(n) ? n : toInt(parseBigInt(arg));
}

function incrDecr(c: Client, key: string, by: number | bigint): Reply {
  const e = c.db.lookup(key);
  let current: number | bigint = 0;
  if (e !== undefined) {
    if (typeof e.value !== 'string') throw WRONGTYPE;
    const v = int64Value(e.value);
    if (v === undefined) throw NOT_INTEGER;
    current = v;
  }
  const next = addInt64(current, by);
  if (next === undefined) throw OVERFLOW;
  const text = String(next);
  if (e === undefined) {
    c.db.add(key, text);
  } else {
    c.db.touchEntry(key, e);
    e.value = text;
    e.enc = STR_AUTO;
  }
  c.changed(key, 'incrby', '$');
  return next;
}

const ZERO = parseLongDouble('0')!;

function incrByFloat(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const e = c.db.lookup(key);
  if (e !== undefined && typeof e.value !== 'string') throw WRONGTYPE;
  const current = e === undefined ? ZERO : parseLongDouble(e.value as string);
  const by = parseLongDouble(argv[2]!);
  if (current === undefined || by === undefined) throw NOT_FLOAT;
  const sum = addLongDouble(current, by);
  if (sum === undefined) throw INCR_NAN_OR_INF;
  const text = formatLongDouble(sum);
  if (e === undefined) {
    c.db.add(key, text).enc = STR_NOT_INT;
  } else {
    c.db.touchEntry(key, e);
    e.value = text;
    e.enc = STR_NOT_INT;
  }
  c.changed(key, 'incrbyfloat', '$');
  // The result, not the increment, so replicas and the AOF never redo the float arithmetic.
  c.rewrite(['SET', key, text, 'KEEPTTL']);
  return text;
}

export const counterCommands: CommandSpec[] = [
  // INCR key
  command({
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Increment the integer value of a key by one', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => incrDecr(c, argv[1]!, 1),
  }),
  // INCRBY key increment
  command({
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Increment the integer value of a key by the given amount', syntax: 'key increment', complexity: 'O(1)',
    handler: (c, argv) => incrDecr(c, argv[1]!, increment(argv[2]!)),
  }),
  // DECR key
  command({
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Decrement the integer value of a key by one', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => incrDecr(c, argv[1]!, -1),
  }),
  // DECRBY key decrement
  command({
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Decrement the integer value of a key by the given number', syntax: 'key decrement', complexity: 'O(1)',
    handler: (c, argv) => {
      const by = increment(argv[2]!);
      // -LLONG_MIN does not exist in int64.
      if (typeof by === 'bigint' && by === INT64_MIN) throw DECREMENT_OVERFLOW;
      return incrDecr(c, argv[1]!, typeof by === 'bigint' ? toInt(-by) : -by);
    },
  }),
  // INCRBYFLOAT key increment
  command({
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string',
    since: '2.6.0', summary: 'Increment the float value of a key by the given amount', syntax: 'key increment',
    complexity: 'O(1)',
    handler: incrByFloat,
  }),
];
