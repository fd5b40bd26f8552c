/**
 * Generators for the hash commands (t_hash.c). Sometimes a hash gets 130 fields or a 65-byte
 * field at once, so the listpack → hashtable conversion (and OBJECT ENCODING) is exercised.
 */
import fc from 'fast-check';
import { cmd, opt, pick, some, word, type Arg, type Argv } from './dsl.ts';
import { badArity, badInt, field, floatArg, key, numericText, value, withCreators } from './values.ts';
import { single, type Family } from '../harness.ts';

export const HASH_COMMANDS = [
  'HSET', 'HSETNX', 'HGET', 'HMGET', 'HMSET', 'HGETALL', 'HDEL', 'HEXISTS', 'HLEN', 'HSTRLEN', 'HKEYS', 'HVALS',
  'HINCRBY', 'HINCRBYFLOAT', 'HRANDFIELD', 'HSCAN',
] as const;

const hvalue = pick<string>([3, value], [2, numericText]);
const pairs = (min: number, max: number) => some(cmd(field, hvalue), min, max);
/** 130 fields: past hash-max-listpack-entries. */
const manyFields = fc.constant(Array.from({ length: 130 }, (_, i) => [`f${i}`, `v${i}`]).flat());
const increment = pick<string>([6, fc.integer({ min: -20, max: 20 }).map(String)], [2, badInt], [1, fc.constantFrom('9223372036854775807', '-9223372036854775808')]);
const randCount = pick<string>([6, fc.integer({ min: -6, max: 6 }).map(String)], [1, fc.constantFrom('abc', '-9223372036854775808', '9223372036854775807')]);
export const pattern = fc.constantFrom('*', 'f*', 'f?', '[af]*', '*1*', 'nomatch', 'v*', 'f1[0-9]', '\\*');
export const scanCursor = pick<string>([9, fc.constant('0')], [1, fc.constantFrom('abc', '18446744073709551616', '1.5', ' 1')]);
export const scanOptions = fc.tuple(opt(cmd(word('MATCH'), pattern)), opt(cmd(word('COUNT'), pick<string>([6, fc.constantFrom('1', '2', '5', '100')], [1, fc.constantFrom('0', '-1', 'abc')]))))
  .map(([a, b]): Arg[] => [...a, ...b]);

export function hashCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [8, cmd('HSET', key, pairs(1, 3))],
    [1, cmd('HSET', key, manyFields)],
    [2, cmd('HSETNX', key, field, hvalue)],
    [5, cmd('HGET', key, field)],
    [3, cmd('HMGET', key, some(field, 1, 4))],
    [2, cmd('HMSET', key, pairs(1, 3))],
    [4, cmd('HGETALL', key)],
    [4, cmd('HDEL', key, some(field, 1, 3))],
    [3, cmd('HEXISTS', key, field)],
    [3, cmd('HLEN', key)],
    [3, cmd('HSTRLEN', key, field)],
    [3, cmd('HKEYS', key)],
    [3, cmd('HVALS', key)],
    [4, cmd('HINCRBY', key, field, increment)],
    [4, cmd('HINCRBYFLOAT', key, field, floatArg)],
    [2, cmd('HRANDFIELD', key)],
    [3, cmd('HRANDFIELD', key, randCount, opt(word('WITHVALUES')))],
    [3, cmd('HSCAN', key, scanCursor, scanOptions)],
  );
}

export function hashInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(HASH_COMMANDS)],
    [2, cmd(fc.constantFrom('HSET', 'HMSET'), key, field, hvalue, field)],
    [2, cmd('HINCRBY', key, field, badInt)],
    [2, cmd('HINCRBYFLOAT', key, field, fc.constantFrom('abc', 'nan', '', 'inf', '1e308', '-inf'))],
    [2, cmd('HRANDFIELD', key, fc.constantFrom('abc', '1.5', ''), opt(word('WITHVALUES')))],
    [2, cmd('HRANDFIELD', key, '2', fc.constantFrom('WITHSCORES', 'VALUES', ''))],
    [2, cmd('HSCAN', key, fc.constantFrom('abc', '18446744073709551616', '1.5'))],
    [2, cmd('HSCAN', key, '0', fc.constantFrom('COUNT', 'MATCH', 'TYPE'), opt(fc.constantFrom('0', 'abc', 'string')))],
  );
}

export const hashes: Family = {
  name: 'hashes',
  covers: HASH_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, hashCommand()), 1, 40),
  invalid: () => hashInvalid(),
  setup: (env) => withCreators(env.has, pick<Argv>([6, cmd('HSET', key, pairs(1, 3))], [1, cmd('HSET', key, manyFields)]), 6),
};
