import { describe, expect, it } from 'vitest';
import { Double, MapReply, NIL_ARRAY, OK, Push, ReplyError, Replies, SetReply, Status } from '@larder/core';
import { VerbatimString, type RespValue } from '@larder/core/resp';
import { formatRawStrings, formatReply, printsRawStrings, repr } from './format.ts';

// Expected texts are redis-cli 7.0.15's output for the same replies from redis-server 7.0.15
// (FAKETTY=1 for tty, piped for raw), including DEBUG PROTOCOL for the RESP3-only types.
const unknown = new ReplyError("ERR unknown command 'foo', with args beginning with: ");
const hello3 = new MapReply([
  'server', 'redis', 'version', '7.0.15', 'proto', 3, 'id', 51, 'mode', 'standalone', 'role', 'master', 'modules', [],
]);
const commandDocs = new MapReply([
  'get',
  new MapReply([
    'summary', 'Get the value of a key', 'since', '1.0.0', 'group', 'string', 'complexity', 'O(1)',
    'arguments', [new MapReply(['name', 'key', 'type', 'key', 'key_spec_index', 0])],
  ]),
]);
const keySpecs = [
  new MapReply([
    'flags', new SetReply([new Status('RO'), new Status('access')]),
    'begin_search', new MapReply(['type', 'index', 'spec', new MapReply(['index', 1])]),
  ]),
];

const cases: Array<[name: string, reply: RespValue, resp: 2 | 3, tty: string, raw: string]> = [
  ['status', OK, 2, 'OK\n', 'OK\n'],
  ['bulk', '1', 2, '"1"\n', '1\n'],
  ['nil', null, 2, '(nil)\n', '\n'],
  ['nil array', NIL_ARRAY, 2, '(nil)\n', '\n'],
  ['integer', 4, 2, '(integer) 4\n', '4\n'],
  ['bigint', 9223372036854775807n, 2, '(integer) 9223372036854775807\n', '9223372036854775807\n'],
  [
    'array with escapes',
    ['a', 'b', 'c d', '\x00\xff\t"\\'],
    2,
    '1) "a"\n2) "b"\n3) "c d"\n4) "\\x00\\xff\\t\\"\\\\"\n',
    'a\nb\nc d\n\x00\xff\t"\\\n',
  ],
  ['error', unknown, 2, `(error) ${unknown.message}\n`, `${unknown.message}\n\n`],
  ['empty array', [], 2, '(empty array)\n', '\n'],
  ['nil in array', ['1', null], 2, '1) "1"\n2) (nil)\n', '1\n\n'],
  [
    'eleven items',
    Array.from({ length: 11 }, (_, i) => String(i + 1)),
    2,
    `${Array.from({ length: 11 }, (_, i) => `${String(i + 1).padStart(2)}) "${i + 1}"`).join('\n')}\n`,
    `${Array.from({ length: 11 }, (_, i) => String(i + 1)).join('\n')}\n`,
  ],
  ['map in RESP2', new MapReply(['f', 'v', 'g', 'w']), 2, '1) "f"\n2) "v"\n3) "g"\n4) "w"\n', 'f\nv\ng\nw\n'],
  ['double in RESP2', new Double(1.5), 2, '"1.5"\n', '1.5\n'],
  ['set in RESP2', new SetReply([]), 2, '(empty array)\n', '\n'],
  [
    'hello in RESP3',
    hello3,
    3,
    '1# "server" => "redis"\n2# "version" => "7.0.15"\n3# "proto" => (integer) 3\n4# "id" => (integer) 51\n' +
      '5# "mode" => "standalone"\n6# "role" => "master"\n7# "modules" => (empty array)\n',
    'server redis\nversion 7.0.15\nproto 3\nid 51\nmode standalone\nrole master\nmodules \n',
  ],
  [
    'zrange withscores in RESP3',
    [['m', new Double(1.5)], ['n', new Double(2)]],
    3,
    '1) 1) "m"\n   2) (double) 1.5\n2) 1) "n"\n   2) (double) 2\n',
    'm\n1.5\nn\n2\n',
  ],
  ['empty set', new SetReply([]), 3, '(empty set)\n', '\n'],
  ['set', new SetReply(['x']), 3, '1~ "x"\n', 'x\n'],
  ['double', new Double(1.5), 3, '(double) 1.5\n', '1.5\n'],
  ['double inf', new Double(Infinity), 3, '(double) inf\n', 'inf\n'],
  ['empty map', new MapReply([]), 3, '(empty hash)\n', '\n'],
  ['null', null, 3, '(nil)\n', '\n'],
  ['booleans', new MapReply([0, false, 1, true]), 3, '1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n', '0 (false)\n1 (true)\n'],
  ['push', new Push(['server-cpu-usage', 42]), 3, '1) "server-cpu-usage"\n2) (integer) 42\n', 'server-cpu-usage\n42\n'],
  ['empty push', new Push([]), 3, '(empty push)\n', '\n'],
  ['verbatim', new VerbatimString('txt', 'This is a verbatim\nstring'), 3, 'This is a verbatim\nstring\n', 'This is a verbatim\nstring\n'],
  [
    'nested maps start multi-line values on their own line',
    commandDocs,
    3,
    '1# "get" => \n   1# "summary" => "Get the value of a key"\n   2# "since" => "1.0.0"\n   3# "group" => "string"\n' +
      '   4# "complexity" => "O(1)"\n   5# "arguments" => \n      1) 1# "name" => "key"\n         2# "type" => "key"\n' +
      '         3# "key_spec_index" => (integer) 0\n',
    'get summary Get the value of a key\nsince 1.0.0\ngroup string\ncomplexity O(1)\narguments name key\ntype key\nkey_spec_index 0\n',
  ],
  [
    'a one-entry map value stays inline',
    keySpecs,
    3,
    '1) 1# "flags" => \n      1~ RO\n      2~ access\n   2# "begin_search" => \n      1# "type" => "index"\n' +
      '      2# "spec" => 1# "index" => (integer) 1\n',
    'flags RO\naccess\nbegin_search type index\nspec index 1\n',
  ],
  ['invalidation push', new Push(['invalidate', ['a', 'b']]), 3, "-> invalidate: 'a', 'b'\n", 'invalidate\na\nb\n'],
  [
    'several replies',
    new Replies([['subscribe', 'a', 1], ['subscribe', 'b', 2]]),
    2,
    '1) "subscribe"\n2) "a"\n3) (integer) 1\n1) "subscribe"\n2) "b"\n3) (integer) 2\n',
    'subscribe\na\n1\nsubscribe\nb\n2\n',
  ],
];

