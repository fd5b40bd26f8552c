/**
 * Damaged files: whatever the bytes, the reader either reads a file or fails with RdbError
 * (code CORRUPT, a byte offset inside the input); it never throws anything else, never
 * allocates what a damaged length claims, and never hangs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRdbDecoder, decodeRdb } from './decoder.ts';
import { RdbError } from './errors.ts';
import { encodeRdb, type DatasetEntry } from './encoder.ts';
import { buildValue } from './testing.ts';

const dir = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const golden = (name: string): Uint8Array => new Uint8Array(readFileSync(dir + name + '.rdb'));

/** A dataset of every encoding, written without a checksum so damage is not caught by the CRC. */
function unchecked(): Uint8Array {
  const db = new Map<string, DatasetEntry>();
  const add = (k: string, v: Parameters<typeof buildValue>[0], expireAt = -1): void => {
    db.set(k, { value: buildValue(v)!, expireAt });
  };
  add('s', { t: 'string', v: 'hello world, hello world, hello world' }, 1900000000000);
  add('n', { t: 'string', v: '-12345' });
  add('l', { t: 'list', items: ['a', '1', '70000', 'b'.repeat(30)] });
  add('is', { t: 'set', members: ['1', '2', '300000'] });
  add('ss', { t: 'set', members: ['x', 'y'] });
  add('h', { t: 'hash', pairs: [['f', 'v'], ['n', '7']] });
  add('hh', { t: 'hash', pairs: [['f', 'v'.repeat(70)]] });
  add('z', { t: 'zset', pairs: [['a', 1], ['b', 2.5]] });
  add('zz', { t: 'zset', pairs: [['m'.repeat(70), -1]] });
  return encodeRdb([db], { checksum: false });
}

const inputs: Array<[string, Uint8Array]> = [
  ['redis-7.0.15-types (CRC on)', golden('redis-7.0.15-types')],
  ['redis-7.0.15-nocompress-nochecksum', golden('redis-7.0.15-nocompress-nochecksum')],
  ['every encoding, no CRC', unchecked()],
];

function expectReadOrCorrupt(bytes: Uint8Array): void {
  try {
    decodeRdb(bytes);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    expect(e.code).toBe('CORRUPT');
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe.each(inputs)('fuzzing %s', (_, original) => {
  it('survives overwritten bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = original.slice();
        for (const [at, v] of edits) bytes[at % bytes.length] = v;
        expectReadOrCorrupt(bytes);
      }),
      { numRuns: 600 },
    );
  }, 60_000);

  it('survives inserted, deleted and truncated ranges', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(40), fc.uint8Array({ maxLength: 12 }), (at, drop, insert) => {
        const p = at % (original.length + 1);
        const bytes = new Uint8Array([...original.subarray(0, p), ...insert, ...original.subarray(Math.min(original.length, p + drop))]);
        expectReadOrCorrupt(bytes);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never mistakes damage for success when the file carries a CRC', () => {
    if (original[original.length - 1] === 0 && original[original.length - 8] === 0) return;
    fc.assert(
      // Damage between the magic and the trailer is caught, by the parser or by the CRC. (Damage
      // to the version digits can make a valid pre-v5 file, which has no CRC, as with Redis's atoi.)
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bytes = original.slice();
        bytes[9 + (at % (original.length - 17))]! ^= x;
        expect(() => decodeRdb(bytes)).toThrow(RdbError);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('fuzzing the stream itself', () => {
  it('survives random bytes after a valid header, streamed in chunks', () => {
    fc.assert(
      fc.property(fc.constantFrom('REDIS0009', 'REDIS0010', 'REDIS0003'), fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (magic, rest, chunk) => {
        const bytes = new Uint8Array([...Array.from(magic, (c) => c.charCodeAt(0)), ...rest]);
        try {
          const dec = createRdbDecoder({ record: () => {} });
          for (let p = 0; p < bytes.length; p += chunk) dec.push(bytes.subarray(p, p + chunk));
          dec.end();
        } catch (e) {
          if (!(e instanceof RdbError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('does not allocate or wait for what a huge length claims', () => {
    // A string claiming 2^40 bytes, an LZF string claiming 2^31 bytes out of 3, a list of 2^32 elements.
    const head = Array.from('REDIS0009', (c) => c.charCodeAt(0));
    for (const body of [
      [0x00, 0x01, 0x6b, 0x81, 0, 0, 1, 0, 0, 0, 0, 0],
      [0x00, 0x01, 0x6b, 0xc3, 0x03, 0x80, 0x80, 0, 0, 0, 0x01, 0x61, 0x61],
      [0x01, 0x01, 0x6b, 0x80, 0xff, 0xff, 0xff, 0xff, 0x01, 0x61],
    ]) {
      expect(() => decodeRdb(Uint8Array.from([...head, ...body]))).toThrow(RdbError);
    }
  });
});
