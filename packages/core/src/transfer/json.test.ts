import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBin, decodeName, encodeBin, encodeName, encodeScore, fromBase64, putName, scoreArg, toBase64 } from './json.ts';

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
/** Byte strings biased towards UTF-8 text (valid multi-byte sequences) as well as arbitrary bytes. */
const bytes = fc.oneof(
  fc.string({ unit: byte, maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
  fc.string({ maxLength: 12 }).map((s) => `base64:${s}`),
);

// The Buffer-based encoding the CLI used before the move to core: the format must stay byte-identical.
const nodeText = (b: string): string | undefined => {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(b)) return b;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b, 'latin1'));
  } catch {
    return undefined;
  }
};
const nodeB64 = (b: string): string => Buffer.from(b, 'latin1').toString('base64');
const nodeBin = (b: string): unknown => (nodeText(b) === undefined ? { base64: nodeB64(b) } : nodeText(b));
const nodeName = (b: string): string => {
  const t = nodeText(b);
  return t === undefined || t.startsWith('base64:') ? `base64:${nodeB64(b)}` : t;
};

describe('JSON encoding of byte strings', () => {
  it.each<[string, unknown, string]>([
    ['plain', 'plain', 'plain'],
    ['', '', ''],
    ['h\xc3\xa9', 'hé', 'hé'],
    ['\xf0\x9f\x98\x80', '😀', '😀'],
    ['\xff\x00', { base64: '/wA=' }, 'base64:/wA='],
    ['\xc3', { base64: 'ww==' }, 'base64:ww=='],
    ['\xed\xa0\x80', { base64: '7aCA' }, 'base64:7aCA'], // a UTF-16 surrogate as UTF-8: not valid UTF-8
    ['base64:x', 'base64:x', 'base64:YmFzZTY0Ong='],
    ['__proto__', '__proto__', '__proto__'],
  ])('%j', (b, bin, name) => {
    expect(encodeBin(b)).toEqual(bin);
    expect(encodeName(b)).toBe(name);
    expect(decodeBin(bin, 'x')).toBe(b);
    expect(decodeName(name)).toBe(b);
  });

  it('is what the Buffer-based CLI encoding wrote, byte for byte', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(JSON.stringify(encodeBin(b))).toBe(JSON.stringify(nodeBin(b)));
        expect(encodeName(b)).toBe(nodeName(b));
        expect(toBase64(b)).toBe(nodeB64(b));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any bytes as a value and as a name', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(decodeBin(JSON.parse(JSON.stringify(encodeBin(b))), 'x')).toBe(b);
        expect(decodeName(JSON.parse(JSON.stringify(encodeName(b))) as string)).toBe(b);
        expect(fromBase64(toBase64(b))).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes text to its UTF-8 bytes, lone surrogates as U+FFFD', () => {
    expect(decodeBin('é\ud800', 'x')).toBe('\xc3\xa9\xef\xbf\xbd');
    expect(decodeName('€')).toBe('\xe2\x82\xac');
  });

  it.each<[unknown, RegExp]>([
    [5, /^at: expected a string or \{"base64": \.\.\.\}$/],
    [null, /expected a string/],
    [{ b64: 'AA==' }, /expected a string/],
    [{ base64: '!!' }, /^at: invalid base64 "!!"$/],
  ])('refuses %j as a value', (bin, message) => {
    expect(() => decodeBin(bin, 'at')).toThrow(message);
  });

  it('refuses a name whose base64 is invalid, saying where', () => {
    expect(() => decodeName('base64:a', 'db 0 key "base64:a"')).toThrow('db 0 key "base64:a": invalid base64 "a"');
  });
});

describe('scores', () => {
  it.each<[number, unknown, string]>([
    [1.5, 1.5, '1.5'],
    [-0, -0, '0'],
    [Infinity, 'inf', 'inf'],
    [-Infinity, '-inf', '-inf'],
    [0.1 + 0.2, 0.30000000000000004, '0.30000000000000004'],
  ])('%s', (s, json, arg) => {
    expect(encodeScore(s)).toBe(json);
    expect(scoreArg(json, 'x')).toBe(arg);
  });

  it.each([['x'], [NaN], [null], ['+inf']])('refuses %j', (s) => {
    expect(() => scoreArg(s, 'here')).toThrow('here: a score is a number, "inf" or "-inf"');
  });
});

describe('putName', () => {
  it('keeps "__proto__" as an own property that JSON writes and reads back', () => {
    const o: Record<string, number> = {};
    putName(o, '__proto__', 1);
    putName(o, 'a', 2);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    const text = JSON.stringify(o);
    expect(text).toBe('{"__proto__":1,"a":2}');
    expect(Object.entries(JSON.parse(text) as object)).toEqual([['__proto__', 1], ['a', 2]]);
  });
});
