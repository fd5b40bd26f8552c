/**
 * The string commands (Redis's t_string.c): SET and its variants and the GET family here; APPEND
 * and ranges in range-commands.ts, counters in counter-commands.ts, LCS in lcs.ts, bitmaps in
 * bitmap-commands.ts.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import type { Client } from '../../engine/client.ts';
import { OK, type Reply } from '../../reply/reply.ts';
import { WRONGTYPE, wrongArity } from '../../reply/errors.ts';
import { counterCommands } from './counter-commands.ts';
import { lcsCommands } from './lcs.ts';
import { rangeCommands } from './range-commands.ts';
import { expireAt, parseStringOptions, EX, GET, KEEPTTL, NX, PERSIST, PX, PXAT, XX, EXAT } from './options.ts';
import { cstr } from './string.ts';

/**
 * setGenericCommand: the expire is checked first, then GET's old value (WRONGTYPE), then NX/XX.
 * `ok` and `abort` are the replies for "set" and "NX/XX not met" (SETNX answers 1 and 0).
 */
function setGeneric(
  c: Client, argv: string[], value: string, flags: number, expire: string | undefined, cmd: string, ok: Reply, abort: Reply,
): Reply {
  const key = argv[1]!;
  const at = expire === undefined ? undefined : expireAt(expire, flags, c.engine.now(), cmd);
  const old = flags & GET ? (c.db.read(key, 'string') ?? null) : null;
  if (flags & (NX | XX)) {
    const found = c.db.lookup(key) !== undefined;
    if ((flags & NX && found) || (flags & XX && !found)) return flags & GET ? old : abort;
  }
  const e = c.db.set(key, value, (flags & KEEPTTL) !== 0);
  c.changed(key, 'set', '$');
  if (at !== undefined) {
    c.db.setExpire(key, e, Number(at));
    c.changed(key, 'expire', 'g', 0);
    // Replicas and the AOF get an absolute time, so replaying never depends on the clock. Redis
    // 7.0 rewrites a PXAT too (later versions keep the client's text then).
    c.rewrite(['SET', key, value, 'PXAT', String(at)]);
  } else if (flags & GET) {
    c.rewrite(argv.filter((a, j) => j < 3 || cstr(a) !== 'get'));
  }
  return flags & GET ? old : ok;
}

function setWithOptions(c: Client, argv: string[]): Reply {
  const { flags, expire } = parseStringOptions(argv, true);
  return setGeneric(c, argv, argv[2]!, flags, expire, 'set', OK, null);
}

function getex(c: Client, argv: string[]): Reply {
  const { flags, expire } = parseStringOptions(argv, false);
  const key = argv[1]!;
  const e = c.db.lookup(key);
  if (e === undefined) return null;
  const value = e.value;
  if (typeof value !== 'string') throw WRONGTYPE;
  const now = c.engine.now();
  const at = expire === undefined ? undefined : expireAt(expire, flags, now, 'getex');
  const cfg = c.engine.config;
  if (at !== undefined && flags & (EXAT | PXAT) && Number(at) <= now && c.db.ks.expireEnabled) {
    // An absolute time already past deletes the key now (checkAlreadyExpired).
    c.db.delete(key);
    c.rewrite([cfg.value('lazyfree-lazy-expire') === 'yes' ? 'UNLINK' : 'DEL', key]);
    c.changed(key, 'del', 'g');
  } else if (at !== undefined) {
    c.db.setExpire(key, e, Number(at));
    c.rewrite(['PEXPIREAT', key, String(at)]);
    c.changed(key, 'expire', 'g');
  } else if (flags & PERSIST && c.db.persist(key, e)) {
    c.rewrite(['PERSIST', key]);
    c.changed(key, 'persist', 'g');
  }
  return value;
}

function mset(c: Client, argv: string[], nx: boolean): Reply {
  if (argv.length % 2 === 0) throw wrongArity(nx ? 'msetnx' : 'mset');
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) if (c.db.lookup(argv[j]!) !== undefined) return 0;
  }
  for (let j = 1; j < argv.length; j += 2) {
    c.db.set(argv[j]!, argv[j + 1]!);
    c.changed(argv[j]!, 'set', '$');
  }
  return nx ? 1 : OK;
}

