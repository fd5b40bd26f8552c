/**
 * Generators for the list commands (t_list.c), blocking ones included with short timeouts: when
 * they block, both sides wait the same 20-50 ms and answer nil. A timeout that could mean
 * "forever" (0, inf, hex that strtold reads) is never generated.
 */
import fc from 'fast-check';
import { cmd, opt, options, pick, some, word, words, type Argv } from './dsl.ts';
import { badArity, badInt, count, element, intArg, key, keys, withCreators } from './values.ts';
import { single, type Family } from '../harness.ts';

export const LIST_COMMANDS = [
  'LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX', 'LPOP', 'RPOP', 'LLEN', 'LRANGE', 'LINDEX', 'LSET', 'LINSERT', 'LREM',
  'LTRIM', 'LPOS', 'LMOVE', 'RPOPLPUSH', 'LMPOP', 'BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP',
] as const;

export const side = pick<string>([9, words('LEFT', 'RIGHT')], [1, fc.constantFrom('UP', 'MIDDLE', '')]);
export const timeout = pick<string>([6, fc.constantFrom('0.05', '0.02')], [1, fc.constantFrom('abc', '-1', '-0.5', '')]);
const index = pick<string>([8, fc.integer({ min: -8, max: 8 }).map(String)], [1, badInt]);
const rank = pick<string>([6, fc.constantFrom('1', '2', '-1', '-2', '3')], [1, fc.constantFrom('0', '-9223372036854775808', 'abc')]);
const lposOptions = options([cmd(word('RANK'), rank), cmd(word('COUNT'), count), cmd(word('MAXLEN'), count)], 3);

/** `numkeys key... ` with numkeys usually right, sometimes not. */
export function numkeys(min = 1, max = 3): fc.Arbitrary<Argv> {
  return keys(min, max).chain((ks) =>
    pick<string>([9, fc.constant(String(ks.length))], [1, fc.constantFrom('0', '-1', 'abc', String(ks.length + 1))]).map((n) => [n, ...ks]),
  );
}

const popCount = opt(cmd(word('COUNT'), count), 3);

export function listCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [8, cmd(fc.constantFrom('LPUSH', 'RPUSH'), key, some(element, 1, 4))],
    [3, cmd(fc.constantFrom('LPUSHX', 'RPUSHX'), key, some(element, 1, 3))],
    [4, cmd(fc.constantFrom('LPOP', 'RPOP'), key)],
    [3, cmd(fc.constantFrom('LPOP', 'RPOP'), key, count)],
    [3, cmd('LLEN', key)],
    [5, cmd('LRANGE', key, index, index)],
    [3, cmd('LINDEX', key, index)],
    [3, cmd('LSET', key, index, element)],
    [3, cmd('LINSERT', key, pick<string>([9, words('BEFORE', 'AFTER')], [1, fc.constant('AROUND')]), element, element)],
    [3, cmd('LREM', key, intArg, element)],
    [3, cmd('LTRIM', key, index, index)],
    [4, cmd('LPOS', key, element, lposOptions)],
    [4, cmd('LMOVE', key, key, side, side)],
    [2, cmd('RPOPLPUSH', key, key)],
    [3, cmd('LMPOP', numkeys(), side, popCount)],
    [1, cmd(fc.constantFrom('BLPOP', 'BRPOP'), keys(1, 3), timeout)],
    [1, cmd('BLMOVE', key, key, side, side, timeout)],
    [1, cmd('BRPOPLPUSH', key, key, timeout)],
    [1, cmd('BLMPOP', timeout, numkeys(), side, popCount)],
  );
}

export function listInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(LIST_COMMANDS)],
    [2, cmd(fc.constantFrom('LPOP', 'RPOP'), key, fc.constantFrom('-1', 'abc', '9223372036854775808'))],
    [2, cmd(fc.constantFrom('LRANGE', 'LTRIM'), key, badInt, index)],
    [2, cmd('LSET', key, fc.constantFrom('100', '-100', 'abc'), element)],
    [2, cmd('LINSERT', key, fc.constantFrom('AROUND', ''), element, element)],
    [2, cmd('LPOS', key, element, pick<Argv>(
      [1, cmd(word('RANK'), fc.constantFrom('0', 'abc', '-9223372036854775808'))],
      [1, cmd(word('COUNT'), fc.constantFrom('-1', 'abc'))],
      [1, cmd(word('MAXLEN'), fc.constantFrom('-1', 'abc'))],
      [1, cmd(fc.constantFrom('RANK', 'FOO'))],
    ))],
    [2, cmd('LMOVE', key, key, fc.constantFrom('UP', ''), side)],
    [2, cmd('LMPOP', fc.constantFrom('0', '-1', 'abc', '5'), key, side)],
    [2, cmd('LMPOP', '1', key, side, word('COUNT'), fc.constantFrom('0', '-1', 'abc'))],
    [1, cmd('LMPOP', '1', key, fc.constantFrom('UP', 'COUNT'))],
    [2, cmd(fc.constantFrom('BLPOP', 'BRPOP'), keys(1, 2), fc.constantFrom('abc', '-1', '-0.5', ''))],
    [1, cmd('BLMPOP', fc.constantFrom('abc', '-1'), '1', key, side)],
    [1, cmd('BLMPOP', '0.01', fc.constantFrom('0', 'abc'), key, side)],
  );
}

export const lists: Family = {
  name: 'lists',
  covers: LIST_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, listCommand()), 1, 40),
  invalid: () => listInvalid(),
  setup: (env) => withCreators(env.has, cmd(fc.constantFrom('LPUSH', 'RPUSH'), key, some(element, 1, 4)), 6),
};
