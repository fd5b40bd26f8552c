/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's zunionInterDiffGenericCommand).
 * Inputs may be sorted sets or plain sets (every member scores 1). As in Redis, input types are
 * checked before the options are parsed; union and intersection visit the inputs from the
 * smallest, which fixes the order in which a member's weighted scores are summed.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { storeResult } from '../../commands/store.ts';
import { isOpt, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { typeOf } from '../../keyspace/object.ts';
import {
  LIMIT_NEGATIVE, NUMKEYS_ZERO, SYNTAX, WEIGHT_NOT_FLOAT, WRONGTYPE,
} from '../../reply/errors.ts';
import type { Reply } from '../../reply/reply.ts';
import type { SetValue } from '../set/set.ts';
import { fitsListpack, ZSetValue } from './zset.ts';
import { listpackLimits, numkeysGetKeys, pushScored } from './util.ts';
import { parseScore } from './parse.ts';

const UNION = 0;
const INTER = 1;
const DIFF = 2;
type Op = typeof UNION | typeof INTER | typeof DIFF;

const SUM = 0;
const MIN = 1;
const MAX = 2;

interface Source {
  value: ZSetValue | SetValue | undefined;
  weight: number;
}

const sizeOf = (s: Source): number => s.value?.size ?? 0;

/** Calls `fn` for each member of a source with its unweighted score. */
function each(s: Source, fn: (member: string, score: number) => void): void {
  const v = s.value;
  if (v === undefined) return;
  if (v.type === 'zset') v.visit(0, v.size, false, fn);
  else for (const m of v) fn(m, 1);
}

function scoreIn(s: Source, member: string): number | undefined {
  const v = s.value;
  if (v === undefined) return undefined;
  if (v.type === 'zset') return v.score(member);
  return v.has(member) ? 1 : undefined;
}

/** zunionInterAggregate: inf + -inf is taken as 0, not NaN. */
function aggregate(a: number, b: number, how: number): number {
  if (how === SUM) {
    const t = a + b;
    return Number.isNaN(t) ? 0 : t;
  }
  return how === MIN ? (b < a ? b : a) : b > a ? b : a;
}

/** weight × score, where 0 × inf counts as 0. */
function weighted(s: Source, score: number): number {
  const v = s.weight * score;
  return Number.isNaN(v) ? 0 : v;
}

/** The members of the result with their scores (unordered), or just their count for ZINTERCARD. */
function compute(srcs: Source[], op: Op, how: number, cardLimit: number | null): Map<string, number> | number {
  const out = new Map<string, number>();
  if (op === UNION) {
    for (const s of srcs) {
      each(s, (m, score) => {
        const v = weighted(s, score);
        const cur = out.get(m);
        out.set(m, cur === undefined ? v : aggregate(cur, v, how));
      });
    }
    return out;
  }
  if (op === DIFF) {
    const first = srcs[0]!;
    each(first, (m, score) => {
      for (let j = 1; j < srcs.length; j++) if (scoreIn(srcs[j]!, m) !== undefined) return;
      out.set(m, score);
    });
    return out;
  }
  let card = 0;
  const first = srcs[0]!;
  if (sizeOf(first) === 0) return cardLimit === null ? out : 0;
  // Stop early once ZINTERCARD's LIMIT is reached: collect members, then bail out of the walk.
  const members: string[] = [];
  const scores: number[] = [];
  each(first, (m, s0) => {
    members.push(m);
    scores.push(s0);
  });
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    let score = weighted(first, scores[i]!);
    let j = 1;
    for (; j < srcs.length; j++) {
      const s = scoreIn(srcs[j]!, m);
      if (s === undefined) break;
      // Only the first input's product is cleaned of NaN (0 × inf); the others go to aggregate raw.
      score = aggregate(score, s * srcs[j]!.weight, how);
    }
    if (j < srcs.length) continue;
    if (cardLimit !== null) {
      if (++card === cardLimit) break;
    } else {
      out.set(m, score);
    }
  }
  return cardLimit === null ? out : card;
}

/** The result as a sorted set (Redis builds a skiplist, then converts it if it is small). */
function toZset(result: Map<string, number>, listpack: (size: number, maxLen: number) => boolean): ZSetValue {
  let maxLen = 0;
  for (const m of result.keys()) if (m.length > maxLen) maxLen = m.length;
  const z = ZSetValue.from(result, false);
  if (listpack(z.size, maxLen)) z.toListpack();
  return z;
}

