/**
 * Connection commands (Redis 7.0's server.c, networking.c, acl.c parts): PING, ECHO, SELECT,
 * HELLO, AUTH, RESET, QUIT, plus the CLIENT container from client.ts.
 *
 * Larder has one user, `default`, with no password (Redis's out-of-the-box `nopass`): AUTH and
 * HELLO AUTH accept any password for it and refuse any other user name.
 */
import type { Client } from '../engine/client.ts';
import {
  AUTH_WITHOUT_PASSWORD, DB_INDEX_RANGE, NOPROTO, PROTOVER_NOT_INTEGER, SYNTAX, WRONGPASS, helloSyntax,
  valueOutOfRange, wrongArity,
} from '../reply/errors.ts';
import { MapReply, OK, PONG, Status, type Reply } from '../reply/reply.ts';
import { isOpt, parseInteger } from './args.ts';
import { clientCommand, clearConnectionFlags, setClientName } from './client.ts';
import { discardTransaction } from './multi.ts';
import { command, type CommandSpec } from './spec.ts';

export const REDIS_VERSION = '7.0.15';
const RESET = new Status('RESET');

/** ACLAuthenticateUser with only `default`, nopass. */
function authenticate(user: string, _password: string): void {
  if (user !== 'default') throw WRONGPASS;
}

function ping(c: Client, argv: string[]): Reply {
  // RESP2 clients in the pub/sub state read replies as messages, so PING answers as one.
  if (c.resp === 2 && c.engine.pubsub.subscribed(c)) return ['pong', argv[1] ?? ''];
  return argv.length === 1 ? PONG : argv[1]!;
}

function hello(c: Client, argv: string[]): Reply {
  let ver = 0;
  if (argv.length >= 2) {
    ver = parseInteger(argv[1]!, PROTOVER_NOT_INTEGER);
    if (ver < 2 || ver > 3) throw NOPROTO;
  }
  let user: string | undefined;
  let password: string | undefined;
  let name: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i]!;
    const more = argv.length - 1 - i;
    if (isOpt(opt, 'auth') && more >= 2) {
      user = argv[i + 1]!;
      password = argv[i + 2]!;
      i += 2;
    } else if (isOpt(opt, 'setname') && more >= 1) {
      name = argv[++i]!;
    } else {
      throw helloSyntax(opt);
    }
  }
  if (user !== undefined) authenticate(user, password!);
  if (name !== undefined) setClientName(c, name);
  if (ver !== 0) c.resp = ver as 2 | 3;
  return new MapReply([
    'server', 'redis',
    'version', REDIS_VERSION,
    'proto', c.resp,
    'id', c.id,
    'mode', 'standalone',
    'role', 'master',
    'modules', [],
  ]);
}

/** RESET (Redis's clearClientConnectionState): back to a fresh connection, subscriptions silently dropped. */
function reset(c: Client): Reply {
  discardTransaction(c.engine, c);
  c.engine.pubsub.dropClient(c);
  c.dbIndex = 0;
  c.resp = 2;
  c.name = '';
  clearConnectionFlags(c);
  return RESET;
}

export const connectionCommands: CommandSpec[] = [
  // PING [message]
  command({
    name: 'ping', arity: -1, flags: ['fast'], group: 'connection', since: '1.0.0',
    summary: 'Ping the server', syntax: '[message]', complexity: 'O(1)',
    handler: (c, argv) => {
      if (argv.length > 2) throw wrongArity('ping');
      return ping(c, argv);
    },
  }),
  // ECHO message
  command({
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', since: '1.0.0',
    summary: 'Echo the given string', syntax: 'message', complexity: 'O(1)',
    handler: (_c, argv) => argv[1]!,
  }),
  // SELECT index
  command({
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', since: '1.0.0',
    summary: 'Change the selected database for the current connection', syntax: 'index', complexity: 'O(1)',
    handler: (c, argv) => {
      const n = parseInteger(argv[1]!);
      if (n < -(2 ** 31) || n > 2 ** 31 - 1) throw valueOutOfRange(-(2 ** 31), 2 ** 31 - 1);
      if (n < 0 || n >= c.engine.ks.dbs.length) throw DB_INDEX_RANGE;
      c.dbIndex = n;
      return OK;
    },
  }),
  // HELLO [protover [AUTH username password] [SETNAME clientname]]
  command({
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    group: 'connection', since: '6.0.0', summary: 'Handshake with Redis',
    syntax: '[protover [AUTH username password] [SETNAME clientname]]', complexity: 'O(1)',
    handler: hello,
  }),
  // AUTH [username] password
  command({
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    group: 'connection', since: '1.0.0', summary: 'Authenticate to the server', syntax: '[username] password',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    handler: (_c, argv) => {
      if (argv.length > 3) throw SYNTAX;
      // The password-only form errs while the default user has no password, as in Redis.
      if (argv.length === 2) throw AUTH_WITHOUT_PASSWORD;
      authenticate(argv[1]!, argv[2]!);
      return OK;
    },
  }),
  // RESET
  command({
    name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    group: 'connection', since: '6.2.0', summary: 'Reset the connection', syntax: '', complexity: 'O(1)',
    handler: reset,
  }),
  // QUIT
  command({
    name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    group: 'connection', since: '1.0.0', summary: 'Close the connection', syntax: '', complexity: 'O(1)',
    handler: (c) => {
      c.closeAfterReply();
      return OK;
    },
  }),
  clientCommand,
];
