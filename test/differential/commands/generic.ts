/**
 * Generators for the keyspace commands (db.c, expire.c, object.c): existence, rename, TTLs with
 * their NX/XX/GT/LT options, databases (SELECT, MOVE, COPY, SWAPDB, FLUSH*), KEYS and SCAN, and
 * OBJECT ENCODING after every kind of write. Keys of every type come from the type creators.
 */
import fc from 'fast-check';
import { cmd, opt, options, pick, word, words, type Arg, type Argv } from './dsl.ts';
import { atMillis, atSeconds, badArity, badTtl, key, keys, ttlMillis, ttlSeconds, withCreators } from './values.ts';
import { single, type Family } from '../harness.ts';

export const GENERIC_COMMANDS = [
  'SELECT', 'SWAPDB', 'MOVE', 'COPY', 'FLUSHDB', 'FLUSHALL', 'DBSIZE', 'RANDOMKEY', 'KEYS', 'SCAN', 'EXPIRE',
  'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'PERSIST', 'DEL', 'UNLINK',
  'EXISTS', 'TYPE', 'RENAME', 'RENAMENX', 'TOUCH', 'OBJECT',
] as const;

const db = pick<string>([9, fc.constantFrom('0', '1', '2')], [1, fc.constantFrom('16', '-1', 'abc', '9223372036854775808', '')]);
const expireFlags = options([words('NX', 'XX'), words('GT', 'LT')], 2);
const expireJunk = pick<Argv>([2, cmd(words('NX', 'XX', 'GT', 'LT'), words('XX', 'NX', 'LT', 'GT'))], [1, cmd(fc.constantFrom('FOO', 'EX'))]);
export const keyPattern = fc.constantFrom('*', 'k*', 'k?', 'k[1-2]', '[^k]*', '*5', '\\{t\\}*', 'nomatch', '\xff*', 'k[', '?', 'K*', '*\\');
const scanType = pick<string>([6, fc.constantFrom('string', 'list', 'set', 'zset', 'hash')], [1, fc.constantFrom('STRING', 'stream', 'nosuch')]);
const scanCursor = pick<string>([9, fc.constant('0')], [1, fc.constantFrom('abc', '18446744073709551616', '1.5')]);
const scanCount = pick<string>([6, fc.constantFrom('1', '2', '3', '10', '1000')], [1, fc.constantFrom('0', '-1', 'abc')]);
const scanOptions = options([cmd(word('MATCH'), keyPattern), cmd(word('COUNT'), scanCount), cmd(word('TYPE'), scanType)]);

const relOrAbs = (rel: fc.Arbitrary<Arg>, abs: fc.Arbitrary<string>) => pick<Arg>([5, rel], [2, abs], [1, badTtl]);

export function genericCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [4, cmd(fc.constantFrom('DEL', 'UNLINK'), keys(1, 3))],
    [3, cmd(fc.constantFrom('EXISTS', 'TOUCH'), keys(1, 4))],
    [4, cmd('TYPE', key)],
    [3, cmd(fc.constantFrom('RENAME', 'RENAMENX'), key, key)],
    [5, cmd('OBJECT', word('ENCODING'), key)],
    [4, cmd('EXPIRE', key, relOrAbs(ttlSeconds, fc.constantFrom('0', '-1')), expireFlags)],
    [3, cmd('PEXPIRE', key, relOrAbs(ttlMillis, fc.constantFrom('0', '-1')), expireFlags)],
    [3, cmd('EXPIREAT', key, relOrAbs(fc.constant('4102444800'), atSeconds), expireFlags)],
    [3, cmd('PEXPIREAT', key, relOrAbs(fc.constant('7258118400000'), atMillis), expireFlags)],
    [1, cmd(fc.constantFrom('EXPIRE', 'PEXPIREAT'), key, '100000', expireJunk)],
    [4, cmd(fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME'), key)],
    [3, cmd('PERSIST', key)],
    [2, cmd('SELECT', db)],
    [2, cmd('SWAPDB', db, db)],
    [3, cmd('MOVE', key, db)],
    [3, cmd('COPY', key, key, options([cmd(word('DB'), db), word('REPLACE')]))],
    [1, cmd(fc.constantFrom('FLUSHDB', 'FLUSHALL'), opt(pick<string>([4, words('ASYNC', 'SYNC')], [1, fc.constant('LAZY')])))],
    [2, cmd('DBSIZE')],
    [2, cmd('RANDOMKEY')],
    [3, cmd('KEYS', keyPattern)],
    [3, cmd('SCAN', scanCursor, scanOptions)],
  );
}

export function genericInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(GENERIC_COMMANDS)],
    [2, cmd(fc.constantFrom('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT'), key, fc.constantFrom('abc', '1.5', '', '9223372036854775807', '-9223372036854775808'))],
    [2, cmd(fc.constantFrom('EXPIRE', 'PEXPIREAT'), key, '100000', expireJunk)],
    [2, cmd(fc.constantFrom('SELECT', 'MOVE'), opt(key), fc.constantFrom('16', '-1', 'abc', ''))],
    [2, cmd('SWAPDB', fc.constantFrom('0', '16', 'abc'), fc.constantFrom('-1', 'x', '16'))],
    [2, cmd('COPY', key, key, fc.constantFrom(['DB'], ['DB', '16'], ['DB', 'x'], ['FOO'], ['REPLACE', 'REPLACE', 'DB']))],
    [1, cmd('MOVE', key, '0')],
    [1, cmd('COPY', key, key, 'DB', '0')],
    [2, cmd('OBJECT', fc.constantFrom('FOO', 'encoding', 'freq'), opt(key))],
    [2, cmd('SCAN', fc.constantFrom('abc', '18446744073709551616', '1.5'))],
    [2, cmd('SCAN', '0', fc.constantFrom(['COUNT', '0'], ['COUNT'], ['MATCH'], ['TYPE'], ['FOO', 'x']))],
    [2, cmd(fc.constantFrom('FLUSHDB', 'FLUSHALL'), fc.constantFrom('LAZY', 'ASYNC SYNC', ''))],
    [1, cmd('RENAME', fc.constantFrom('nosuchkey'), key)],
  );
}

export const generic: Family = {
  name: 'generic',
  covers: GENERIC_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, genericCommand(), 5), 1, 40),
  invalid: () => genericInvalid(),
  setup: (env) => withCreators(env.has, cmd('EXPIRE', key, ttlSeconds), 1),
};
