/**
 * The sorted set commands (Redis's t_zset.c): this file holds the table and the single-member
 * commands; ranges, pops, set operations and sampling live in the *-commands.ts beside it.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import type { Client } from '../../engine/client.ts';
import { NAN_SCORE, SYNTAX, ZADD_GT_LT_NX, ZADD_INCR_ONE_PAIR, ZADD_XX_AND_NX } from '../../reply/errors.ts';
import { Double, type Reply } from '../../reply/reply.ts';
import { ZSetValue, type ListpackLimits } from './zset.ts';
import { parseLexRange, parseScore, parseScoreRange } from './parse.ts';
import { lexCount, scoreRanks } from './range.ts';
import {
  addedScore, listpackLimits, zsetAdd, ZADD_ADDED, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NAN, ZADD_NOP, ZADD_NX,
  ZADD_UPDATED, ZADD_XX,
} from './util.ts';
import { zrangeCommands } from './range-commands.ts';
import { zpopCommands } from './pop-commands.ts';
import { zsetopCommands } from './setop-commands.ts';
import { zsampleCommands } from './sample-commands.ts';

/** A skiplist never converts, so its adds need no limits. */
const NO_LIMITS: ListpackLimits = { entries: Infinity, value: Infinity };

/** zaddGenericCommand, for ZADD and ZINCRBY (which is ZADD key INCR increment member). */
function zaddGeneric(c: Client, argv: string[], flags: number): Reply {
  const key = argv[1]!;
  let ch = false;
  let at = 2;
  for (; at < argv.length; at++) {
    const opt = argv[at]!;
    if (opt.length > 4) break;
    const o = opt.toLowerCase();
    if (o === 'nx') flags |= ZADD_NX;
    else if (o === 'xx') flags |= ZADD_XX;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') flags |= ZADD_INCR;
    else if (o === 'gt') flags |= ZADD_GT;
    else if (o === 'lt') flags |= ZADD_LT;
    else break;
  }
  const rest = argv.length - at;
  if (rest === 0 || rest % 2 !== 0) throw SYNTAX;
  const pairs = rest / 2;
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  if (nx && flags & ZADD_XX) throw ZADD_XX_AND_NX;
  if ((nx && flags & (ZADD_GT | ZADD_LT)) || (flags & ZADD_GT && flags & ZADD_LT)) throw ZADD_GT_LT_NX;
  if (incr && pairs > 1) throw ZADD_INCR_ONE_PAIR;
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = parseScore(argv[at + 2 * j]!);

  let z = c.db.write(key, 'zset');
  if (z === undefined) {
    if (flags & ZADD_XX) return incr ? null : 0;
    // Redis 7.0 picks the encoding from the first member alone; later adds convert as needed.
    const limits = listpackLimits(c);
    z = new ZSetValue(limits.entries !== 0 && argv[at + 1]!.length <= limits.value);
    c.db.add(key, z);
  }
  const limits = z.listpack ? listpackLimits(c) : NO_LIMITS;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  for (let j = 0; j < pairs; j++) {
    const r = zsetAdd(z, scores[j]!, argv[at + 2 * j + 1]!, flags, limits);
    // Only INCR's single pair can give NaN, so nothing has changed yet.
    if (r === ZADD_NAN) throw NAN_SCORE;
    if (r === ZADD_NOP) continue;
    if (r === ZADD_ADDED) added++;
    else if (r === ZADD_UPDATED) updated++;
    processed++;
    score = addedScore;
  }
  if (added + updated > 0) c.changed(key, incr ? 'zincr' : 'zadd', 'z', added + updated);
  if (incr) return processed > 0 ? new Double(score) : null;
  return ch ? added + updated : added;
}

function zrem(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const z = c.db.write(key, 'zset');
  if (z === undefined) return 0;
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.delete(argv[j]!)) deleted++;
    if (z.size === 0) {
      c.db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted > 0) {
    c.changed(key, 'zrem', 'z', deleted);
    if (keyRemoved) c.changed(key, 'del', 'g', 0);
  }
  return deleted;
}

function zrank(c: Client, argv: string[], reverse: boolean): Reply {
  const z = c.db.read(argv[1]!, 'zset');
  if (z === undefined) return null;
  const r = z.rank(argv[2]!);
  if (r < 0) return null;
  return reverse ? z.size - 1 - r : r;
}

const basicCommands: CommandSpec[] = [
  // ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
  command({
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    syntax: 'key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    handler: (c, argv) => zaddGeneric(c, argv, 0),
  }),
  // ZINCRBY key increment member
  command({
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Increment the score of a member in a sorted set', syntax: 'key increment member',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    handler: (c, argv) => zaddGeneric(c, argv, ZADD_INCR),
  }),
  // ZREM key member [member ...]
  command({
    name: 'zrem', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Remove one or more members from a sorted set', syntax: 'key member [member ...]',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    handler: zrem,
  }),
  // ZSCORE key member
  command({
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Get the score associated with the given member in a sorted set', syntax: 'key member',
    complexity: 'O(1)',
    handler: (c, argv) => {
      const s = c.db.read(argv[1]!, 'zset')?.score(argv[2]!);
      return s === undefined ? null : new Double(s);
    },
  }),
  // ZMSCORE key member [member ...]
  command({
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Get the score associated with the given members in a sorted set', syntax: 'key member [member ...]',
    complexity: 'O(N) where N is the number of members being requested.',
    handler: (c, argv) => {
      const z = c.db.read(argv[1]!, 'zset');
      const out: Reply[] = [];
      for (let j = 2; j < argv.length; j++) {
        const s = z?.score(argv[j]!);
        out.push(s === undefined ? null : new Double(s));
      }
      return out;
    },
  }),
  // ZCARD key
  command({
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Get the number of members in a sorted set', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'zset')?.size ?? 0,
  }),
  // ZCOUNT key min max
  command({
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Count the members in a sorted set with scores within the given values', syntax: 'key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler: (c, argv) => {
      const range = parseScoreRange(argv[2]!, argv[3]!);
      const z = c.db.read(argv[1]!, 'zset');
      if (z === undefined) return 0;
      const [lo, hi] = scoreRanks(z, range);
      return hi - lo;
    },
  }),
  // ZLEXCOUNT key min max
  command({
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Count the number of members in a sorted set between a given lexicographical range', syntax: 'key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler: (c, argv) => {
      const [min, max] = parseLexRange(argv[2]!, argv[3]!);
      const z = c.db.read(argv[1]!, 'zset');
      if (z === undefined) return 0;
      return lexCount(z, min, max);
    },
  }),
  // ZRANK key member
  command({
    name: 'zrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set', syntax: 'key member', complexity: 'O(log(N))',
    handler: (c, argv) => zrank(c, argv, false),
  }),
  // ZREVRANK key member
  command({
    name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
    syntax: 'key member', complexity: 'O(log(N))',
    handler: (c, argv) => zrank(c, argv, true),
  }),
];

export const zsetCommands: CommandSpec[] = [
  ...basicCommands,
  ...zrangeCommands,
  ...zpopCommands,
  ...zsetopCommands,
  ...zsampleCommands,
];