/** zunionInterDiffGenericCommand. `name` is the command's name for the numkeys error. */
function zsetop(c: Client, argv: string[], name: string, dst: string | null, numkeysAt: number, op: Op, card: boolean): Reply {
  const setnum = parseInteger(argv[numkeysAt]!);
  if (setnum < 1) throw NUMKEYS_ZERO(name);
  if (setnum > argv.length - (numkeysAt + 1)) throw SYNTAX;
  const srcs: Source[] = [];
  for (let i = 0; i < setnum; i++) {
    const e = c.db.lookup(argv[numkeysAt + 1 + i]!);
    if (e !== undefined) {
      const t = typeOf(e.value);
      if (t !== 'zset' && t !== 'set') throw WRONGTYPE;
    }
    srcs.push({ value: e?.value as ZSetValue | SetValue | undefined, weight: 1 });
  }
  let how = SUM;
  let withScores = false;
  let limit = 0;
  for (let j = numkeysAt + 1 + setnum; j < argv.length; ) {
    const left = argv.length - j;
    const opt = argv[j]!;
    if (op !== DIFF && !card && left >= setnum + 1 && isOpt(opt, 'weights')) {
      j++;
      for (const s of srcs) s.weight = parseScore(argv[j++]!, WEIGHT_NOT_FLOAT);
    } else if (op !== DIFF && !card && left >= 2 && isOpt(opt, 'aggregate')) {
      const a = argv[j + 1]!;
      if (isOpt(a, 'sum')) how = SUM;
      else if (isOpt(a, 'min')) how = MIN;
      else if (isOpt(a, 'max')) how = MAX;
      else throw SYNTAX;
      j += 2;
    } else if (dst === null && !card && isOpt(opt, 'withscores')) {
      withScores = true;
      j++;
    } else if (card && left >= 2 && isOpt(opt, 'limit')) {
      limit = parseInteger(argv[j + 1]!, LIMIT_NEGATIVE);
      if (limit < 0) throw LIMIT_NEGATIVE;
      j += 2;
    } else {
      throw SYNTAX;
    }
  }
  // Smallest first, as Redis's qsort by cardinality (stable here; Redis's order of ties may differ).
  if (op !== DIFF) srcs.sort((a, b) => sizeOf(a) - sizeOf(b));
  const result = compute(srcs, op, how, card ? limit : null);
  if (typeof result === 'number') return result;
  if (dst !== null) {
    const limits = listpackLimits(c);
    const z = toZset(result, (size, maxLen) => fitsListpack(size, maxLen, limits));
    return storeResult(c, dst, z, op === UNION ? 'zunionstore' : op === INTER ? 'zinterstore' : 'zdiffstore', 'z');
  }
  const z = toZset(result, () => false);
  const out: Reply[] = [];
  const resp3 = c.resp === 3;
  z.visit(0, z.size, false, (m, s) => pushScored(out, resp3, withScores, m, s));
  return out;
}

const UNION_COMPLEXITY =
  'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const INTER_COMPLEXITY =
  'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY =
  'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

export const zsetopCommands: CommandSpec[] = [
  // ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
  command({
    name: 'zunion', arity: -3, flags: ['readonly'], getKeys: numkeysGetKeys(1), group: 'sorted-set', since: '6.2.0',
    summary: 'Add multiple sorted sets',
    syntax: 'numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]',
    complexity: UNION_COMPLEXITY,
    handler: (c, argv) => zsetop(c, argv, 'zunion', null, 1, UNION, false),
  }),
  // ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
  command({
    name: 'zinter', arity: -3, flags: ['readonly'], getKeys: numkeysGetKeys(1), group: 'sorted-set', since: '6.2.0',
    summary: 'Intersect multiple sorted sets',
    syntax: 'numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]',
    complexity: INTER_COMPLEXITY,
    handler: (c, argv) => zsetop(c, argv, 'zinter', null, 1, INTER, false),
  }),
  // ZDIFF numkeys key [key ...] [WITHSCORES]
  command({
    name: 'zdiff', arity: -3, flags: ['readonly'], getKeys: numkeysGetKeys(1), group: 'sorted-set', since: '6.2.0',
    summary: 'Subtract multiple sorted sets', syntax: 'numkeys key [key ...] [WITHSCORES]', complexity: DIFF_COMPLEXITY,
    handler: (c, argv) => zsetop(c, argv, 'zdiff', null, 1, DIFF, false),
  }),
  // ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
  command({
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: numkeysGetKeys(2, [1]),
    group: 'sorted-set', since: '2.0.0',
    summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
    syntax: 'destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    handler: (c, argv) => zsetop(c, argv, 'zunionstore', argv[1]!, 2, UNION, false),
  }),
  // ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
  command({
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: numkeysGetKeys(2, [1]),
    group: 'sorted-set', since: '2.0.0',
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
    syntax: 'destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]',
    complexity: INTER_COMPLEXITY,
    handler: (c, argv) => zsetop(c, argv, 'zinterstore', argv[1]!, 2, INTER, false),
  }),
  // ZDIFFSTORE destination numkeys key [key ...]
  command({
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], getKeys: numkeysGetKeys(2, [1]),
    group: 'sorted-set', since: '6.2.0',
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
    syntax: 'destination numkeys key [key ...]', complexity: DIFF_COMPLEXITY,
    handler: (c, argv) => zsetop(c, argv, 'zdiffstore', argv[1]!, 2, DIFF, false),
  }),
  // ZINTERCARD numkeys key [key ...] [LIMIT limit]
  command({
    name: 'zintercard', arity: -3, flags: ['readonly'], getKeys: numkeysGetKeys(1), group: 'sorted-set', since: '7.0.0',
    summary: 'Intersect multiple sorted sets and return the cardinality of the result',
    syntax: 'numkeys key [key ...] [LIMIT limit]',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    handler: (c, argv) => zsetop(c, argv, 'zintercard', null, 1, INTER, true),
  }),
];
