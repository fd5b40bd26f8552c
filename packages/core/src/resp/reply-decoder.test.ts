import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binaryToBytes, bytesToBinary } from '../bytes.ts';
import { ReplyError } from '../reply/errors.ts';
import {
  Double,
  formatDouble17g,
  MapReply,
  NIL_ARRAY,
  NilArray,
  OK,
  Push,
  Replies,
  SetReply,
  Status,
  type Reply,
} from '../reply/reply.ts';
import { ReplyDecoder, RespProtocolError, type RespValue } from './reply-decoder.ts';
import { VerbatimString } from '../reply/reply.ts';
import { encodeReply } from './writer.ts';

type Out = { reply: RespValue } | { push: Push } | { error: string };

function decode(chunks: Uint8Array[]): Out[] {
  const out: Out[] = [];
  const d = new ReplyDecoder({ onReply: (reply) => out.push({ reply }), onPush: (push) => out.push({ push }) });
  for (const c of chunks) {
    try {
      d.feed(c);
    } catch (e) {
      if (!(e instanceof RespProtocolError)) throw e;
      out.push({ error: e.message });
      return out;
    }
  }
  return out;
}

const whole = (s: string) => decode([binaryToBytes(s)]);
const byteByByte = (s: string) => decode([...binaryToBytes(s)].map((b) => Uint8Array.of(b)));
const replies = (...values: RespValue[]): Out[] => values.map((reply) => ({ reply }));

const cases: Array<[string, string, Out[]]> = [
  ['simple', '+OK\r\n', replies(OK)],
  ['error', '-ERR no\r\n', replies(new ReplyError('ERR no'))],
  ['integer', ':-12\r\n', replies(-12)],
  ['big integer', ':9223372036854775807\r\n', replies(9223372036854775807n)],
  ['bulk', '$3\r\na\r\n\r\n', replies('a\r\n')],
  ['binary bulk', '$2\r\n\x00\xff\r\n', replies('\x00\xff')],
  ['nil bulk', '$-1\r\n', replies(null)],
  ['nil array', '*-1\r\n', replies(NIL_ARRAY)],
  ['array', '*3\r\n:1\r\n*1\r\n$1\r\nx\r\n*0\r\n', replies([1, ['x'], []])],
  ['null', '_\r\n', replies(null)],
  ['double', ',1.5\r\n', replies(new Double(1.5))],
  ['double inf', ',-inf\r\n', replies(new Double(-Infinity))],
  ['double exponent', ',1.0000000000000001e+300\r\n', replies(new Double(1.0000000000000001e300))],
  ['boolean', '#t\r\n#f\r\n', replies(true, false)],
  ['map', '%2\r\n+a\r\n:1\r\n+b\r\n*0\r\n', replies(new MapReply([new Status('a'), 1, new Status('b'), []]))],
  ['empty map', '%0\r\n', replies(new MapReply([]))],
  ['set', '~2\r\n$1\r\nx\r\n$1\r\ny\r\n', replies(new SetReply(['x', 'y']))],
  ['big number', '(3492890328409238509324850943850943825024385\r\n', replies(3492890328409238509324850943850943825024385n)],
  ['verbatim', '=15\r\ntxt:Some string\r\n', replies(new VerbatimString('txt', 'Some string'))],
  ['blob error', '!21\r\nSYNTAX invalid syntax\r\n', replies(new ReplyError('SYNTAX invalid syntax'))],
  ['attribute is dropped', '|1\r\n+key\r\n+val\r\n:5\r\n', replies(5)],
  ['nested attribute is dropped', '*2\r\n:1\r\n|1\r\n+k\r\n+v\r\n:2\r\n', replies([1, 2])],
  ['push', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n:1\r\n', [{ push: new Push(['message', 'ch', 'hi']) }, { reply: 1 }]],
  ['pipelined', '+OK\r\n$1\r\nv\r\n:1\r\n', replies(OK, 'v', 1)],
  ['unknown type', '+OK\r\n@1\r\n', [{ reply: OK }, { error: 'unknown type byte 0x40' }]],
  ['bad integer', ':1x\r\n', [{ error: "invalid integer '1x'" }]],
  ['bad length', '$-2\r\n', [{ error: "invalid length '-2'" }]],
  ['CR without LF', '+OK\rX', [{ error: 'CR not followed by LF' }]],
  ['bulk without CRLF', '$1\r\nabc', [{ error: 'bulk not terminated by CRLF' }]],
  ['incomplete', '*2\r\n:1\r\n$5\r\nab', []],
];

describe('ReplyDecoder', () => {
  for (const [name, input, expected] of cases) {
    it(`${name} (whole)`, () => expect(whole(input)).toStrictEqual(expected));
    it(`${name} (byte by byte)`, () => expect(byteByByte(input)).toStrictEqual(expected));
  }

  it('reads a large reply arriving in small chunks', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `item:${i}`);
    const bytes = encodeReply([...items, 'x'.repeat(200_000)], 2);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 777) chunks.push(bytes.slice(i, i + 777));
    expect(decode(chunks)).toStrictEqual(replies([...items, 'x'.repeat(200_000)]));
  });

  it('round-trips any reply in RESP3', () => {
    fc.assert(
      fc.property(reply, fc.array(fc.nat(), { maxLength: 8 }), (r, cuts) => {
        expect(decode(split(encodeReply(r, 3), cuts))).toStrictEqual(expectedOf(r, 3));
      }),
    );
  });

  it('round-trips any reply in RESP2, with RESP3 types downgraded', () => {
    fc.assert(
      fc.property(reply, fc.array(fc.nat(), { maxLength: 8 }), (r, cuts) => {
        expect(decode(split(encodeReply(r, 2), cuts))).toStrictEqual(expectedOf(r, 2));
      }),
    );
  });

  it('round-trips several replies in a row', () => {
    const r = new Replies([['subscribe', 'a', 1], ['subscribe', 'b', 2]]);
    expect(decode([encodeReply(r, 3)])).toStrictEqual(replies(['subscribe', 'a', 1], ['subscribe', 'b', 2]));
  });

  it('never throws anything but RespProtocolError', () => {
    const noisy = fc.array(
      fc.oneof(
        fc.uint8Array({ maxLength: 20 }),
        fc.constantFrom('*', '$', '%', '>', '|', '\r\n', '*2\r\n', '$3\r\n', '-1', ':', '#t', '=5\r\n').map(binaryToBytes),
      ),
      { maxLength: 30 },
    );
    fc.assert(fc.property(noisy, (parts) => void decode(parts)));
  });
});

