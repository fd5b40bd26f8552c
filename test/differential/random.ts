/**
 * Commands whose reply Redis draws at random (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER,
 * RANDOMKEY): both sides must agree on the shape (kinds, counts, RESP3 nesting), and every element
 * Larder returns must come from the key as the oracle held it just before, with the right value or
 * score, distinct where Redis promises distinct. After SPOP both sides popped different members:
 * each side then also removes what the other popped, so they hold the same set again.
 */
import { items, normEqual, type Norm } from '../support/norm.ts';
import type { Session } from './session.ts';
import { sameShape } from './compare.ts';
import type { StepResult } from './runner.ts';

export const RANDOM_COMMANDS = new Set(['spop', 'srandmember', 'hrandfield', 'zrandmember', 'randomkey']);

const leaf = (n: Norm): string | undefined =>
  n.t === 'bulk' || n.t === 'double' || n.t === 'simple' || n.t === 'int' ? n.v : undefined;
const flat = (n: Norm): string[] => {
  const xs = items(n);
  if (!xs) return leaf(n) === undefined ? [] : [leaf(n)!];
  return xs.flatMap(flat);
};

/** The key as the oracle holds it: element → value (score, hash value) or '' for sets and keys. */
async function universe(s: Session, i: number, name: string, argv: string[]): Promise<Map<string, string> | undefined> {
  const conn = s.redis(i);
  const read =
    name === 'randomkey' ? ['KEYS', '*']
      : name === 'hrandfield' ? ['HGETALL', argv[1]!]
        : name === 'zrandmember' ? ['ZRANGE', argv[1]!, '0', '-1', 'WITHSCORES']
          : ['SMEMBERS', argv[1]!];
  const r = await conn.call(read);
  if (r.t === 'error') return undefined;
  const xs = flat(r);
  const m = new Map<string, string>();
  if (name === 'hrandfield' || name === 'zrandmember') for (let j = 0; j + 1 < xs.length; j += 2) m.set(xs[j]!, xs[j + 1]!);
  else for (const x of xs) m.set(x, '');
  return m;
}

/** Why Larder's reply cannot be a draw from `u`, or undefined. */
function validate(name: string, argv: string[], reply: Norm, u: Map<string, string>): string | undefined {
  const withValues = argv.length > 3 && /^(withvalues|withscores)$/i.test(argv[3]!);
  const hasCount = argv.length > 2;
  const countArg = hasCount ? Number(argv[2]) : 1;
  const xs = flat(reply);
  const picked: string[] = [];
  if (withValues) {
    for (let j = 0; j + 1 < xs.length; j += 2) {
      const [k, v] = [xs[j]!, xs[j + 1]!];
      if (!u.has(k)) return `${JSON.stringify(k)} is not in the key`;
      if (u.get(k) !== v) return `${JSON.stringify(k)} comes with ${JSON.stringify(v)}, the key holds ${JSON.stringify(u.get(k))}`;
      picked.push(k);
    }
  } else {
    for (const k of xs) {
      if (!u.has(k)) return `${JSON.stringify(k)} is not in the key`;
      picked.push(k);
    }
  }
  const distinct = name === 'spop' || !hasCount || countArg >= 0;
  if (distinct && new Set(picked).size !== picked.length) return 'the same element was returned twice';
  return undefined;
}

export async function runRandom(s: Session, i: number, argv: string[]): Promise<StepResult> {
  const name = argv[0]!.toLowerCase();
  const u = await universe(s, i, name, argv);
  const { redis, larder } = await s.exec(i, argv);
  const r = redis[0]!;
  const l = larder[0]!;
  const result: StepResult = { redis, larder, verdict: undefined };
  if (u === undefined || r.t === 'error' || r.t === 'nil' || r.t === 'nilarray' || (items(r)?.length ?? 1) === 0) {
    if (!normEqual(r, l)) result.verdict = 'replies differ';
    return result;
  }
  if (!sameShape(r, l)) {
    result.verdict = 'random reply: shapes differ (kinds or counts)';
    return result;
  }
  const why = validate(name, argv, l, u);
  if (why) {
    result.verdict = `random reply not a valid draw: ${why}`;
    return result;
  }
  if (name === 'spop') await resyncAfterSpop(s, i, argv[1]!, flat(r), flat(l));
  result.note = 'random: compared shape and membership';
  return result;
}

async function resyncAfterSpop(s: Session, i: number, key: string, poppedR: string[], poppedL: string[]): Promise<void> {
  const onlyL = poppedL.filter((x) => !poppedR.includes(x));
  const onlyR = poppedR.filter((x) => !poppedL.includes(x));
  if (onlyL.length > 0) await s.redis(i).call(['SREM', key, ...onlyL]);
  if (onlyR.length > 0) await s.subject.exec(i, ['SREM', key, ...onlyR], false);
}
