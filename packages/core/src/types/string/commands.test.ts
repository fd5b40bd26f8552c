/**
 * The string commands, table-driven. Each case runs on a fresh engine; every expected reply, error
 * text and OBJECT ENCODING below was checked against redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { replay, setup, type Step } from '../../commands/testing.ts';
import { stringEncoding } from './string.ts';

const OK = '+OK';
const SYNTAX = '-ERR syntax error';
const NOT_INT = '-ERR value is not an integer or out of range';
const NOT_FLOAT = '-ERR value is not a valid float';
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value';
const invalidExpire = (cmd: string): string => `-ERR invalid expire time in '${cmd}' command`;
const TOO_BIG = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)';

/** A step that makes `l` a list, so WRONGTYPE paths run without the list commands. */
const LIST: Step = [['@list', 'l'], null];

function run(steps: Step[]): void {
  const { c } = setup();
  if (steps.includes(LIST)) c.db.add('l', { type: 'list' } as never);
  const { got, want } = replay(c, steps.filter((s) => s !== LIST));
  expect(got).toEqual(want);
}

const stringCases: Array<[string, Step[]]> = [
  ['SET and GET', [
    [['GET', 'k'], null], [['SET', 'k', 'v'], OK], [['GET', 'k'], 'v'], [['SET', 'k', ''], OK], [['GET', 'k'], ''],
    [['SET', 'k', '\x00\xff\x80'], OK], [['GET', 'k'], '\x00\xff\x80'],
  ]],
  ['SET NX / XX', [
    [['SET', 'k', 'v', 'XX'], null], [['GET', 'k'], null], [['SET', 'k', 'v', 'NX'], OK], [['SET', 'k', 'w', 'nx'], null],
    [['SET', 'k', 'w', 'xx'], OK], [['GET', 'k'], 'w'], [['SET', 'k', 'x', 'NX', 'NX'], null],
  ]],
  ['SET option conflicts are syntax errors', [
    [['SET', 'k', 'v', 'NX', 'XX'], SYNTAX], [['SET', 'k', 'v', 'XX', 'NX'], SYNTAX],
    [['SET', 'k', 'v', 'EX', '10', 'PX', '10'], SYNTAX], [['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'], SYNTAX],
    [['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], SYNTAX], [['SET', 'k', 'v', 'EX'], SYNTAX],
    [['SET', 'k', 'v', 'PERSIST'], SYNTAX], [['SET', 'k', 'v', 'foo'], SYNTAX], [['SET', 'k', 'v', 'EXAT', '1', 'PXAT', '1'], SYNTAX],
    [['GET', 'k'], null],
  ]],
  ['SET expire validation', [
    [['SET', 'k', 'v', 'EX', '0'], invalidExpire('set')], [['SET', 'k', 'v', 'EX', '-1'], invalidExpire('set')],
    [['SET', 'k', 'v', 'PX', '0'], invalidExpire('set')], [['SET', 'k', 'v', 'EX', '1.5'], NOT_INT],
    [['SET', 'k', 'v', 'EX', '9223372036854775'], invalidExpire('set')],
    [['SET', 'k', 'v', 'EX', '9223372036854776'], invalidExpire('set')],
    [['SET', 'k', 'v', 'PX', '9223372036854775807'], invalidExpire('set')],
    [['SET', 'k', 'v', 'EX', '9223372036854775808'], NOT_INT],
    [['SET', 'k', 'v', 'PXAT', '9223372036854775807'], OK], [['SET', 'k', 'v', 'EXAT', '9223372036854775'], OK],
    [['SET', 'k', 'v', 'EX', '10', 'EX', '20'], OK], [['TTL', 'k'], 20],
    [['SET', 'k', 'v', 'KEEPTTL'], OK], [['TTL', 'k'], 20], [['SET', 'k', 'v'], OK], [['TTL', 'k'], -1],
  ]],
  ['SET GET', [
    [['SET', 'k', 'v', 'GET'], null], [['SET', 'k', 'w', 'GET', 'GET'], 'v'], [['SET', 'k', 'x', 'gEt', 'XX'], 'w'],
    [['SET', 'n', 'v', 'XX', 'GET'], null], [['EXISTS', 'n'], 0], [['SET', 'k', 'y', 'NX', 'GET'], 'x'], [['GET', 'k'], 'x'],
    [['SET', 'k', 'v', 'GET', 'EX', '0'], invalidExpire('set')],
  ]],
  ['SET GET on another type', [
    LIST, [['SET', 'l', 'v', 'GET'], WRONGTYPE], [['SET', 'l', 'v', 'GET', 'NX'], WRONGTYPE],
    [['SET', 'l', 'v', 'GET', 'EX', '0'], invalidExpire('set')], [['GET', 'l'], WRONGTYPE], [['SET', 'l', 'v'], OK], [['GET', 'l'], 'v'],
  ]],
  ['SETNX SETEX PSETEX', [
    [['SETNX', 'k', 'a'], 1], [['SETNX', 'k', 'b'], 0], [['GET', 'k'], 'a'],
    [['SETEX', 'k', '100', 'v'], OK], [['TTL', 'k'], 100], [['PSETEX', 'k', '5000', 'w'], OK], [['PTTL', 'k'], 5000],
    [['SETEX', 'k', '0', 'v'], invalidExpire('setex')], [['PSETEX', 'k', '-1', 'v'], invalidExpire('psetex')],
    [['SETEX', 'k', 'x', 'v'], NOT_INT], [['GET', 'k'], 'w'],
  ]],
  ['MGET MSET MSETNX', [
    LIST,
    [['MSET', 'a', '1', 'b', '2'], OK], [['MGET', 'a', 'l', 'b', 'c'], ['1', null, '2', null]],
    [['MSET', 'a', '1', 'b'], "-ERR wrong number of arguments for 'mset' command"],
    [['MSETNX', 'a', '1', 'b'], "-ERR wrong number of arguments for 'msetnx' command"],
    [['MSETNX', 'c', '3', 'a', '9'], 0], [['EXISTS', 'c'], 0], [['MSETNX', 'c', '3', 'c', '4'], 1], [['GET', 'c'], '4'],
    [['MSET', 'a', 'x', 'a', 'y'], OK], [['GET', 'a'], 'y'],
  ]],
  ['GETSET GETDEL', [
    LIST,
    [['GETSET', 'k', '1'], null], [['SETEX', 'k', '100', '2'], OK], [['GETSET', 'k', '3'], '2'], [['TTL', 'k'], -1],
    [['GETSET', 'l', '1'], WRONGTYPE], [['GETDEL', 'k'], '3'], [['GETDEL', 'k'], null], [['GETDEL', 'l'], WRONGTYPE],
  ]],
  ['GETEX', [
    LIST,
    [['GETEX', 'k'], null], [['GETEX', 'k', 'FOO'], SYNTAX], [['GETEX', 'k', 'EX', '0'], null],
    [['SET', 'k', 'v'], OK], [['GETEX', 'k', 'EX', '0'], invalidExpire('getex')],
    [['GETEX', 'k', 'PERSIST', 'EX', '10'], SYNTAX], [['GETEX', 'k', 'EX', '10', 'PERSIST'], SYNTAX],
    [['GETEX', 'k', 'NX'], SYNTAX], [['GETEX', 'k', 'KEEPTTL'], SYNTAX], [['GETEX', 'k', 'GET'], SYNTAX],
    [['GETEX', 'k', 'EX', '100'], 'v'], [['TTL', 'k'], 100], [['GETEX', 'k'], 'v'], [['TTL', 'k'], 100],
    [['GETEX', 'k', 'PERSIST'], 'v'], [['TTL', 'k'], -1], [['GETEX', 'k', 'PX', '5000'], 'v'], [['PTTL', 'k'], 5000],
    [['GETEX', 'k', 'EXAT', '1'], 'v'], [['EXISTS', 'k'], 0],
    [['GETEX', 'l'], WRONGTYPE], [['GETEX', 'l', 'EX', '0'], WRONGTYPE],
  ]],
  ['APPEND STRLEN', [
    LIST,
    [['APPEND', 'k', 'ab'], 2], [['APPEND', 'k', ''], 2], [['APPEND', 'k', 'c\x00'], 4], [['GET', 'k'], 'abc\x00'],
    [['STRLEN', 'k'], 4], [['STRLEN', 'n'], 0], [['STRLEN', 'l'], WRONGTYPE], [['APPEND', 'l', 'x'], WRONGTYPE],
  ]],
  ['GETRANGE SUBSTR', [
    LIST,
    [['SET', 'k', 'abc'], OK], [['GETRANGE', 'k', '0', '-1'], 'abc'], [['GETRANGE', 'k', '-1', '-5'], ''],
    [['GETRANGE', 'k', '-100', '-200'], ''], [['GETRANGE', 'k', '5', '10'], ''], [['GETRANGE', 'k', '0', '-100'], 'a'],
    [['GETRANGE', 'k', '1', '1'], 'b'], [['GETRANGE', 'k', '0', '9223372036854775807'], 'abc'],
    [['GETRANGE', 'k', '-9223372036854775808', '-1'], 'abc'], [['GETRANGE', 'n', '0', '1'], ''],
    [['GETRANGE', 'n', 'a', '1'], NOT_INT], [['GETRANGE', 'l', '0', '1'], WRONGTYPE], [['SUBSTR', 'k', '0', '1'], 'ab'],
    [['SET', 'e', ''], OK], [['GETRANGE', 'e', '0', '-1'], ''], [['SET', 'i', '12345'], OK], [['GETRANGE', 'i', '1', '2'], '23'],
  ]],
  ['SETRANGE', [
    LIST,
    [['SETRANGE', 'k', '-1', 'x'], '-ERR offset is out of range'], [['SETRANGE', 'l', '-1', 'x'], '-ERR offset is out of range'],
    [['SETRANGE', 'l', '0', ''], WRONGTYPE], [['SETRANGE', 'k', 'a', 'x'], NOT_INT],
    [['SETRANGE', 'k', '0', ''], 0], [['EXISTS', 'k'], 0], [['SETRANGE', 'k', '2', 'ab'], 4], [['GET', 'k'], '\x00\x00ab'],
    [['SETRANGE', 'k', '1', 'X'], 4], [['SETRANGE', 'k', '3', 'YZ'], 5], [['GET', 'k'], '\x00Xa' + 'YZ'],
    [['SETRANGE', 'k', '536870912', ''], 5], [['SETRANGE', 'k', '536870912', 'x'], TOO_BIG],
    [['SETRANGE', 'k', '9223372036854775807', 'x'], TOO_BIG], [['SETRANGE', 'k', '9223372036854775808', 'x'], NOT_INT],
  ]],
  ['INCR DECR INCRBY DECRBY', [
    LIST,
    [['INCR', 'n'], 1], [['INCRBY', 'n', '10'], 11], [['DECR', 'n'], 10], [['DECRBY', 'n', '-5'], 15],
    [['INCRBY', 'n', 'x'], NOT_INT], [['INCRBY', 'l', 'x'], NOT_INT], [['INCR', 'l'], WRONGTYPE],
    [['SET', 'n', '9223372036854775806'], OK], [['INCR', 'n'], 9223372036854775807n],
    [['INCR', 'n'], '-ERR increment or decrement would overflow'], [['DECRBY', 'n', '-9223372036854775808'], '-ERR decrement would overflow'],
    [['SET', 'n', '-9223372036854775808'], OK], [['DECR', 'n'], '-ERR increment or decrement would overflow'],
    [['INCRBY', 'n', '9223372036854775807'], -1], [['INCRBY', 'n', '9007199254740993'], 9007199254740992n],
    [['SET', 'n', ' 1'], OK], [['INCR', 'n'], NOT_INT], [['SET', 'n', '01'], OK], [['INCR', 'n'], NOT_INT],
    [['SET', 'n', '-0'], OK], [['INCR', 'n'], NOT_INT], [['SET', 'n', '1.0'], OK], [['INCR', 'n'], NOT_INT],
    [['SETEX', 'n', '100', '5'], OK], [['INCR', 'n'], 6], [['TTL', 'n'], 100],
  ]],
  ['INCRBYFLOAT', [
    LIST,
    [['INCRBYFLOAT', 'f', '0.1'], '0.1'], [['INCRBYFLOAT', 'f', '0.2'], '0.3'], [['INCRBYFLOAT', 'f', '-0.3'], '0'],
    [['INCRBYFLOAT', 'f', '1e30'], '1000000000000000000024696061952'], [['SET', 'f', '10.5'], OK],
    [['INCRBYFLOAT', 'f', '0x10'], '26.5'], [['INCRBYFLOAT', 'f', '+.5'], '27'], [['INCRBYFLOAT', 'f', '5.'], '32'],
    [['INCRBYFLOAT', 'f', '-0x1p-2'], '31.75'], [['INCRBYFLOAT', 'f', '1e-4940'], '31.75'],
    [['INCRBYFLOAT', 'f', 'x'], NOT_FLOAT], [['INCRBYFLOAT', 'f', 'nan'], NOT_FLOAT], [['INCRBYFLOAT', 'f', ' 1'], NOT_FLOAT],
    [['INCRBYFLOAT', 'f', '1 '], NOT_FLOAT], [['INCRBYFLOAT', 'f', ''], NOT_FLOAT], [['INCRBYFLOAT', 'f', '1e5000'], NOT_FLOAT],
    [['INCRBYFLOAT', 'f', '1e-5000'], NOT_FLOAT],
    [['INCRBYFLOAT', 'f', 'inf'], '-ERR increment would produce NaN or Infinity'],
    [['SET', 'f', '1e4932'], OK], [['INCRBYFLOAT', 'f', '1e4932'], '-ERR increment would produce NaN or Infinity'],
    [['SET', 'f', 'abc'], OK], [['INCRBYFLOAT', 'f', '1'], NOT_FLOAT], [['INCRBYFLOAT', 'l', 'x'], WRONGTYPE],
    [['SET', 'f', '0.000003814697265625'], OK], [['INCRBYFLOAT', 'f', '0'], '0.00000381469726562'],
    [['SETEX', 'f', '100', '1'], OK], [['INCRBYFLOAT', 'f', '1.5'], '2.5'], [['TTL', 'f'], 100],
  ]],
];

describe('string commands', () => {
  for (const [name, steps] of stringCases) it(name, () => run(steps));

  it('wrong arity is caught before the handler', () => {
    const { c } = setup();
    expect(c.exec(['SET', 'k'])).toMatchObject({ message: "ERR wrong number of arguments for 'set' command" });
    expect(c.exec(['GETEX'])).toMatchObject({ message: "ERR wrong number of arguments for 'getex' command" });
  });

  it('an expire time already past: SET keeps the key until it is read, GETEX deletes it', () => {
    const { c, advance } = setup();
    expect(c.exec(['SET', 'k', 'v', 'PXAT', '1'])).toMatchObject({ value: 'OK' });
    expect(c.db.keys.has('k')).toBe(true);
    expect(c.exec(['GET', 'k'])).toBe(null);
    c.exec(['SET', 'k', 'v', 'PX', '100']);
    advance(100);
    expect(c.exec(['GET', 'k'])).toBe('v');
    advance(1);
    expect(c.exec(['GET', 'k'])).toBe(null);
  });

  it('sends Redis keyspace events', () => {
    const { c, events } = setup();
    const script = [
      ['SET', 'a', '1', 'EX', '100'], ['SETEX', 'b', '100', 'v'], ['GETEX', 'b', 'EX', '100'], ['GETEX', 'b', 'PXAT', '1'],
      ['SET', 'c', 'v', 'EX', '100'], ['GETEX', 'c', 'PERSIST'], ['GETEX', 'c', 'PERSIST'], ['GETDEL', 'c'],
      ['GETSET', 'd', '1'], ['INCRBYFLOAT', 'd', '1'], ['MSET', 'e', '1', 'f', '2'], ['SETRANGE', 'i', '1', 'x'],
      ['APPEND', 'i', 'y'], ['INCR', 'k'], ['DECR', 'k'], ['DECRBY', 'k', '2'], ['INCRBY', 'k', '2'], ['MSETNX', 'm', '1'],
      ['SETNX', 'n', '1'], ['SET', 'n', '2', 'NX'], ['SETRANGE', 'n', '0', ''],
    ];
    for (const argv of script) c.exec(argv);
    expect(events).toEqual([
      '0 set a', '0 expire a', '0 set b', '0 expire b', '0 expire b', '0 del b', '0 set c', '0 expire c', '0 persist c',
      '0 del c', '0 set d', '0 incrbyfloat d', '0 set e', '0 set f', '0 setrange i', '0 append i', '0 incrby k',
      '0 incrby k', '0 incrby k', '0 incrby k', '0 set m', '0 set n',
    ]);
  });
});

describe('OBJECT ENCODING of strings', () => {
  const cases: Array<[string, string[][], string]> = [
    ['small integer', [['SET', 'k', '123']], 'int'],
    ['int64 bounds', [['SET', 'k', '-9223372036854775808']], 'int'],
    ['-0 is not an integer', [['SET', 'k', '-0']], 'embstr'],
    ['leading zero', [['SET', 'k', '01']], 'embstr'],
    ['past int64', [['SET', 'k', '12345678901234567890']], 'embstr'],
    ['44 bytes', [['SET', 'k', 'x'.repeat(44)]], 'embstr'],
    ['45 bytes', [['SET', 'k', 'x'.repeat(45)]], 'raw'],
    ['APPEND to a missing key encodes like SET', [['APPEND', 'k', '12']], 'int'],
    ['APPEND to an existing key', [['APPEND', 'k', '12'], ['APPEND', 'k', '3']], 'raw'],
    ['APPEND of nothing still unshares', [['SET', 'k', 'ab'], ['APPEND', 'k', '']], 'raw'],
    ['SETRANGE creates raw', [['SETRANGE', 'k', '0', '1']], 'raw'],
    ['SETRANGE of nothing changes nothing', [['SET', 'k', '1'], ['SETRANGE', 'k', '0', '']], 'int'],
    ['SETBIT makes raw even when no bit changes', [['SET', 'k', '1'], ['SETBIT', 'k', '0', '0']], 'raw'],
    ['INCR gives int', [['SET', 'k', 'abc'], ['SET', 'k', '5'], ['INCR', 'k']], 'int'],
    ['INCRBYFLOAT gives embstr even for integers', [['SET', 'k', '1'], ['INCRBYFLOAT', 'k', '1']], 'embstr'],
    ['INCRBYFLOAT long result', [['SET', 'k', '12345'], ['INCRBYFLOAT', 'k', '1e50']], 'raw'],
    ['INCR after INCRBYFLOAT', [['INCRBYFLOAT', 'k', '1'], ['INCR', 'k']], 'int'],
    ['BITOP result is raw', [['SET', 's', '1'], ['BITOP', 'AND', 'k', 's']], 'raw'],
    ['GETSET', [['SET', 'k', 'x'], ['GETSET', 'k', '7']], 'int'],
    ['SET after raw', [['APPEND', 'k', 'a'], ['APPEND', 'k', 'b'], ['SET', 'k', '1']], 'int'],
  ];
  for (const [name, script, enc] of cases) {
    it(name, () => {
      const { c } = setup();
      for (const argv of script) c.exec(argv);
      expect(stringEncoding(c.db.lookup('k')!)).toBe(enc);
    });
  }
});
