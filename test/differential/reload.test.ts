/**
 * The RDB round trip, live: the same command sequences run on redis-server 7.0.15 and on a Larder
 * engine with persistence attached over memory storage (so DEBUG RELOAD goes through its real
 * dump.rdb: the encoder, the storage, the decoder), with `DEBUG RELOAD` steps inserted, sometimes
 * after `CONFIG SET` of the encoding thresholds. Replies are compared as in the other differential
 * files and, after every reload, both whole datasets key by key (type, value, OBJECT ENCODING, TTL
 * ±2 s): Redis re-decides encodings on load from the limits then in force (rdb.c, rdbLoadObject),
 * so a hashtable that now fits may come back as a listpack or intset, a raw "123" as an int.
 *
 * Sequences: every family's generators (strings with bitmaps, lists, hashes, sets, sorted sets,
 * the keyspace commands, all of them mixed), plus commands that grow collections past the default
 * limits, SELECT, and keys given 5 ms TTLs that pass just before a reload. Then a directed table of
 * the cases that are easy to get wrong. Skipped: lex ranges over skiplists of mixed scores, where
 * Larder knowingly differs (ARCHITECTURE.md, "Where we differ from Redis 7.0.15, knowingly").
 *
 * LARDER_DIFF_RUNS, LARDER_DIFF_SEED, LARDER_DIFF_ONLY / _SKIP (family `reload`),
 * LARDER_DIFF_SELF_TEST and LARDER_DIFF_STATS work as in harness.ts; survey mode does not apply.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { beginRun, endRun, env, familyEnabled, fcParams, sleep, useRedis, type Pools } from './harness.ts';
import { attachPersistence, createMemoryStorage, type AttachedPersistence } from '../support/larder.ts';
import { Mismatch, compareState, counters, runStep, showArgv, type TranscriptLine } from './runner.ts';
import { LarderSide, type RedisSide, type Session } from './session.ts';
import { cmd, materialize, pick, type Argv, type Step } from './commands/dsl.ts';
import { key, withCreators } from './commands/values.ts';
import { lexRangeKey, lexRangeOpen } from './compare.ts';
import { stringCommand } from './commands/strings.ts';
import { bitmapCommand } from './commands/bitmaps.ts';
import { listCommand } from './commands/lists.ts';
import { hashCommand } from './commands/hashes.ts';
import { setCommand } from './commands/sets.ts';
import { zsetCommand } from './commands/zsets.ts';
import { genericCommand } from './commands/generic.ts';
import { anyCommand } from './commands/mixed.ts';
import { parseLine, type Line } from './commands/propagation.ts';
import { formatNorm, larderFrames, type Norm } from '../support/norm.ts';
import type { Snapshot } from '../support/state.ts';

const LARDER_CONFIG = { 'enable-debug-command': 'yes' };

/** A run: both sides reset, Larder's engine attached to a fresh memory storage. */
async function inRun(pools: Pools, seed: number, fn: (s: Session) => Promise<void>): Promise<void> {
  const s = await beginRun(pools, { seed }, undefined, LARDER_CONFIG);
  let persistence: AttachedPersistence | undefined;
  let error: unknown;
  try {
    if (s.subject instanceof LarderSide) persistence = await attachPersistence(s.subject.engine, createMemoryStorage());
    await fn(s);
  } catch (e) {
    error = e;
    throw e;
  } finally {
    await persistence?.close();
    endRun(pools, s, error);
  }
}

const isReload = (argv: readonly string[]) => argv[0]!.toUpperCase() === 'DEBUG' && argv[1]?.toUpperCase() === 'RELOAD';

/**
 * A hashtable-encoded hash that fits the listpack limits again is loaded as a listpack in the order
 * its dict was saved in (rdbLoadObject, RDB_TYPE_HASH: fields are appended to the listpack as
 * read), and that order is the dict's, which siphash with a seed drawn at each redis-server start
 * makes random. Once the datasets are compared (as sets of fields), such a hash is given the
 * oracle's order on both sides: DUMP on the oracle, RESTORE REPLACE of that payload (TTL kept).
 * Its value and encoding stay what they were; later HKEYS, HSCAN... on it are compared exactly.
 */
