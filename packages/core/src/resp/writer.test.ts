import { describe, expect, it } from 'vitest';
import { binaryToBytes, bytesToBinary } from '../bytes.ts';
import { errorReply, unknownCommand } from '../reply/errors.ts';
import {
  Double,
  MapReply,
  NIL_ARRAY,
  OK,
  Push,
  Replies,
  SetReply,
  Status,
  type Reply,
} from '../reply/reply.ts';
import { encodeCommand, encodeReply, RespWriter } from './writer.ts';

const text = (b: Uint8Array) => bytesToBinary(b);

// [name, reply, RESP2 bytes, RESP3 bytes]; the texts are what redis-server 7.0.15 sends.
const cases: Array<[string, Reply, string, string]> = [
  ['bulk', 'foo', '$3\r\nfoo\r\n', '$3\r\nfoo\r\n'],
  ['empty bulk', '', '$0\r\n\r\n', '$0\r\n\r\n'],
  ['binary bulk', '\x00\r\n\xff', '$4\r\n\x00\r\n\xff\r\n', '$4\r\n\x00\r\n\xff\r\n'],
  ['integer', 42, ':42\r\n', ':42\r\n'],
  ['zero', 0, ':0\r\n', ':0\r\n'],
  ['negative', -1234567890, ':-1234567890\r\n', ':-1234567890\r\n'],
  ['max safe', Number.MAX_SAFE_INTEGER, ':9007199254740991\r\n', ':9007199254740991\r\n'],
  ['bigint', 9223372036854775807n, ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
  ['negative bigint', -9223372036854775808n, ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
  ['nil', null, '$-1\r\n', '_\r\n'],
  ['nil array', NIL_ARRAY, '*-1\r\n', '_\r\n'],
  ['status', OK, '+OK\r\n', '+OK\r\n'],
  ['error', errorReply('ERR syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n'],
  [
    'error with newlines',
    unknownCommand(['FOO', 'a\r\n']),
    "-ERR unknown command 'FOO', with args beginning with: 'a  ' \r\n",
    "-ERR unknown command 'FOO', with args beginning with: 'a  ' \r\n",
  ],
  ['empty array', [], '*0\r\n', '*0\r\n'],
  ['nested array', ['a', [1, null]], '*2\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n', '*2\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n'],
  ['double', new Double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
  ['double integral', new Double(2), '$1\r\n2\r\n', ',2\r\n'],
  ['double 17g', new Double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
  ['double inf', new Double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
  ['double -inf', new Double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
  ['double exponent', new Double(1e300), '$23\r\n1.0000000000000001e+300\r\n', ',1.0000000000000001e+300\r\n'],
  ['double 1e22', new Double(1e22), '$5\r\n1e+22\r\n', ',1e+22\r\n'],
  ['map', new MapReply(['f', 'v', 'n', 1]), '*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n:1\r\n', '%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n:1\r\n'],
  ['empty map', new MapReply([]), '*0\r\n', '%0\r\n'],
  ['set', new SetReply(['x']), '*1\r\n$1\r\nx\r\n', '~1\r\n$1\r\nx\r\n'],
  ['push', new Push(['message', 'ch', 'hi']), '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n'],
  ['replies', new Replies([['subscribe', 'a', 1], ['subscribe', 'b', 2]]),
    '*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n',
    '*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n'],
  ['zrange withscores resp3', [['m', new Double(1.5)]], '*1\r\n*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n', '*1\r\n*2\r\n$1\r\nm\r\n,1.5\r\n'],
  ['status of any text', new Status('QUEUED'), '+QUEUED\r\n', '+QUEUED\r\n'],
];

describe('encodeReply', () => {
  for (const [name, reply, resp2, resp3] of cases) {
    it(`${name} (RESP2)`, () => expect(text(encodeReply(reply, 2))).toBe(resp2));
    it(`${name} (RESP3)`, () => expect(text(encodeReply(reply, 3))).toBe(resp3));
  }

  it('writes many replies into one growing buffer', () => {
    const w = new RespWriter(8);
    const big = 'x'.repeat(100_000);
    w.writeReply(OK, 2);
    w.writeReply(big, 2);
    w.writeReply([1, 2, 3], 3);
    expect(text(w.take())).toBe(`+OK\r\n$100000\r\n${big}\r\n*3\r\n:1\r\n:2\r\n:3\r\n`);
    expect(w.length).toBe(0);
    w.writeReply(7, 2);
    expect(text(w.view())).toBe(':7\r\n');
  });

  it('refuses a value that is not a reply', () => {
    expect(() => encodeReply({} as unknown as Reply, 2)).toThrow(TypeError);
  });
});

describe('encodeCommand', () => {
  it('encodes an array of bulks', () => {
    expect(text(encodeCommand(['SET', 'k', '\x00\xff']))).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\x00\xff\r\n');
    expect(encodeCommand(['PING'])).toEqual(binaryToBytes('*1\r\n$4\r\nPING\r\n'));
  });
});
