/**
 * Generators for the sorted set commands (t_zset.c): scores with inf, -0, NaN and junk; score and
 * lex ranges with every bracket form; the option soup of ZADD and ZRANGE; the numkeys family.
 */
import fc from 'fast-check';
import { cmd, opt, options, pick, some, word, words, type Argv } from './dsl.ts';
import { LONG_65, badArity, badInt, count, key, keys, withCreators } from './values.ts';
import { numkeys, timeout } from './lists.ts';
import { scanCursor, scanOptions } from './hashes.ts';
import { single, type Family } from '../harness.ts';

export const ZSET_COMMANDS = [
  'ZADD', 'ZINCRBY', 'ZREM', 'ZSCORE', 'ZMSCORE', 'ZCARD', 'ZCOUNT', 'ZLEXCOUNT', 'ZRANGE', 'ZRANGESTORE',
  'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE', 'ZRANGEBYLEX', 'ZREVRANGEBYLEX', 'ZREVRANGE', 'ZRANK', 'ZREVRANK', 'ZPOPMIN',
  'ZPOPMAX', 'ZMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREMRANGEBYLEX',
  'ZRANDMEMBER', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE', 'ZINTERCARD', 'ZSCAN',
] as const;

const zmember = pick<string>([9, fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '\x00', 'b\xff')], [1, fc.constant(LONG_65)]);
const score = pick<string>(
  [8, fc.constantFrom('0', '1', '2', '3', '-1', '1.5', '-2.5', '0.1', '10', '1e2', '-0', '+inf', '-inf')],
  [1, fc.constantFrom('nan', 'abc', '', '1e400', '0x10', '1.5.5', 'inf', '5e-324', '1.7976931348623157e308')],
);
const scoreMembers = (min: number, max: number) => some(cmd(score, zmember), min, max);
const zaddFlags = options([words('NX', 'XX'), words('GT', 'LT'), word('CH'), word('INCR')], 4);
/** 130 members: past zset-max-listpack-entries. */
const manyMembers = fc.constant(Array.from({ length: 130 }, (_, i) => [String(i % 17), `m${i}`]).flat());

const scoreBound = pick<string>(
  [8, fc.constantFrom('-inf', '+inf', '0', '1', '(1', '2', '(2', '1.5', '(-1', '-1', '10', 'inf', '(inf', '-0')],
  [1, fc.constantFrom('abc', '(', '((1', 'nan', '', '[1')],
);
const lexBound = pick<string>(
  [8, fc.constantFrom('-', '+', '[a', '(a', '[b', '(c', '[d', '[e', '(\x00', '[1', '[')],
  [1, fc.constantFrom('a', '', '(', '--', 'b')],
);
const rankIndex = pick<string>([8, fc.integer({ min: -7, max: 7 }).map(String)], [1, badInt]);
const withscores = opt(word('WITHSCORES'));
const limit = opt(cmd(word('LIMIT'), rankIndex, rankIndex), 3);

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES], bounds matching the mode. */
const zrangeArgs = (store: boolean) =>
  fc.constantFrom('rank', 'score', 'lex').chain((mode) => {
    const bound = mode === 'rank' ? rankIndex : mode === 'score' ? scoreBound : lexBound;
    const by = mode === 'rank' ? fc.constant([] as string[]) : word(mode === 'score' ? 'BYSCORE' : 'BYLEX').map((w) => [w]);
    return cmd(bound, bound, options([by, word('REV'), limit, ...(store ? [] : [withscores])]));
  });

const weights = (n: number) => opt(cmd(word('WEIGHTS'), some(fc.constantFrom('1', '2', '0', '-1', '0.5', 'inf', 'abc'), n, n)), 3);
const aggregate = opt(cmd(word('AGGREGATE'), pick<string>([8, words('SUM', 'MIN', 'MAX')], [1, fc.constant('AVG')])), 3);
/** numkeys key... [WEIGHTS ...] [AGGREGATE ...] with the weights count matching most of the time. */
const setOp = (withWeights: boolean) =>
  keys(1, 3).chain((ks) =>
    cmd(
      pick<string>([9, fc.constant(String(ks.length))], [1, fc.constantFrom('0', '-1', 'abc', String(ks.length + 1))]),
      ks,
      withWeights ? options([weights(ks.length), aggregate]) : fc.constant([]),
    ),
  );
const minmax = pick<string>([9, words('MIN', 'MAX')], [1, fc.constant('MID')]);