async function alignHashOrder(s: Session, before: Snapshot): Promise<void> {
  const inspector = s.oracle.pool.inspector;
  const larder = s.subject instanceof LarderSide ? s.subject.engine.connect() : undefined;
  const subject = s.subject instanceof LarderSide ? undefined : (s.subject as RedisSide).pool.inspector;
  for (const [id, state] of before) {
    if (state.type !== 'hash' || state.encoding !== 'hashtable') continue;
    const i = id.indexOf(':');
    const db = id.slice(0, i);
    const k = id.slice(i + 1);
    const [, enc, dump, at] = await inspector.pipeline([['SELECT', db], ['OBJECT', 'ENCODING', k], ['DUMP', k], ['PEXPIRETIME', k]]);
    if (enc?.t !== 'bulk' || enc.v !== 'listpack' || dump?.t !== 'bulk' || at?.t !== 'int') continue;
    const restore = ['RESTORE', k, Number(at.v) > 0 ? at.v : '0', dump.v, 'REPLACE', ...(Number(at.v) > 0 ? ['ABSTTL'] : [])];
    const replies: Norm[] = [await inspector.call(restore)];
    if (larder) {
      larder.dbIndex = Number(db);
      replies.push(...larderFrames(await larder.exec(restore), 2));
    } else {
      replies.push(...(await subject!.pipeline([['SELECT', db], restore])).slice(1));
    }
    if (!replies.every((r) => r.t === 'simple' && r.v === 'OK')) throw new Error(`realigning hash ${id}: ${replies.map((r) => formatNorm(r)).join(' | ')}`);
  }
  await inspector.call(['SELECT', '0']);
  if (subject) await subject.call(['SELECT', '0']);
  larder?.close();
}

/** Datasets compared after a reload (LARDER_DIFF_STATS=1 prints it). */
let reloads = 0;

/**
 * Runs `steps` (`['@sleep', ms]` waits), comparing every reply, the datasets after every
 * DEBUG RELOAD, and the datasets at the end.
 */
async function runReloadSequence(s: Session, steps: readonly Step[], family: string): Promise<void> {
  const transcript: TranscriptLine[] = [];
  const fail = (what: string, detail: string[]): never => {
    throw new Mismatch(family, transcript, what, detail);
  };
  for (let n = 0; n < steps.length; n++) {
    const argv = materialize(steps[n]!.argv, n);
    if (argv[0] === '@sleep') {
      await sleep(Number(argv[1]));
      continue;
    }
    const lexKey = lexRangeKey(argv);
    if (lexKey !== undefined && (await lexRangeOpen(s.redis(0), lexKey))) continue;
    const before = isReload(argv) ? await s.oracle.snapshot() : undefined;
    const result = await runStep(s, 0, argv);
    transcript.push({ client: 0, argv, result });
    if (result.verdict !== undefined) {
      fail(`step ${n + 1}: ${result.verdict}`, [
        `command: ${showArgv(argv)}`,
        `redis:   ${result.redis.map((x) => formatNorm(x)).join(' | ')}`,
        `larder:  ${result.larder.map((x) => formatNorm(x)).join(' | ')}`,
      ]);
    }
    if (before) {
      reloads++;
      const diff = await compareState(s);
      if (diff.length > 0) fail(`step ${n + 1}: datasets differ after DEBUG RELOAD`, diff);
      await alignHashOrder(s, before);
    }
  }
  const diff = await compareState(s);
  if (diff.length > 0) fail('datasets differ after the sequence', diff);
}

// ---- generators -----------------------------------------------------------------------------

/** Values of the limits that decide encodings (small ones, so the generators' small keys cross them). */
const threshold = fc.oneof(
  cmd('hash-max-listpack-entries', fc.constantFrom('0', '1', '2', '3', '512')),
  cmd('hash-max-listpack-value', fc.constantFrom('0', '1', '3', '64')),
  cmd('set-max-intset-entries', fc.constantFrom('0', '1', '2', '3', '512')),
  cmd('zset-max-listpack-entries', fc.constantFrom('0', '1', '2', '3', '128')),
  cmd('zset-max-listpack-value', fc.constantFrom('0', '1', '3', '64')),
  cmd('list-max-listpack-size', fc.constantFrom('-5', '-1', '-2', '1', '2', '3')),
  cmd('list-compress-depth', fc.constantFrom('0', '1', '2')),
);
const configSet = cmd('CONFIG', 'SET', threshold);

/** Every limit back to its default in one CONFIG SET: what was built under small limits now fits. */
const DEFAULT_LIMITS: Argv = [
  'CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64', 'set-max-intset-entries', '512',
  'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64', 'list-max-listpack-size', '-2',
];

