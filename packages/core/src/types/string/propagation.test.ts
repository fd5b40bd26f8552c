/**
 * What the string commands propagate (the AOF's view), as redis-server 7.0.15 wrote it to its
 * appendonly file for the same commands: relative times become absolute PXAT / PEXPIREAT, GETSET
 * and INCRBYFLOAT become SET, GETDEL and past GETEX times become DEL, no-ops propagate nothing.
 */
import { describe, expect, it } from 'vitest';
import { setup, T0 } from '../../commands/testing.ts';

/** Runs `script` and returns what was propagated, each command prefixed with its db. */
function propagated(script: string[][], config: Record<string, string> = {}): string[][] {
  const { e, c, ops } = setup();
  for (const [k, v] of Object.entries(config)) e.config.set(k, v);
  for (const argv of script) c.exec(argv);
  return ops;
}

const cases: Array<[string, string[][], string[][]]> = [
  ['SET with a relative expire becomes SET .. PXAT, without NX/XX/GET', [
    ['SET', 'a', 'v', 'EX', '100'], ['set', 'b', 'v', 'px', '100', 'NX', 'GET'], ['SET', 'c', 'v', 'EXAT', '2000000000'],
  ], [
    ['0', 'SET', 'a', 'v', 'PXAT', String(T0 + 100_000)], ['0', 'SET', 'b', 'v', 'PXAT', String(T0 + 100)],
    ['0', 'SET', 'c', 'v', 'PXAT', '2000000000000'],
  ]],
  ['SET .. PXAT is rewritten too (7.0), GET dropped', [
    ['set', 'a', 'v', 'pxat', '99999999999999'], ['SET', 'a', 'v', 'GET', 'PXAT', '99999999999999'],
  ], [
    ['0', 'SET', 'a', 'v', 'PXAT', '99999999999999'], ['0', 'SET', 'a', 'v', 'PXAT', '99999999999999'],
  ]],
  ['SET .. GET drops every GET, keeps the rest as sent', [
    ['set', 'c', 'v', 'GET'], ['set', 'c', 'v2', 'GET', 'XX', 'get'], ['SET', 'c', 'v3', 'KEEPTTL'],
  ], [
    ['0', 'set', 'c', 'v'], ['0', 'set', 'c', 'v2', 'XX'], ['0', 'SET', 'c', 'v3', 'KEEPTTL'],
  ]],
  ['a SET whose condition fails propagates nothing', [
    ['SET', 'a', '1'], ['SET', 'a', '2', 'NX'], ['SET', 'b', '2', 'XX', 'EX', '10'], ['SETNX', 'a', '3'], ['MSETNX', 'a', '1', 'z', '2'],
  ], [['0', 'SET', 'a', '1']]],
  ['SETEX and PSETEX become SET .. PXAT', [['SETEX', 'd', '100', 'v'], ['PSETEX', 'e', '100', 'v']], [
    ['0', 'SET', 'd', 'v', 'PXAT', String(T0 + 100_000)], ['0', 'SET', 'e', 'v', 'PXAT', String(T0 + 100)],
  ]],
  ['GETSET becomes SET', [['getset', 'h', '1']], [['0', 'SET', 'h', '1']]],
  ['GETDEL becomes DEL, or UNLINK with lazyfree-lazy-user-del', [['SET', 'g', 'v'], ['GETDEL', 'g'], ['GETDEL', 'g']], [
    ['0', 'SET', 'g', 'v'], ['0', 'DEL', 'g'],
  ]],
  ['GETEX', [
    ['SET', 'd', 'v'], ['GETEX', 'd'], ['GETEX', 'd', 'EX', '100'], ['GETEX', 'd', 'pxat', '99999999999999'],
    ['GETEX', 'd', 'PERSIST'], ['GETEX', 'd', 'PERSIST'], ['GETEX', 'd', 'EXAT', '1'], ['GETEX', 'd', 'EX', '1'],
  ], [
    ['0', 'SET', 'd', 'v'], ['0', 'PEXPIREAT', 'd', String(T0 + 100_000)], ['0', 'PEXPIREAT', 'd', '99999999999999'],
    ['0', 'PERSIST', 'd'], ['0', 'DEL', 'd'],
  ]],
  ['INCRBYFLOAT becomes SET .. KEEPTTL, even when adding 0', [['INCRBYFLOAT', 'h', '1.5'], ['incrbyfloat', 'h', '0']], [
    ['0', 'SET', 'h', '1.5', 'KEEPTTL'], ['0', 'SET', 'h', '1.5', 'KEEPTTL'],
  ]],
  ['counters and APPEND propagate as sent, even when the value stays', [
    ['incr', 'i'], ['INCRBY', 'i', '0'], ['APPEND', 'i', ''], ['INCR', 'l'], ['INCRBY', 'i', 'x'],
  ], [['0', 'incr', 'i'], ['0', 'INCRBY', 'i', '0'], ['0', 'APPEND', 'i', ''], ['0', 'INCR', 'l']]],
  ['SETRANGE and SETBIT propagate only a change', [
    ['SETRANGE', 's', '0', ''], ['SET', 's', 'v'], ['SETRANGE', 's', '0', ''], ['SETBIT', 's', '0', '0'],
    ['SETBIT', 'b', '0', '0'], ['SETBIT', 'b', '0', '0'], ['SETBIT', 'b', '0', '1'], ['SETRANGE', 's', '0', 'w'],
  ], [
    ['0', 'SET', 's', 'v'], ['0', 'SETBIT', 'b', '0', '0'], ['0', 'SETBIT', 'b', '0', '1'], ['0', 'SETRANGE', 's', '0', 'w'],
  ]],
  ['BITOP propagates when it writes or deletes the destination', [
    ['BITOP', 'AND', 'dst', 'nokey'], ['SET', 'dst', 'x'], ['BITOP', 'AND', 'dst', 'nokey'], ['SET', 'src', 'x'],
    ['BITOP', 'NOT', 'd2', 'src'], ['SET', 'e', ''], ['BITOP', 'OR', 'd2', 'e'], ['BITOP', 'OR', 'd2', 'e'],
  ], [
    ['0', 'SET', 'dst', 'x'], ['0', 'BITOP', 'AND', 'dst', 'nokey'], ['0', 'SET', 'src', 'x'], ['0', 'BITOP', 'NOT', 'd2', 'src'],
    ['0', 'SET', 'e', ''], ['0', 'BITOP', 'OR', 'd2', 'e'],
  ]],
  ['MSET and MSETNX propagate as sent', [['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'm', '1', 'm', '2']], [
    ['0', 'MSET', 'a', '1', 'b', '2'], ['0', 'MSETNX', 'm', '1', 'm', '2'],
  ]],
  ['reads propagate nothing', [['GET', 'a'], ['MGET', 'a', 'b'], ['STRLEN', 'a'], ['GETRANGE', 'a', '0', '1'], ['LCS', 'a', 'b']], []],
];

describe('string command propagation', () => {
  for (const [name, script, want] of cases) it(name, () => expect(propagated(script)).toEqual(want));

  it('GETDEL and a past GETEX time use UNLINK under lazyfree', () => {
    const script = [['SET', 'd', 'v'], ['GETDEL', 'd'], ['SET', 'd', 'v'], ['GETEX', 'd', 'PXAT', '1']];
    expect(propagated(script, { 'lazyfree-lazy-user-del': 'yes' })).toEqual([
      ['0', 'SET', 'd', 'v'], ['0', 'UNLINK', 'd'], ['0', 'SET', 'd', 'v'], ['0', 'DEL', 'd'],
    ]);
    expect(propagated(script, { 'lazyfree-lazy-expire': 'yes' })).toEqual([
      ['0', 'SET', 'd', 'v'], ['0', 'DEL', 'd'], ['0', 'SET', 'd', 'v'], ['0', 'UNLINK', 'd'],
    ]);
  });

  it('an expire past 2^53 ms is propagated exactly', () => {
    expect(propagated([['SET', 'a', 'v', 'EXAT', '9223372036854775'], ['SET', 'b', 'v', 'PXAT', '9223372036854775807']])).toEqual([
      ['0', 'SET', 'a', 'v', 'PXAT', '9223372036854775000'], ['0', 'SET', 'b', 'v', 'PXAT', '9223372036854775807'],
    ]);
  });
});
