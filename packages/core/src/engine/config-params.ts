/**
 * The configuration parameters Larder keeps (a subset of Redis 7.0's config.c `configs[]`), with
 * Redis's names, aliases, defaults, bounds and flags, so CONFIG GET/SET answer and fail as
 * Redis 7.0.15 does. The value parsers reproduce config.c's: `string2ll` integers, `memtoull`
 * memory values, `yesnotoi` booleans, case-insensitive enums (listed in Redis's order, which its
 * error text shows), and the special `save`, `bind` and `notify-keyspace-events` parsers.
 */
import { parseNotifyFlags, formatNotifyFlags } from './notify.ts';
import { isInt64 } from '../commands/args.ts';

export interface ConfigParam {
  readonly name: string;
  readonly alias?: string;
  readonly default: string;
  /**
   * Parses a value; throws an Error whose message is Redis's reason text. Returns what
   * `Config.value` gives. `current` is the value it replaces (none for the default), for the
   * parameters a value only partly sets (client-output-buffer-limit).
   */
  readonly parse: (value: string, current?: string | number) => string | number;
  /** How CONFIG GET prints the parsed value (default `String`). */
  readonly format?: (value: string | number) => string;
  /** Settable only at start-up (IMMUTABLE_CONFIG). */
  readonly immutable?: boolean;
  /** Refused at runtime while `enable-protected-configs` is `no`, Redis's default (PROTECTED_CONFIG). */
  readonly protected?: boolean;
  /** Matched by CONFIG GET only by its exact name, never by a pattern (HIDDEN_CONFIG). */
  readonly hidden?: boolean;
}

export const INT_MAX = 2n ** 31n - 1n;
const INT_MIN = -(2n ** 31n);
const UINT_MAX = 2n ** 32n - 1n;
export const LONG_MAX = 2n ** 63n - 1n;
const ULLONG_MAX = 2n ** 64n - 1n;
const MB = 1024n * 1024n;

const MEMORY_UNITS: Record<string, bigint> = {
  '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n,
};

function outOfBounds(min: bigint, max: bigint): Error {
  return new Error(`argument must be between ${min} and ${max} inclusive`);
}

/** An INTEGER_CONFIG: string2ll, then the bounds (unsigned types compare the two's complement). */
export function integer(min: bigint, max: bigint, clamp?: (n: number) => number) {
  return (v: string): number => {
    if (!isInt64(v)) throw new Error("argument couldn't be parsed into an integer");
    let n = BigInt(v);
    if (n < 0n && min >= 0n) n += 2n ** 64n; // size_t / unsigned: -1 reads as 2^64-1
    if (n < min || n > max) throw outOfBounds(min, max);
    return clamp ? clamp(Number(n)) : Number(n);
  };
}

/**
 * memtoull: digits then an optional unit; no sign; an empty digit string reads as 0; 128 digits
 * or more do not fit its buffer. strtoull saturates, then the unit's product wraps as in C.
 */
export function memtoull(v: string): bigint {
  const m = /^([0-9]*)(.*)$/s.exec(v)!;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined || m[1]!.length >= 128) throw new Error('argument must be a memory value');
  const n = m[1] === '' ? 0n : BigInt(m[1]!);
  return ((n > ULLONG_MAX ? ULLONG_MAX : n) * unit) & ULLONG_MAX;
}

/** A MEMORY_CONFIG; `signed` for Redis's long long / off_t ones, compared after the cast. */
export function memory(min: bigint, max: bigint, signed: boolean) {
  return (v: string): number => {
    let n = memtoull(v);
    if (signed && n > LONG_MAX) n -= 2n ** 64n;
    if (n < min || n > max) throw outOfBounds(min, max);
    return Number(n);
  };
}

/**
 * A MEMORY_CONFIG | PERCENT_CONFIG (maxmemory-clients): `N%` is kept as -N, a memory value as
 * memtoull reads it, cast to ssize_t (so 2^64-1 reads as -1: `1%`, as in 7.0.15). Returns the
 * text CONFIG GET prints, exact beyond 2^53.
 */
function memoryOrPercent(v: string): string {
  const bad = new Error('argument must be a memory or percent value');
  let n: bigint;
  if (v.length > 1 && v.endsWith('%')) {
    const p = v.slice(0, -1);
    if (!isInt64(p) || BigInt(p) < 0n) throw bad;
    n = -BigInt(p);
  } else {
    try {
      n = memtoull(v);
    } catch {
      throw bad;
    }
    if (n > LONG_MAX) n -= 2n ** 64n;
  }
  if (n < -100n) throw new Error('percentage argument must be less or equal to 100');
  return n < 0n ? `${-n}%` : String(n);
}

/** CONFIG GET prints memory values with ull2string: keep 2^64-1 exact. */
const formatMemory = (v: string | number): string => ((v as number) >= 2 ** 64 ? ULLONG_MAX.toString() : String(v));

