/**
 * The AOF, live: the same command sequences run on redis-server 7.0.15 (`--appendonly yes
 * --appendfsync always --aof-use-rdb-preamble yes`, active expiry off) and on a Larder engine with
 * AOF on over memory storage, and after every step the commands each appended to its current incr
 * file (its manifest names it) must be the same, command by command, SELECT and MULTI/EXEC
 * included. Larder's side is its real AOF path: propagation → the writer → the incr file's bytes.
 *
 * Sequences: every write family's generators (strings with bitmaps, lists, hashes, sets, sorted
 * sets, the keyspace commands), two clients' transactions (errors, WATCH aborts, SELECT inside),
 * blocking commands served by another client (commands/blocking.ts: whole scenarios compared),
 * and an expiry family that gives keys 5 ms TTLs, waits, then touches them from every family, so
 * lazily expired keys are deleted on both sides (in several dbs, inside MULTI too). Then a directed
 * table of the cases that are easy to get wrong, each step compared the same way. The expiry family
 * and the table are in commands/propagation.ts; reading and comparing the files in aof.ts.
 *
 * Normalized (see aof.ts): absolute times two clocks computed (±2 s); SPOP's members (shape, then
 * the union of what both sides removed, after runRandom makes each remove what the other popped);
 * the order of a SCAN's lazy-expiry DELs (the hashtable's walk); RANDOMKEY's lazy-expiry DELs,
 * which depend on its draws: after it, each side touches the expired keys the other deleted, and
 * the DELs are compared in any order. Replies are compared as in the other differential files,
 * except DUMP's, compared by kind (a hashtable's payload is in its table's order): RESTORE gets the
 * oracle's payload on both sides. Skipped: lex ranges over skiplists of mixed scores, where Larder
 * knowingly differs (ARCHITECTURE.md, "Where we differ from Redis 7.0.15, knowingly").
 *
 * LARDER_DIFF_RUNS, LARDER_DIFF_SEED, LARDER_DIFF_ONLY / _SKIP (family `propagation`),
 * LARDER_DIFF_SELF_TEST (a second redis-server with the same AOF settings) and LARDER_DIFF_STATS
 * work as in harness.ts; survey mode does not apply.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { beginRun, endRun, env, familyEnabled, fcParams, single, sleep, useRedis, type Pools } from './harness.ts';
import { attachPersistence, createMemoryStorage, type AttachedPersistence, type Timers } from '../support/larder.ts';
import { AofTap, compareAof, larderAofDir, redisAofDir, showStreams, type AofCompare, type Command } from './aof.ts';
import { Mismatch, counters, runStep, showArgv, type StepResult, type TranscriptLine } from './runner.ts';
import { LarderSide, type Session } from './session.ts';
import { materialize, pick, type Argv, type Step } from './commands/dsl.ts';
import { SCAN_COMMANDS } from './scan.ts';
import { RANDOM_COMMANDS } from './random.ts';
import { FakeTimers, runBlockingScenario } from './blocking.ts';
import { blockingScenario, type BlockingScenario } from './commands/blocking.ts';
import { stringCommand } from './commands/strings.ts';
import { bitmapCommand } from './commands/bitmaps.ts';
import { listCommand } from './commands/lists.ts';
import { hashCommand } from './commands/hashes.ts';
import { setCommand } from './commands/sets.ts';
import { zsetCommand } from './commands/zsets.ts';
import { genericCommand } from './commands/generic.ts';
import { anyCommand } from './commands/mixed.ts';
import { transactions } from './commands/transactions.ts';
import { withCreators } from './commands/values.ts';
import { DIRECTED, dumpRestore, expirySteps, groups, one, parseLine } from './commands/propagation.ts';
import { formatNorm, normEqual } from '../support/norm.ts';
import { lexRangeKey, lexRangeOpen } from './compare.ts';

const REDIS_AOF = [
  '--appendonly', 'yes', '--appendfsync', 'always', '--aof-use-rdb-preamble', 'yes',
  // The incr file must stay the one the manifest named when a run began.
  '--auto-aof-rewrite-percentage', '0',
];
const LARDER_AOF = { appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'yes' };
/** Reset on the oracle before every run (the directed table turns some on); Larder starts fresh. */
const LAZYFREE_OFF = [
  'lazyfree-lazy-user-del', 'no', 'lazyfree-lazy-expire', 'no', 'lazyfree-lazy-server-del', 'no', 'lazyfree-lazy-user-flush', 'no',
];

