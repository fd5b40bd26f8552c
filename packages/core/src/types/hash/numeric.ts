/** HINCRBY and HINCRBYFLOAT (t_hash.c): every check passes before the hash is created or changed. */
import type { Client } from '../../engine/client.ts';
import { isInt64, INT64_MAX, INT64_MIN, parseInteger } from '../../commands/args.ts';
import {
  HASH_NOT_FLOAT, HASH_NOT_INTEGER, INCR_NAN_OR_INF, NAN_OR_INFINITY, NOT_FLOAT, OVERFLOW,
} from '../../reply/errors.ts';
import type { Reply } from '../../reply/reply.ts';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../string/long-double.ts';
import { hashForWrite, setField } from './write.ts';

// HINCRBY key field increment
export function hincrby(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const field = argv[2]!;
  const incr = argv[3]!;
  parseInteger(incr);
  const old = c.db.read(key, 'hash')?.get(field);
  if (old !== undefined && !isInt64(old)) throw HASH_NOT_INTEGER;
  let reply: number | bigint;
  // Both below 10^15: the sum is exact in a double. Otherwise int64 arithmetic in BigInt.
  if (incr.length < 16 && (old === undefined || old.length < 16)) {
    reply = (old === undefined ? 0 : Number(old)) + Number(incr);
  } else {
    const sum = BigInt(old ?? '0') + BigInt(incr);
    if (sum > INT64_MAX || sum < INT64_MIN) throw OVERFLOW;
    reply = Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
  }
  setField(c, hashForWrite(c, key), field, String(reply));
  c.changed(key, 'hincrby', 'h');
  return reply;
}

// HINCRBYFLOAT key field increment
export function hincrbyfloat(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const field = argv[2]!;
  const incr = parseLongDouble(argv[3]!);
  if (incr === undefined) throw NOT_FLOAT;
  if (incr.inf) throw NAN_OR_INFINITY;
  const old = c.db.read(key, 'hash')?.get(field);
  let sum = incr;
  if (old !== undefined) {
    const value = parseLongDouble(old);
    if (value === undefined) throw HASH_NOT_FLOAT;
    const s = addLongDouble(value, incr);
    if (s === undefined) throw INCR_NAN_OR_INF;
    sum = s;
  }
  const text = formatLongDouble(sum);
  setField(c, hashForWrite(c, key), field, text);
  c.changed(key, 'hincrbyfloat', 'h');
  // Replicas and the AOF get the result, so float formatting can never make them diverge.
  c.rewrite(['HSET', key, field, text]);
  return text;
}
