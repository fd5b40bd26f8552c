/**
 * What the sorted set command handlers share: the encoding limits from config, Redis's zsetAdd,
 * and the reply shapes of scored elements.
 */
import { isInt64 } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { Double, type Reply } from '../../reply/reply.ts';
import type { ListpackLimits, ZSetValue } from './zset.ts';

export function listpackLimits(c: Client): ListpackLimits {
  const cfg = c.engine.config;
  return { entries: cfg.num('zset-max-listpack-entries'), value: cfg.num('zset-max-listpack-value') };
}

/** zsetAdd's input flags. */
export const ZADD_INCR = 1;
export const ZADD_NX = 2;
export const ZADD_XX = 4;
export const ZADD_GT = 8;
export const ZADD_LT = 16;

/** zsetAdd's outcome. */
export const ZADD_NOP = 0;
export const ZADD_ADDED = 1;
export const ZADD_UPDATED = 2;
/** The member was there with the same score: processed, nothing changed. */
export const ZADD_SAME = 3;
export const ZADD_NAN = 4;

/** The score zsetAdd computed (its `newscore`), valid after ADDED, UPDATED or SAME. */
export let addedScore = 0;

/**
 * Redis's zsetAdd: adds or updates one member as NX/XX/GT/LT/INCR say, converting a listpack to
 * a skiplist first when a new member would pass the limits. NAN only comes from INCR (inf - inf).
 */
export function zsetAdd(z: ZSetValue, score: number, member: string, flags: number, limits: ListpackLimits): number {
  const cur = z.dict.get(member);
  if (cur !== undefined) {
    if (flags & ZADD_NX) return ZADD_NOP;
    if (flags & ZADD_INCR) {
      score += cur;
      if (Number.isNaN(score)) return ZADD_NAN;
    }
    if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) return ZADD_NOP;
    addedScore = score;
    if (score === cur) return ZADD_SAME;
    z.update(member, cur, score);
    return ZADD_UPDATED;
  }
  if (flags & ZADD_XX) return ZADD_NOP;
  if (z.listpack && (z.size + 1 > limits.entries || member.length > limits.value)) z.toSkiplist();
  z.insert(member, score);
  addedScore = score;
  return ZADD_ADDED;
}

/**
 * Appends one element as Redis's range replies do: the member, then with scores its score, as a
 * flat pair in RESP2 and a [member, score] array in RESP3.
 */
export function pushScored(out: Reply[], resp3: boolean, withScores: boolean, member: string, score: number): void {
  if (!withScores) out.push(member);
  else if (resp3) out.push([member, new Double(score)]);
  else out.push(member, new Double(score));
}

/**
 * Key positions of `numkeys key [key ...]` at `at`, after `extra` (a STORE's destination), as
 * Redis's keynum key spec finds them: none at all when numkeys is not an integer >= 1 or runs past
 * the arguments (COMMAND GETKEYS then answers "Invalid arguments").
 */
export function numkeysGetKeys(at: number, extra: number[] = []): (argv: readonly string[]) => number[] {
  return (argv) => {
    const raw = argv[at];
    const n = raw !== undefined && isInt64(raw) ? Number(raw) : 0;
    if (n < 1 || at + n >= argv.length) return [];
    const keys = [...extra];
    for (let i = at + 1; i <= at + n; i++) keys.push(i);
    return keys;
  };
}