interface AofRun {
  s: Session;
  redis: AofTap;
  larder: AofTap;
  close(error: unknown): Promise<void>;
}

/**
 * A run: both sides reset, Larder attached to memory storage with AOF on, and both AOFs tapped
 * after the same `FLUSHALL` from db 0 (the oracle's reset sends one; a fresh Larder sends it
 * here), so both files last selected db 0 and the first command of the run is framed alike.
 */
async function beginAofRun(pools: Pools, seed: number, timers?: Timers): Promise<AofRun> {
  const s = await beginRun(pools, { seed }, timers, LARDER_AOF);
  let persistence: AttachedPersistence | undefined;
  try {
    await s.oracle.pool.inspector.call(['CONFIG', 'SET', ...LAZYFREE_OFF]);
    const redis = await AofTap.at(await redisAofDir(s.oracle.pool.inspector));
    let larder: AofTap;
    if (s.subject instanceof LarderSide) {
      const storage = createMemoryStorage();
      const p = (persistence = await attachPersistence(s.subject.engine, storage));
      s.subject.clients[0]!.exec(['FLUSHALL']);
      larder = await AofTap.at(larderAofDir(storage), () => p.aof.flush());
    } else {
      const self = s.subject as typeof s.oracle;
      await self.pool.inspector.call(['CONFIG', 'SET', ...LAZYFREE_OFF]);
      larder = await AofTap.at(await redisAofDir(self.pool.inspector));
    }
    return {
      s, redis, larder,
      async close(error) {
        await persistence?.close();
        endRun(pools, s, error);
      },
    };
  } catch (e) {
    await persistence?.close();
    endRun(pools, s, e);
    throw e;
  }
}

/** Runs `fn` in a fresh run, closed whatever happens. */
async function inRun(pools: Pools, seed: number, timers: Timers | undefined, fn: (run: AofRun) => Promise<void>): Promise<void> {
  const run = await beginAofRun(pools, seed, timers);
  let error: unknown;
  try {
    await fn(run);
  } catch (e) {
    error = e;
    throw e;
  } finally {
    await run.close(error);
  }
}


/** AOF commands compared in this file (LARDER_DIFF_STATS=1 prints it). */
let compared = 0;

/** How a step's AOF commands are compared: see the top comment. */
function comparison(argv: string[], plain: boolean): AofCompare | 'randomkey' {
  const name = argv[0]!.toLowerCase();
  if (!plain) return 'exact';
  if (name === 'randomkey') return 'randomkey';
  if (name === 'spop' && argv.length >= 2) return 'members';
  if (SCAN_COMMANDS.has(name) && argv[name === 'scan' ? 1 : 2] === '0') return 'unordered';
  return 'exact';
}

const delKey = (c: Command): string | undefined => (c.length === 2 && (c[0] === 'DEL' || c[0] === 'UNLINK') ? c[1] : undefined);

/**
 * RANDOMKEY deletes the expired keys it draws, and the two sides draw differently: each side then
 * touches (EXISTS) the keys only the other deleted, which deletes them there too.
 */
