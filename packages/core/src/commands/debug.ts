/**
 * DEBUG (Redis 7.0's debug.c), the subcommands tests and tools rely on: OBJECT, SLEEP,
 * SET-ACTIVE-EXPIRE, LOG, RELOAD, HELP. DEBUG has no subcommand table in Redis (COMMAND INFO
 * lists none), so neither has it here: the handler dispatches on argv[1].
 *
 * DEBUG OBJECT prints Redis's line. `serializedlength` is the RDB encoding's length computed from
 * the value's bytes (listpacks, intsets and strings sized as Redis lays them out), without LZF
 * compression, which Redis applies to strings over 20 bytes that compress: for those Redis
 * prints less. `lru` is the current LRU clock, as no access times are kept per key.
 */
import type { Client } from '../engine/client.ts';
import { objectEncoding, type Entry } from '../keyspace/object.ts';
import { DEBUG_RELOAD_OPTIONS, NO_SUCH_KEY, ReplyError, subcommandSyntax } from '../reply/errors.ts';
import { persistenceOf } from '../persistence/rdb-file.ts';
import { OK, Status, formatDouble17g, type Reply } from '../reply/reply.ts';
import { isInt64, tryParseDouble } from './args.ts';
import { HELP, helpReply } from './help.ts';
import { command, type CommandSpec } from './spec.ts';

/** Listpack entry: encoding header + data, then its back-length (listpack.c). */
function lpEntryBytes(s: string): number {
  let enc: number;
  if (s.length <= 20 && isInt64(s)) {
    const v = Number(s);
    enc = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= -32768 && v <= 32767 ? 3
      : v >= -8388608 && v <= 8388607 ? 4 : v >= -2147483648 && v <= 2147483647 ? 5 : 9;
  } else {
    const n = s.length;
    enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  }
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
  return enc + back;
}

/** An RDB length prefix (rdbSaveLen). */
const lenBytes = (n: number): number => (n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9);

/** rdbSaveRawString without LZF: int-encoded when it reads as a 32-bit integer. */
function rdbStringBytes(s: string): number {
  if (s.length <= 11 && isInt64(s)) {
    const v = Number(s);
    if (v >= -128 && v <= 127) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -2147483648 && v <= 2147483647) return 5;
  }
  return lenBytes(s.length) + s.length;
}

const blobBytes = (n: number): number => lenBytes(n) + n;
const listpackBytes = (items: Iterable<string>): number => {
  let n = 7; // header (6) + end byte
  for (const s of items) n += lpEntryBytes(s);
  return n;
};

function* flat(v: Iterable<unknown>): Generator<string> {
  for (const item of v) {
    if (Array.isArray(item)) {
      const [a, b] = item as [string, string | number];
      yield a;
      yield typeof b === 'number' ? formatDouble17g(b) : b;
    } else {
      yield item as string;
    }
  }
}

/** Quicklist nodes as Redis 7.0 fills them for `list-max-listpack-size` `fill`. */
function quicklistNodes(items: Iterable<string>, fill: number): number[] {
  const f = Math.max(-5, fill);
  const maxBytes = f < 0 ? 4096 * 2 ** (-f - 1) : 8192;
  const nodes: number[] = [];
  let bytes = 0;
  let count = 0;
  for (const s of items) {
    const e = lpEntryBytes(s);
    if (count > 0 && (bytes + e > maxBytes || (f > 0 && count >= f))) {
      nodes.push(bytes);
      bytes = 0;
      count = 0;
    }
    if (count === 0) bytes = 7;
    bytes += e;
    count++;
  }
  if (count > 0) nodes.push(bytes);
  return nodes;
}

interface Sized {
  readonly length?: number;
  readonly size?: number;
  [Symbol.iterator](): Iterator<unknown>;
}

