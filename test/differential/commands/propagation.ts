/**
 * Scenarios for the AOF differential (propagation.test.ts): the expiry family (keys given 5 ms
 * TTLs, a wait, then every family's commands, MULTI blocks and DUMP/RESTORE touching them), and
 * the directed table of propagation cases that are easy to get wrong, each a list of command lines
 * (`'c1 SET k v'` is client 1; arrays for empty or spaced arguments; `['@sleep', ms]` waits;
 * `'@dump'` is the oracle's last DUMP reply) or a blocking scenario (commands/blocking.ts).
 */
import fc from 'fast-check';
import { cmd, opt, options, pick, some, word, words, type Arg, type Argv, type Step } from './dsl.ts';
import { creators, element, key, keys, member, ttlMillis, value } from './values.ts';
import { anyCommand } from './mixed.ts';
import { env } from '../harness.ts';

/**
 * Gives a key a 5 ms TTL (some creating it), then waits until it has passed on both sides. Not
 * 1 ms: EXPIRE reads the clock twice (the base time, then checkAlreadyExpired), in Redis 7.0 as in
 * Larder, and a millisecond tick between the two would delete the key at once on one side only.
 */
const SHORT_TTL = '5';
const WAIT: Argv = ['@sleep', '8'];
const shortTtl = pick<Argv>(
  [3, cmd('SET', key, value, 'PX', SHORT_TTL)],
  [2, cmd('PSETEX', key, SHORT_TTL, value)],
  [4, cmd('PEXPIRE', key, SHORT_TTL, opt(words('NX', 'XX', 'GT', 'LT'), 4))],
  [2, cmd('GETEX', key, 'PX', SHORT_TTL)],
  [1, cmd('SET', key, value, 'PXAT', '1')],
).map((argv): Argv[] => [argv, WAIT]);

/** Deterministic commands for MULTI blocks (EXEC's reply is compared exactly). */
const queued = pick<Argv>(
  [3, cmd('GET', key)], [2, cmd('SET', key, value)], [2, cmd('INCR', key)], [2, cmd('LPUSH', key, some(element, 1, 2))],
  [2, cmd('SADD', key, some(member, 1, 2))], [1, cmd('HSET', key, 'f', value)], [2, cmd('EXISTS', keys(1, 3))], [2, cmd('TTL', key)],
  [1, cmd('DEL', keys(1, 2))], [1, cmd('PEXPIRE', key, SHORT_TTL)], [1, cmd('SELECT', fc.constantFrom('0', '1'))], [1, cmd('MOVE', key, '1')],
);

/**
 * DUMP a key, then RESTORE the oracle's payload (`@dump`) under a key: no TTL, a relative one
 * (logged as absolute with ABSTTL), absolute ones in the future and the past; REPLACE, IDLETIME, FREQ.
 */
const restoreTtl = pick<Arg[]>(
  [3, fc.constant(['0'])],
  [3, ttlMillis.map((t) => [t])],
  [2, fc.constantFrom(['7258118400000', 'ABSTTL'], ['1', 'ABSTTL'], ['0', 'ABSTTL'])],
);
export const dumpRestore: fc.Arbitrary<Argv[]> = fc
  .tuple(
    key,
    key,
    restoreTtl,
    options([word('REPLACE'), pick<Argv>([1, cmd(word('IDLETIME'), fc.constantFrom('0', '100'))], [1, cmd(word('FREQ'), fc.constantFrom('0', '5'))])]),
  )
  .map(([src, dst, [ttl, ...abs], opts]): Argv[] => [['DUMP', src], ['RESTORE', dst, ttl!, '@dump', ...abs, ...opts]]);

/** Sequences of 1..max groups of client-0 commands. */
export function groups(g: fc.Arbitrary<Argv[]>, max: number): fc.Arbitrary<Step[]> {
  return fc.array(g, { minLength: 1, maxLength: max, size: 'max' }).map((gs) => gs.flat().map((argv): Step => ({ client: 0, argv })));
}

export const one = (c: fc.Arbitrary<Argv>): fc.Arbitrary<Argv[]> => c.map((argv) => [argv]);

