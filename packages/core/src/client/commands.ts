/**
 * The typed surface: one method per Redis command, lowercase, with @upstash/redis-style option
 * objects. Types only; build.ts turns each call into argv. `S` is how bulk strings come back
 * (text by default, `Uint8Array` for a client opened with `{ bytes: true }`).
 *
 * NOTE: a method added here needs an entry in build.ts (`SIMPLE` or `BUILDERS`); the
 * `satisfies` check there fails the build otherwise.
 */
import type {
  BitCountUnit, Direction, ExpireOption, GetExOptions, Key, LPosOptions, ScanOptions, ScoreBound,
  ScoreMember, SetOptions, Value, ZAddOptions, ZRangeOptions, ZStoreOptions,
} from './options.ts';

type N = number;
type Nil<T> = T | null;

export interface GenericCommands<S> {
  del(...keys: Key[]): N;
  unlink(...keys: Key[]): N;
  exists(...keys: Key[]): N;
  touch(...keys: Key[]): N;
  type(key: Key): string;
  rename(key: Key, newKey: Key): 'OK';
  renamenx(key: Key, newKey: Key): 0 | 1;
  expire(key: Key, seconds: N, option?: ExpireOption): 0 | 1;
  pexpire(key: Key, ms: N, option?: ExpireOption): 0 | 1;
  expireat(key: Key, unixSeconds: N, option?: ExpireOption): 0 | 1;
  pexpireat(key: Key, unixMs: N, option?: ExpireOption): 0 | 1;
  ttl(key: Key): N;
  pttl(key: Key): N;
  expiretime(key: Key): N;
  pexpiretime(key: Key): N;
  persist(key: Key): 0 | 1;
  keys(pattern: string): S[];
  scan(cursor: N | string, opts?: ScanOptions): [string, S[]];
  randomkey(): Nil<S>;
  dbsize(): N;
  flushdb(mode?: 'ASYNC' | 'SYNC'): 'OK';
  flushall(mode?: 'ASYNC' | 'SYNC'): 'OK';
  select(db: N): 'OK';
  swapdb(a: N, b: N): 'OK';
  move(key: Key, db: N): 0 | 1;
  copy(source: Key, destination: Key, opts?: { db?: N; replace?: boolean }): 0 | 1;
  ping(message?: Value): string;
  echo(message: Value): S;
  time(): [string, string];
  publish(channel: Value, message: Value): N;
}

export interface StringCommands<S> {
  get(key: Key): Nil<S>;
  set(key: Key, value: Value, opts?: SetOptions): Nil<S | 'OK'>;
  setnx(key: Key, value: Value): 0 | 1;
  setex(key: Key, seconds: N, value: Value): 'OK';
  psetex(key: Key, ms: N, value: Value): 'OK';
  mget(...keys: Key[]): Nil<S>[];
  mset(entries: Record<string, Value>): 'OK';
  msetnx(entries: Record<string, Value>): 0 | 1;
  getset(key: Key, value: Value): Nil<S>;
  getdel(key: Key): Nil<S>;
  getex(key: Key, opts?: GetExOptions): Nil<S>;
  append(key: Key, value: Value): N;
  strlen(key: Key): N;
  getrange(key: Key, start: N, end: N): S;
  setrange(key: Key, offset: N, value: Value): N;
  incr(key: Key): N;
  incrby(key: Key, increment: N | bigint): N;
  incrbyfloat(key: Key, increment: N): S;
  decr(key: Key): N;
  decrby(key: Key, decrement: N | bigint): N;
  setbit(key: Key, offset: N, value: 0 | 1): 0 | 1;
  getbit(key: Key, offset: N): 0 | 1;
  bitcount(key: Key, start?: N, end?: N, unit?: BitCountUnit): N;
  bitpos(key: Key, bit: 0 | 1, start?: N, end?: N, unit?: BitCountUnit): N;
  bitop(op: 'AND' | 'OR' | 'XOR' | 'NOT', destination: Key, ...keys: Key[]): N;
}

export interface ListCommands<S> {
  lpush(key: Key, ...elements: Value[]): N;
  rpush(key: Key, ...elements: Value[]): N;
  lpushx(key: Key, ...elements: Value[]): N;
  rpushx(key: Key, ...elements: Value[]): N;
  lpop(key: Key, count?: N): Nil<S | S[]>;
  rpop(key: Key, count?: N): Nil<S | S[]>;
  llen(key: Key): N;
  lrange(key: Key, start: N, stop: N): S[];
  lindex(key: Key, index: N): Nil<S>;
  lset(key: Key, index: N, element: Value): 'OK';
  linsert(key: Key, where: 'BEFORE' | 'AFTER', pivot: Value, element: Value): N;
  lrem(key: Key, count: N, element: Value): N;
  ltrim(key: Key, start: N, stop: N): 'OK';
  lpos(key: Key, element: Value, opts?: LPosOptions): Nil<N | N[]>;
  lmove(source: Key, destination: Key, from: Direction, to: Direction): Nil<S>;
  rpoplpush(source: Key, destination: Key): Nil<S>;
  lmpop(keys: Key[], direction: Direction, count?: N): Nil<[S, S[]]>;
  blpop(keys: Key | Key[], timeoutSeconds: N): Nil<[S, S]>;
  brpop(keys: Key | Key[], timeoutSeconds: N): Nil<[S, S]>;
  blmove(source: Key, destination: Key, from: Direction, to: Direction, timeoutSeconds: N): Nil<S>;
  brpoplpush(source: Key, destination: Key, timeoutSeconds: N): Nil<S>;
  blmpop(timeoutSeconds: N, keys: Key[], direction: Direction, count?: N): Nil<[S, S[]]>;
}