function serializedLength(e: Entry, encoding: string, fill: number): number {
  const v = e.value;
  if (typeof v === 'string') return rdbStringBytes(v);
  const c = v as unknown as Sized;
  switch (encoding) {
    case 'quicklist': {
      const nodes = quicklistNodes(flat(c), fill);
      return lenBytes(nodes.length) + nodes.reduce((n, b) => n + 1 + blobBytes(b), 0);
    }
    case 'listpack':
      return blobBytes(listpackBytes(flat(c)));
    case 'intset': {
      let width = 2;
      for (const m of c) {
        const x = Number(m);
        if (x < -2147483648 || x > 2147483647) width = 8;
        else if ((x < -32768 || x > 32767) && width < 4) width = 4;
      }
      return blobBytes(8 + width * (c.size ?? 0));
    }
    default: {
      // hashtable / skiplist: a length, then each string (and each score as a binary double).
      let n = lenBytes(c.size ?? c.length ?? 0);
      for (const item of c) {
        if (Array.isArray(item)) {
          const [a, b] = item as [string, string | number];
          n += rdbStringBytes(a) + (typeof b === 'number' ? 8 : rdbStringBytes(b));
        } else {
          n += rdbStringBytes(item as string);
        }
      }
      return n;
    }
  }
}

/** Stable fake addresses, so two DEBUG OBJECTs of one key print the same `Value at`. */
const addresses = new WeakMap<Entry, string>();
let nextAddress = 0x7f0000001000;

function debugObject(c: Client, key: string): Reply {
  const e = c.db.lookup(key);
  if (e === undefined) throw NO_SUCH_KEY;
  let at = addresses.get(e);
  if (at === undefined) addresses.set(e, (at = `0x${(nextAddress += 0x30).toString(16)}`));
  const encoding = objectEncoding(e);
  const fill = Math.max(-5, c.engine.config.num('list-max-listpack-size'));
  const shared = encoding === 'int' && Number(e.value) >= 0 && Number(e.value) < 10000;
  const lru = Math.floor(c.engine.now() / 1000) & 0xffffff;
  let line = `Value at:${at} refcount:${shared ? 2147483647 : 1} encoding:${encoding}` +
    ` serializedlength:${serializedLength(e, encoding, fill)} lru:${lru} lru_seconds_idle:0`;
  if (encoding === 'quicklist') {
    const nodes = quicklistNodes(flat(e.value as unknown as Sized), fill);
    const count = (e.value as unknown as Sized).length ?? 0;
    line += ` ql_nodes:${nodes.length} ql_avg_node:${(nodes.length === 0 ? 0 : count / nodes.length).toFixed(2)}` +
      ` ql_listpack_max:${fill} ql_compressed:${c.engine.config.num('list-compress-depth') === 0 ? 0 : 1}` +
      ` ql_uncompressed_size:${nodes.reduce((a, b) => a + b, 0)}`;
  }
  return new Status(line);
}

/** DEBUG SLEEP: 0 returns at once; more waits without blocking other clients (Redis blocks the server). */
function sleep(seconds: string): Reply | Promise<Reply> {
  const s = tryParseDouble(seconds) ?? 0;
  if (!(s > 0)) return OK;
  const timers = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown };
  return new Promise((resolve) => timers.setTimeout(() => resolve(OK), s * 1000));
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty and load back (persistence/rdb-file.ts).
 * Answers once the saved file is durable.
 */
function reload(c: Client, options: string[]): Promise<Reply> {
  let save = true;
  let flush = true;
  let merge = false;
  for (const opt of options) {
    const o = opt.toLowerCase();
    if (o === 'merge') merge = true;
    else if (o === 'noflush') flush = false;
    else if (o === 'nosave') save = false;
    else throw DEBUG_RELOAD_OPTIONS;
  }
  return persistenceOf(c.engine).rdb.reload({ save, flush, merge }).then(
    () => OK,
    (e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)),
  );
}

function debug(c: Client, argv: string[]): Reply | Promise<Reply> {
  const sub = argv[1]!.toLowerCase();
  const n = argv.length;
  if (sub === 'help' && n === 2) return helpReply(argv[0]!, HELP.debug);
  if (sub === 'object' && n === 3) return debugObject(c, argv[2]!);
  if (sub === 'sleep' && n === 3) return sleep(argv[2]!);
  if (sub === 'set-active-expire' && n === 3) {
    // atoi: any leading non-zero number enables.
    c.engine.config.set('active-expire-enabled', parseInt(argv[2]!, 10) ? 'yes' : 'no', true);
    return OK;
  }
  if (sub === 'log' && n === 3) return OK;
  if (sub === 'reload') return reload(c, argv.slice(2));
  throw subcommandSyntax(argv[0]!, argv[1]!);
}

// DEBUG subcommand [argument ...]
export const debugCommand: CommandSpec = command({
  name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '1.0.0',
  summary: 'A container for debugging commands', syntax: 'subcommand [argument ...]',
  complexity: 'Depends on subcommand.', handler: debug,
});
