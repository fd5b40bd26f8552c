/**
 * Generators for the set commands (t_set.c). Members are mostly integers, so sets start as
 * intsets; a string member or 600 integers at once converts them to hashtables.
 */
import fc from 'fast-check';
import { cmd, opt, pick, some, word, type Argv } from './dsl.ts';
import { badArity, intMember, key, keys, member, withCreators } from './values.ts';
import { numkeys } from './lists.ts';
import { scanCursor, scanOptions } from './hashes.ts';
import { single, type Family } from '../harness.ts';

export const SET_COMMANDS = [
  'SADD', 'SREM', 'SMEMBERS', 'SISMEMBER', 'SMISMEMBER', 'SCARD', 'SPOP', 'SRANDMEMBER', 'SMOVE', 'SINTER',
  'SINTERCARD', 'SINTERSTORE', 'SUNION', 'SUNIONSTORE', 'SDIFF', 'SDIFFSTORE', 'SSCAN',
] as const;

/** 600 integers: past set-max-intset-entries. */
const manyInts = fc.constant(Array.from({ length: 600 }, (_, i) => String(i * 7 - 300)));
const randCount = pick<string>([6, fc.integer({ min: -6, max: 6 }).map(String)], [1, fc.constantFrom('abc', '-9223372036854775808', '9223372036854775807')]);
const popCount = pick<string>([6, fc.integer({ min: 0, max: 6 }).map(String)], [1, fc.constantFrom('-1', 'abc', '9223372036854775807')]);
const limit = opt(cmd(word('LIMIT'), pick<string>([6, fc.constantFrom('0', '1', '2', '10')], [1, fc.constantFrom('-1', 'abc')])));

export function setCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [8, cmd('SADD', key, some(member, 1, 4))],
    [3, cmd('SADD', key, some(intMember, 1, 4))],
    [1, cmd('SADD', key, manyInts)],
    [4, cmd('SREM', key, some(member, 1, 3))],
    [4, cmd('SMEMBERS', key)],
    [3, cmd('SISMEMBER', key, member)],
    [3, cmd('SMISMEMBER', key, some(member, 1, 3))],
    [3, cmd('SCARD', key)],
    [2, cmd('SPOP', key)],
    [2, cmd('SPOP', key, popCount)],
    [2, cmd('SRANDMEMBER', key)],
    [3, cmd('SRANDMEMBER', key, randCount)],
    [3, cmd('SMOVE', key, key, member)],
    [3, cmd(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), keys(1, 3))],
    [3, cmd(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, keys(1, 3))],
    [3, cmd('SINTERCARD', numkeys(), limit)],
    [3, cmd('SSCAN', key, scanCursor, scanOptions)],
  );
}

export function setInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(SET_COMMANDS)],
    [2, cmd('SPOP', key, fc.constantFrom('-1', 'abc', '1.5'))],
    [2, cmd('SPOP', key, '1', 'extra')],
    [2, cmd('SRANDMEMBER', key, fc.constantFrom('abc', '-9223372036854775808', ''))],
    [2, cmd('SINTERCARD', fc.constantFrom('0', '-1', 'abc', '5'), keys(1, 2))],
    [2, cmd('SINTERCARD', '1', key, word('LIMIT'), fc.constantFrom('-1', 'abc'))],
    [1, cmd('SINTERCARD', '1', key, fc.constantFrom('LIMIT', 'FOO'))],
    [2, cmd('SSCAN', key, fc.constantFrom('abc', '18446744073709551616', '1.5'))],
    [2, cmd('SSCAN', key, '0', fc.constantFrom('COUNT', 'MATCH'), opt(fc.constantFrom('0', 'abc')))],
  );
}

export const sets: Family = {
  name: 'sets',
  covers: SET_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, setCommand()), 1, 40),
  invalid: () => setInvalid(),
  setup: (env) => withCreators(env.has, pick<Argv>([6, cmd('SADD', key, some(member, 1, 4))], [1, cmd('SADD', key, manyInts)]), 6),
};
