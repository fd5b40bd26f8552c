/**
 * Turns a typed call into argv. Most commands take their arguments positionally (`SIMPLE`); the
 * rest translate option objects into Redis's words (`BUILDERS`). Both are checked against the
 * `Commands` interface, so a method cannot exist in the types without a builder.
 */
import { toBinary, type Input } from '../bytes.ts';
import type { CommandName } from './commands.ts';
import type { ScanOptions, ScoreMember, ZAddOptions, ZRangeOptions, ZStoreOptions } from './options.ts';
import { pairsToObject, type Decoded } from './decode.ts';

/** argv before byte conversion; nested arrays are flattened. */
export type Args = Array<Input | Input[] | undefined>;
export type Builder = (...args: any[]) => Args;
const SIMPLE = [
  'del', 'unlink', 'exists', 'touch', 'type', 'rename', 'renamenx', 'expire', 'pexpire', 'expireat',
  'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'keys', 'randomkey', 'dbsize',
  'flushdb', 'flushall', 'select', 'swapdb', 'move', 'ping', 'echo', 'time', 'publish',
  'get', 'setnx', 'setex', 'psetex', 'mget', 'getset', 'getdel', 'append', 'strlen', 'getrange',
  'setrange', 'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby', 'setbit', 'getbit', 'bitcount', 'bitpos',
  'bitop',
  'lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lset', 'linsert',
  'lrem', 'ltrim', 'lmove', 'rpoplpush', 'blmove', 'brpoplpush',
  'hsetnx', 'hget', 'hmget', 'hdel', 'hexists', 'hlen', 'hstrlen', 'hkeys', 'hvals', 'hincrby',
  'hincrbyfloat', 'hgetall',
  'sadd', 'srem', 'smembers', 'sismember', 'smismember', 'scard', 'spop', 'srandmember', 'smove', 'sinter',
  'sinterstore', 'sunion', 'sunionstore', 'sdiff', 'sdiffstore',
  'zincrby', 'zrem', 'zscore', 'zmscore', 'zcard', 'zcount', 'zlexcount', 'zrank', 'zrevrank', 'zpopmin',
  'zpopmax', 'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex',
] as const;

const flag = (on: boolean | undefined, word: string): Args => (on ? [word] : []);
const opt = (v: Input | undefined, word: string): Args => (v === undefined ? [] : [word, v]);
const limit = (o: { offset?: number; count?: number } | undefined): Args =>
  o?.offset !== undefined || o?.count !== undefined ? ['LIMIT', o.offset ?? 0, o.count ?? -1] : [];
const scan = (o: ScanOptions | undefined): Args => [...opt(o?.match, 'MATCH'), ...opt(o?.count, 'COUNT'), ...opt(o?.type, 'TYPE')];
const pairs = (o: Record<string, Input>): Args => Object.entries(o).flat();
const keysWithCount = (keys: Input[]): Args => [keys.length, ...keys];
const store = (o: ZStoreOptions | undefined): Args => [
  ...(o?.weights ? ['WEIGHTS', ...o.weights] : []),
  ...opt(o?.aggregate?.toUpperCase(), 'AGGREGATE'),
  ...flag(o?.withScores, 'WITHSCORES'),
];

