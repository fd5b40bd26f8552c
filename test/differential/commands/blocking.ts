/**
 * Scenarios for the blocking commands with several clients: client 0 sets the scene, clients 1..3
 * each send a blocking command with a long timeout (30 s: never reached, so nothing depends on
 * the clock), then client 0 writes: pushes that serve them in Redis's order (FIFO per key, the
 * first ready key of a multi-key BLPOP), BLMOVE chains, wrong-type keys that keep them blocked,
 * transactions, SWAPDB. Whoever is still blocked at the end is released as by a timeout.
 */
import fc from 'fast-check';
import { cmd, materialize, opt, pick, some, word, words, type Argv } from './dsl.ts';

export const BLOCKING_COMMANDS = ['BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP'] as const;

export interface BlockingScenario {
  setup: Argv[];
  blockers: Argv[];
  writes: Argv[];
}

const key = fc.constantFrom('k1', 'k2', 'k3');
const keys = fc.uniqueArray(key, { minLength: 1, maxLength: 3 });
const el = fc.constantFrom('a', 'b', 'c', 'd');
const side = words('LEFT', 'RIGHT');
const T = '30';
const numkeys = keys.map((ks) => [String(ks.length), ...ks]);
const countOpt = opt(cmd(word('COUNT'), fc.constantFrom('1', '2', '5')), 2);

const blocker = pick<Argv>(
  [5, cmd(fc.constantFrom('BLPOP', 'BRPOP'), keys, T)],
  [3, cmd('BLMOVE', key, key, side, side, T)],
  [1, cmd('BRPOPLPUSH', key, key, T)],
  [2, cmd('BLMPOP', T, numkeys, side, countOpt)],
  [3, cmd(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), keys, T)],
  [2, cmd('BZMPOP', T, numkeys, words('MIN', 'MAX'), countOpt)],
);

const write = pick<Argv>(
  [9, cmd(fc.constantFrom('LPUSH', 'RPUSH'), key, some(el, 1, 3))],
  [6, cmd('ZADD', key, some(cmd(fc.constantFrom('1', '2', '3'), el), 1, 3))],
  [2, cmd('LMOVE', key, key, side, side)],
  [1, cmd('RPOPLPUSH', key, key)],
  [2, cmd('DEL', key)],
  [1, cmd('SET', key, 'str')],
  [1, cmd('LPUSHX', key, el)],
  [1, cmd('RENAME', key, key)],
  [1, cmd('SWAPDB', '0', '1')],
  [1, cmd('SELECT', fc.constantFrom('0', '1'))],
  [1, cmd('LRANGE', key, '0', '-1')],
);
/** Writes, sometimes a few of them inside MULTI/EXEC: blocked clients are served after EXEC. */
const writes = fc
  .array(pick<Argv[]>([8, write.map((w) => [w])], [2, fc.array(write, { minLength: 1, maxLength: 3 }).map((ws) => [['MULTI'], ...ws, ['EXEC']])]), { minLength: 2, maxLength: 8, size: 'max' })
  .map((groups) => groups.flat());

/** The keys a blocker waits on (materialized argv). */
function keysOf(argv: readonly string[]): string[] {
  const name = argv[0]!.toUpperCase();
  if (name === 'BLMOVE' || name === 'BRPOPLPUSH') return [argv[1]!];
  if (name === 'BLMPOP' || name === 'BZMPOP') return argv.slice(3, 3 + Number(argv[2]));
  return argv.slice(1, -1);
}

/**
 * SWAPDB makes every key blocked-on in the swapped dbs ready at once, and redis-server serves them
 * in the iteration order of its `blocking_keys` dict, which its per-process random hash seed sets:
 * with two or more such keys the oracle's own answer varies from process to process (a BLMPOP on
 * k3 and k1, both made ready by SWAPDB, was served from k1 by three of six fresh redis-servers and
 * from k3 by the others). Those scenarios are left out.
 */
function orderDefined(s: { blockers: Argv[]; writes: Argv[] }): boolean {
  const swaps = s.writes.some((w) => materialize(w, 0)[0] === 'SWAPDB');
  return !swaps || new Set(s.blockers.flatMap((b) => keysOf(materialize(b, 0)))).size <= 1;
}

export const blockingScenario: fc.Arbitrary<BlockingScenario> = fc.record({
  setup: fc.array(pick<Argv>([3, cmd('RPUSH', key, some(el, 1, 2))], [2, cmd('ZADD', key, '1', el)], [1, cmd('SET', key, 'str')]), { maxLength: 2 }),
  blockers: fc.array(blocker, { minLength: 1, maxLength: 3 }),
  writes,
}).filter(orderDefined);
