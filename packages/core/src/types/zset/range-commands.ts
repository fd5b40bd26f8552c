/**
 * ZRANGE and its older forms (ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX), ZRANGESTORE, and
 * ZREMRANGEBYRANK/SCORE/LEX: Redis's zrangeGenericCommand and zremrangeGenericCommand. Every
 * range becomes a span of ranks [lo, hi) of the ordered index, walked forwards or backwards.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { storeResult } from '../../commands/store.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { SYNTAX, ZRANGE_LIMIT_NEEDS_BY, ZRANGE_WITHSCORES_BYLEX } from '../../reply/errors.ts';
import type { Reply } from '../../reply/reply.ts';
import { ZSetValue } from './zset.ts';
import { parseLexRange, parseScoreRange } from './parse.ts';
import { lexDeleteSpan, lexSpan, rankSpan, scoreSpan, type Span } from './range.ts';
import { listpackLimits, pushScored } from './util.ts';

const enum By {
  Auto,
  Rank,
  Score,
  Lex,
}

/**
 * zrangeGenericCommand. `at` is the index of the source key; `dst` is ZRANGESTORE's destination.
 * `by`/`reverse` are fixed by the legacy commands, left to the options by ZRANGE (By.Auto, null).
 */
function zrangeGeneric(c: Client, argv: string[], at: number, dst: string | null, by: By, reverse: boolean | null): Reply {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const left = argv.length - j - 1;
    if (dst === null && isOpt(opt, 'withscores')) {
      withScores = true;
    } else if (isOpt(opt, 'limit') && left >= 2) {
      offset = parseInteger(argv[j + 1]!);
      limit = parseInteger(argv[j + 2]!);
      j += 2;
    } else if (reverse === null && isOpt(opt, 'rev')) {
      reverse = true;
    } else if (by === By.Auto && isOpt(opt, 'bylex')) {
      by = By.Lex;
    } else if (by === By.Auto && isOpt(opt, 'byscore')) {
      by = By.Score;
    } else {
      throw SYNTAX;
    }
  }
  const rev = reverse ?? false;
  if (by === By.Auto) by = By.Rank;
  if (limit !== -1 && by === By.Rank) throw ZRANGE_LIMIT_NEEDS_BY;
  if (withScores && by === By.Lex) throw ZRANGE_WITHSCORES_BYLEX;
  // Reverse score and lex ranges are written max first.
  const first = argv[rev && by !== By.Rank ? at + 2 : at + 1]!;
  const second = argv[rev && by !== By.Rank ? at + 1 : at + 2]!;
  let span: (z: ZSetValue) => Span;
  if (by === By.Rank) {
    const start = parseInteger(first);
    const end = parseInteger(second);
    span = (z) => rankSpan(z.size, start, end, rev);
  } else if (by === By.Score) {
    const range = parseScoreRange(first, second);
    span = (z) => scoreSpan(z, range, rev, offset, limit);
  } else {
    const [min, max] = parseLexRange(first, second);
    span = (z) => lexSpan(z, min, max, rev, offset, limit);
  }

  const z = c.db.read(argv[at]!, 'zset');
  if (dst !== null) return storeRange(c, dst, z, z && span(z), by === By.Rank);
  if (z === undefined) return [];
  const s = span(z);
  const out: Reply[] = [];
  const resp3 = c.resp === 3;
  z.visit(s.start, s.count, s.reverse, (m, score) => pushScored(out, resp3, withScores, m, score));
  return out;
}

/**
 * ZRANGESTORE's destination is built the way Redis builds it: a listpack unless the rank range
 * is known to be too long, converted as members are added in emission order.
 */
function storeRange(c: Client, dst: string, z: ZSetValue | undefined, s: Span | undefined, knownLength: boolean): Reply {
  const limits = listpackLimits(c);
  const out = new ZSetValue(!(knownLength && s !== undefined && s.count > limits.entries));
  if (z !== undefined && s !== undefined) {
    z.visit(s.start, s.count, s.reverse, (m, score) => {
      if (out.listpack && (out.size + 1 > limits.entries || m.length > limits.value)) out.toSkiplist();
      out.insert(m, score);
    });
  }
  return storeResult(c, dst, out, 'zrangestore', 'z');
}