const BUILDERS = {
  // Without options (the common call) no option arrays are built.
  set: (k: Input, v: Input, o?: Record<string, unknown>): Args => o === undefined ? [k, v] : [
    k, v,
    ...flag(o?.nx as boolean, 'NX'), ...flag(o?.xx as boolean, 'XX'), ...flag(o?.get as boolean, 'GET'),
    ...opt(o?.ex as number, 'EX'), ...opt(o?.px as number, 'PX'), ...opt(o?.exat as number, 'EXAT'),
    ...opt(o?.pxat as number, 'PXAT'), ...flag(o?.keepTtl as boolean, 'KEEPTTL'),
  ],
  getex: (k: Input, o?: Record<string, unknown>): Args => [
    k, ...opt(o?.ex as number, 'EX'), ...opt(o?.px as number, 'PX'), ...opt(o?.exat as number, 'EXAT'),
    ...opt(o?.pxat as number, 'PXAT'), ...flag(o?.persist as boolean, 'PERSIST'),
  ],
  mset: (o: Record<string, Input>): Args => pairs(o),
  msetnx: (o: Record<string, Input>): Args => pairs(o),
  hset: (k: Input, o: Record<string, Input>): Args => [k, ...pairs(o)],
  hmset: (k: Input, o: Record<string, Input>): Args => [k, ...pairs(o)],
  scan: (cursor: Input, o?: ScanOptions): Args => [cursor, ...scan(o)],
  hscan: (k: Input, cursor: Input, o?: ScanOptions): Args => [k, cursor, ...scan(o)],
  sscan: (k: Input, cursor: Input, o?: ScanOptions): Args => [k, cursor, ...scan(o)],
  zscan: (k: Input, cursor: Input, o?: ScanOptions): Args => [k, cursor, ...scan(o)],
  copy: (s: Input, d: Input, o?: { db?: number; replace?: boolean }): Args => [s, d, ...opt(o?.db, 'DB'), ...flag(o?.replace, 'REPLACE')],
  lpos: (k: Input, e: Input, o?: { rank?: number; count?: number; maxLen?: number }): Args =>
    [k, e, ...opt(o?.rank, 'RANK'), ...opt(o?.count, 'COUNT'), ...opt(o?.maxLen, 'MAXLEN')],
  lmpop: (keys: Input[], dir: string, count?: number): Args => [...keysWithCount(keys), dir, ...opt(count, 'COUNT')],
  blmpop: (t: number, keys: Input[], dir: string, count?: number): Args => [t, ...keysWithCount(keys), dir, ...opt(count, 'COUNT')],
  blpop: (keys: Input | Input[], t: number): Args => [keys, t],
  brpop: (keys: Input | Input[], t: number): Args => [keys, t],
  bzpopmin: (keys: Input | Input[], t: number): Args => [keys, t],
  bzpopmax: (keys: Input | Input[], t: number): Args => [keys, t],
  hrandfield: (k: Input, count?: number, withValues?: boolean): Args => [k, count, ...flag(withValues, 'WITHVALUES')],
  zrandmember: (k: Input, count?: number, withScores?: boolean): Args => [k, count, ...flag(withScores, 'WITHSCORES')],
  sintercard: (keys: Input[], o?: { limit?: number }): Args => [...keysWithCount(keys), ...opt(o?.limit, 'LIMIT')],
  zintercard: (keys: Input[], o?: { limit?: number }): Args => [...keysWithCount(keys), ...opt(o?.limit, 'LIMIT')],
  zadd: (k: Input, ...rest: Array<ZAddOptions | ScoreMember>): Args => {
    const o = rest[0] && !('score' in rest[0]) ? (rest.shift() as ZAddOptions) : {};
    const flags = (['nx', 'xx', 'gt', 'lt', 'ch', 'incr'] as const).filter((f) => o[f]).map((f) => f.toUpperCase());
    return [k, ...flags, ...(rest as ScoreMember[]).flatMap((sm) => [sm.score, sm.member])];
  },
  zrange: (k: Input, min: Input, max: Input, o?: ZRangeOptions): Args => [
    k, min, max, ...flag(o?.byScore, 'BYSCORE'), ...flag(o?.byLex, 'BYLEX'), ...flag(o?.rev, 'REV'),
    ...limit(o), ...flag(o?.withScores, 'WITHSCORES'),
  ],
  zrangestore: (d: Input, k: Input, min: Input, max: Input, o?: ZRangeOptions): Args => [
    d, k, min, max, ...flag(o?.byScore, 'BYSCORE'), ...flag(o?.byLex, 'BYLEX'), ...flag(o?.rev, 'REV'), ...limit(o),
  ],
  zrangebyscore: (k: Input, min: Input, max: Input, o?: { withScores?: boolean; offset?: number; count?: number }): Args =>
    [k, min, max, ...flag(o?.withScores, 'WITHSCORES'), ...limit(o)],
  zrevrangebyscore: (k: Input, max: Input, min: Input, o?: { withScores?: boolean; offset?: number; count?: number }): Args =>
    [k, max, min, ...flag(o?.withScores, 'WITHSCORES'), ...limit(o)],
  zrangebylex: (k: Input, min: Input, max: Input, o?: { offset?: number; count?: number }): Args => [k, min, max, ...limit(o)],
  zrevrangebylex: (k: Input, max: Input, min: Input, o?: { offset?: number; count?: number }): Args => [k, max, min, ...limit(o)],
  zrevrange: (k: Input, start: number, stop: number, o?: { withScores?: boolean }): Args => [k, start, stop, ...flag(o?.withScores, 'WITHSCORES')],
  zmpop: (keys: Input[], which: string, count?: number): Args => [...keysWithCount(keys), which, ...opt(count, 'COUNT')],
  bzmpop: (t: number, keys: Input[], which: string, count?: number): Args => [t, ...keysWithCount(keys), which, ...opt(count, 'COUNT')],
  zunion: (keys: Input[], o?: ZStoreOptions): Args => [...keysWithCount(keys), ...store(o)],
  zinter: (keys: Input[], o?: ZStoreOptions): Args => [...keysWithCount(keys), ...store(o)],
  zdiff: (keys: Input[], o?: { withScores?: boolean }): Args => [...keysWithCount(keys), ...flag(o?.withScores, 'WITHSCORES')],
  zunionstore: (d: Input, keys: Input[], o?: ZStoreOptions): Args => [d, ...keysWithCount(keys), ...store(o)],
  zinterstore: (d: Input, keys: Input[], o?: ZStoreOptions): Args => [d, ...keysWithCount(keys), ...store(o)],
  zdiffstore: (d: Input, keys: Input[]): Args => [d, ...keysWithCount(keys)],
} satisfies Partial<Record<CommandName, Builder>>;

