/**
 * The parameters `larder serve` adds to the engine's (EngineOptions.configParams), as
 * redis-server 7.0 has them: the process ones it acts on (server-process.ts: `pidfile`, the process
 * title), and those for what Larder does not have — replication, the ACL log, the OOM score,
 * transparent huge pages, jemalloc, the HyperLogLog and stream encodings, client output buffer
 * limits, the start-up logo — kept with Redis's names, aliases, defaults, bounds and immutability
 * so that a redis.conf written for redis-server (Debian's stock one sets every one) loads and
 * CONFIG GET/SET answer as Redis does; a value set changes nothing else. What a client would rely
 * on (`replicaof`, `requirepass`, `masterauth`, TLS, ACL users) is not here, so a file that sets it
 * is refused. They live here, not in core, because only a server process has them: a browser
 * store has no pid file, and its bundle does not carry them.
 */
import { boolean, integer, INT_MAX, LONG_MAX, memory, memtoull, oneOf, text, type ConfigParam } from '@larder/core';
import { procTitleTemplate } from './proc-title.ts';

const LLONG_MIN = -(2n ** 63n);

/** strtoll over a whole argument: blanks, a sign, digits and nothing after ('' reads as 0). Saturates. */
function strtoll(s: string): bigint | undefined {
  if (s === '') return 0n;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(s);
  if (m === null) return undefined;
  const n = BigInt(m[1]!);
  return n > LONG_MAX ? LONG_MAX : n < LLONG_MIN ? LLONG_MIN : n;
}

/** A multi-argument value as CONFIG SET splits it (sdssplitlen on single spaces). */
const words = (v: string): string[] => (v === '' ? [] : v.split(' '));

/** getClientTypeByName, for the classes that have limits (the master has none). */
const OBUF_CLASS: Record<string, number> = { normal: 0, slave: 1, replica: 1, pubsub: 2 };

/**
 * `client-output-buffer-limit <class> <hard> <soft> <soft-seconds> ...`: each group replaces one
 * class's limits, the others keep theirs; all groups are checked before any is kept. Kept as
 * CONFIG GET prints it: every class, `slave` for replicas, exact 64-bit values.
 */
function clientOutputBufferLimit(v: string, current?: string | number): string {
  const args = words(v);
  if (args.length % 4 !== 0) throw new Error('Wrong number of arguments in buffer limit configuration.');
  const limits = String(current ?? 'normal 0 0 0 slave 0 0 0 pubsub 0 0 0').split(' ');
  for (let i = 0; i < args.length; i += 4) {
    const cls = OBUF_CLASS[args[i]!.toLowerCase()];
    if (cls === undefined) throw new Error('Invalid client class specified in buffer limit configuration.');
    let hard: bigint, soft: bigint;
    try {
      [hard, soft] = [memtoull(args[i + 1]!), memtoull(args[i + 2]!)];
    } catch {
      hard = soft = -1n;
    }
    // Read with strtoll into an int: the low 32 bits, which must not be negative.
    const seconds = BigInt.asIntN(32, strtoll(args[i + 3]!) ?? -1n);
    if (hard < 0n || seconds < 0n) throw new Error('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    limits.splice(cls * 4 + 1, 3, String(hard), String(soft), String(seconds));
  }
  return limits.join(' ');
}

/** `oom-score-adj-values <master> <replica> <bgchild>`. */
function oomScoreAdjValues(v: string): string {
  const args = words(v);
  if (args.length !== 3) throw new Error('wrong number of arguments');
  return args.map((a) => {
    const n = strtoll(a);
    if (n === undefined || n < -2000n || n > 2000n) throw new Error('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
    return String(n);
  }).join(' ');
}

/** An enum where `relative` is a second name for `yes`, which CONFIG GET prints. */
const oomScoreAdjMode = (v: string): string => oneOf('no', 'yes', 'relative', 'absolute')(v).replace('relative', 'yes');

export const SERVE_PARAMS: readonly ConfigParam[] = [
  // The process (server-process.ts).
  { name: 'pidfile', default: '', parse: text, immutable: true },
  { name: 'set-proc-title', default: 'yes', parse: boolean, immutable: true },
  { name: 'proc-title-template', default: '{title} {listen-addr} {server-mode}', parse: procTitleTemplate },
  // Kept, inert from here on.
  { name: 'always-show-logo', default: 'no', parse: boolean, immutable: true },
  // Replication.
  { name: 'replica-serve-stale-data', alias: 'slave-serve-stale-data', default: 'yes', parse: boolean },
  { name: 'replica-read-only', alias: 'slave-read-only', default: 'yes', parse: boolean },
  { name: 'replica-lazy-flush', alias: 'slave-lazy-flush', default: 'no', parse: boolean },
  { name: 'replica-priority', alias: 'slave-priority', default: '100', parse: integer(0n, INT_MAX) },
  { name: 'repl-diskless-sync', default: 'yes', parse: boolean },
  { name: 'repl-diskless-sync-delay', default: '5', parse: integer(0n, INT_MAX) },
  { name: 'repl-diskless-sync-max-replicas', default: '0', parse: integer(0n, INT_MAX) },
  { name: 'repl-diskless-load', default: 'disabled', parse: oneOf('disabled', 'on-empty-db', 'swapdb') },
  { name: 'repl-disable-tcp-nodelay', default: 'no', parse: boolean },
  { name: 'client-output-buffer-limit', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', parse: clientOutputBufferLimit },
  // The ACL log, the process and its allocator.
  { name: 'acllog-max-len', default: '128', parse: integer(0n, LONG_MAX) },
  { name: 'oom-score-adj', default: 'no', parse: oomScoreAdjMode },
  { name: 'oom-score-adj-values', default: '0 200 800', parse: oomScoreAdjValues },
  { name: 'disable-thp', default: 'yes', parse: boolean, immutable: true },
  { name: 'jemalloc-bg-thread', default: 'yes', parse: boolean },
  // Encodings of types Larder does not have.
  { name: 'hll-sparse-max-bytes', default: '3000', parse: memory(0n, LONG_MAX, false) },
  { name: 'stream-node-max-bytes', default: '4096', parse: memory(0n, LONG_MAX, false) },
  { name: 'stream-node-max-entries', default: '100', parse: integer(0n, LONG_MAX) },
];