describe('formatReply', () => {
  for (const [name, reply, resp, tty, raw] of cases) {
    it(`${name} (tty)`, () => expect(formatReply(reply, resp, 'tty')).toBe(tty));
    it(`${name} (raw)`, () => expect(formatReply(reply, resp, 'raw')).toBe(raw));
  }
});

describe('raw strings', () => {
  it('applies to the commands redis-cli prints raw', () => {
    expect(printsRawStrings(['INFO'])).toBe(true);
    expect(printsRawStrings(['info', 'keyspace'])).toBe(true);
    expect(printsRawStrings(['CLIENT', 'LIST'])).toBe(true);
    expect(printsRawStrings(['client', 'info'])).toBe(true);
    expect(printsRawStrings(['memory', 'doctor'])).toBe(true);
    expect(printsRawStrings(['client', 'list', 'type', 'normal'])).toBe(false);
    expect(printsRawStrings(['get', 'info'])).toBe(false);
  });

  it('prints the text without adding a newline', () => {
    expect(formatRawStrings('# Keyspace\r\ndb0:keys=6,expires=0,avg_ttl=0\r\n', 2)).toBe('# Keyspace\r\ndb0:keys=6,expires=0,avg_ttl=0\r\n');
    expect(formatRawStrings(new VerbatimString('txt', 'id=1 addr=x\n'), 3)).toBe('id=1 addr=x\n');
  });
});

describe('repr', () => {
  it('quotes like sdscatrepr', () => {
    expect(repr('')).toBe('""');
    expect(repr('a b')).toBe('"a b"');
    expect(repr('\x07\x08\n\r\t"\\')).toBe('"\\a\\b\\n\\r\\t\\"\\\\"');
    expect(repr('\x00\x1f\x7f\x80\xff~')).toBe('"\\x00\\x1f\\x7f\\x80\\xff~"');
  });
});
