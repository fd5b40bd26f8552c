/**
 * Generators for the bitmap commands (bitops.c). Offsets stay small when they would succeed:
 * SETBIT 4294967295 is valid and makes Redis allocate 512 MB, so only offsets past the limit
 * (which fail) are large; GETBIT and the ranges may be huge since they never allocate.
 */
import fc from 'fast-check';
import { cmd, opt, pick, some, word, words, type Argv } from './dsl.ts';
import { badArity, bytes, key, keys, value, withCreators } from './values.ts';
import { single, type Family } from '../harness.ts';

export const BITMAP_COMMANDS = ['SETBIT', 'GETBIT', 'BITCOUNT', 'BITPOS', 'BITOP'] as const;

const setOffset = pick<string>([8, fc.integer({ min: 0, max: 70 }).map(String)], [1, fc.constantFrom('4294967296', '-1', 'abc', '1.5', '9223372036854775808', '')]);
const getOffset = pick<string>([8, fc.integer({ min: 0, max: 70 }).map(String)], [1, fc.constantFrom('4294967295', '4294967296', '-1', 'abc')]);
const bit = pick<string>([8, fc.constantFrom('0', '1')], [1, fc.constantFrom('2', '-1', 'x', '')]);
const index = pick<string>([8, fc.integer({ min: -10, max: 10 }).map(String)], [1, fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808', 'abc')]);
const unit = pick<Argv>([3, fc.constant([])], [2, cmd(words('BYTE', 'BIT'))], [1, cmd(fc.constantFrom('BITS', 'bytes', ''))]);
const op = pick<string>([8, words('AND', 'OR', 'XOR', 'NOT')], [1, fc.constantFrom('NAND', 'ANDOR', '')]);

export function bitmapCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [6, cmd('SETBIT', key, setOffset, bit)],
    [4, cmd('GETBIT', key, getOffset)],
    [2, cmd('BITCOUNT', key)],
    [4, cmd('BITCOUNT', key, index, index, unit)],
    [1, cmd('BITCOUNT', key, index)],
    [2, cmd('BITPOS', key, bit)],
    [2, cmd('BITPOS', key, bit, index)],
    [4, cmd('BITPOS', key, bit, index, index, unit)],
    [4, cmd('BITOP', op, key, keys(1, 3))],
    [1, cmd('BITOP', word('NOT'), key, key)],
    [3, cmd('SET', key, pick<string>([2, bytes(4)], [1, value]))],
    [2, cmd('APPEND', key, bytes(3))],
    [3, cmd('GET', key)],
  );
}

export function bitmapInvalid(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, badArity(BITMAP_COMMANDS)],
    [2, cmd('SETBIT', key, fc.constantFrom('4294967296', '-1', 'abc'), bit)],
    [2, cmd('SETBIT', key, fc.integer({ min: 0, max: 30 }).map(String), fc.constantFrom('2', '-1', 'x', ''))],
    [2, cmd('GETBIT', key, fc.constantFrom('4294967296', '-1', 'abc'))],
    [2, cmd('BITCOUNT', key, index, opt(index), opt(cmd(fc.constantFrom('BITS', 'x', 'BIT'), opt('extra'))))],
    [2, cmd('BITPOS', key, fc.constantFrom('2', '-1', 'x'), some(index, 0, 2))],
    [2, cmd('BITPOS', key, bit, index, index, fc.constantFrom('BITS', 'x'))],
    [2, cmd('BITOP', fc.constantFrom('NAND', '', 'NOT'), key, keys(2, 3))],
  );
}

export const bitmaps: Family = {
  name: 'bitmaps',
  covers: BITMAP_COMMANDS,
  runs: 100,
  steps: (env) => single(withCreators(env.has, bitmapCommand()), 1, 40),
  invalid: () => bitmapInvalid(),
  setup: (env) => withCreators(env.has, bitmapCommand(), 6),
};