export interface HashCommands<S> {
  hset(key: Key, fields: Record<string, Value>): N;
  hsetnx(key: Key, field: Value, value: Value): 0 | 1;
  hget(key: Key, field: Value): Nil<S>;
  hmget(key: Key, ...fields: Value[]): Nil<S>[];
  hmset(key: Key, fields: Record<string, Value>): 'OK';
  hgetall(key: Key): Record<string, S>;
  hdel(key: Key, ...fields: Value[]): N;
  hexists(key: Key, field: Value): 0 | 1;
  hlen(key: Key): N;
  hstrlen(key: Key, field: Value): N;
  hkeys(key: Key): S[];
  hvals(key: Key): S[];
  hincrby(key: Key, field: Value, increment: N | bigint): N;
  hincrbyfloat(key: Key, field: Value, increment: N): S;
  hrandfield(key: Key, count?: N, withValues?: boolean): Nil<S | S[]>;
  hscan(key: Key, cursor: N | string, opts?: Omit<ScanOptions, 'type'>): [string, S[]];
}

export interface SetCommands<S> {
  sadd(key: Key, ...members: Value[]): N;
  srem(key: Key, ...members: Value[]): N;
  smembers(key: Key): S[];
  sismember(key: Key, member: Value): 0 | 1;
  smismember(key: Key, ...members: Value[]): (0 | 1)[];
  scard(key: Key): N;
  spop(key: Key, count?: N): Nil<S | S[]>;
  srandmember(key: Key, count?: N): Nil<S | S[]>;
  smove(source: Key, destination: Key, member: Value): 0 | 1;
  sinter(...keys: Key[]): S[];
  sintercard(keys: Key[], opts?: { limit?: N }): N;
  sinterstore(destination: Key, ...keys: Key[]): N;
  sunion(...keys: Key[]): S[];
  sunionstore(destination: Key, ...keys: Key[]): N;
  sdiff(...keys: Key[]): S[];
  sdiffstore(destination: Key, ...keys: Key[]): N;
  sscan(key: Key, cursor: N | string, opts?: Omit<ScanOptions, 'type'>): [string, S[]];
}

export interface ZSetCommands<S> {
  zadd(key: Key, ...members: [ScoreMember, ...ScoreMember[]] | [ZAddOptions, ScoreMember, ...ScoreMember[]]): Nil<N>;
  zincrby(key: Key, increment: N, member: Value): N;
  zrem(key: Key, ...members: Value[]): N;
  zscore(key: Key, member: Value): Nil<N>;
  zmscore(key: Key, ...members: Value[]): Nil<N>[];
  zcard(key: Key): N;
  zcount(key: Key, min: ScoreBound, max: ScoreBound): N;
  zlexcount(key: Key, min: string, max: string): N;
  zrange(key: Key, min: N | string, max: N | string, opts?: ZRangeOptions): (S | N)[];
  zrangestore(destination: Key, key: Key, min: N | string, max: N | string, opts?: Omit<ZRangeOptions, 'withScores'>): N;
  zrangebyscore(key: Key, min: ScoreBound, max: ScoreBound, opts?: { withScores?: boolean; offset?: N; count?: N }): (S | N)[];
  zrevrangebyscore(key: Key, max: ScoreBound, min: ScoreBound, opts?: { withScores?: boolean; offset?: N; count?: N }): (S | N)[];
  zrangebylex(key: Key, min: string, max: string, opts?: { offset?: N; count?: N }): S[];
  zrevrangebylex(key: Key, max: string, min: string, opts?: { offset?: N; count?: N }): S[];
  zrevrange(key: Key, start: N, stop: N, opts?: { withScores?: boolean }): (S | N)[];
  zrank(key: Key, member: Value): Nil<N>;
  zrevrank(key: Key, member: Value): Nil<N>;
  zpopmin(key: Key, count?: N): (S | N)[];
  zpopmax(key: Key, count?: N): (S | N)[];
  zmpop(keys: Key[], which: 'MIN' | 'MAX', count?: N): Nil<[S, [S, N][]]>;
  bzpopmin(keys: Key | Key[], timeoutSeconds: N): Nil<[S, S, N]>;
  bzpopmax(keys: Key | Key[], timeoutSeconds: N): Nil<[S, S, N]>;
  bzmpop(timeoutSeconds: N, keys: Key[], which: 'MIN' | 'MAX', count?: N): Nil<[S, [S, N][]]>;
  zremrangebyrank(key: Key, start: N, stop: N): N;
  zremrangebyscore(key: Key, min: ScoreBound, max: ScoreBound): N;
  zremrangebylex(key: Key, min: string, max: string): N;
  zrandmember(key: Key, count?: N, withScores?: boolean): Nil<S | (S | N)[]>;
  zunion(keys: Key[], opts?: ZStoreOptions): (S | N)[];
  zinter(keys: Key[], opts?: ZStoreOptions): (S | N)[];
  zdiff(keys: Key[], opts?: { withScores?: boolean }): (S | N)[];
  zunionstore(destination: Key, keys: Key[], opts?: Omit<ZStoreOptions, 'withScores'>): N;
  zinterstore(destination: Key, keys: Key[], opts?: Omit<ZStoreOptions, 'withScores'>): N;
  zdiffstore(destination: Key, keys: Key[]): N;
  zintercard(keys: Key[], opts?: { limit?: N }): N;
  zscan(key: Key, cursor: N | string, opts?: Omit<ScanOptions, 'type'>): [string, (S | N)[]];
}

/** Every typed command method, with the reply type each resolves to. */
export interface Commands<S = string>
  extends GenericCommands<S>, StringCommands<S>, ListCommands<S>, HashCommands<S>, SetCommands<S>,
    ZSetCommands<S> {}

export type CommandName = keyof Commands;