/** zremrangeGenericCommand. */
function zremrange(c: Client, argv: string[], by: By): Reply {
  const key = argv[1]!;
  let span: (z: ZSetValue) => Span;
  let event: string;
  if (by === By.Rank) {
    const start = parseInteger(argv[2]!);
    const end = parseInteger(argv[3]!);
    span = (z) => rankSpan(z.size, start, end, false);
    event = 'zremrangebyrank';
  } else if (by === By.Score) {
    const range = parseScoreRange(argv[2]!, argv[3]!);
    span = (z) => scoreSpan(z, range);
    event = 'zremrangebyscore';
  } else {
    const [min, max] = parseLexRange(argv[2]!, argv[3]!);
    span = (z) => lexDeleteSpan(z, min, max);
    event = 'zremrangebylex';
  }
  const z = c.db.write(key, 'zset');
  if (z === undefined) return 0;
  const { start, count: deleted } = span(z);
  if (deleted === 0) return 0;
  z.removeRange(start, deleted);
  c.changed(key, event, 'z', deleted);
  if (z.size === 0) {
    c.db.delete(key);
    c.changed(key, 'del', 'g', 0);
  }
  return deleted;
}

const RANGE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const BY_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REM_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';

export const zrangeCommands: CommandSpec[] = [
  // ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
  command({
    name: 'zrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Return a range of members in a sorted set',
    syntax: 'key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]', complexity: RANGE_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Auto, null),
  }),
  // ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
  command({
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], keys: [1, 2, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Store a range of members from sorted set into another key',
    syntax: 'dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    handler: (c, argv) => zrangeGeneric(c, argv, 2, argv[1]!, By.Auto, null),
  }),
  // ZREVRANGE key start stop [WITHSCORES]
  command({
    name: 'zrevrange', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    syntax: 'key start stop [WITHSCORES]', complexity: RANGE_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Rank, true),
  }),
  // ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
  command({
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '1.0.5',
    summary: 'Return a range of members in a sorted set, by score',
    syntax: 'key min max [WITHSCORES] [LIMIT offset count]', complexity: BY_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Score, false),
  }),
  // ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
  command({
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '2.2.0',
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    syntax: 'key max min [WITHSCORES] [LIMIT offset count]', complexity: BY_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Score, true),
  }),
  // ZRANGEBYLEX key min max [LIMIT offset count]
  command({
    name: 'zrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Return a range of members in a sorted set, by lexicographical range',
    syntax: 'key min max [LIMIT offset count]', complexity: BY_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Lex, false),
  }),
  // ZREVRANGEBYLEX key max min [LIMIT offset count]
  command({
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    syntax: 'key max min [LIMIT offset count]', complexity: BY_COMPLEXITY,
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, By.Lex, true),
  }),
  // ZREMRANGEBYRANK key start stop
  command({
    name: 'zremrangebyrank', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Remove all members in a sorted set within the given indexes', syntax: 'key start stop',
    complexity: REM_COMPLEXITY,
    handler: (c, argv) => zremrange(c, argv, By.Rank),
  }),
  // ZREMRANGEBYSCORE key min max
  command({
    name: 'zremrangebyscore', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Remove all members in a sorted set within the given scores', syntax: 'key min max',
    complexity: REM_COMPLEXITY,
    handler: (c, argv) => zremrange(c, argv, By.Score),
  }),
  // ZREMRANGEBYLEX key min max
  command({
    name: 'zremrangebylex', arity: 4, flags: ['write'], keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Remove all members in a sorted set between the given lexicographical range', syntax: 'key min max',
    complexity: REM_COMPLEXITY,
    handler: (c, argv) => zremrange(c, argv, By.Lex),
  }),
];
