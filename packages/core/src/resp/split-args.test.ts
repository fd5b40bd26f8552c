import { describe, expect, it } from 'vitest';
import { splitArgs } from './split-args.ts';

// sds.c sdssplitargs; the unbalanced and escape cases were also sent inline to redis-server 7.0.15.
const cases: Array<[string, string[] | null]> = [
  ['', []],
  ['   \t ', []],
  ['set a b', ['set', 'a', 'b']],
  ['  set   a\tb  ', ['set', 'a', 'b']],
  ['"a b" c', ['a b', 'c']],
  ['"\\n\\r\\t\\b\\a\\"\\\\\\q"', ['\n\r\t\b\x07"\\q']],
  ['"\\x41\\x4a\\xff\\x4"', ['AJ\xffx4']],
  ["'it\\'s' 'a\\nb'", ["it's", 'a\\nb']],
  ['x"y z"', ['xy z']],
  ['""', ['']],
  ["''", ['']],
  ['"a"b', null],
  ["'a'b", null],
  ['"abc', null],
  ["'abc", null],
  ['"abc\\', null],
  ['a\x0bb', ['a\x0bb']],
  ['a\x0b b', ['a\x0b', 'b']],
  ['a\rb\nc', ['a', 'b', 'c']],
  ['"a"\x0bb', ['a', 'b']],
  ['a\x00b c', ['a']],
  ['\xff\xfe', ['\xff\xfe']],
];

describe('splitArgs', () => {
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => expect(splitArgs(line)).toStrictEqual(expected));
  }
});
