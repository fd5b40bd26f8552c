/**
 * How one command's replies are compared. Exact by default; the exceptions are the ones Redis
 * itself allows: element order of hashtable-encoded sets and hashes (and KEYS, PUBSUB CHANNELS,
 * CONFIG GET), TTLs measured on two clocks, values that are per-connection (CLIENT ID, the id in
 * HELLO) or per-moment (TIME). Random replies and SCAN cursors have their own runners (random.ts,
 * scan.ts).
 */
import { formatNorm, items, normEqual, pairs, sameMultiset, type Norm } from '../support/norm.ts';
import type { RespClient } from '../support/resp-client.ts';

/** undefined: the replies agree; otherwise why they do not. */
export type Verdict = string | undefined;

/** Reply order is undefined for hashtable encodings of the key(s) at these argument positions. */
const ORDER_BY_ENCODING: Record<string, 'first' | 'all'> = {
  smembers: 'first', hgetall: 'first', hkeys: 'first', hvals: 'first',
  sunion: 'all', sinter: 'all', sdiff: 'all',
};
/** Reply order is never defined. */
const UNORDERED = new Set(['keys', 'pubsub|channels', 'pubsub|shardchannels']);
const UNORDERED_PAIRS = new Set(['config|get']);
const TTL_TOLERANCE: Record<string, number> = { ttl: 2, pttl: 2000, expiretime: 2, pexpiretime: 2000 };

/** `config|get` for subcommand containers, the plain name otherwise. */
export function fullName(argv: readonly string[]): string {
  const n = argv[0]?.toLowerCase() ?? '';
  if ((n === 'config' || n === 'pubsub' || n === 'client' || n === 'object' || n === 'command') && argv.length > 1) {
    return `${n}|${argv[1]!.toLowerCase()}`;
  }
  return n;
}

export async function compareReplies(argv: readonly string[], redis: Norm, larder: Norm, conn: RespClient): Promise<Verdict> {
  const name = fullName(argv);
  if (normEqual(redis, larder)) return undefined;
  const tol = TTL_TOLERANCE[name];
  if (tol !== undefined && redis.t === 'int' && larder.t === 'int') {
    const r = Number(redis.v);
    const l = Number(larder.v);
    if (r >= 0 && l >= 0 && Math.abs(r - l) <= tol) return undefined;
    return 'TTL differs beyond the clock tolerance';
  }
  if (name === 'client|id') return larder.t === 'int' && redis.t === 'int' ? undefined : 'CLIENT ID is not an integer';
  if (name === 'time') return checkTime(redis, larder);
  if (name === 'hello') return normEqual(maskHelloId(redis), maskHelloId(larder)) ? undefined : 'HELLO replies differ (id ignored)';
  const ri = items(redis);
  const li = items(larder);
  if (!ri || !li || redis.t !== larder.t) return 'replies differ';
  if (UNORDERED.has(name)) return sameMultiset(ri, li) ? undefined : 'replies differ (compared as multisets)';
  if (UNORDERED_PAIRS.has(name)) return samePairs(ri, li) ? undefined : 'replies differ (compared as multisets of pairs)';
  const scope = ORDER_BY_ENCODING[name];
  if (scope === undefined) return 'replies differ';
  const same = name === 'hgetall' ? samePairs(ri, li) : sameMultiset(ri, li);
  if (!same) return 'replies differ (even as multisets)';
  const keys = scope === 'first' ? [argv[1]!] : argv.slice(1);
  const encodings = await conn.pipeline(keys.map((k) => ['OBJECT', 'ENCODING', k]));
  if (encodings.some((e) => e.t === 'bulk' && e.v === 'hashtable')) return undefined;
  return `same elements, different order (the oracle's keys are ${encodings.map((e) => formatNorm(e)).join(', ')}: order is defined)`;
}

function samePairs(a: Norm[], b: Norm[]): boolean {
  const join = (xs: Norm[]): Norm[] => pairs(xs).map(([k, v]) => ({ t: 'array', v: [k, v] }));
  return a.length === b.length && sameMultiset(join(a), join(b));
}

function checkTime(redis: Norm, larder: Norm): Verdict {
  const parse = (n: Norm) => {
    const xs = items(n);
    if (n.t !== 'array' || xs?.length !== 2 || !xs.every((x) => x.t === 'bulk' && /^\d+$/.test(x.v))) return undefined;
    return xs.map((x) => Number((x as { v: string }).v));
  };
  const r = parse(redis);
  const l = parse(larder);
  if (!l) return 'TIME is not [seconds, microseconds] as bulk strings';
  if (!r || Math.abs(r[0]! - l[0]!) > 2 || l[1]! >= 1_000_000) return 'TIME differs beyond tolerance';
  return undefined;
}

function maskHelloId(n: Norm): Norm {
  const xs = items(n);
  if (!xs) return n;
  const v = xs.map((x, i) => (i % 2 === 1 && xs[i - 1]?.t === 'bulk' && (xs[i - 1] as { v: string }).v === 'id' ? ({ t: 'int', v: 'ID' } as Norm) : x));
  return { ...n, v } as Norm;
}

/** Same structure (aggregate kinds and lengths, leaf kinds), leaf values ignored. */
export function sameShape(a: Norm, b: Norm): boolean {
  if (a.t !== b.t) return false;
  const ai = items(a);
  const bi = items(b);
  if (!ai || !bi) return true;
  return ai.length === bi.length && ai.every((x, i) => sameShape(x, bi[i]!));
}

/** The key a lex-range command reads, or undefined for other commands. */
export function lexRangeKey(argv: readonly string[]): string | undefined {
  const name = argv[0]!.toLowerCase();
  if (name === 'zrangebylex' || name === 'zrevrangebylex' || name === 'zlexcount' || name === 'zremrangebylex') return argv[1];
  if ((name === 'zrange' || name === 'zrangestore') && argv.some((a) => a.toLowerCase() === 'bylex')) return argv[name === 'zrange' ? 1 : 2];
  return undefined;
}

/**
 * A lex range over a skiplist-encoded sorted set whose members have different scores: Redis's
 * answer depends on its random skiplist levels, and Larder knowingly follows only its most likely
 * walk (ARCHITECTURE.md, "Where we differ from Redis 7.0.15, knowingly"). Such a step is skipped.
 */
export async function lexRangeOpen(conn: RespClient, key: string): Promise<boolean> {
  const [enc, all] = await conn.pipeline([['OBJECT', 'ENCODING', key], ['ZRANGE', key, '0', '-1', 'WITHSCORES']]);
  if (enc?.t !== 'bulk' || enc.v !== 'skiplist' || all?.t !== 'array') return false;
  const scores = new Set(all.v.filter((_, i) => i % 2 === 1).map((x) => JSON.stringify(x)));
  return scores.size > 1;
}