async function resyncRandomKey(run: AofRun, client: number, r: Command[], l: Command[]): Promise<[Command[], Command[]]> {
  const rDel = r.map(delKey).filter((k) => k !== undefined);
  const lDel = l.map(delKey).filter((k) => k !== undefined);
  for (const k of rDel.filter((k) => !lDel.includes(k))) await run.s.subject.exec(client, ['EXISTS', k], false);
  for (const k of lDel.filter((k) => !rDel.includes(k))) await run.s.redis(client).call(['EXISTS', k]);
  return [[...r, ...(await run.redis.take())], [...l, ...(await run.larder.take())]];
}

/**
 * DUMP on both sides, compared by kind only: a hashtable-encoded set's or hash's payload lists its
 * elements in the table's order, which Redis leaves open. RESTORE then gets the oracle's payload
 * on both sides (`@dump`).
 */
async function runDump(s: Session, client: number, argv: string[]): Promise<StepResult> {
  const { redis, larder } = await s.exec(client, argv);
  const [r, l] = [redis[0], larder[0]];
  const same = r !== undefined && l !== undefined && r.t === l.t && (r.t === 'bulk' || normEqual(r, l));
  return { redis, larder, verdict: same ? undefined : 'DUMP replies differ (compared by kind)' };
}

/**
 * Runs `steps` (`['@sleep', ms]` waits), comparing replies as runStep does and, after every
 * step, the commands both AOFs gained. An argument `'@dump'` is the oracle's last DUMP reply.
 */
async function runAofSequence(run: AofRun, steps: readonly Step[], family: string): Promise<void> {
  const { s } = run;
  const transcript: TranscriptLine[] = [];
  let dump = '';
  const exec = async (n: number, client: number, argv: string[]): Promise<void> => {
    const plain = !s.inMulti[client];
    const how = comparison(argv, plain);
    const isDump = plain && argv[0]!.toUpperCase() === 'DUMP';
    const result = isDump ? await runDump(s, client, argv) : await runStep(s, client, argv);
    transcript.push({ client, argv, result });
    const where = `command: ${showArgv(argv)}${client !== 0 ? ` (client ${client})` : ''}`;
    if (result.verdict !== undefined) {
      throw new Mismatch(family, transcript, `step ${n + 1}: ${result.verdict}`, [
        where, `redis:   ${result.redis.map((x) => formatNorm(x)).join(' | ')}`, `larder:  ${result.larder.map((x) => formatNorm(x)).join(' | ')}`,
      ]);
    }
    const dumped = result.redis[0];
    if (isDump && dumped?.t === 'bulk') dump = dumped.v;
    let r = await run.redis.take();
    let l = await run.larder.take();
    if (how === 'randomkey') [r, l] = await resyncRandomKey(run, client, r, l);
    compared += r.length;
    const verdict = compareAof(r, l, how === 'randomkey' ? 'unordered' : how);
    if (verdict !== undefined) throw new Mismatch(family, transcript, `step ${n + 1}: ${verdict}`, [where, ...showStreams(r, l)]);
  };
  for (let n = 0; n < steps.length; n++) {
    const step = steps[n]!;
    const argv = materialize(step.argv, n).map((a) => (a === '@dump' ? dump : a));
    if (argv[0] === '@sleep') {
      await sleep(Number(argv[1]));
      continue;
    }
    // runRandom reads the oracle's key before SPOP, SRANDMEMBER...: an expired key would be
    // deleted there by that read (before a bad count is even parsed). Both sides touch it first.
    const name = argv[0]!.toLowerCase();
    const plain = !s.inMulti[step.client];
    if (plain && RANDOM_COMMANDS.has(name) && name !== 'randomkey' && argv.length >= 2) {
      await exec(n, step.client, ['EXISTS', argv[1]!]);
    }
    const lexKey = plain ? lexRangeKey(argv) : undefined;
    if (lexKey !== undefined) {
      await exec(n, step.client, ['EXISTS', lexKey]);
      if (await lexRangeOpen(s.redis(step.client), lexKey)) continue;
    }
    await exec(n, step.client, argv);
  }
}

