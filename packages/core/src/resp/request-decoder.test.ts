import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binaryToBytes, bytesToBinary } from '../bytes.ts';
import { ReplyError } from '../reply/errors.ts';
import { RequestDecoder } from './request-decoder.ts';
import { encodeCommand } from './writer.ts';

/** Everything a decoder yields for `chunks`: commands, then the error text if one was thrown. */
function decode(chunks: Uint8Array[], maxBulkLen?: number): Array<string[] | string> {
  const d = new RequestDecoder(maxBulkLen === undefined ? {} : { maxBulkLen });
  const out: Array<string[] | string> = [];
  for (const chunk of chunks) {
    d.feed(chunk);
    for (;;) {
      let argv: string[] | undefined;
      try {
        argv = d.next();
      } catch (e) {
        if (!(e instanceof ReplyError)) throw e;
        out.push(e.message);
        return out;
      }
      if (argv === undefined) break;
      out.push(argv);
    }
  }
  return out;
}

const whole = (s: string) => decode([binaryToBytes(s)]);
const byteByByte = (s: string) => decode([...binaryToBytes(s)].map((b) => Uint8Array.of(b)));

const K = 64 * 1024;

// Expected results checked against redis-server 7.0.15 by sending the same bytes.
const cases: Array<[name: string, input: string, expected: Array<string[] | string>]> = [
  ['multibulk', '*2\r\n$4\r\nECHO\r\n$3\r\nfoo\r\n', [['ECHO', 'foo']]],
  ['pipelined', '*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n', [['PING'], ['PING']]],
  ['empty bulk', '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', [['ECHO', '']]],
  ['binary bulk', '*2\r\n$3\r\nSET\r\n$4\r\n\x00\r\n\xff\r\n', [['SET', '\x00\r\n\xff']]],
  ['negative count is skipped', '*-5\r\n*0\r\n*1\r\n$4\r\nPING\r\n', [['PING']]],
  ['bytes after the payload are not checked', '*1\r\n$4\r\nPINGXY*1\r\n$4\r\nPING\r\n', [['PING'], ['PING']]],
  ['byte after CR is not checked', '*1\rX$4\r\nPING\r\n', [['PING']]],
  ['inline', 'SET a b\r\n', [['SET', 'a', 'b']]],
  ['inline LF only', 'PING\nPING\n', [['PING'], ['PING']]],
  ['inline blank lines skipped', '\r\n   \r\n  PING   \r\n', [['PING']]],
  ['inline CR splits args', 'PING\rPING\r\n', [['PING', 'PING']]],
  ['inline quotes', 'ECHO "a\\"b" \'c\\\'d\' "\\x41\\n"\r\n', [['ECHO', 'a"b', "c'd", 'A\n']]],
  ['inline empty quotes', 'ECHO ""\r\n', [['ECHO', '']]],
  ['inline high bytes', 'ECHO \xff\xfe\r\n', [['ECHO', '\xff\xfe']]],
  ['inline vertical tab is not a separator', 'ECHO\x0ba\r\n', [['ECHO\x0ba']]],
  ['unbalanced quotes', 'PING\r\nPING "a\r\nPING\r\n', [['PING'], 'ERR Protocol error: unbalanced quotes in request']],
  ['text after closing quote', 'ECHO "a"b\r\n', ['ERR Protocol error: unbalanced quotes in request']],
  ['count not a number', '*x\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['empty count', '*\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['count with plus', '*+1\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['count with leading zero', '*01\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['count over INT_MAX', '*2147483648\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['count past int64', '*-9223372036854775809\r\n', ['ERR Protocol error: invalid multibulk length']],
  ['count at int64 min is empty', '*-9223372036854775808\r\nPING\r\n', [['PING']]],
  ['count INT_MAX waits', '*2147483647\r\n', []],
  ['expected $', '*1\r\nX\r\n', ["ERR Protocol error: expected '$', got 'X'"]],
  ['expected $ got CR', '*1\r\n\r\n', ["ERR Protocol error: expected '$', got '\r'"]],
  ['bulk length not a number', '*1\r\n$x\r\n', ['ERR Protocol error: invalid bulk length']],
  ['bulk length negative', '*1\r\n$-1\r\n', ['ERR Protocol error: invalid bulk length']],
  ['bulk length leading zero', '*1\r\n$04\r\nPING\r\n', ['ERR Protocol error: invalid bulk length']],
  ['bulk length over proto-max-bulk-len', '*1\r\n$536870913\r\n', ['ERR Protocol error: invalid bulk length']],
  ['commands before an error are returned', 'PING\r\n*x\r\nPING\r\n', [['PING'], 'ERR Protocol error: invalid multibulk length']],
  ['NUL before the line end waits', '*1\r\n\x00$4\r\nPING\r\n', []],
  ['NUL in an inline line waits', 'ECHO a\x00b\r\n', []],
  ['inline at the limit waits', 'a'.repeat(K), []],
  ['inline over the limit', 'a'.repeat(K + 1), ['ERR Protocol error: too big inline request']],
  ['long inline with newline is fine', `ECHO ${'a'.repeat(K + 1)}\r\n`, [['ECHO', 'a'.repeat(K + 1)]]],
  ['count line over the limit', `*${'1'.repeat(K + 1)}`, ['ERR Protocol error: too big mbulk count string']],
  ['bulk count at the limit waits', `*1\r\n$${'1'.repeat(K - 1)}`, []],
  ['bulk count over the limit', `*1\r\n$${'1'.repeat(K)}`, ['ERR Protocol error: too big bulk count string']],
  ['incomplete', '*2\r\n$4\r\nECHO\r\n$3\r\nfo', []],
];

describe('RequestDecoder', () => {
  for (const [name, input, expected] of cases) {
    it(`${name} (whole)`, () => expect(whole(input)).toStrictEqual(expected));
    // Byte by byte is quadratic only for the 64 KiB cases' error checks; keep it for the rest.
    if (input.length < 1024) it(`${name} (byte by byte)`, () => expect(byteByByte(input)).toStrictEqual(expected));
  }

  it('applies proto-max-bulk-len', () => {
    expect(decode([binaryToBytes('*1\r\n$11\r\nhello world\r\n')], 10)).toStrictEqual(['ERR Protocol error: invalid bulk length']);
    expect(decode([binaryToBytes('*1\r\n$10\r\nhelloworld\r\n')], 10)).toStrictEqual([['helloworld']]);
  });

  it('stays failed after an error', () => {
    const d = new RequestDecoder();
    d.feed(binaryToBytes('*x\r\n'));
    expect(() => d.next()).toThrow('invalid multibulk length');
    d.feed(binaryToBytes('PING\r\n'));
    expect(() => d.next()).toThrow('invalid multibulk length');
  });

  it('reads a large bulk arriving in small chunks', () => {
    const value = 'v'.repeat(1 << 20);
    const bytes = encodeCommand(['SET', 'k', value]);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.slice(i, i + 1000));
    expect(decode(chunks)).toStrictEqual([['SET', 'k', value]]);
  });

  it('decodes any commands split anywhere', () => {
    const arg = fc.uint8Array({ maxLength: 40 }).map((b) => bytesToBinary(b));
    const command = fc.array(arg, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (commands, cuts) => {
        const bytes = concat(commands.map((c) => encodeCommand(c)));
        expect(decode(split(bytes, cuts))).toStrictEqual(commands);
      }),
    );
  });

  it('decodes inline commands split anywhere', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,10}$/);
    const line = fc.array(word, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const bytes = binaryToBytes(lines.map((l) => `${l.join(' ')}\r\n`).join(''));
        expect(decode(split(bytes, cuts))).toStrictEqual(lines);
      }),
    );
  });

  it('never throws anything but a protocol error, and always returns', () => {
    const noisy = fc.array(
      fc.oneof(
        fc.uint8Array({ maxLength: 20 }),
        fc.constantFrom('*', '$', '\r\n', '*2\r\n', '$3\r\n', '-1', '"', "'", '\\x4', '\x00', ' ').map(binaryToBytes),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(noisy, (parts) => {
        const out = decode(parts);
        for (const item of out) if (typeof item === 'string') expect(item).toMatch(/^ERR Protocol error: /);
      }),
    );
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `bytes` at the given offsets (taken modulo its length). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  return out;
}