/** Some limits changed (before a reload or between writes), then maybe a reload. */
const reloadGroup: fc.Arbitrary<Argv[]> = pick<Argv[]>(
  [4, fc.tuple(fc.array(configSet, { maxLength: 3 }), fc.boolean())
    .map(([sets, reload]) => (reload || sets.length === 0 ? [...sets, ['DEBUG', 'RELOAD']] : sets))],
  [1, fc.constant([DEFAULT_LIMITS, ['DEBUG', 'RELOAD']])],
);

/** Collections past the default limits (513 integers, 129 members, 65-byte values, long lists). */
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));
const grow = pick<Argv>(
  [1, cmd('SADD', key, fc.constantFrom(range(0, 513), range(-3, 10), [...range(0, 20), 'x']))],
  [1, cmd('ZADD', key, fc.constantFrom(range(0, 129).flatMap((x) => [x, `m${x}`]), ['1', 'L'.repeat(65), '2', 'b']))],
  [1, cmd('HSET', key, fc.constantFrom(range(0, 513).flatMap((x) => [`f${x}`, x]), ['f', 'V'.repeat(65), 'g', '1']))],
  [1, cmd('RPUSH', key, fc.constantFrom(range(0, 300), ['x'.repeat(9000), 'y']))],
  [1, cmd('SET', key, fc.constantFrom('z'.repeat(5000), 'ab'.repeat(40)))],
);

/**
 * A key given a 5 ms TTL, a wait until it has passed on both sides, then a reload, which must not
 * load it. The reload comes at once: a RANDOMKEY in between could delete it on one side only.
 */
const shortTtl: fc.Arbitrary<Argv[]> = pick<Argv>([1, cmd('PEXPIRE', key, '5')], [1, cmd('SET', key, 'v', 'PX', '5')])
  .map((argv) => [argv, ['@sleep', '8'], ['DEBUG', 'RELOAD']]);

/** Family commands, with reloads, threshold changes, growers, SELECT and short TTLs among them. */
function withReloads(c: fc.Arbitrary<Argv>, max = 30): fc.Arbitrary<Step[]> {
  const group = pick<Argv[]>(
    [12, c.map((argv) => [argv])],
    [3, reloadGroup],
    [1, grow.map((argv) => [argv])],
    [1, cmd('SELECT', fc.constantFrom('0', '1', '9')).map((argv) => [argv])],
    [1, shortTtl],
  );
  return fc
    .array(group, { minLength: 1, maxLength: max, size: 'max' })
    .map((gs) => [...gs.flat(), ['DEBUG', 'RELOAD']].map((argv): Step => ({ client: 0, argv })));
}

interface SeqFamily {
  name: string;
  runs: number;
  steps: fc.Arbitrary<Step[]>;
}

const withTypes = (c: fc.Arbitrary<Argv>) => withReloads(withCreators(env.has, c));

const families: SeqFamily[] = [
  { name: 'strings', runs: 100, steps: withTypes(stringCommand()) },
  { name: 'bitmaps', runs: 40, steps: withTypes(bitmapCommand()) },
  { name: 'lists', runs: 100, steps: withTypes(listCommand()) },
  { name: 'hashes', runs: 140, steps: withTypes(hashCommand()) },
  { name: 'sets', runs: 140, steps: withTypes(setCommand()) },
  { name: 'zsets', runs: 140, steps: withTypes(zsetCommand()) },
  { name: 'generic', runs: 100, steps: withTypes(genericCommand()) },
  { name: 'mixed', runs: 140, steps: withReloads(anyCommand(), 40) },
];

// ---- directed cases -------------------------------------------------------------------------

const RELOAD = 'DEBUG RELOAD';
const many = (prefix: string, n: number, from = 0) => range(from, n).map((x) => `${prefix}${x}`);