export function boolean(v: string): string {
  const l = v.toLowerCase();
  if (l !== 'yes' && l !== 'no') throw new Error("argument must be 'yes' or 'no'");
  return l;
}

export function oneOf(...values: string[]) {
  return (v: string): string => {
    const l = v.toLowerCase();
    if (!values.includes(l)) throw new Error(`argument(s) must be one of the following: ${values.join(', ')}`);
    return l;
  };
}

export const text = (v: string): string => v;

/** dbfilename and friends must be a base name. */
function baseName(what: string, kind: string, allowEmpty: boolean) {
  return (v: string): string => {
    if (!allowEmpty && v === '') throw new Error(`${what} can't be empty`);
    if (v.includes('/') || v.includes('\\')) throw new Error(`${what} can't be a path, just a ${kind}`);
    return v;
  };
}

/**
 * `save`: "seconds changes" pairs, split on single spaces as sdssplitlen does (so doubled or
 * trailing spaces make empty items, which strtoll reads as 0). Returns the canonical text.
 */
function save(v: string): string {
  const parts = v === '' ? [] : v.split(' ');
  const invalid = new Error('Invalid save parameters');
  if (parts.length % 2 !== 0) throw invalid;
  const nums = parts.map((p, i) => {
    if (p !== '' && !/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(p)) throw invalid;
    const n = p === '' ? 0 : Number(p.trim());
    if ((i % 2 === 0 && n < 1) || (i % 2 === 1 && n < 0)) throw invalid;
    return n;
  });
  return nums.join(' ');
}

/** The `save` value as rules: snapshot after `seconds` when at least `changes` writes happened. */
export function saveRules(value: string): Array<{ seconds: number; changes: number }> {
  const nums = value === '' ? [] : value.split(' ').map(Number);
  const rules: Array<{ seconds: number; changes: number }> = [];
  for (let i = 0; i + 1 < nums.length; i += 2) rules.push({ seconds: nums[i]!, changes: nums[i + 1]! });
  return rules;
}

function bind(v: string): string {
  const addrs = v === '' ? [] : v.split(' ');
  if (addrs.length > 16) throw new Error('Too many bind addresses specified.');
  return addrs.join(' ');
}

/** notify.ts throws a full `ERR ...` reply; CONFIG SET wants the bare reason. */
function notifyEvents(v: string): number {
  try {
    return parseNotifyFlags(v);
  } catch (e) {
    throw new Error((e as Error).message.replace(/^ERR /, ''));
  }
}

const MAXMEMORY_POLICIES = [
  'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
];
/** Redis keeps hz within [CONFIG_MIN_HZ, CONFIG_MAX_HZ] whatever is asked (updateHZ). */
const clampHz = (n: number): number => Math.min(500, Math.max(1, n));

