/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and LCS, table-driven. Every expected reply below was
 * checked against redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { replay, setup, type Step } from '../../commands/testing.ts';
import { MapReply } from '../../reply/reply.ts';
import { countBits, findBit } from './bitmap.ts';

const OK = '+OK';
const SYNTAX = '-ERR syntax error';
const NOT_INT = '-ERR value is not an integer or out of range';
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value';
const BIT_OFFSET = '-ERR bit offset is not an integer or out of range';
const BIT_VALUE = '-ERR bit is not an integer or out of range';
/** A step that makes `l` a list, so WRONGTYPE paths run without the list commands. */
const LIST: Step = [['@list', 'l'], null];

function run(steps: Step[]): void {
  const { c } = setup();
  if (steps.includes(LIST)) c.db.add('l', { type: 'list' } as never);
  const { got, want } = replay(c, steps.filter((s) => s !== LIST));
  expect(got).toEqual(want);
}

const cases: Array<[string, Step[]]> = [
  ['SETBIT GETBIT', [
    LIST,
    [['SETBIT', 'k', '7', '1'], 0], [['GET', 'k'], '\x01'], [['SETBIT', 'k', '7', '1'], 1], [['SETBIT', 'k', '0', '1'], 0],
    [['GET', 'k'], '\x81'], [['SETBIT', 'k', '20', '0'], 0], [['GET', 'k'], '\x81\x00\x00'], [['SETBIT', 'k', '0', '0'], 1],
    [['GETBIT', 'k', '7'], 1], [['GETBIT', 'k', '6'], 0], [['GETBIT', 'k', '1000'], 0], [['GETBIT', 'n', '3'], 0],
    [['SET', 's', 'a'], OK], [['GETBIT', 's', '1'], 1], [['GETBIT', 's', '2'], 1], [['GETBIT', 's', '3'], 0],
  ]],
  ['SETBIT GETBIT errors', [
    LIST,
    [['SETBIT', 'k', '4294967296', '1'], BIT_OFFSET], [['SETBIT', 'k', '4294967295', 'x'], BIT_VALUE],
    [['SETBIT', 'k', 'x', '1'], BIT_OFFSET], [['SETBIT', 'k', '-1', '1'], BIT_OFFSET], [['SETBIT', 'k', '0', '2'], BIT_VALUE],
    [['SETBIT', 'k', '0', '-1'], BIT_VALUE], [['SETBIT', 'k', '0', '01'], BIT_VALUE], [['SETBIT', 'k', '0', ' 1'], BIT_VALUE],
    [['SETBIT', 'l', '0', '1'], WRONGTYPE], [['SETBIT', 'l', 'x', '1'], BIT_OFFSET], [['SETBIT', 'l', '0', '5'], BIT_VALUE],
    [['GETBIT', 'l', '0'], WRONGTYPE], [['GETBIT', 'l', 'x'], BIT_OFFSET], [['GETBIT', 'n', '4294967296'], BIT_OFFSET],
    [['GETBIT', 'n', '4294967295'], 0], [['EXISTS', 'k'], 0],
  ]],
  ['BITCOUNT', [
    LIST,
    [['SET', 'k', 'abc'], OK], [['BITCOUNT', 'k'], 10], [['BITCOUNT', 'k', '0', '0'], 3], [['BITCOUNT', 'k', '1', '-1'], 7],
    [['BITCOUNT', 'k', '-100', '-200'], 0], [['BITCOUNT', 'k', '-1', '-5'], 0], [['BITCOUNT', 'k', '-200', '-1'], 10],
    [['BITCOUNT', 'k', '0', '-1', 'bit'], 10], [['BITCOUNT', 'k', '1', '5', 'BIT'], 2], [['BITCOUNT', 'k', '5', '10', 'BYTE'], 0],
    [['BITCOUNT', 'k', '7', '9', 'BIT'], 2], [['BITCOUNT', 'k', '-3', '-1', 'bit'], 2],
    [['BITCOUNT', 'k', '1'], SYNTAX], [['BITCOUNT', 'k', '0', '1', 'foo'], SYNTAX], [['BITCOUNT', 'k', '0', '0', '1'], SYNTAX],
    [['BITCOUNT', 'k', 'a', 'b'], NOT_INT], [['BITCOUNT', 'k', '-1', '-5', 'foo'], 0], [['BITCOUNT', 'k', 'a', '1', 'foo'], NOT_INT],
    [['BITCOUNT', 'k', '0', '1', 'bit', 'x'], SYNTAX],
    [['BITCOUNT', 'n', 'a', 'b'], 0], [['BITCOUNT', 'n', '1'], 0], [['BITCOUNT', 'n', '0', '1', 'foo'], 0],
    [['BITCOUNT', 'l'], WRONGTYPE], [['SET', 'e', ''], OK], [['BITCOUNT', 'e'], 0], [['BITCOUNT', 'e', '0', '-1', 'BIT'], 0],
  ]],
  ['BITPOS', [
    LIST,
    [['BITPOS', 'n', '1'], -1], [['BITPOS', 'n', '0'], 0], [['BITPOS', 'n', '2'], '-ERR The bit argument must be 1 or 0.'],
    [['BITPOS', 'n', '1', 'a'], -1], [['BITPOS', 'l', 'x'], NOT_INT], [['BITPOS', 'l', '1'], WRONGTYPE],
    [['SET', 'k', 'abc'], OK], [['BITPOS', 'k', '1'], 1], [['BITPOS', 'k', '0'], 0], [['BITPOS', 'k', '1', 'a'], NOT_INT],
    [['BITPOS', 'k', '1', 'a', 'b', 'foo'], NOT_INT], [['BITPOS', 'k', '1', '0', 'a', 'foo'], SYNTAX],
    [['BITPOS', 'k', '0', '0', '1', 'foo'], SYNTAX], [['BITPOS', 'k', '1', '0', '0', '0'], SYNTAX],
    [['BITPOS', 'k', '1', '0', '0', 'bit', '4'], SYNTAX],
    [['BITPOS', 'k', '1', '-100', '-200'], 1], [['BITPOS', 'k', '1', '0', '-1', 'bit'], 1], [['BITPOS', 'k', '1', '2', '3'], 17],
    [['BITPOS', 'k', '0', '1', '2', 'bit'], -1], [['BITPOS', 'k', '0', '3', '3', 'bit'], 3], [['BITPOS', 'k', '1', '2', '6', 'BIT'], 2],
    [['SET', 'f', '\xff\xff'], OK], [['BITPOS', 'f', '0'], 16], [['BITPOS', 'f', '0', '1'], 16], [['BITPOS', 'f', '0', '0', '-1'], -1],
    [['BITPOS', 'f', '0', '0', '15', 'BIT'], -1], [['BITPOS', 'f', '1', '9', '15', 'BIT'], 9],
    [['SET', 'z', '\x00\x00\x01'], OK], [['BITPOS', 'z', '1'], 23], [['BITPOS', 'z', '1', '0', '22', 'bit'], -1],
    [['BITPOS', 'z', '0', '-1'], 16], [['SET', 'e', ''], OK], [['BITPOS', 'e', '0'], -1], [['BITPOS', 'e', '1'], -1],
  ]],
  ['BITOP', [
    LIST,
    [['BITOP', 'NOT', 'd', 'n'], 0], [['EXISTS', 'd'], 0], [['SET', 'k', 'abc'], OK], [['BITOP', 'not', 'd', 'k'], 3],
    [['GET', 'd'], '\x9e\x9d\x9c'], [['BITOP', 'XOR', 'd', 'k', 'k'], 3], [['GET', 'd'], '\x00\x00\x00'],
    [['SET', 'a', '\xff\x0f'], OK], [['BITOP', 'AND', 'd', 'a', 'k'], 3], [['GET', 'd'], 'a\x02\x00'],
    [['BITOP', 'OR', 'd', 'a', 'k', 'n'], 3], [['GET', 'd'], '\xffoc'], [['BITOP', 'AND', 'd', 'a', 'n'], 2], [['GET', 'd'], '\x00\x00'],
    [['BITOP', 'foo', 'd', 'k'], SYNTAX], [['BITOP', 'NOT', 'd', 'k', 'k'], '-ERR BITOP NOT must be called with a single source key.'],
    [['BITOP', 'NOT', 'd'], "-ERR wrong number of arguments for 'bitop' command"], [['BITOP', 'AND', 'd', 'l'], WRONGTYPE],
    [['BITOP', 'AND', 'l', 'k'], 3], [['TYPE', 'l'], '+string'], [['SET', 'e', ''], OK], [['BITOP', 'OR', 'd', 'e'], 0],
    [['EXISTS', 'd'], 0], [['BITOP', 'OR', 'd', 'e'], 0], [['SETEX', 'd', '100', 'x'], OK], [['BITOP', 'OR', 'd', 'k'], 3], [['TTL', 'd'], -1],
  ]],
  ['LCS', [
    LIST,
    [['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], OK], [['LCS', 'a', 'b'], 'mytext'], [['LCS', 'a', 'b', 'LEN'], 6],
    [['LCS', 'a', 'b', 'idx', 'len'], '-ERR If you want both the length and indexes, please just use IDX.'],
    [['LCS', 'a', 'b', 'foo'], SYNTAX], [['LCS', 'a', 'b', 'minmatchlen'], SYNTAX], [['LCS', 'a', 'b', 'MINMATCHLEN', 'x'], NOT_INT],
    [['LCS', 'a', 'l'], '-ERR The specified keys must contain string values'],
    [['LCS', 'a', 'l', 'foo'], '-ERR The specified keys must contain string values'],
    [['LCS', 'n', 'a'], ''], [['LCS', 'n', 'a', 'LEN'], 0],
  ]],
];

describe('bitmap commands', () => {
  for (const [name, steps] of cases) it(name, () => run(steps));

  it('LCS IDX answers a map of ranges (RESP3 map, flat in RESP2)', () => {
    const { c } = setup();
    c.exec(['MSET', 'a', 'ohmytext', 'b', 'mynewtext', 'c', 'abcXYZabcXYZ', 'd', 'XYZabcXYZabc']);
    expect(c.exec(['LCS', 'a', 'b', 'IDX'])).toEqual(
      new MapReply(['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]),
    );
    expect(c.exec(['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'])).toEqual(
      new MapReply(['matches', [[[4, 7], [5, 8], 4]], 'len', 6]),
    );
    // Redis reports only the ranges its walk closes: one of the two here.
    expect(c.exec(['LCS', 'c', 'd', 'IDX', 'WITHMATCHLEN'])).toEqual(
      new MapReply(['matches', [[[3, 11], [0, 8], 9]], 'len', 9]),
    );
    expect(c.exec(['LCS', 'x', 'y', 'IDX'])).toEqual(new MapReply(['matches', [], 'len', 0]));
  });

  it('LCS refuses a table larger than proto-max-bulk-len', () => {
    const { c } = setup();
    c.exec(['MSET', 'x', 'a'.repeat(20000), 'y', 'a'.repeat(20000)]);
    expect(c.exec(['LCS', 'x', 'y', 'LEN'])).toMatchObject({
      message: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
    });
  });

  it('SETBIT past proto-max-bulk-len is a bit offset error', () => {
    const { c } = setup();
    c.engine.config.set('proto-max-bulk-len', '1mb');
    expect(c.exec(['SETBIT', 'k', String(8 * 1024 * 1024), '1'])).toMatchObject({ message: BIT_OFFSET.slice(1) });
    expect(c.exec(['SETBIT', 'k', String(8 * 1024 * 1024 - 1), '1'])).toBe(0);
    expect(c.exec(['STRLEN', 'k'])).toBe(1024 * 1024);
  });
});

describe('bit helpers', () => {
  const s = '\xf0\x0f\xaa';
  it('countBits counts inclusive bit ranges', () => {
    expect(countBits(s, 0, 23)).toBe(12);
    expect(countBits(s, 2, 5)).toBe(2);
    expect(countBits(s, 6, 12)).toBe(1);
    expect(countBits(s, 16, 16)).toBe(1);
  });
  it('findBit finds the first bit of either value in a range', () => {
    expect(findBit(s, 1, 4, 23)).toBe(12);
    expect(findBit(s, 0, 0, 23)).toBe(4);
    expect(findBit(s, 0, 12, 15)).toBe(-1);
    expect(findBit(s, 1, 17, 17)).toBe(-1);
  });
});