/** Each a list of steps (see parseLine; `['@sleep', ms]` waits); datasets compared after every reload. */
const DIRECTED: Array<{ name: string; steps: Line[] }> = [
  { name: 'an empty dataset', steps: [RELOAD, 'DBSIZE', 'SET k v', 'DEL k', RELOAD, 'DBSIZE', 'SELECT 3', RELOAD, 'DBSIZE'] },
  { name: 'keys whose time passed are not loaded; the others keep their TTL', steps: [
    'SET gone v PX 5', 'RPUSH lgone a', 'PEXPIRE lgone 5', 'SET stays v PX 100000', 'SET soon v PX 1500',
    'HSET h f v', 'EXPIREAT h 4102444800', ['@sleep', '10'], 'DBSIZE', RELOAD, 'DBSIZE', 'EXISTS gone lgone', 'PTTL stays',
    'EXPIRETIME h', 'PERSIST stays', RELOAD, 'TTL stays',
  ] },
  // Times are doubles in Larder: INT64_MAX ms is held as 2^63, once saved as INT64_MIN (expired).
  { name: 'times at and near INT64_MAX are kept', steps: [
    'SET a v', 'GETEX a PXAT 9223372036854775807', 'SET b v PXAT 9223372036854775806', 'SET c v EXAT 9223372036854775',
    'SET d v PXAT 9007199254740993', RELOAD, 'EXISTS a b c d', RELOAD, 'DBSIZE',
  ] },
  { name: 'several dbs, MOVE, SWAPDB and an emptied db', steps: [
    'SET a 0', 'SELECT 1', 'SET a 1', 'RPUSH l x', 'SELECT 15', 'SADD s 1 2 x', 'SELECT 2', 'SET gone v', 'DEL gone',
    'SELECT 0', 'MOVE a 5', 'SWAPDB 1 7', RELOAD, 'DBSIZE', 'SELECT 7', 'DBSIZE', 'LRANGE l 0 -1', 'SELECT 15', 'SMEMBERS s', 'SELECT 1', 'DBSIZE',
  ] },
  { name: 'binary keys, fields, members and values', steps: [
    ['SET', '\x00\xff\r\n', '\x00\x01\xfe\xff'], ['SET', '', ''], ['HSET', 'h\x00', '\x00', '\xff\xfe', '', 'e'],
    ['SADD', 's\xff', '\x00', '\xff', ''], ['ZADD', 'z', '1', '\x00\x00', '2', '\xff'], ['RPUSH', '\r\n', '\x00', '', '\xff'],
    RELOAD, ['GET', '\x00\xff\r\n'], ['GET', ''], ['HGETALL', 'h\x00'], ['ZRANGE', 'z', '0', '-1'],
    'CONFIG SET hash-max-listpack-entries 0', 'CONFIG SET set-max-intset-entries 0', 'CONFIG SET zset-max-listpack-entries 0', RELOAD,
  ] },
  { name: 'integer-like strings: which come back as int', steps: [
    'SET i 123', 'APPEND j 12', 'APPEND j 3', 'SETRANGE r 0 42', 'SET lead 0123', 'SET plus +1', ['SET', 'sp', ' 1'], 'SET neg -0',
    'SET max 9223372036854775807', 'SET min -9223372036854775808', 'SET over 9223372036854775808', 'SET big 12345678901234567890',
    'INCRBYFLOAT f 1.5', 'INCRBYFLOAT g 3.0', 'SET e ""', 'SET small 7', 'SET tenk 10000', 'APPEND raw10k 10000', 'SET x 1e3',
    'SET long 44444444444444444444444444444444444444444444', 'APPEND long2 4444444444444444444444444444444444444444444444',
    RELOAD, 'OBJECT ENCODING j', 'OBJECT ENCODING r', 'OBJECT ENCODING raw10k', 'INCR j', 'APPEND i 4', RELOAD,
  ] },
  { name: 'a list across list-max-listpack-size, compressed nodes, a big element', steps: [
    ['RPUSH', 'l', ...many('e', 40)], 'CONFIG SET list-max-listpack-size 2', ['RPUSH', 'l2', ...many('e', 9)], RELOAD,
    'LRANGE l 0 -1', 'LRANGE l2 0 -1', 'CONFIG SET list-max-listpack-size -2', 'CONFIG SET list-compress-depth 1',
    ['RPUSH', 'l3', ...many('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 600)], ['RPUSH', 'big', 'x'.repeat(10000), 'y', 'z'.repeat(70000)],
    RELOAD, 'LLEN l3', 'LINDEX l3 300', 'LINDEX big 2', 'CONFIG SET list-max-listpack-size 1', RELOAD, 'LRANGE l2 0 -1',
  ] },
  { name: 'big values LZF compresses (and some it cannot)', steps: [
    ['SET', 's', 'a'.repeat(100000)], ['SET', 's2', 'abcd'.repeat(5)], ['SET', 'r', Array.from({ length: 300 }, (_, i) => String.fromCharCode((i * 97 + 13) % 256)).join('')],
    ['HSET', 'h', 'f', 'x'.repeat(1000), 'g', 'y'.repeat(30)], ['ZADD', 'z', '1', 'm'.repeat(200), '2', 'n'.repeat(21)],
    ['SADD', 'st', 'q'.repeat(500), 'w'.repeat(21)], RELOAD, 'STRLEN s', 'GETRANGE s 99990 -1',
  ] },
  { name: 'sets of integers past set-max-intset-entries, and back under it', steps: [
    ['SADD', 'big', ...range(0, 513)], ['SADD', 'fits', ...range(0, 512)], RELOAD, 'OBJECT ENCODING big',
    ['SREM', 'big', ...range(10, 503)], 'OBJECT ENCODING big', RELOAD, 'SCARD big',
    'CONFIG SET set-max-intset-entries 3', 'SADD s3 1 2 3 4', 'SADD i3 1 2', 'SADD mixed 1 x', 'SREM mixed x', 'CONFIG SET set-max-intset-entries 512', RELOAD,
    'CONFIG SET set-max-intset-entries 1', RELOAD, 'CONFIG SET set-max-intset-entries 0', RELOAD,
    'SADD n -9223372036854775808 9223372036854775807 010 -0', 'CONFIG SET set-max-intset-entries 512', RELOAD,
  ] },
  { name: 'hashes and zsets: hashtable/skiplist that fit again, listpacks over the limits', steps: [
    'HSET h1 a 1 b 2 c 3', 'ZADD z1 1 a 2 b 3 c', 'HSET h2 a 1', ['HSET', 'h2', 'long', 'V'.repeat(65)], 'HDEL h2 long',
    'ZADD z2 1 a', ['ZADD', 'z2', '2', 'L'.repeat(65)], ['ZREM', 'z2', 'L'.repeat(65)],
    'CONFIG SET hash-max-listpack-entries 2', 'CONFIG SET zset-max-listpack-entries 2', RELOAD,
    'CONFIG SET hash-max-listpack-entries 512', 'CONFIG SET zset-max-listpack-entries 128', RELOAD,
    ['HSET', 'h3', 'f', 'v'.repeat(10)], ['ZADD', 'z3', '1', 'm'.repeat(10)], 'CONFIG SET hash-max-listpack-value 5',
    'CONFIG SET zset-max-listpack-value 5', RELOAD, 'CONFIG SET hash-max-listpack-value 64', 'CONFIG SET zset-max-listpack-value 64', RELOAD,
    'CONFIG SET hash-max-listpack-entries 0', 'CONFIG SET zset-max-listpack-entries 0', RELOAD,
  ] },
  { name: 'zsets with inf, -inf, -0 and extreme scores, listpack and skiplist', steps: [
    'ZADD z inf a -inf b -0 c 0 d 5e-324 e 1.7976931348623157e308 f 0.1 g -2.5 h', 'ZRANGE z 0 -1 WITHSCORES', RELOAD,
    'ZRANGE z 0 -1 WITHSCORES', 'ZSCORE z c', 'CONFIG SET zset-max-listpack-entries 0', 'ZADD s inf a -inf b -0 c 0 d 0.1 g', 'ZINCRBY s 0 c',
    RELOAD, 'ZRANGE s 0 -1 WITHSCORES', 'ZSCORE s c', 'CONFIG SET zset-max-listpack-entries 128', RELOAD, 'ZRANGE s 0 -1 WITHSCORES',
  ] },
  { name: 'a reload inside nothing else: RELOAD twice, NOSAVE after a change', steps: [
    'SET a 1', RELOAD, RELOAD, 'SET a 2', 'DEBUG RELOAD NOSAVE', 'GET a', 'SET b 1', 'DEBUG RELOAD NOSAVE NOFLUSH MERGE', 'GET b',
  ] },
];

describe.runIf(familyEnabled('reload'))('differential reload (DEBUG RELOAD)', () => {
  const pools = useRedis(1);
  afterAll(() => {
    if (process.env.LARDER_DIFF_STATS === '1') console.info(`[reload] ${counters.steps} commands run, datasets compared after ${reloads} reloads`);
  });

  for (const f of families) {
    test(`${f.name}: DEBUG RELOAD leaves Larder's dataset as it leaves redis-server's`, async () => {
      const prop = fc.asyncProperty(fc.integer(), f.steps, (seed, steps) => inRun(pools, seed, (s) => runReloadSequence(s, steps, `reload ${f.name}`)));
      await fc.assert(prop, fcParams(f.runs));
    }, 120_000);
  }

  describe('directed cases', () => {
    for (const c of DIRECTED) {
      test(c.name, () => inRun(pools, 1, (s) => runReloadSequence(s, c.steps.map(parseLine), `reload: ${c.name}`)));
    }
  });
});
