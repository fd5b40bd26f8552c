/**
 * The CLIENT container (Redis 7.0's networking.c clientCommand). Implemented: ID, SETNAME,
 * GETNAME, LIST, INFO, KILL, NO-EVICT, UNBLOCK, GETREDIR, TRACKINGINFO and HELP. PAUSE, REPLY,
 * TRACKING and CACHING are not: they need a host that can hold back or drop replies.
 *
 * CLIENT LIST prints Redis's line format field for field; what has no meaning in-process (fd,
 * query and reply buffers, memory) carries the values an idle Redis connection shows.
 */
import type { Client } from '../engine/client.ts';
import {
  CLIENT_ID_NOT_POSITIVE, CLIENT_NAME_INVALID, INVALID_CLIENT_ID, NOT_INTEGER, NO_SUCH_CLIENT, SYNTAX,
  UNBLOCKED, UNBLOCK_REASON, noSuchUser, unknownClientType, unknownSubcommand,
} from '../reply/errors.ts';
import { MapReply, NIL_ARRAY, OK, SetReply, VerbatimString, type Reply } from '../reply/reply.ts';
import { isInt64 } from './args.ts';
import { HELP, helpReply } from './help.ts';
import { command, type CommandSpec } from './spec.ts';

/** Redis's idle query buffer: 20 KiB less the sds header. */
const QBUF_FREE = 20474;

/** State only the CLIENT commands read, kept off the hot Client object. */
const noEvict = new WeakSet<Client>();

/** RESET's part: connection flags back to a new connection's. */
export function clearConnectionFlags(c: Client): void {
  noEvict.delete(c);
}

/** CLIENT SETNAME / HELLO SETNAME: printable ASCII without spaces; empty clears the name. */
export function setClientName(c: Client, name: string): void {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e) throw CLIENT_NAME_INVALID;
  }
  c.name = name;
}

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

function clientTypeByName(name: string): ClientType {
  const l = name.toLowerCase();
  if (l === 'normal' || l === 'master' || l === 'replica' || l === 'pubsub') return l;
  if (l === 'slave') return 'replica';
  throw unknownClientType(name);
}

function clientType(c: Client): ClientType {
  return c.engine.pubsub.subscribed(c) ? 'pubsub' : 'normal';
}

/** Bytes of `argv` as the RESP request that carried it. */
function requestBytes(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length;
  for (const a of argv) n += 5 + String(a.length).length + a.length;
  return n;
}

function flagsOf(c: Client): string {
  let f = '';
  if (c.engine.pubsub.subscribed(c)) f += 'P';
  if (c.multi !== null) f += 'x';
  if (c.blockedOn !== null) f += 'b';
  if (c.dirtyCas) f += 'd';
  if (noEvict.has(c)) f += 'e';
  return f || 'N';
}

