/**
 * Runs a generated sequence on both sides, step by step, and fails with a readable transcript at
 * the first disagreement: every step so far with the oracle's reply, then the two replies that
 * differ. fast-check adds the seed and path that replay it.
 */
import { formatNorm, normEqual, quote, sameMultiset, type Norm } from '../support/norm.ts';
import { diffSnapshots, type Snapshot } from '../support/state.ts';
import { compareReplies, fullName, type Verdict } from './compare.ts';
import { materialize, type Step } from './commands/dsl.ts';
import { RANDOM_COMMANDS, runRandom } from './random.ts';
import { SCAN_COMMANDS, runScan } from './scan.ts';
import type { Session } from './session.ts';

export interface StepResult {
  redis: Norm[];
  larder: Norm[];
  verdict: Verdict;
  note?: string;
}

export interface TranscriptLine {
  client: number;
  argv: string[];
  result: StepResult;
}

/** A command as text; very long ones (HSET of 130 fields) are cut. */
export function showArgv(argv: readonly string[]): string {
  const shown = argv.length > 14 ? argv.slice(0, 12) : argv;
  const text = [shown[0] ?? '', ...shown.slice(1).map(quote)].join(' ');
  return shown === argv ? text : `${text} … (${argv.length - 12} more arguments)`;
}

const showFrames = (fs: Norm[]) => (fs.length === 1 ? formatNorm(fs[0]!) : `${fs.length} frames: ${fs.map((f) => formatNorm(f)).join(' | ')}`);

/** A mismatch's data lives beside the error: vitest prints an error's fields and getters after its message. */
const mismatchData = new WeakMap<Mismatch, MismatchInfo>();

export interface MismatchInfo {
  family: string;
  transcript: TranscriptLine[];
  what: string;
  /** The command that disagreed (last of the transcript), for grouping in the survey. */
  command: string;
  detail: string[];
}

export class Mismatch extends Error {
  constructor(family: string, transcript: TranscriptLine[], what: string, detail: string[]) {
    super(formatMismatch(family, transcript, what, detail));
    Object.defineProperty(this, 'name', { value: 'DifferentialMismatch', enumerable: false });
    const last = transcript[transcript.length - 1];
    mismatchData.set(this, { family, transcript, what, detail, command: last ? fullName(last.argv) : '(state)' });
  }
}

export function mismatchInfo(m: Mismatch): MismatchInfo {
  return mismatchData.get(m)!;
}

function formatMismatch(family: string, t: TranscriptLine[], what: string, detail: string[]): string {
  const multi = t.some((x) => x.client !== 0);
  const lines = [`[${family}] ${what}`];
  lines.push(...detail.map((d) => `    ${d}`));
  lines.push(`  sequence (${t.length} step${t.length === 1 ? '' : 's'}; reply shown is the oracle's):`);
  t.forEach((x, n) => {
    const who = multi ? `c${x.client} ` : '';
    lines.push(`    ${String(n + 1).padStart(3)}. ${who}${showArgv(x.argv)}  → ${showFrames(x.result.redis)}`);
  });
  return lines.join('\n');
}

/** Commands compared in this process (LARDER_DIFF_STATS=1 prints it per file). */
export const counters = { steps: 0, blocked: 0, servedWhileBlocked: 0 };

/** One command on both sides with the comparison its kind needs. */
export async function runStep(s: Session, client: number, argv: string[]): Promise<StepResult> {
  counters.steps++;
  const name = argv[0]?.toLowerCase() ?? '';
  const plain = !s.inMulti[client];
  if (plain && SCAN_COMMANDS.has(name) && argv[name === 'scan' ? 1 : 2] === '0') return runScan(s, client, argv);
  if (plain && RANDOM_COMMANDS.has(name) && (name === 'randomkey' || argv.length >= 2)) return runRandom(s, client, argv);
  const { redis, larder } = await s.exec(client, argv);
  let verdict: Verdict;
  if (redis.length !== larder.length) verdict = `the oracle sent ${redis.length} reply frame(s), Larder ${larder.length}`;
  else if (argv.length === 1 && UNSUBSCRIBE_ALL.has(name)) verdict = compareUnsubscribeAll(redis, larder);
  else {
    for (let j = 0; j < redis.length && verdict === undefined; j++) {
      verdict = await compareReplies(argv, redis[j]!, larder[j]!, s.redis(client));
    }
  }
  return { redis, larder, verdict };
}

const UNSUBSCRIBE_ALL = new Set(['unsubscribe', 'punsubscribe', 'sunsubscribe']);

/**
 * UNSUBSCRIBE with no argument walks the client's channel dict, whose order Redis leaves undefined:
 * the frames must agree except for which channel each one names.
 */