/** Post-processing where the decoded reply is not yet the typed result. */
const POST: Partial<Record<CommandName, (d: Decoded) => Decoded>> = {
  hgetall: (d) => (Array.isArray(d) ? pairsToObject(d) : d),
};

// Every method of `Commands` has exactly one of: a SIMPLE entry, a BUILDERS entry.
type Covered = (typeof SIMPLE)[number] | keyof typeof BUILDERS;
const exhaustive: [Exclude<CommandName, Covered>] extends [never] ? true : Exclude<CommandName, Covered> = true;
void exhaustive;

export const METHOD_NAMES: readonly CommandName[] = [...SIMPLE, ...(Object.keys(BUILDERS) as CommandName[])];

/** Arguments as byte strings appended to `out` (the command name), nested arrays flattened, undefined skipped. */
export function toArgv(args: Args, out: string[] = []): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined) continue;
    if (Array.isArray(a)) for (const x of a) out.push(toBinary(x));
    else out.push(toBinary(a));
  }
  return out;
}

/** A typed method: its call's argv (name first, as byte strings), and the post-processing of its decoded reply. */
export interface Method {
  argv(args: unknown[]): string[];
  post: ((d: Decoded) => Decoded) | undefined;
}

/**
 * Made once per method, so that a call does no lookups and builds no result object: a positional
 * command allocates its argv and nothing else. With many calls in flight the page client's own
 * work is a large share of a call's cost.
 */
export function methodOf(name: CommandName): Method {
  const b = (BUILDERS as Partial<Record<CommandName, Builder>>)[name];
  const upper = name.toUpperCase();
  return { argv: b ? (args) => toArgv(b(...args), [upper]) : (args) => toArgv(args as Args, [upper]), post: POST[name] };
}