export const expirySteps = groups(
  pick<Argv[]>(
    [4, shortTtl],
    [2, one(pick<Argv>(...creators(env.has).map((c): [number, fc.Arbitrary<Argv>] => [1, c])))],
    [10, one(anyCommand())],
    // The wait: a queued PEXPIRE must have passed on both sides before the next step.
    [2, fc.array(queued, { minLength: 1, maxLength: 4 }).map((cs) => [['MULTI'], ...cs, ['EXEC'], WAIT])],
    [1, dumpRestore],
    [1, one(cmd('SELECT', fc.constantFrom('0', '1')))],
  ),
  30,
);

/** `'SET k v'`, `'c1 GET k'` (client 1), or an argv array (empty or spaced arguments). */
export type Line = string | string[];

export function parseLine(l: Line): Step {
  if (Array.isArray(l)) return { client: 0, argv: l };
  const words = l.split(' ');
  const m = /^c(\d)$/.exec(words[0]!);
  return m ? { client: Number(m[1]), argv: words.slice(1) } : { client: 0, argv: words };
}

export type Directed =
  | { name: string; steps: Line[] }
  | { name: string; blocking: { setup: string[]; blockers: string[]; writes: string[] } };

export const DIRECTED: Directed[] = [
  { name: 'EXPIRE family with a past or negative time becomes DEL', steps: [
    'SET k v', 'EXPIRE k -1', 'SET k v', 'PEXPIRE k 0', 'SET k v', 'EXPIREAT k 1000', 'SET k v', 'PEXPIREAT k 1', 'EXPIRE nokey -1',
  ] },
  { name: 'EXPIRE family becomes PEXPIREAT; NX/XX/GT/LT no-ops propagate nothing', steps: [
    'SET k v', 'EXPIRE k 100 XX', 'EXPIRE k 100 NX', 'EXPIRE k 200 NX', 'EXPIRE k 50 GT', 'EXPIRE k 500 LT', 'PEXPIRE k 500000 GT',
    'EXPIREAT k 4102444800 LT', 'PEXPIREAT k 7258118400000 lt', 'expire k 300', 'PERSIST k', 'PERSIST k', 'EXPIRE nokey 100', 'EXPIRE k 100 GT',
  ] },
  { name: 'SET with expiry options and GET', steps: [
    'SET k v GET', 'set k v2 get xx', 'SET k v3 NX GET', 'SET k v4 GET EX 100', 'set k v5 px 100000 get', 'SET k v6 EXAT 4102444800',
    'SET k v7 PXAT 7258118400000 XX', 'set k v8 KEEPTTL GET', 'SET k v9 EXAT 1', 'GET k', 'SET k2 v XX EX 10',
  ] },
  { name: 'SETEX, PSETEX, GETSET, GETDEL, SETNX, MSETNX', steps: [
    'SETEX k 100 v', 'PSETEX k 100000 v', 'GETSET k w', 'GETDEL k', 'GETDEL k', 'SETNX k 1', 'SETNX k 2', 'MSETNX k 1 m 2', 'MSETNX m 1 n 2',
    'MSET a 1 b 2 a 3',
  ] },
  { name: 'GETEX: PEXPIREAT, PERSIST only when a TTL goes, DEL for a past time, nothing without options', steps: [
    'SET k v EX 100', 'GETEX k', 'GETEX k PERSIST', 'GETEX k PERSIST', 'GETEX k EX 100', 'getex k px 100000', 'GETEX k EXAT 4102444800',
    'GETEX k PXAT 7258118400000', 'GETEX k PXAT 1', 'GETEX nokey EX 10', 'SET k v', 'GETEX k EXAT 1',
  ] },
  { name: 'INCRBYFLOAT becomes SET .. KEEPTTL (a key with a TTL, and without)', steps: [
    'SET n 1.5 EX 100', 'INCRBYFLOAT n 2', 'INCRBYFLOAT n 0.1', 'INCRBYFLOAT n 0', 'INCRBYFLOAT m 1e3', 'INCRBYFLOAT m -1000', 'INCRBYFLOAT n abc',
    'INCR i', 'INCRBY i 0', 'DECRBY i -5', 'SET big 9223372036854775807', 'INCR big',
  ] },
  { name: 'SETRANGE with an empty value and SETBIT to the same bit log nothing; APPEND of nothing is logged', steps: [
    ['SETRANGE', 'nokey', '0', ''], ['SETRANGE', 'nokey', '5', ''], 'SET s abc', ['SETRANGE', 's', '1', ''], ['SETRANGE', 's', '10', ''],
    ['APPEND', 's', ''], ['APPEND', 'new', ''], 'SETRANGE s 1 x', 'SETRANGE s 5 y', 'SETBIT b 0 0', 'SETBIT b 0 0', 'SETBIT b 7 1', 'SETBIT s 0 0',
  ] },
  { name: 'BITOP is logged when it writes or deletes its destination, not when there was nothing to delete', steps: [
    'BITOP AND dst nokey', 'SET dst x', 'BITOP AND dst nokey', 'SET a \x0f', 'SET b \xf0', 'BITOP OR dst a b', 'BITOP NOT dst2 a',
    'BITOP XOR dst a a', ['SET', 'e', ''], 'BITOP OR d3 e', 'BITOP OR d3 e',
  ] },
  { name: 'LMPOP / LPOP / RPOP with counts', steps: [
    'RPUSH l a b c d e', 'LMPOP 1 l LEFT COUNT 2', 'LMPOP 2 nokey l RIGHT COUNT 10', 'LMPOP 1 l LEFT', 'RPUSH l a b c', 'LPOP l 0', 'LPOP l 2',
    'RPOP l 5', 'RPOP l', 'LPOP nokey 2', 'RPUSH l x', 'LMPOP 1 l RIGHT',
  ] },
  { name: 'blocking pops served at once become their non-blocking forms', steps: [
    'RPUSH l a b c d e f', 'BLPOP l 1', 'BRPOP nokey l 1', 'BLMPOP 1 1 l LEFT COUNT 2', 'BLMPOP 1 2 nokey l RIGHT', 'BLMOVE l l2 LEFT RIGHT 1',
    'BRPOPLPUSH l l2 1', 'BRPOPLPUSH l2 l2 1', 'ZADD z 1 a 2 b 3 c 4 d', 'BZPOPMIN z 1', 'BZPOPMAX nokey z 1', 'BZMPOP 1 1 z MIN COUNT 5',
  ] },
  { name: 'list no-ops: LREM/LTRIM/LINSERT/LPUSHX that change nothing', steps: [
    'RPUSH l a b c', 'LREM l 0 z', 'LTRIM l 0 -1', 'LTRIM l 0 10', 'LINSERT l BEFORE z x', 'LPUSHX nokey a', 'RPUSHX nokey a', 'LSET l 0 a',
    'LTRIM l 1 0', 'LMOVE l l LEFT RIGHT', 'RPUSH l a b', 'LMOVE l l LEFT RIGHT', 'LREM l 1 b',
  ] },
  { name: 'ZMPOP / ZPOPMIN / ZPOPMAX with counts', steps: [
    'ZADD z 1 a 2 b 3 c 4 d', 'ZMPOP 1 z MIN COUNT 2', 'ZMPOP 2 nokey z MAX COUNT 5', 'ZADD z 1 a 2 b', 'ZPOPMIN z 0', 'ZPOPMAX z', 'ZPOPMIN z 10',
    'ZPOPMIN nokey', 'ZMPOP 1 nokey MIN',
  ] },
  { name: 'ZADD INCR and the conditional ZADDs that change nothing', steps: [
    'ZADD z INCR 1 a', 'ZADD z INCR 2.5 a', 'ZADD z XX INCR 1 nosuch', 'ZADD z NX INCR 1 a', 'ZADD z GT CH 0 a', 'ZADD z LT 10 a', 'ZADD z 3.5 a',
    'ZINCRBY z 0 a', 'ZINCRBY z 1.5 b', 'ZREM z nosuch', 'ZREMRANGEBYSCORE z 100 200', 'ZREMRANGEBYRANK z 5 10', 'ZREMRANGEBYLEX z [x [y',
  ] },
  { name: 'sorted set STOREs: an empty result is logged as sent only when it deleted the destination', steps: [
    'ZADD a 1 x 2 y', 'ZADD b 3 z', 'SET dst s', 'ZINTERSTORE dst 2 a b', 'ZINTERSTORE dst 2 a b', 'ZUNIONSTORE dst 2 a b', 'ZDIFFSTORE dst 1 nokey',
    'ZRANGESTORE dst a 0 -1', 'ZRANGESTORE dst a 5 10', 'ZRANGESTORE dst a 5 10',
  ] },
  { name: 'HINCRBYFLOAT becomes HSET; hash no-ops propagate nothing', steps: [
    'HSET h f 1', 'HINCRBYFLOAT h f 0.5', 'HINCRBYFLOAT h g 1e3', 'HINCRBYFLOAT h f 0', 'HINCRBYFLOAT h f abc', 'HSETNX h f 2', 'HDEL h nosuch',
    'HDEL h f g', 'HINCRBY h n 0', 'HMSET h a 1 a 2',
  ] },
  { name: 'SMOVE: moves, same key, missing member, last member', steps: [
    'SADD s a b', 'SMOVE s d a', 'SMOVE s d nosuch', 'SMOVE s s b', 'SMOVE s s z', 'SMOVE s d b', 'SMOVE nokey d a', 'SADD s a', 'SMOVE s d a',
  ] },
  { name: 'set STOREs: an empty result is logged as sent (not as DEL) only when it deleted the destination', steps: [
    'SADD a 1 2', 'SADD b 3', 'SET dst x', 'SINTERSTORE dst a b', 'SINTERSTORE dst a b', 'SINTERSTORE dst a nokey', 'SUNIONSTORE dst a b',
    'SDIFFSTORE dst a a', 'SDIFFSTORE dst a a', 'SUNIONSTORE dst nokey', 'SADD c 1', 'SINTERSTORE dst a c',
  ] },
  { name: 'SPOP that takes the whole set becomes DEL; SREM and SADD no-ops propagate nothing', steps: [
    'SADD s a', 'SPOP s', 'SADD s a b c', 'SPOP s 3', 'SADD s a b', 'SPOP s 10', 'SPOP s', 'SADD s a', 'SPOP s 0', 'SADD s a', 'SREM s nosuch',
    'SPOP nokey', 'SPOP nokey 2',
  ] },
  { name: 'SPOP with a count near 2^63 (added to server.dirty) leaves later writes logged', steps: [
    'SADD s 0', 'SPOP s 9223372036854775807', 'HSET s f 0', 'SADD t 1 2', 'SPOP t 9223372036854775807', 'SET x 1', 'SWAPDB 0 1', 'SELECT 1', 'INCR x',
  ] },
  { name: 'DEL / UNLINK propagate as sent, and only when something was deleted', steps: [
    'SET a 1', 'SET b 2', 'DEL a nokey', 'UNLINK b a', 'DEL nokey', 'SET a 1', 'unlink a',
  ] },
  { name: 'RENAME / RENAMENX, to itself included', steps: [
    'SET k v EX 100', 'RENAME k k', 'RENAMENX k k', 'RENAME k k2', 'SET k x', 'RENAMENX k k2', 'RENAMENX k2 k3', 'RENAME nokey k',
  ] },
  { name: 'COPY within a db and to another DB, REPLACE, with a TTL', steps: [
    'SET k v EX 100', 'COPY k k', 'COPY k k2', 'COPY k k2', 'COPY k k2 REPLACE', 'COPY k k DB 1', 'COPY k k DB 1', 'COPY nokey x', 'RPUSH l a b',
    'COPY l k DB 1 REPLACE', 'SELECT 1', 'LRANGE k 0 -1', 'COPY k k DB 0',
  ] },
  { name: 'MOVE and SWAPDB across dbs', steps: [
    'SET k v', 'MOVE k 1', 'MOVE k 1', 'SET k w', 'MOVE k 1', 'SWAPDB 0 1', 'GET k', 'SWAPDB 0 0', 'SELECT 2', 'SET x 1', 'SWAPDB 1 2', 'SELECT 1', 'DEL x',
  ] },
  { name: 'FLUSHDB / FLUSHALL are logged even on empty dbs, with their options', steps: [
    'FLUSHDB', 'SET a 1', 'FLUSHDB ASYNC', 'SELECT 3', 'FLUSHALL SYNC', 'flushall', 'SELECT 0', 'FLUSHDB',
  ] },
  { name: 'RESTORE: a relative TTL becomes an absolute one with ABSTTL; IDLETIME/FREQ kept; a past ABSTTL with REPLACE is DEL', steps: [
    'SET src hello', 'DUMP src', ['RESTORE', 'r1', '0', '@dump'], ['RESTORE', 'r2', '100000', '@dump'],
    ['RESTORE', 'r3', '4102444800000', '@dump', 'ABSTTL'], ['RESTORE', 'r1', '0', '@dump', 'REPLACE', 'IDLETIME', '100'],
    ['RESTORE', 'r1', '0', '@dump', 'REPLACE', 'FREQ', '5'], ['RESTORE', 'r4', '1', '@dump', 'ABSTTL'],
    ['RESTORE', 'r1', '1', '@dump', 'ABSTTL', 'REPLACE'], ['RESTORE', 'r2', '0', '@dump'], 'RPUSH l a b', 'DUMP l', ['RESTORE', 'l2', '0', '@dump'],
  ] },
  { name: 'MULTI/EXEC: one write unwrapped, reads and no-ops logged as nothing, SELECT inside', steps: [
    'MULTI', 'SET a 1', 'EXEC', 'MULTI', 'GET a', 'EXISTS a', 'EXEC', 'MULTI', 'SET a 1 NX', 'DEL nokey', 'EXEC', 'MULTI', 'EXEC',
    'MULTI', 'SET a 2', 'SELECT 1', 'SET b 2', 'INCR b', 'EXEC', 'MULTI', 'SET c 1', 'SELECT 0', 'EXEC', 'MULTI', 'SELECT 0', 'SET z 1', 'SET y 1', 'EXEC',
  ] },
  { name: 'MULTI/EXEC with errors: run-time errors keep the rest, EXECABORT logs nothing', steps: [
    'SET s str', 'MULTI', 'SET a 1', 'LPUSH s x', 'INCR a', 'EXEC', 'MULTI', 'SET a 1', 'NOSUCH', 'EXEC', 'MULTI', 'SET b 1', 'DISCARD',
    'MULTI', 'INCR s', 'SET c 1', 'EXEC',
  ] },
  { name: 'MULTI with FLUSHALL, FLUSHDB and SWAPDB inside', steps: [
    'SELECT 1', 'MULTI', 'SET a 1', 'FLUSHALL', 'SET b 1', 'EXEC', 'MULTI', 'SET c 1', 'SWAPDB 0 1', 'FLUSHDB', 'EXEC',
  ] },
  { name: 'WATCH-aborted EXEC logs nothing; the other client\'s write is logged', steps: [
    'SET k 1', 'WATCH k', 'c1 SET k 2', 'MULTI', 'INCR k', 'SET x 1', 'EXEC', 'WATCH k', 'MULTI', 'INCR k', 'SET x 1', 'EXEC',
  ] },
  { name: 'lazily expired keys: a read logs a bare DEL, a write MULTI, DEL, the write, EXEC; in the db they live in', steps: [
    'SET a v PX 5', 'RPUSH l x', 'PEXPIRE l 5', 'SELECT 1', 'SET b v PX 5', 'SADD s m', 'PEXPIRE s 5', ['@sleep', '8'], 'SELECT 0', 'GET a', 'GET a',
    'LPUSH l y', 'SELECT 1', 'EXISTS b s', 'SELECT 0', 'SET e v PX 5', ['@sleep', '8'], 'EXPIRE e 100', 'TTL e', 'SET f v PX 5', 'SET g v PX 5',
    ['@sleep', '8'], 'MGET f g x',
  ] },
  { name: 'lazily expired keys met by RANDOMKEY and SCAN: their DELs unwrapped (touches_arbitrary_keys), but not inside EXEC', steps: [
    'SET a v PX 5', 'SET b v PX 5', 'SET c v PX 5', ['@sleep', '8'], 'RANDOMKEY', 'SET d v PX 5', 'SET e v PX 5', 'SET f v', ['@sleep', '8'], 'SCAN 0',
    'SET g v PX 5', ['@sleep', '8'], 'MULTI', 'SCAN 0', 'SET i v', 'EXEC',
  ] },
  { name: 'lazily expired keys touched inside MULTI/EXEC', steps: [
    'SET a v PX 5', 'SET b v PX 5', 'SET c v PX 5', ['@sleep', '8'], 'MULTI', 'GET a', 'EXEC', 'MULTI', 'SET x 1', 'INCR b', 'EXEC', 'MULTI', 'EXISTS c', 'SET y 1', 'SET z 1', 'EXEC',
  ] },
  { name: 'lazily expired keys met by RENAME, COPY, MOVE, SMOVE, LMOVE, store commands, SCAN', steps: [
    'SET a v PX 5', 'SET b v', 'SADD s1 x', 'PEXPIRE s1 5', 'RPUSH l1 x', 'PEXPIRE l1 5', 'SET c v PX 5', 'SET d v PX 5', 'SET e v PX 5', ['@sleep', '8'],
    'RENAME a b', 'COPY b c', 'MOVE d 1', 'SMOVE s1 s2 x', 'LMOVE l1 l2 LEFT LEFT', 'SUNIONSTORE u s1', 'SCAN 0',
  ] },
  { name: 'SMOVE looks its destination up even when the source is missing or not a set (an expired one is deleted)', steps: [
    'SET d1 v PX 5', 'SET d2 v PX 5', 'SET str v', ['@sleep', '8'], 'SMOVE nokey d1 m', 'SMOVE str d2 m',
  ] },
  { name: 'an expired STORE / BITOP destination: an empty result deletes it unexpired (the command logged alone), a result expires it first', steps: [
    'SET d1 v PX 5', 'SET d2 v PX 5', 'SET d3 v PX 5', 'SET d4 v PX 5', 'SET d5 v PX 5', 'SET d6 v PX 5', 'SET d7 v PX 5', ['@sleep', '8'],
    'SINTERSTORE d1 nokey', 'SUNIONSTORE d2 nokey', 'ZUNIONSTORE d3 1 nokey', 'ZRANGESTORE d4 nokey 0 -1', 'BITOP AND d5 nokey', 'SADD s 1',
    'SUNIONSTORE d6 s', 'SET src x', 'BITOP OR d7 src',
  ] },
  { name: 'lazyfree: UNLINK for GETDEL, a past expire and lazily expired keys', steps: [
    'CONFIG SET lazyfree-lazy-user-del yes', 'SET a v', 'GETDEL a', 'SET a v', 'DEL a', 'CONFIG SET lazyfree-lazy-expire yes', 'SET a v',
    'EXPIRE a -1', 'SET a v', 'GETEX a EXAT 1', 'SET b v PX 5', ['@sleep', '8'], 'GET b', 'SET c v', 'CONFIG SET lazyfree-lazy-server-del yes',
    'SET d v', 'RENAME c d', 'FLUSHDB',
  ] },
  { name: 'blocked pops served by another client (BLMPOP / BZMPOP with counts, BLMOVE)', blocking: {
    setup: ['RPUSH other x'],
    blockers: ['BLMPOP 30 2 k1 k2 LEFT COUNT 2', 'BZMPOP 30 1 k3 MIN COUNT 5', 'BLMOVE k2 k1 RIGHT LEFT 30'],
    writes: ['RPUSH k1 a b c', 'ZADD k3 1 a 2 b', 'RPUSH k2 x y', 'MULTI', 'LPUSH k1 m', 'RPUSH k1 n', 'EXEC'],
  } },
  { name: 'blocked BLPOP / BZPOPMAX / BRPOPLPUSH served inside MULTI and by SWAPDB', blocking: {
    setup: [],
    blockers: ['BLPOP k1 30', 'BZPOPMAX k2 30', 'BRPOPLPUSH k3 k4 30'],
    writes: ['MULTI', 'ZADD k2 1 a 2 b', 'RPUSH k3 x', 'EXEC', 'SELECT 1', 'RPUSH k1 y', 'SWAPDB 0 1'],
  } },
];
