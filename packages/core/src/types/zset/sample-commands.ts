/**
 * ZRANDMEMBER (zrandmemberWithCountCommand's cases) and ZSCAN. Randomness comes from the engine.
 * Orders follow Redis where it has one: the whole set comes back highest first (its zset iterator
 * runs from the tail), a listpack's unique samples in set order; a skiplist's unique samples come
 * in an order of its hash table, ours in the order they were drawn.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { isOpt, parseBigInt } from '../../commands/args.ts';
import { matches, parseScanArgs, scanReply } from '../../commands/scan.ts';
import type { Client } from '../../engine/client.ts';
import { COUNT_OUT_OF_LONG_RANGE, SYNTAX, VALUE_OUT_OF_RANGE } from '../../reply/errors.ts';
import { formatDouble17g, type Reply } from '../../reply/reply.ts';
import type { ZSetValue } from './zset.ts';
import { pushScored } from './util.ts';

const LONG_MAX = 2n ** 63n - 1n;

function randomRank(c: Client, size: number): number {
  return Math.floor(c.engine.random() * size);
}

function zrandmemberWithCount(c: Client, z: ZSetValue, count: number, unique: boolean, withScores: boolean): Reply {
  const out: Reply[] = [];
  const resp3 = c.resp === 3;
  const push = ([m, s]: [string, number]): void => pushScored(out, resp3, withScores, m, s);
  const size = z.size;
  if (!unique || count === 1) {
    for (let i = 0; i < count; i++) push(z.at(randomRank(c, size)));
    return out;
  }
  if (count >= size) {
    z.visit(size - 1, size, true, (m, s) => pushScored(out, resp3, withScores, m, s));
    return out;
  }
  if (count * 3 > size) {
    // Close to the whole set: drop size - count random ranks, keep the rest in order.
    const ranks = Array.from({ length: size }, (_, i) => i);
    for (let left = size; left > count; left--) {
      const i = randomRank(c, left);
      ranks[i] = ranks[left - 1]!;
    }
    ranks.length = count;
    ranks.sort((a, b) => a - b);
    for (const r of ranks) push(z.at(r));
    return out;
  }
  const picked = new Set<number>();
  while (picked.size < count) picked.add(randomRank(c, size));
  const ranks = [...picked];
  if (z.listpack) ranks.sort((a, b) => a - b);
  for (const r of ranks) push(z.at(r));
  return out;
}

function zrandmember(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  if (argv.length === 2) {
    const z = c.db.read(key, 'zset');
    return z === undefined ? null : z.at(randomRank(c, z.size))[0];
  }
  const l = parseBigInt(argv[2]!);
  if (l < -LONG_MAX) throw COUNT_OUT_OF_LONG_RANGE;
  if (argv.length > 4 || (argv.length === 4 && !isOpt(argv[3]!, 'withscores'))) throw SYNTAX;
  const withScores = argv.length === 4;
  if (withScores && (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n)) throw VALUE_OUT_OF_RANGE;
  const z = c.db.read(key, 'zset');
  if (z === undefined || l === 0n) return [];
  return zrandmemberWithCount(c, z, Number(l < 0n ? -l : l), l > 0n, withScores);
}

/** ZSCAN: a listpack answers all at once (cursor 0); a skiplist walks its member map. */
function zscan(c: Client, argv: string[]): Reply {
  // The cursor is checked before the key, the options after it (zscanCommand, scanGenericCommand).
  parseScanArgs(argv.slice(0, 3), 2, false);
  const z = c.db.read(argv[1]!, 'zset');
  if (z === undefined) return scanReply(0, []);
  const opts = parseScanArgs(argv, 2, false);
  const items: Reply[] = [];
  const visit = (m: string, s: number): void => {
    if (matches(opts.pattern, m)) items.push(m, formatDouble17g(s));
  };
  if (z.listpack) {
    z.visit(0, z.size, false, visit);
    return scanReply(0, items);
  }
  const next = c.engine.cursors.scan(z.dict, opts.cursor, opts.count, ([m, s]) => visit(m, s));
  return scanReply(next, items);
}

export const zsampleCommands: CommandSpec[] = [
  // ZRANDMEMBER key [count [WITHSCORES]]
  command({
    name: 'zrandmember', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Get one or multiple random elements from a sorted set', syntax: 'key [count [WITHSCORES]]',
    complexity: 'O(N) where N is the number of elements returned',
    handler: zrandmember,
  }),
  // ZSCAN key cursor [MATCH pattern] [COUNT count]
  command({
    name: 'zscan', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'sorted-set', since: '2.8.0',
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    syntax: 'key cursor [MATCH pattern] [COUNT count]',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: zscan,
  }),
];