export function zsetCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [8, cmd('ZADD', key, scoreMembers(1, 3))],
    [4, cmd('ZADD', key, zaddFlags, scoreMembers(1, 2))],
    [1, cmd('ZADD', key, manyMembers)],
    [3, cmd('ZINCRBY', key, score, zmember)],
    [3, cmd('ZREM', key, some(zmember, 1, 3))],
    [3, cmd('ZSCORE', key, zmember)],
    [2, cmd('ZMSCORE', key, some(zmember, 1, 3))],
    [2, cmd('ZCARD', key)],
    [3, cmd('ZCOUNT', key, scoreBound, scoreBound)],
    [3, cmd('ZLEXCOUNT', key, lexBound, lexBound)],
    [6, cmd('ZRANGE', key, zrangeArgs(false))],
    [3, cmd('ZRANGESTORE', key, key, zrangeArgs(true))],
    [3, cmd(fc.constantFrom('ZRANGEBYSCORE', 'ZREVRANGEBYSCORE'), key, scoreBound, scoreBound, options([withscores, limit]))],
    [3, cmd(fc.constantFrom('ZRANGEBYLEX', 'ZREVRANGEBYLEX'), key, lexBound, lexBound, limit)],
    [2, cmd('ZREVRANGE', key, rankIndex, rankIndex, withscores)],
    [3, cmd(fc.constantFrom('ZRANK', 'ZREVRANK'), key, zmember)],
    [3, cmd(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), key, opt(count))],
    [2, cmd('ZMPOP', numkeys(), minmax, opt(cmd(word('COUNT'), count), 3))],
    [1, cmd(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), keys(1, 3), timeout)],
    [1, cmd('BZMPOP', timeout, numkeys(), minmax, opt(cmd(word('COUNT'), count), 3))],
    [2, cmd('ZREMRANGEBYRANK', key, rankIndex, rankIndex)],
    [2, cmd('ZREMRANGEBYSCORE', key, scoreBound, scoreBound)],
    [2, cmd('ZREMRANGEBYLEX', key, lexBound, lexBound)],
    [2, cmd('ZRANDMEMBER', key)],
    [3, cmd('ZRANDMEMBER', key, pick<string>([6, fc.integer({ min: -6, max: 6 }).map(String)], [1, fc.constantFrom('abc', '-9223372036854775808')]), opt(word('WITHSCORES')))],
    [3, cmd(fc.constantFrom('ZUNION', 'ZINTER'), setOp(true), withscores)],
    [2, cmd('ZDIFF', setOp(false), withscores)],
    [3, cmd(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE'), key, setOp(true))],
    [2, cmd('ZDIFFSTORE', key, setOp(false))],
    [2, cmd('ZINTERCARD', numkeys(), opt(cmd(word('LIMIT'), pick<string>([6, fc.constantFrom('0', '1', '3')], [1, fc.constantFrom('-1', 'abc')]))))],
    [3, cmd('ZSCAN', key, scanCursor, scanOptions)],
  );
}

export function zsetInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(ZSET_COMMANDS)],
    [2, cmd('ZADD', key, fc.constantFrom(['NX', 'XX'], ['GT', 'LT'], ['NX', 'GT'], ['INCR'], ['XX', 'NX', 'CH']), scoreMembers(1, 2))],
    [2, cmd('ZADD', key, 'INCR', scoreMembers(2, 2))],
    [2, cmd('ZADD', key, fc.constantFrom('nan', 'abc', ''), zmember)],
    [1, cmd('ZADD', key, score)],
    [2, cmd('ZINCRBY', key, fc.constantFrom('nan', 'abc'), zmember)],
    [2, cmd(fc.constantFrom('ZCOUNT', 'ZRANGEBYSCORE', 'ZREMRANGEBYSCORE'), key, fc.constantFrom('abc', '(', '[1', 'nan'), scoreBound)],
    [2, cmd(fc.constantFrom('ZLEXCOUNT', 'ZRANGEBYLEX', 'ZREMRANGEBYLEX'), key, fc.constantFrom('a', '', '1'), lexBound)],
    [2, cmd('ZRANGE', key, '0', '-1', fc.constantFrom(['BYSCORE', 'BYLEX'], ['LIMIT', '0', '1'], ['BYLEX', 'WITHSCORES'], ['FOO'], ['LIMIT', 'a', '1']))],
    [2, cmd(fc.constantFrom('ZRANGEBYSCORE', 'ZRANGEBYLEX'), key, '-inf', '+inf', fc.constantFrom(['LIMIT', '0'], ['LIMIT', 'a', '1'], ['FOO']))],
    [2, cmd(fc.constantFrom('ZUNION', 'ZINTER', 'ZUNIONSTORE'), fc.constantFrom('0', '-1', 'abc', '3'), key)],
    [2, cmd(fc.constantFrom('ZUNION', 'ZINTER'), '2', key, key, fc.constantFrom(['WEIGHTS', '1'], ['WEIGHTS', 'a', 'b'], ['AGGREGATE', 'AVG'], ['AGGREGATE'], ['FOO']))],
    [1, cmd('ZDIFF', '1', key, fc.constantFrom(['WEIGHTS', '1'], ['AGGREGATE', 'SUM']))],
    [2, cmd(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), key, fc.constantFrom('-1', 'abc'))],
    [2, cmd('ZMPOP', fc.constantFrom('0', '-1', 'abc', '4'), key, minmax)],
    [1, cmd('ZMPOP', '1', key, minmax, 'COUNT', fc.constantFrom('0', '-1', 'abc'))],
    [2, cmd(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), key, fc.constantFrom('abc', '-1', ''))],
    [2, cmd('ZRANDMEMBER', key, fc.constantFrom('abc', '-9223372036854775808'), opt('WITHSCORES'))],
    [1, cmd('ZRANDMEMBER', key, '1', fc.constantFrom('WITHVALUES', 'x'))],
    [2, cmd('ZINTERCARD', fc.constantFrom('0', '-1', 'abc'), key)],
    [2, cmd('ZSCAN', key, fc.constantFrom('abc', '18446744073709551616', '1.5'))],
  );
}

export const zsets: Family = {
  name: 'zsets',
  covers: ZSET_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, zsetCommand()), 1, 40),
  invalid: () => zsetInvalid(),
  setup: (env) => withCreators(env.has, pick<Argv>([6, cmd('ZADD', key, scoreMembers(1, 3))], [1, cmd('ZADD', key, manyMembers)]), 6),
};