function compareUnsubscribeAll(redis: Norm[], larder: Norm[]): Verdict {
  const parts = (f: Norm) => (f.t === 'array' || f.t === 'push' ? f.v : []);
  const skeleton = (f: Norm): Norm => ({ ...f, v: parts(f).map((x, i) => (i === 1 ? { t: 'bulk', v: '?' } : x)) } as Norm);
  if (!redis.every((f, i) => normEqual(skeleton(f), skeleton(larder[i]!)))) return 'replies differ';
  return sameMultiset(redis.map((f) => parts(f)[1] ?? { t: 'nil' }), larder.map((f) => parts(f)[1] ?? { t: 'nil' }))
    ? undefined
    : 'replies differ (channels compared as a multiset)';
}

export interface RunOptions {
  family: string;
  /** Also compare the messages every client received after each step (pub/sub). */
  messages?: boolean;
  /** Compare whole datasets at the end (default true). */
  finalState?: boolean;
  /** Survey mode: called instead of throwing; return true to keep going. */
  onMismatch?: ((m: Mismatch) => Promise<boolean>) | undefined;
}

/** Runs `steps`; throws a Mismatch (or reports it to onMismatch) at the first disagreement. */
export async function runSequence(s: Session, steps: readonly Step[], opts: RunOptions): Promise<TranscriptLine[]> {
  const transcript: TranscriptLine[] = [];
  const fail = async (what: string, detail: string[]): Promise<boolean> => {
    const m = new Mismatch(opts.family, [...transcript], what, detail);
    if (opts.onMismatch) return opts.onMismatch(m);
    throw m;
  };
  for (let n = 0; n < steps.length; n++) {
    const step = steps[n]!;
    const argv = materialize(step.argv, n);
    const result = await runStep(s, step.client, argv);
    transcript.push({ client: step.client, argv, result });
    if (result.verdict !== undefined) {
      const keepGoing = await fail(`step ${n + 1}: ${result.verdict}`, [
        `command: ${showArgv(argv)}${step.client !== 0 ? ` (client ${step.client})` : ''}`,
        `redis:   ${showFrames(result.redis)}`,
        `larder:  ${showFrames(result.larder)}`,
        ...(result.note ? [`note:    ${result.note}`] : []),
      ]);
      if (!keepGoing) return transcript;
    }
    if (opts.messages) {
      await s.syncMessages();
      for (let c = 0; c < s.clients; c++) {
        const r = s.oracle.inbox[c]!.splice(0);
        const l = s.subject.inbox[c]!.splice(0);
        if (!sameMessages(r, l)) {
          const keepGoing = await fail(`step ${n + 1}: client ${c} received different messages`, [
            `redis:   ${r.map((x) => formatNorm(x)).join(' | ') || '(none)'}`,
            `larder:  ${l.map((x) => formatNorm(x)).join(' | ') || '(none)'}`,
          ]);
          if (!keepGoing) return transcript;
        }
      }
    }
  }
  if (opts.finalState !== false) {
    const diff = await compareState(s);
    if (diff.length > 0) await fail('datasets differ after the sequence', diff);
  }
  return transcript;
}

/**
 * Messages must arrive in the same order, except that one PUBLISH reaching a client through several
 * patterns comes in the order of Redis's pattern dict (undefined): runs of pmessages for the same
 * channel and payload are compared as multisets.
 */
export function sameMessages(a: Norm[], b: Norm[]): boolean {
  if (a.length !== b.length) return false;
  const canon = (xs: Norm[]) => {
    const out: string[] = [];
    let run: string[] = [];
    let runKey = '';
    const flush = () => {
      out.push(...run.sort());
      run = [];
    };
    for (const x of xs) {
      const v = 'v' in x && Array.isArray(x.v) ? x.v : [];
      const isP = v[0]?.t === 'bulk' && v[0].v === 'pmessage';
      const k = isP ? JSON.stringify([v[2], v[3]]) : '';
      if (!isP || k !== runKey) flush();
      runKey = isP ? k : '';
      run.push(JSON.stringify(x));
    }
    flush();
    return out;
  };
  const ca = canon(a);
  const cb = canon(b);
  return ca.every((x, i) => x === cb[i]) || a.every((x, i) => normEqual(x, b[i]!));
}

export async function snapshots(s: Session): Promise<{ redis: Snapshot; larder: Snapshot }> {
  return { redis: await s.oracle.snapshot(), larder: await s.subject.snapshot() };
}

export async function compareState(s: Session): Promise<string[]> {
  const { redis, larder } = await snapshots(s);
  return diffSnapshots(redis, larder);
}
