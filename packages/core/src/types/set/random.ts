/**
 * SPOP and SRANDMEMBER (t_set.c). SPOP propagates its effect, never itself: one popped member as
 * `SREM key member`; with a count, one `SREM key member` per member (7.0.15 does not batch them
 * as later versions do; the execution unit wraps them in MULTI/EXEC), or `DEL key` when the
 * whole set goes.
 */
import type { Client } from '../../engine/client.ts';
import { parseBigInt, parseInteger } from '../../commands/args.ts';
import { COUNT_OUT_OF_LONG_RANGE, NOT_POSITIVE, SYNTAX } from '../../reply/errors.ts';
import { SetReply, type Reply } from '../../reply/reply.ts';
import { sunionDiffGeneric } from './algebra.ts';
import { randomIndex, sampleDistinct } from './sample.ts';
import { SetValue } from './set.ts';

/** SPOP with a count rebuilds the set from what remains once this many times more leave. */
const SPOP_MOVE_STRATEGY_MUL = 5;
const LONG_MIN = -(2n ** 63n);

// SPOP key [count]
export function spop(c: Client, argv: string[]): Reply {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) throw SYNTAX;
  const key = argv[1]!;
  const s = c.db.write(key, 'set');
  if (s === undefined) return null;
  const m = s.at(randomIndex(c.engine.random, s.size));
  s.delete(m);
  c.changed(key, 'spop', 's');
  c.rewrite(['SREM', key, m]);
  if (s.size === 0) {
    c.db.delete(key);
    c.changed(key, 'del', 'g', 0);
  }
  return m;
}

function spopWithCount(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const count = parseInteger(argv[2]!, NOT_POSITIVE);
  if (count < 0) throw NOT_POSITIVE;
  const s = c.db.write(key, 'set');
  if (s === undefined || count === 0) return new SetReply([]);
  const size = s.size;
  // Redis counts the requested count as dirty, even past the set's size.
  c.changed(key, 'spop', 's', count);
  if (count >= size) {
    const reply = sunionDiffGeneric(c, [key], undefined, 'union');
    c.db.delete(key);
    c.changed(key, 'del', 'g', 0);
    // 7.0 always writes DEL here; UNLINK under lazyfree-lazy-server-del came with 7.2.
    c.rewrite(['DEL', key]);
    return reply;
  }
  const random = c.engine.random;
  const remaining = size - count;
  const popped: string[] = [];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const m = s.at(randomIndex(random, s.size));
      s.delete(m);
      popped.push(m);
    }
  } else {
    // Few stay: pick those, reply with the rest in the set's order, and store a new set of the
    // survivors, which is an intset again when they all are integers (Redis's CASE 3).
    const keep = sampleDistinct(random, size, remaining).map((i) => s.at(i));
    const kept = new Set(keep);
    for (const m of s) if (!kept.has(m)) popped.push(m);
    c.db.set(key, SetValue.from(keep, c.engine.config.num('set-max-intset-entries')), true);
  }
  if (c.engine.propagation.active) for (const m of popped) c.alsoPropagate(['SREM', key, m]);
  c.noPropagate = true;
  return new SetReply(popped);
}

// SRANDMEMBER key [count]
export function srandmember(c: Client, argv: string[]): Reply {
  if (argv.length > 3) throw SYNTAX;
  const random = c.engine.random;
  if (argv.length === 2) {
    const s = c.db.read(argv[1]!, 'set');
    return s === undefined ? null : s.at(randomIndex(random, s.size));
  }
  const l = parseBigInt(argv[2]!);
  if (l === LONG_MIN) throw COUNT_OUT_OF_LONG_RANGE;
  const s = c.db.read(argv[1]!, 'set');
  if (s === undefined || l === 0n) return [];
  const count = Number(l < 0n ? -l : l);
  const size = s.size;
  if (l < 0n || count === 1) {
    // A count past the longest JS array throws a RangeError here instead of looping until OOM.
    const out = new Array<Reply>(count);
    for (let i = 0; i < count; i++) out[i] = s.at(randomIndex(random, size));
    return out;
  }
  if (count >= size) return [...s];
  return sampleDistinct(random, size, count).map((i) => s.at(i));
}
