/**
 * Registers a family's differential tests: one redis-server per test file, then
 *  - "sequences": fast-check command sequences run on both sides, replies and final datasets equal;
 *  - "bad input": a few valid commands, then one the family's `invalid` generator made; when the
 *    oracle answers with an error, Larder must answer the same error and leave its dataset as it was.
 *
 * Environment:
 *  - LARDER_DIFF_RUNS=<factor>   scales every family's number of runs (default 1).
 *  - LARDER_DIFF_SEED=<n>        fixes fast-check's seed (a failure prints the seed and path to replay).
 *  - LARDER_DIFF_SELF_TEST=1      compare redis-server with a second redis-server instead of Larder:
 *                                a mismatch then is a flaw of this suite (a race, an order assumption).
 *  - LARDER_DIFF_ONLY=a,b / LARDER_DIFF_SKIP=a,b   run only / skip these families (by name).
 *  - LARDER_DIFF_SURVEY=<dir>    survey mode: never fail, record every distinct mismatch into
 *                                <dir>/<family>.json (see survey.ts) and keep going.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { commandTable } from '../support/larder.ts';
import { materialize, type Argv, type Step } from './commands/dsl.ts';
import { Mismatch, counters, runSequence, runStep, showArgv, snapshots, type RunOptions } from './runner.ts';
import { LarderSide, RedisPool, RedisSide, SELF_TEST, Session, type SessionOptions, type Side } from './session.ts';
import type { Timers } from '../support/larder.ts';
import { diffSnapshots } from '../support/state.ts';
import { Survey } from './survey.ts';
import { formatNorm } from '../support/norm.ts';

/** A real pause (blocking timeouts, TTLs that must pass on both servers). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface GenEnv {
  /** Larder's table has a handler for this command (for auxiliary commands only, e.g. type creators). */
  has(name: string): boolean;
}

export interface Family {
  readonly name: string;
  /** The commands this family's generators cover (upper case, as in the issue list). */
  readonly covers: readonly string[];
  /** Concurrent clients per run (default 1). */
  readonly clients?: number;
  readonly runs?: number;
  /** Sequences of steps; single-client families use `single()`. */
  steps(env: GenEnv): fc.Arbitrary<Step[]>;
  /** Commands expected to fail (wrong arity, junk arguments, bad options). */
  invalid?(env: GenEnv): fc.Arbitrary<Argv>;
  /** Valid commands that set the scene for `invalid` (default: the family's own steps). */
  setup?(env: GenEnv): fc.Arbitrary<Argv>;
  readonly badInputRuns?: number;
  readonly session?: Partial<SessionOptions>;
  readonly run?: Partial<RunOptions>;
}

export const env: GenEnv = {
  has(name) {
    const spec = commandTable.get(name);
    return spec !== undefined && (spec.handler !== undefined || (spec.subcommands?.length ?? 0) > 0);
  },
};

/** A sequence of `min`..`max` commands from client 0. */
export function single(command: fc.Arbitrary<Argv>, min = 1, max = 40): fc.Arbitrary<Step[]> {
  return fc.array(command.map((argv): Step => ({ client: 0, argv })), { minLength: min, maxLength: max, size: 'max' });
}

const factor = Number(process.env.LARDER_DIFF_RUNS ?? '1') || 1;
const fixedSeed = process.env.LARDER_DIFF_SEED ? Number(process.env.LARDER_DIFF_SEED) : undefined;
const surveyDir = process.env.LARDER_DIFF_SURVEY;
/** Time fast-check may spend on one property, shrinking included. */
const PROPERTY_BUDGET_MS = 75_000;

export function fcParams(runs: number): fc.Parameters<unknown> {
  const p: fc.Parameters<unknown> = {
    numRuns: Math.max(1, Math.round(runs * factor)),
    interruptAfterTimeLimit: PROPERTY_BUDGET_MS,
    markInterruptAsFailure: false,
  };
  if (fixedSeed !== undefined) p.seed = fixedSeed;
  return p;
}

export interface Pools {
  oracle(): RedisPool;
  /** The second server standing in for Larder in a self-test (LARDER_DIFF_SELF_TEST=1). */
  subject(): RedisPool | undefined;
  /** Renew the connections before the next run (a run ended in something else than a clean mismatch). */
  fresh: boolean;
}

/**
 * Servers for one test file: started in beforeAll, stopped in afterAll, reset before every run.
 * `extraArgs` go to both redis-servers (the oracle and a self-test's subject).
 */
export function useRedis(clients: number, extraArgs: string[] = []): Pools {
  let oracle: RedisPool | undefined;
  let subject: RedisPool | undefined;
  beforeAll(async () => {
    oracle = await RedisPool.start(clients, extraArgs);
    if (SELF_TEST) subject = await RedisPool.start(clients, extraArgs);
  });
  afterAll(async () => {
    await oracle?.stop();
    await subject?.stop();
  });
  return {
    oracle() {
      if (!oracle) throw new Error('redis-server did not start (see the beforeAll error)');
      return oracle;
    },
    subject: () => subject,
    fresh: false,
  };
}