const bytes = fc.uint8Array({ maxLength: 30 }).map((b) => bytesToBinary(b));
const line = fc.stringMatching(/^[ -~]{0,20}$/);

const reply: fc.Arbitrary<Reply> = fc.letrec<{ reply: Reply }>((tie) => ({
  reply: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    bytes,
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constant(null),
    fc.constant(NIL_ARRAY),
    line.map((s) => new Status(s)),
    line.map((s) => new ReplyError(`ERR ${s}`)),
    fc.double().map((d) => new Double(d)),
    fc.array(tie('reply'), { maxLength: 4 }),
    fc.array(fc.tuple(tie('reply'), tie('reply')), { maxLength: 3 }).map((pairs) => new MapReply(pairs.flat())),
    fc.array(tie('reply'), { maxLength: 4 }).map((items) => new SetReply(items)),
  ),
})).reply;

/** What decoding the encoding of `r` must give: the types the wire can tell apart. */
function normalize(r: Reply, resp: 2 | 3): RespValue {
  if (typeof r === 'bigint') return Number.isSafeInteger(Number(r)) ? Number(r) : r;
  if (Array.isArray(r)) return r.map((x) => normalize(x, resp)) as Reply[];
  if (r instanceof NilArray) return resp === 3 ? null : r;
  if (r instanceof Double) return resp === 3 ? r : formatDouble17g(r.value);
  if (r instanceof MapReply || r instanceof SetReply || r instanceof Push) {
    const items = r.items.map((x) => normalize(x, resp)) as Reply[];
    if (resp === 2) return items;
    return r instanceof MapReply ? new MapReply(items) : r instanceof SetReply ? new SetReply(items) : new Push(items);
  }
  return r;
}

function expectedOf(r: Reply, resp: 2 | 3): Out[] {
  return [{ reply: normalize(r, resp) }];
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  return out;
}