export const stringCommands: CommandSpec[] = [
  // GET key
  command({
    name: 'get', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Get the value of a key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => c.db.read(argv[1]!, 'string') ?? null,
  }),
  // SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
  command({
    name: 'set', arity: -3, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Set the string value of a key', complexity: 'O(1)',
    syntax: 'key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    handler: (c, argv) => {
      if (argv.length > 3) return setWithOptions(c, argv);
      c.db.set(argv[1]!, argv[2]!);
      c.changed(argv[1]!, 'set', '$');
      return OK;
    },
  }),
  // SETNX key value
  command({
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Set the value of a key, only if the key does not exist', syntax: 'key value', complexity: 'O(1)',
    handler: (c, argv) => setGeneric(c, argv, argv[2]!, NX, undefined, 'setnx', 1, 0),
  }),
  // SETEX key seconds value
  command({
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'string', since: '2.0.0',
    summary: 'Set the value and expiration of a key', syntax: 'key seconds value', complexity: 'O(1)',
    handler: (c, argv) => setGeneric(c, argv, argv[3]!, EX, argv[2]!, 'setex', OK, null),
  }),
  // PSETEX key milliseconds value
  command({
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'string', since: '2.6.0',
    summary: 'Set the value and expiration in milliseconds of a key', syntax: 'key milliseconds value',
    complexity: 'O(1)',
    handler: (c, argv) => setGeneric(c, argv, argv[3]!, PX, argv[2]!, 'psetex', OK, null),
  }),
  // MGET key [key ...]
  command({
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], group: 'string', since: '1.0.0',
    summary: 'Get the values of all the given keys', syntax: 'key [key ...]',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    handler: (c, argv) => {
      const out: Reply[] = new Array(argv.length - 1);
      for (let j = 1; j < argv.length; j++) {
        const v = c.db.lookup(argv[j]!)?.value;
        out[j - 1] = typeof v === 'string' ? v : null;
      }
      return out;
    },
  }),
  // MSET key value [key value ...]
  command({
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 2], group: 'string', since: '1.0.1',
    summary: 'Set multiple keys to multiple values', syntax: 'key value [key value ...]',
    complexity: 'O(N) where N is the number of keys to set.',
    handler: (c, argv) => mset(c, argv, false),
  }),
  // MSETNX key value [key value ...]
  command({
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 2], group: 'string', since: '1.0.1',
    summary: 'Set multiple keys to multiple values, only if none of the keys exist', syntax: 'key value [key value ...]',
    complexity: 'O(N) where N is the number of keys to set.',
    handler: (c, argv) => mset(c, argv, true),
  }),
  // GETSET key value
  command({
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Set the string value of a key and return its old value', syntax: 'key value', complexity: 'O(1)',
    handler: (c, argv) => {
      const old = c.db.read(argv[1]!, 'string') ?? null;
      c.db.set(argv[1]!, argv[2]!);
      c.changed(argv[1]!, 'set', '$');
      c.rewrite(['SET', argv[1]!, argv[2]!]);
      return old;
    },
  }),
  // GETDEL key
  command({
    name: 'getdel', arity: 2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'string', since: '6.2.0',
    summary: 'Get the value of a key and delete the key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => {
      const key = argv[1]!;
      const v = c.db.read(key, 'string');
      if (v === undefined) return null;
      c.db.delete(key);
      c.rewrite([c.engine.config.value('lazyfree-lazy-user-del') === 'yes' ? 'UNLINK' : 'DEL', key]);
      c.changed(key, 'del', 'g');
      return v;
    },
  }),
  // GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
  command({
    name: 'getex', arity: -2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'string', since: '6.2.0',
    summary: 'Get the value of a key and optionally set its expiration', complexity: 'O(1)',
    syntax: 'key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]',
    handler: getex,
  }),
  ...rangeCommands,
  ...counterCommands,
  ...lcsCommands,
];