/** One CLIENT LIST line (catClientInfoString). `argv` is the running command when `c` is the caller. */
export function clientInfoLine(c: Client, argv?: readonly string[]): string {
  const now = c.engine.now();
  let argvMem = 0;
  if (argv) for (const a of argv) argvMem += a.length;
  let multiMem = 0;
  if (c.multi) for (const [, q] of c.multi) for (const a of q) multiMem += a.length + 8;
  const qbuf = argv ? requestBytes(argv) : 0;
  const totMem = 1928 + 20480 + 1024 + argvMem + multiMem;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=-1 name=${c.name}` +
    ` age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}` +
    ` flags=${flagsOf(c)} db=${c.dbIndex} sub=${c.channels.size} psub=${c.patterns.size}` +
    ` ssub=${c.shardChannels.size} multi=${c.multi ? c.multi.length : -1}` +
    ` qbuf=${qbuf} qbuf-free=${QBUF_FREE - qbuf} argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=${totMem} events=r cmd=${c.lastCommand}` +
    ` user=default redir=-1 resp=${c.resp}`
  );
}

function list(c: Client, argv: string[]): string {
  let clients: Iterable<Client> = c.engine.clients.values();
  if (argv.length === 4 && argv[2]!.toLowerCase() === 'type') {
    const type = clientTypeByName(argv[3]!);
    clients = [...c.engine.clients.values()].filter((x) => clientType(x) === type);
  } else if (argv.length > 3 && argv[2]!.toLowerCase() === 'id') {
    const picked: Client[] = [];
    for (const raw of argv.slice(3)) {
      if (!isInt64(raw)) throw INVALID_CLIENT_ID;
      const found = c.engine.clients.get(Number(raw));
      if (found) picked.push(found);
    }
    clients = picked;
  } else if (argv.length !== 2) {
    throw SYNTAX;
  }
  let out = '';
  for (const x of clients) out += clientInfoLine(x, x === c ? argv : undefined) + '\n';
  return out;
}

/** The filters of CLIENT KILL's new form; all must match. */
interface KillFilter {
  id?: number;
  type?: ClientType;
  addr?: string;
  laddr?: string;
  skipMe: boolean;
}

function parseKillFilter(argv: string[]): KillFilter {
  const f: KillFilter = { skipMe: true };
  if (argv.length % 2 !== 0) throw SYNTAX;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const v = argv[i + 1]!;
    if (opt === 'id') {
      if (!isInt64(v) || Number(v) <= 0) throw CLIENT_ID_NOT_POSITIVE;
      f.id = Number(v);
    } else if (opt === 'type') {
      f.type = clientTypeByName(v);
    } else if (opt === 'addr') {
      f.addr = v;
    } else if (opt === 'laddr') {
      f.laddr = v;
    } else if (opt === 'user') {
      if (v !== 'default') throw noSuchUser(v);
    } else if (opt === 'skipme') {
      const l = v.toLowerCase();
      if (l !== 'yes' && l !== 'no') throw SYNTAX;
      f.skipMe = l === 'yes';
    } else {
      throw SYNTAX;
    }
  }
  return f;
}

function kill(c: Client, target: Client): void {
  if (target === c) c.closeAfterReply();
  else target.close();
}

function clientKill(c: Client, argv: string[]): Reply {
  if (argv.length === 3) {
    // The old form: CLIENT KILL addr:port, OK or an error.
    const target = [...c.engine.clients.values()].find((x) => x.addr === argv[2]);
    if (!target) throw NO_SUCH_CLIENT;
    kill(c, target);
    return OK;
  }
  const f = parseKillFilter(argv);
  let killed = 0;
  for (const x of [...c.engine.clients.values()]) {
    if (f.id !== undefined && x.id !== f.id) continue;
    if (f.type !== undefined && clientType(x) !== f.type) continue;
    if (f.addr !== undefined && x.addr !== f.addr) continue;
    if (f.laddr !== undefined && x.laddr !== f.laddr) continue;
    if (f.skipMe && x === c) continue;
    kill(c, x);
    killed++;
  }
  return killed;
}

/** CLIENT UNBLOCK id [TIMEOUT | ERROR]: a timeout answers what the blocked command answers on timeout. */
function unblock(c: Client, argv: string[]): Reply {
  const raw = argv[2]!;
  if (argv.length > 4) throw unknownSubcommand('client', argv[1]!);
  if (!isInt64(raw)) throw NOT_INTEGER;
  let asError = false;
  if (argv.length === 4) {
    const l = argv[3]!.toLowerCase();
    if (l === 'error') asError = true;
    else if (l !== 'timeout') throw UNBLOCK_REASON;
  }
  const target = c.engine.clients.get(Number(raw));
  if (!target || target.blockedOn === null) return 0;
  // BLMOVE and BRPOPLPUSH time out with a nil bulk, the other blocking commands with a nil array.
  const cmd = target.lastCommand;
  const timeoutReply = cmd === 'blmove' || cmd === 'brpoplpush' ? null : NIL_ARRAY;
  return c.engine.blocking.unblockClient(target, asError ? UNBLOCKED : timeoutReply) ? 1 : 0;
}

const sub = (spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec =>
  command({ group: 'connection', ...spec });

const NO_SCRIPT = ['noscript', 'loading', 'stale'] as const;
const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;

// CLIENT <subcommand> [<arg> [value] [opt] ...]
export const clientCommand: CommandSpec = command({
  name: 'client', arity: -2, group: 'connection', since: '2.4.0',
  summary: 'A container for client connection commands', syntax: '', complexity: 'Depends on subcommand.',
  subcommands: [
    // CLIENT ID
    sub({ name: 'id', arity: 2, flags: NO_SCRIPT, since: '5.0.0', summary: 'Returns the client ID for the current connection',
      syntax: '', complexity: 'O(1)', handler: (c) => c.id }),
    // CLIENT SETNAME connection-name
    sub({ name: 'setname', arity: 3, flags: NO_SCRIPT, since: '2.6.9', summary: 'Set the current connection name',
      syntax: 'connection-name', complexity: 'O(1)', handler: (c, argv) => {
        setClientName(c, argv[2]!);
        return OK;
      } }),
    // CLIENT GETNAME
    sub({ name: 'getname', arity: 2, flags: NO_SCRIPT, since: '2.6.9', summary: 'Get the current connection name',
      syntax: '', complexity: 'O(1)', handler: (c) => (c.name === '' ? null : c.name) }),
    // CLIENT LIST [TYPE NORMAL | MASTER | REPLICA | PUBSUB] [ID client-id [client-id ...]]
    sub({ name: 'list', arity: -2, flags: ADMIN, since: '2.4.0', summary: 'Get the list of client connections',
      syntax: '[TYPE NORMAL | MASTER | REPLICA | PUBSUB] [ID client-id [client-id ...]]',
      complexity: 'O(N) where N is the number of client connections', handler: (c, argv) => new VerbatimString('txt', list(c, argv)) }),
    // CLIENT INFO
    sub({ name: 'info', arity: 2, flags: NO_SCRIPT, since: '6.2.0',
      summary: 'Returns information about the current client connection.', syntax: '', complexity: 'O(1)',
      handler: (c, argv) => new VerbatimString('txt', clientInfoLine(c, argv) + '\n') }),
    // CLIENT KILL ip:port | [ID client-id] [TYPE NORMAL | MASTER | SLAVE | REPLICA | PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME YES | NO]
    sub({ name: 'kill', arity: -3, flags: ADMIN, since: '2.4.0', summary: 'Kill the connection of a client',
      syntax: 'ip:port | [ID client-id] [TYPE NORMAL | MASTER | SLAVE | REPLICA | PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME YES | NO]',
      complexity: 'O(N) where N is the number of client connections', handler: clientKill }),
    // CLIENT NO-EVICT ON | OFF
    sub({ name: 'no-evict', arity: 3, flags: ADMIN, since: '7.0.0',
      summary: 'Set client eviction mode for the current connection', syntax: 'ON | OFF', complexity: 'O(1)',
      handler: (c, argv) => {
        const l = argv[2]!.toLowerCase();
        if (l === 'on') noEvict.add(c);
        else if (l === 'off') noEvict.delete(c);
        else throw SYNTAX;
        return OK;
      } }),
    // CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
    sub({ name: 'unblock', arity: -3, flags: ADMIN, since: '5.0.0',
      summary: 'Unblock a client blocked in a blocking command from a different connection',
      syntax: 'client-id [TIMEOUT | ERROR]', complexity: 'O(log N) where N is the number of client connections',
      handler: unblock }),
    // CLIENT GETREDIR
    sub({ name: 'getredir', arity: 2, flags: NO_SCRIPT, since: '6.0.0',
      summary: 'Get tracking notifications redirection client ID if any', syntax: '', complexity: 'O(1)',
      handler: () => -1 }),
    // CLIENT TRACKINGINFO
    sub({ name: 'trackinginfo', arity: 2, flags: NO_SCRIPT, since: '6.2.0',
      summary: 'Return information about server assisted client side caching for the current connection',
      syntax: '', complexity: 'O(1)',
      handler: () => new MapReply(['flags', new SetReply(['off']), 'redirect', -1, 'prefixes', []]) }),
    // CLIENT HELP
    sub({ name: 'help', arity: 2, flags: ['loading', 'stale'], since: '5.0.0',
      summary: 'Show helpful text about the different subcommands', syntax: '', complexity: 'O(1)',
      handler: (_c, argv) => helpReply(argv[0]!, HELP.client) }),
  ],
});
