/** The oracle-side RESP codec: every frame kind decoded whole and byte by byte. */
import { describe, expect, test } from 'vitest';
import { RespDecoder, encodeCommand } from './resp-codec.ts';
import type { Norm } from './norm.ts';

const cases: Array<[string, string, Norm]> = [
  ['simple', '+OK\r\n', { t: 'simple', v: 'OK' }],
  ['error', '-ERR bad thing\r\n', { t: 'error', v: 'ERR bad thing' }],
  ['integer', ':-9223372036854775808\r\n', { t: 'int', v: '-9223372036854775808' }],
  ['bulk', '$5\r\nhe\r\no\r\n', { t: 'bulk', v: 'he\r\no' }],
  ['binary bulk', '$3\r\n\x00\xff\x80\r\n', { t: 'bulk', v: '\x00\xff\x80' }],
  ['empty bulk', '$0\r\n\r\n', { t: 'bulk', v: '' }],
  ['nil bulk', '$-1\r\n', { t: 'nil' }],
  ['nil array', '*-1\r\n', { t: 'nilarray' }],
  ['resp3 null', '_\r\n', { t: 'nil' }],
  ['nested array', '*2\r\n*1\r\n:1\r\n$1\r\na\r\n', { t: 'array', v: [{ t: 'array', v: [{ t: 'int', v: '1' }] }, { t: 'bulk', v: 'a' }] }],
  ['empty array', '*0\r\n', { t: 'array', v: [] }],
  ['map', '%1\r\n+a\r\n:2\r\n', { t: 'map', v: [{ t: 'simple', v: 'a' }, { t: 'int', v: '2' }] }],
  ['set', '~1\r\n$1\r\nx\r\n', { t: 'set', v: [{ t: 'bulk', v: 'x' }] }],
  ['push', '>2\r\n$7\r\nmessage\r\n$1\r\nc\r\n', { t: 'push', v: [{ t: 'bulk', v: 'message' }, { t: 'bulk', v: 'c' }] }],
  ['double', ',-inf\r\n', { t: 'double', v: '-inf' }],
  ['boolean', '#t\r\n', { t: 'bool', v: true }],
  ['big number', '(123456789012345678901234567890\r\n', { t: 'bignum', v: '123456789012345678901234567890' }],
  ['verbatim', '=8\r\ntxt:abcd\r\n', { t: 'verbatim', v: 'abcd' }],
  ['blob error', '!5\r\nERR x\r\n', { t: 'error', v: 'ERR x' }],
  ['attribute then frame', '|1\r\n+k\r\n+v\r\n:7\r\n', { t: 'int', v: '7' }],
];

describe('RespDecoder', () => {
  test.each(cases)('%s, whole', (_name, wire, expected) => {
    const d = new RespDecoder();
    d.push(Buffer.from(wire, 'latin1'));
    expect(d.next()).toEqual(expected);
    expect(d.next()).toBeUndefined();
  });

  test.each(cases)('%s, byte by byte', (_name, wire, expected) => {
    const d = new RespDecoder();
    const bytes = Buffer.from(wire, 'latin1');
    for (let i = 0; i < bytes.length - 1; i++) {
      d.push(bytes.subarray(i, i + 1));
      expect(d.next(), `after ${i + 1} of ${bytes.length} bytes`).toBeUndefined();
    }
    d.push(bytes.subarray(bytes.length - 1));
    expect(d.next()).toEqual(expected);
  });

  test('several frames in one chunk', () => {
    const d = new RespDecoder();
    d.push(Buffer.from(cases.map((c) => c[1]).join(''), 'latin1'));
    for (const [, , expected] of cases) expect(d.next()).toEqual(expected);
    expect(d.next()).toBeUndefined();
  });

  test('rejects garbage', () => {
    const d = new RespDecoder();
    d.push(Buffer.from('?what\r\n'));
    expect(() => d.next()).toThrow(/unexpected byte/);
  });
});

test('encodeCommand writes an array of bulk strings, binary-safe', () => {
  expect(encodeCommand(['SET', 'k\r\n', '\x00\xff']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$2\r\n\x00\xff\r\n');
});
