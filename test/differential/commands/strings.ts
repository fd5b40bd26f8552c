/** Generators for the string commands (t_string.c). */
import fc from 'fast-check';
import { cmd, opt, options, pick, some, word, words, type Arg, type Argv } from './dsl.ts';
import {
  atMillis, atSeconds, badArity, badInt, badTtl, floatArg, intArg, key, keys, numericText, ttlMillis,
  ttlSeconds, value, withCreators,
} from './values.ts';
import type { Family } from '../harness.ts';
import { single } from '../harness.ts';

export const STRING_COMMANDS = [
  'GET', 'SET', 'SETNX', 'SETEX', 'PSETEX', 'MGET', 'MSET', 'MSETNX', 'GETSET', 'GETDEL', 'GETEX', 'APPEND',
  'STRLEN', 'GETRANGE', 'SETRANGE', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'DECR', 'DECRBY',
] as const;

/** One expiry option of SET / GETEX, valid or not. */
const expiry = pick<Argv>(
  [4, cmd(word('EX'), ttlSeconds)],
  [3, cmd(word('PX'), ttlMillis)],
  [2, cmd(word('EXAT'), atSeconds)],
  [2, cmd(word('PXAT'), atMillis)],
  [2, cmd(words('EX', 'PX', 'EXAT', 'PXAT'), badTtl)],
);
const setOptions = options([words('NX', 'XX'), word('GET'), pick<Argv>([5, expiry], [2, word('KEEPTTL').map((w) => [w])])], 3);
const setJunk = pick<Argv>(
  [2, cmd(words('NX', 'XX', 'EX', 'PX'), words('XX', 'NX', 'KEEPTTL'))],
  [1, cmd(expiry, expiry)],
  [1, cmd(word('EX'))],
  [1, cmd(fc.constantFrom('BOGUS', 'EXX', 'GETT'))],
);
const getexOptions = pick<Argv>([3, fc.constant([])], [5, expiry], [2, cmd(word('PERSIST'))], [1, cmd(expiry, word('PERSIST'))], [1, cmd(fc.constantFrom('BOGUS', 'EX'))]);

const offset = pick<string>([8, fc.integer({ min: 0, max: 20 }).map(String)], [1, fc.constantFrom('-1', '536870912', '4294967296', '9223372036854775807', 'abc', '1.5')]);
const rangeIndex = pick<string>([8, fc.integer({ min: -12, max: 12 }).map(String)], [1, fc.constantFrom('9223372036854775807', '-9223372036854775808', '4294967296', 'abc', '')]);
const increment = pick<string>([5, fc.integer({ min: -20, max: 20 }).map(String)], [2, badInt], [1, fc.constantFrom('9223372036854775806', '-9223372036854775807', '4611686018427387904')]);

export function stringCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [6, cmd('GET', key)],
    [6, cmd('SET', key, value)],
    [6, cmd('SET', key, value, setOptions)],
    [1, cmd('SET', key, value, setJunk)],
    [2, cmd('SETNX', key, value)],
    [2, cmd('SETEX', key, pick<Arg>([4, ttlSeconds], [1, badTtl]), value)],
    [2, cmd('PSETEX', key, pick<Arg>([4, ttlMillis], [1, badTtl]), value)],
    [3, cmd('MGET', keys(1, 4))],
    [3, cmd('MSET', some(cmd(key, value), 1, 3))],
    [1, cmd(fc.constantFrom('MSET', 'MSETNX'), key, value, key)],
    [2, cmd('MSETNX', some(cmd(key, value), 1, 3))],
    [2, cmd('GETSET', key, value)],
    [2, cmd('GETDEL', key)],
    [3, cmd('GETEX', key, getexOptions)],
    [4, cmd('APPEND', key, value)],
    [3, cmd('STRLEN', key)],
    [4, cmd('GETRANGE', key, rangeIndex, rangeIndex)],
    [4, cmd('SETRANGE', key, offset, value)],
    [4, cmd(fc.constantFrom('INCR', 'DECR'), key)],
    [4, cmd(fc.constantFrom('INCRBY', 'DECRBY'), key, increment)],
    [4, cmd('INCRBYFLOAT', key, floatArg)],
    [2, cmd('SET', key, numericText)],
  );
}

export function stringInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(STRING_COMMANDS)],
    [3, cmd('SET', key, value, setJunk)],
    [2, cmd(fc.constantFrom('SETEX', 'PSETEX'), key, badTtl, value)],
    [2, cmd('GETEX', key, pick<Argv>([1, cmd(expiry, expiry)], [1, cmd(words('EX', 'PX', 'EXAT', 'PXAT'), badTtl)], [1, cmd('PERSIST', 'PERSIST')]))],
    [2, cmd(fc.constantFrom('INCRBY', 'DECRBY'), key, badInt)],
    [2, cmd('INCRBYFLOAT', key, fc.constantFrom('abc', 'nan', '', '1.5.5', 'inf', '-inf', '1e308'))],
    [2, cmd('SETRANGE', key, fc.constantFrom('-1', '536870912', 'abc', '9223372036854775808'), fc.constantFrom('x', 'yz'))],
    [2, cmd('GETRANGE', key, fc.constantFrom('abc', '1.5', ''), intArg)],
    [1, cmd(fc.constantFrom('INCR', 'DECR', 'INCRBY'), key, opt('1'), opt('2'))],
    [1, cmd('SETNX', key)],
  );
}

export const strings: Family = {
  name: 'strings',
  covers: STRING_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, stringCommand()), 1, 40),
  invalid: () => stringInvalid(),
  setup: (env) => withCreators(env.has, stringCommand(), 6),
};
