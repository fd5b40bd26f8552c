/**
 * Connection and server commands one client can compare: PING, ECHO, HELLO (RESP2 ⇄ RESP3, after
 * which every later reply is compared in RESP3 shapes), RESET, CLIENT ID/SETNAME/GETNAME, CONFIG
 * GET/SET of the parameters Larder models, TIME, SELECT; plus writes whose encoding depends on that
 * config (OBJECT ENCODING after CONFIG SET hash-max-listpack-entries 2, ...). Text replies (INFO,
 * CLIENT LIST, COMMAND) are checked for shape in shapes.test.ts instead.
 */
import fc from 'fast-check';
import { cmd, opt, pick, some, word, type Argv } from './dsl.ts';
import { badArity, element, field, key, member, value } from './values.ts';
import { single, type Family } from '../harness.ts';

export const SERVER_COMMANDS = ['PING', 'ECHO', 'HELLO', 'RESET', 'CLIENT', 'CONFIG', 'TIME', 'SELECT'] as const;

const param = fc.constantFrom(
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'hash-max-ziplist-entries', 'set-max-intset-entries',
  'zset-max-listpack-entries', 'zset-max-ziplist-value', 'notify-keyspace-events', 'maxmemory', 'databases', 'timeout',
  'maxmemory-clients',
);
const getPattern = pick<string>([6, param], [2, fc.constantFrom('hash-max-*', 'zset-max-*', 'set-max-intset-entries', 'HASH-MAX-LISTPACK-ENTRIES')], [1, fc.constantFrom('nosuchparam', 'no*such')]);
const setPair = pick<Argv>(
  [4, cmd(fc.constantFrom('hash-max-listpack-entries', 'hash-max-ziplist-entries', 'set-max-intset-entries', 'zset-max-listpack-entries'), fc.constantFrom('0', '1', '2', '3', '128', 'abc', '-1', '1.5', ''))],
  [2, cmd(fc.constantFrom('hash-max-listpack-value', 'zset-max-listpack-value'), fc.constantFrom('0', '1', '3', '64', '1k', 'abc', '-1'))],
  [2, cmd('notify-keyspace-events', fc.constantFrom('KEA', 'Kg', '', 'Q', 'AKE'))],
  // Never `port`: it is mutable in 7.0, and the oracle would move.
  [1, cmd(fc.constantFrom('databases', 'nosuchparam'), fc.constantFrom('16', '32'))],
  [1, cmd('timeout', fc.constantFrom('0', '-1', 'abc'))],
  // A memory or a percentage, with memtoull's saturation and the cast to ssize_t (2^64-1 reads as 1%).
  [1, cmd('maxmemory-clients', fc.constantFrom('0', '10%', '100%', '101%', '0%', '-5%', '%', '1mb', '1.5mb', '-1', '', '18446744073709551615', '9223372036854775808'))],
);
const clientName = pick<string>([5, fc.constantFrom('conn1', 'worker-2', '', 'x')], [1, fc.constantFrom('a b', 'a\nb', 'é', '\x7f')]);
const helloArgs = pick<Argv>(
  [6, cmd(fc.constantFrom('2', '3'))],
  [2, cmd(fc.constantFrom('2', '3'), word('SETNAME'), clientName)],
  [1, cmd()],
  [1, cmd(fc.constantFrom('4', '1', 'abc', '-1'))],
  [1, cmd('3', fc.constantFrom(['AUTH', 'default', 'nopass'], ['SETNAME'], ['FOO']))],
);

export function serverCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, cmd('PING', opt(value))],
    [2, cmd('ECHO', value)],
    [4, cmd('HELLO', helloArgs)],
    [1, cmd('RESET')],
    [2, cmd('CLIENT', 'ID')],
    [3, cmd('CLIENT', word('SETNAME'), clientName)],
    [3, cmd('CLIENT', word('GETNAME'))],
    [1, cmd('CLIENT', fc.constantFrom('NOSUCH', 'SETNAME'))],
    [4, cmd('CONFIG', word('GET'), some(getPattern, 1, 3))],
    [4, cmd('CONFIG', word('SET'), some(setPair, 1, 2))],
    [1, cmd('CONFIG', fc.constantFrom('NOSUCH', 'GET', 'SET'))],
    [2, cmd('TIME')],
    [2, cmd('SELECT', fc.constantFrom('0', '1', '16', 'abc'))],
    [4, cmd('HSET', key, some(cmd(field, value), 1, 3))],
    [3, cmd('SADD', key, some(member, 1, 3))],
    [3, cmd('ZADD', key, some(cmd(fc.constantFrom('1', '2.5', '-inf'), element), 1, 3))],
    [4, cmd('OBJECT', 'ENCODING', key)],
    [2, cmd('HGETALL', key)],
    [2, cmd('ZRANGE', key, '0', '-1', 'WITHSCORES')],
    [2, cmd('SMEMBERS', key)],
    [2, cmd('GET', key)],
  );
}

export function serverInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [2, badArity(['ECHO', 'SELECT', 'CLIENT', 'CONFIG'])],
    [2, cmd('HELLO', fc.constantFrom('4', '1', 'abc', '-1', '3 X'))],
    [2, cmd('CLIENT', 'SETNAME', fc.constantFrom('a b', 'a\nb'))],
    [2, cmd('CONFIG', 'SET', setPair, opt(fc.constantFrom('dangling')))],
    [1, cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '1', 'hash-max-listpack-entries', '2')],
    [2, cmd('SELECT', fc.constantFrom('16', '-1', 'abc', ''))],
  );
}

export const server: Family = {
  name: 'server',
  covers: SERVER_COMMANDS,
  runs: 100,
  steps: () => single(serverCommand(), 1, 35),
  invalid: () => serverInvalid(),
  setup: () => serverCommand(),
};