export const CONFIG_PARAMS: readonly ConfigParam[] = [
  // Server and clients.
  { name: 'databases', default: '16', parse: integer(1n, INT_MAX), immutable: true },
  // port and bind are immutable here: the engine listens nowhere, a host reads them at start-up.
  { name: 'port', default: '6379', parse: integer(0n, 65535n), immutable: true },
  { name: 'bind', default: '127.0.0.1', parse: bind, immutable: true },
  { name: 'hz', default: '10', parse: integer(0n, INT_MAX, clampHz) },
  { name: 'dynamic-hz', default: 'yes', parse: boolean },
  { name: 'timeout', default: '0', parse: integer(0n, INT_MAX) },
  { name: 'tcp-keepalive', default: '300', parse: integer(0n, INT_MAX) },
  { name: 'tcp-backlog', default: '511', parse: integer(0n, INT_MAX), immutable: true },
  { name: 'maxclients', default: '10000', parse: integer(1n, UINT_MAX) },
  { name: 'protected-mode', default: 'yes', parse: boolean },
  // Who may CONFIG SET the protected parameters (dir, dbfilename): nobody, anybody, or clients on
  // loopback (in-process and browser clients count as local).
  { name: 'enable-protected-configs', default: 'no', parse: oneOf('no', 'yes', 'local'), immutable: true },
  // Who may run DEBUG (Redis 7.0 refuses it by default): same values.
  { name: 'enable-debug-command', default: 'no', parse: oneOf('no', 'yes', 'local'), immutable: true },
  { name: 'io-threads', default: '1', parse: integer(1n, 128n), immutable: true },
  { name: 'daemonize', default: 'no', parse: boolean, immutable: true },
  { name: 'loglevel', default: 'notice', parse: oneOf('debug', 'verbose', 'notice', 'warning') },
  { name: 'logfile', default: '', parse: text, immutable: true },
  { name: 'proto-max-bulk-len', default: '536870912', parse: memory(MB, LONG_MAX, true), format: formatMemory },
  { name: 'client-query-buffer-limit', default: '1073741824', parse: memory(MB, LONG_MAX, false), format: formatMemory },
  { name: 'slowlog-log-slower-than', default: '10000', parse: integer(-1n, LONG_MAX) },
  { name: 'slowlog-max-len', default: '128', parse: integer(0n, LONG_MAX) },
  { name: 'latency-monitor-threshold', default: '0', parse: integer(0n, LONG_MAX) },
  { name: 'latency-tracking', default: 'yes', parse: boolean },
  { name: 'busy-reply-threshold', alias: 'lua-time-limit', default: '5000', parse: integer(0n, LONG_MAX) },
  { name: 'shutdown-timeout', default: '10', parse: integer(0n, INT_MAX) },
  { name: 'notify-keyspace-events', default: '', parse: notifyEvents, format: (v) => formatNotifyFlags(v as number) },
  // Memory and eviction.
  { name: 'maxmemory', default: '0', parse: memory(0n, ULLONG_MAX, false), format: formatMemory },
  { name: 'maxmemory-policy', default: 'noeviction', parse: oneOf(...MAXMEMORY_POLICIES) },
  { name: 'maxmemory-samples', default: '5', parse: integer(1n, INT_MAX) },
  { name: 'maxmemory-eviction-tenacity', default: '10', parse: integer(0n, 100n) },
  { name: 'maxmemory-clients', default: '0', parse: memoryOrPercent },
  { name: 'lfu-log-factor', default: '10', parse: integer(0n, INT_MAX) },
  { name: 'lfu-decay-time', default: '1', parse: integer(0n, INT_MAX) },
  { name: 'active-expire-effort', default: '1', parse: integer(1n, 10n) },
  { name: 'activerehashing', default: 'yes', parse: boolean },
  { name: 'lazyfree-lazy-eviction', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-expire', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-server-del', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-user-del', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-user-flush', default: 'no', parse: boolean },
  // Encodings.
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', default: '512', parse: integer(0n, LONG_MAX) },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', default: '64', parse: memory(0n, LONG_MAX, false) },
  { name: 'set-max-intset-entries', default: '512', parse: integer(0n, LONG_MAX) },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', default: '128', parse: integer(0n, LONG_MAX) },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', default: '64', parse: memory(0n, LONG_MAX, false) },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', default: '-2', parse: integer(INT_MIN, INT_MAX) },
  { name: 'list-compress-depth', default: '0', parse: integer(0n, INT_MAX) },
  // Persistence.
  { name: 'dir', default: '.', parse: text, protected: true },
  { name: 'dbfilename', default: 'dump.rdb', parse: baseName('dbfilename', 'filename', true), protected: true },
  { name: 'save', default: '3600 1 300 100 60 10000', parse: save },
  { name: 'rdbcompression', default: 'yes', parse: boolean },
  { name: 'rdbchecksum', default: 'yes', parse: boolean, immutable: true },
  { name: 'rdb-del-sync-files', default: 'no', parse: boolean },
  { name: 'rdb-save-incremental-fsync', default: 'yes', parse: boolean },
  { name: 'stop-writes-on-bgsave-error', default: 'yes', parse: boolean },
  { name: 'sanitize-dump-payload', default: 'no', parse: oneOf('no', 'yes', 'clients') },
  { name: 'appendonly', default: 'no', parse: boolean },
  { name: 'appendfilename', default: 'appendonly.aof', parse: baseName('appendfilename', 'filename', false), immutable: true },
  { name: 'appenddirname', default: 'appendonlydir', parse: baseName('appenddirname', 'dirname', false), immutable: true },
  { name: 'appendfsync', default: 'everysec', parse: oneOf('everysec', 'always', 'no') },
  { name: 'no-appendfsync-on-rewrite', default: 'no', parse: boolean },
  { name: 'auto-aof-rewrite-percentage', default: '100', parse: integer(0n, INT_MAX) },
  { name: 'auto-aof-rewrite-min-size', default: '67108864', parse: memory(0n, LONG_MAX, true), format: formatMemory },
  { name: 'aof-load-truncated', default: 'yes', parse: boolean },
  { name: 'aof-use-rdb-preamble', default: 'yes', parse: boolean },
  { name: 'aof-timestamp-enabled', default: 'no', parse: boolean },
  { name: 'aof-rewrite-incremental-fsync', default: 'yes', parse: boolean },
  { name: 'aof-disable-auto-gc', default: 'no', parse: boolean },
  { name: 'loading-process-events-interval-bytes', default: '2097152', parse: integer(1024n, INT_MAX), hidden: true },
  // Test knobs, as in Redis's own tests: a pause per key loaded or saved (µs; negative: 1 µs once in -N keys).
  { name: 'key-load-delay', default: '0', parse: integer(INT_MIN, INT_MAX), hidden: true },
  { name: 'rdb-key-save-delay', default: '0', parse: integer(INT_MIN, INT_MAX), hidden: true },
  // Not a Redis parameter: DEBUG SET-ACTIVE-EXPIRE's switch, kept here so the cron can read it.
  { name: 'active-expire-enabled', default: 'yes', parse: boolean, hidden: true },
];