/** A blocking scenario (blocking.ts compares its replies and datasets), then both AOFs whole. */
async function runAofBlocking(run: AofRun, timers: FakeTimers, sc: BlockingScenario, family: string): Promise<void> {
  await runBlockingScenario(run.s, timers, sc);
  const r = await run.redis.take();
  const l = await run.larder.take();
  compared += r.length;
  const verdict = compareAof(r, l);
  if (verdict === undefined) return;
  const lines = [...sc.setup.map((a) => `c0 ${showArgv(materialize(a, 0))}`), ...sc.blockers.map((a, i) => `c${i + 1} ${showArgv(materialize(a, 0))}  (blocks)`), ...sc.writes.map((a) => `c0 ${showArgv(materialize(a, 0))}`)];
  throw new Mismatch(family, [], verdict, ['scenario:', ...lines.map((x) => `      ${x}`), ...showStreams(r, l)]);
}

// ---- families -------------------------------------------------------------------------------

interface SeqFamily {
  name: string;
  clients?: number;
  runs: number;
  steps: fc.Arbitrary<Step[]>;
}

const withTypes = (c: fc.Arbitrary<Argv>) => single(withCreators(env.has, c), 1, 30);

const families: SeqFamily[] = [
  { name: 'strings', runs: 80, steps: withTypes(stringCommand()) },
  { name: 'bitmaps', runs: 40, steps: withTypes(bitmapCommand()) },
  { name: 'lists', runs: 60, steps: withTypes(listCommand()) },
  { name: 'hashes', runs: 50, steps: withTypes(hashCommand()) },
  { name: 'sets', runs: 60, steps: withTypes(setCommand()) },
  { name: 'zsets', runs: 60, steps: withTypes(zsetCommand()) },
  { name: 'generic', runs: 80, steps: groups(pick<Argv[]>([8, one(withCreators(env.has, genericCommand(), 5))], [1, dumpRestore]), 30) },
  { name: 'mixed', runs: 50, steps: single(anyCommand(), 1, 40) },
  { name: 'transactions', clients: 2, runs: 80, steps: transactions.steps(env) },
  { name: 'expiry', runs: 80, steps: expirySteps },
];

describe.runIf(familyEnabled('propagation'))('differential propagation (AOF)', () => {
  const pools = useRedis(4, REDIS_AOF);
  afterAll(() => {
    if (process.env.LARDER_DIFF_STATS === '1') console.info(`[propagation] ${counters.steps} commands run, ${compared} AOF commands compared`);
  });

  for (const f of families) {
    test(`${f.name}: every step appends to Larder's AOF what redis-server appends to its own`, async () => {
      const prop = fc.asyncProperty(fc.integer(), f.steps, (seed, steps) =>
        inRun(pools, seed, undefined, (run) => runAofSequence(run, steps, `propagation ${f.name}`)));
      await fc.assert(prop, fcParams(f.runs));
    }, 120_000);
  }

  test('blocking: pops served to blocked clients are logged as redis-server logs them', async () => {
    const prop = fc.asyncProperty(fc.integer(), blockingScenario, (seed, sc) => {
      const timers = new FakeTimers();
      return inRun(pools, seed, timers, (run) => runAofBlocking(run, timers, sc, 'propagation blocking'));
    });
    await fc.assert(prop, fcParams(80));
  }, 120_000);

  describe('directed cases', () => {
    for (const c of DIRECTED) {
      test(c.name, async () => {
        if ('steps' in c) return inRun(pools, 1, undefined, (run) => runAofSequence(run, c.steps.map(parseLine), c.name));
        const timers = new FakeTimers();
        const split = (ls: string[]) => ls.map((x) => x.split(' '));
        const sc = { setup: split(c.blocking.setup), blockers: split(c.blocking.blockers), writes: split(c.blocking.writes) };
        return inRun(pools, 1, timers, (run) => runAofBlocking(run, timers, sc, c.name));
      });
    }
  });
});