/**
 * Starts a run: servers reset, a new Larder engine (or the self-test's second server), started
 * with `config` if given. Call `endRun` in finally.
 */
export async function beginRun(pools: Pools, opts: SessionOptions, timers?: Timers, config?: Record<string, string>): Promise<Session> {
  const oracle = pools.oracle();
  const subjectPool = pools.subject();
  await oracle.reset(pools.fresh);
  if (subjectPool) await subjectPool.reset(pools.fresh);
  pools.fresh = false;
  const subject: Side = subjectPool ? new RedisSide(subjectPool) : new LarderSide(oracle.conns.length, opts.seed, timers, config);
  return new Session(oracle, subject, opts);
}

export function endRun(pools: Pools, s: Session, error: unknown): void {
  if (error !== undefined && !(error instanceof Mismatch)) pools.fresh = true;
  s.close();
}

const listEnv = (name: string) => (process.env[name] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const only = listEnv('LARDER_DIFF_ONLY');
const skip = listEnv('LARDER_DIFF_SKIP');

/** Whether a family runs in this process (LARDER_DIFF_ONLY / LARDER_DIFF_SKIP). */
export function familyEnabled(name: string): boolean {
  return (only.length === 0 || only.includes(name)) && !skip.includes(name);
}

export function diffSuite(family: Family): void {
  describe.runIf(familyEnabled(family.name))(`differential ${family.name}`, () => {
    const o = useRedis(family.clients ?? 1);
    const survey = surveyDir ? new Survey(surveyDir, family.name) : undefined;
    afterAll(() => {
      survey?.write();
      if (process.env.LARDER_DIFF_STATS === '1') console.info(`[${family.name}] ${counters.steps} commands compared`);
    });

    test(`${family.name}: generated command sequences match redis-server`, async () => {
      const prop = fc.asyncProperty(fc.integer(), family.steps(env), async (seed, steps) => {
        const s = await beginRun(o, { seed, ...family.session });
        let error: unknown;
        try {
          await runSequence(s, steps, { family: family.name, ...family.run, onMismatch: survey ? survey.handler(s) : undefined });
        } catch (e) {
          error = e;
          throw e;
        } finally {
          endRun(o, s, error);
        }
      });
      await fc.assert(prop, fcParams(family.runs ?? 60));
    }, 180_000);

    const invalid = family.invalid;
    if (!invalid) return;
    test(`${family.name}: bad input gets Redis's error and leaves the dataset unchanged`, async () => {
      const setupArb = family.setup ? family.setup(env) : family.steps(env).map((xs) => xs.map((x) => x.argv));
      const setup = family.setup ? fc.array(setupArb as fc.Arbitrary<Argv>, { maxLength: 8 }) : (setupArb as fc.Arbitrary<Argv[]>);
      const prop = fc.asyncProperty(fc.integer(), setup, invalid(env), async (seed, pre, bad) => {
        const s = await beginRun(o, { seed, ...family.session });
        let error: unknown;
        try {
          await checkBadInput(s, family.name, pre.slice(0, 10), bad, survey);
        } catch (e) {
          error = e;
          throw e;
        } finally {
          endRun(o, s, error);
        }
      });
      await fc.assert(prop, fcParams(family.badInputRuns ?? 100));
    }, 180_000);
  });
}

async function checkBadInput(s: Session, family: string, pre: Argv[], bad: Argv, survey: Survey | undefined): Promise<void> {
  const onMismatch = survey ? survey.handler(s) : undefined;
  const label = `${family} bad input`;
  const steps = pre.map((argv): Step => ({ client: 0, argv }));
  const transcript = await runSequence(s, steps, { family: label, finalState: false, onMismatch });
  if (survey && transcript.some((t) => t.result.verdict !== undefined)) return;
  const before = await snapshots(s);
  const setupDiff = diffSnapshots(before.redis, before.larder);
  const report = async (what: string, detail: string[], t = transcript) => {
    const m = new Mismatch(label, t, what, detail);
    if (onMismatch) await onMismatch(m);
    else throw m;
  };
  if (setupDiff.length > 0) return report('datasets differ after the setup commands', setupDiff);
  const argv = materialize(bad, pre.length);
  const result = await runStep(s, 0, argv);
  const t = [...transcript, { client: 0, argv, result }];
  const detail = [`command: ${showArgv(argv)}`, `redis:   ${result.redis.map((x) => formatNorm(x)).join(' | ')}`, `larder:  ${result.larder.map((x) => formatNorm(x)).join(' | ')}`];
  if (result.verdict !== undefined) return report(`bad input: ${result.verdict}`, detail, t);
  const after = await snapshots(s);
  const afterDiff = diffSnapshots(after.redis, after.larder);
  if (afterDiff.length > 0) return report('bad input: datasets differ afterwards', [...detail, ...afterDiff], t);
  if (result.redis[0]?.t === 'error') {
    const changed = diffSnapshots(before.larder, after.larder, ['before', 'after']);
    if (changed.length > 0) return report('bad input: Larder answered the error but changed its dataset', [...detail, ...changed], t);
  }
}
