/** OBJECT and its subcommands; replies and errors checked against redis-server 7.0.15. */
import { describe, expect, it } from 'vitest';
import type { Client } from '../engine/client.ts';
import { replay, setup, type Step } from './testing.ts';

function check(c: Client, steps: Step[]): void {
  const { got, want } = replay(c, steps);
  expect(got).toEqual(want);
}

const OK = '+OK';
const HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
].map((l) => `+${l}`);
const NOT_LFU =
  '-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU =
  '-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

const cases: Array<[string, Step[]]> = [
  ['HELP and argument errors', [
    [['OBJECT', 'help'], HELP], [['OBJECT'], "-ERR wrong number of arguments for 'object' command"],
    [['OBJECT', 'foo', 'k'], "-ERR unknown subcommand 'foo'. Try OBJECT HELP."],
    [['OBJECT', 'ENCODING'], "-ERR wrong number of arguments for 'object|encoding' command"],
    [['OBJECT', 'encoding', 'a', 'b'], "-ERR wrong number of arguments for 'object|encoding' command"],
    [['OBJECT', 'HELP', 'x'], "-ERR wrong number of arguments for 'object|help' command"],
  ]],
  ['missing keys answer nil', [
    [['OBJECT', 'ENCODING', 'no'], null], [['OBJECT', 'REFCOUNT', 'no'], null],
    [['OBJECT', 'FREQ', 'no'], null], [['OBJECT', 'IDLETIME', 'no'], null],
  ]],
  ['string encodings', [
    [['SET', 'i', '12345'], OK], [['OBJECT', 'ENCODING', 'i'], 'int'],
    [['SET', 'e', 'hello'], OK], [['OBJECT', 'ENCODING', 'e'], 'embstr'],
    [['SET', 'r', 'x'.repeat(45)], OK], [['OBJECT', 'ENCODING', 'r'], 'raw'],
  ]],
  ['REFCOUNT: shared integers', [
    [['SET', 'k', '100'], OK], [['OBJECT', 'REFCOUNT', 'k'], 2147483647],
    [['SET', 'k', '9999'], OK], [['OBJECT', 'REFCOUNT', 'k'], 2147483647],
    [['SET', 'k', '10000'], OK], [['OBJECT', 'REFCOUNT', 'k'], 1],
    [['SET', 'k', '-1'], OK], [['OBJECT', 'REFCOUNT', 'k'], 1],
    [['SET', 'k', 'abc'], OK], [['OBJECT', 'REFCOUNT', 'k'], 1],
  ]],
];

describe('OBJECT', () => {
  it.each(cases)('%s', (_name, steps) => {
    const { c } = setup();
    check(c, steps);
  });

  it('FREQ and IDLETIME follow the maxmemory policy', () => {
    const { e, c } = setup();
    check(c, [[['SET', 'k', 'v'], OK], [['OBJECT', 'FREQ', 'k'], NOT_LFU], [['OBJECT', 'IDLETIME', 'k'], 0]]);
    e.config.set('maxmemory-policy', 'allkeys-lfu');
    check(c, [[['OBJECT', 'IDLETIME', 'k'], LFU], [['OBJECT', 'FREQ', 'k'], 0]]);
  });

  it('integers are not shared under an LRU/LFU policy with a memory limit', () => {
    const { e, c } = setup();
    e.config.set('maxmemory', '100mb');
    e.config.set('maxmemory-policy', 'allkeys-lru');
    check(c, [[['SET', 'k', '5'], OK], [['OBJECT', 'REFCOUNT', 'k'], 1]]);
  });
});
