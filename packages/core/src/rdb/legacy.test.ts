/**
 * Files in the formats of older Redis versions (RDB 1-9, 11, 12). No old server runs here, so
 * they are built by hand with the codec's encoders (ziplist.ts, zipmap.ts, intset.ts); each one
 * that redis-server 7.0.15 can load (versions up to 10) is also loaded there, and must hold what
 * our reader reads. The zipmap file is the exact bytes of Redis's tests/assets/hash-zipmap.rdb.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as C from './constants.ts';
import { decodeRdb } from './decoder.ts';
import { encodeIntset } from './intset.ts';
import { encodeListpack } from './listpack.ts';
import type { RdbOutput } from './output.ts';
import { encodingOf, rawRdb, rawString, shape } from './testing.ts';
import { encodeZiplist } from './ziplist.ts';
import { encodeZipmap } from './zipmap.ts';
import { redisAvailable, snapshot, startServer } from './__fixtures__/redis.mjs';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

interface Expected {
  key: string;
  type: string;
  encoding: string;
  value: unknown;
  expireAt?: number;
}

const key = (o: RdbOutput, type: number, k: string): void => {
  o.u8(type);
  o.string(k);
};

const FILES: Array<[string, Uint8Array, Expected[]]> = [
  [
    'v3 zipmap hash (tests/assets/hash-zipmap.rdb)',
    hex(`${ascii('REDIS0003')} fe 00 09 04 ${ascii('hash')} 10 02 02 ${ascii('f1')} 02 00 ${ascii('v1')} 02 ${ascii('f2')} 02 00 ${ascii('v2')} ff ff`),
    [{ key: 'hash', type: 'hash', encoding: 'listpack', value: [['f1', 'v1'], ['f2', 'v2']] }],
  ],
  [
    'v3 zipmap hash with a long value (a hashtable once loaded: zipmaps are checked entry by entry)',
    rawRdb(3, (o) => {
      key(o, C.RDB_TYPE_HASH_ZIPMAP, 'zm');
      o.blob(encodeZipmap([['f', 'v'.repeat(100)], ['g', 'w']]));
    }),
    [{ key: 'zm', type: 'hash', encoding: 'hashtable', value: [['f', 'v'.repeat(100)], ['g', 'w']] }],
  ],
  [
    'v4 encodings (plain and ziplist lists, zsets and hashes, intsets of every width, text doubles)',
    rawRdb(4, (o) => {
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      key(o, C.RDB_TYPE_STRING, 'str');
      rawString(o, 'plain');
      key(o, C.RDB_TYPE_STRING, 'lzf');
      o.string('z'.repeat(80));
      o.u8(C.RDB_OPCODE_EXPIRETIME);
      for (const b of [0x80, 0x3b, 0x40, 0x71]) o.u8(b); // 1900034944 s
      key(o, C.RDB_TYPE_STRING, 'ttl');
      o.string('-12');
      key(o, C.RDB_TYPE_LIST, 'list');
      o.len(3);
      for (const s of ['a', '1', 'c']) o.string(s);
      key(o, C.RDB_TYPE_LIST_ZIPLIST, 'zl-list');
      o.blob(encodeZiplist(['x', '-5', '1000000', '9223372036854775807', 'y'.repeat(300)]));
      key(o, C.RDB_TYPE_SET, 'set');
      o.len(2);
      o.string('m');
      o.string('n');
      key(o, C.RDB_TYPE_SET_INTSET, 'iset16');
      o.blob(encodeIntset(['-3', '7']));
      key(o, C.RDB_TYPE_SET_INTSET, 'iset32');
      o.blob(encodeIntset(['-70000', '7']));
      key(o, C.RDB_TYPE_SET_INTSET, 'iset64');
      o.blob(encodeIntset(['7', '10000000000']));
      key(o, C.RDB_TYPE_ZSET, 'zset');
      o.len(3);
      o.string('a');
      o.textDouble(1.5);
      o.string('b');
      o.textDouble(-3);
      o.string('c');
      o.textDouble(Infinity);
      key(o, C.RDB_TYPE_ZSET_ZIPLIST, 'zl-zset');
      o.blob(encodeZiplist(['one', '1', 'two', '2.25']));
      key(o, C.RDB_TYPE_HASH, 'hash');
      o.len(1);
      o.string('f');
      o.string('v');
      key(o, C.RDB_TYPE_HASH_ZIPLIST, 'zl-hash');
      o.blob(encodeZiplist(['f1', '1', 'f2', 'two']));
      // Past hash/zset-max-listpack-value: Redis keeps the compact encoding (it counts entries only).
      key(o, C.RDB_TYPE_HASH_ZIPLIST, 'zl-hash-long');
      o.blob(encodeZiplist(['f', 'v'.repeat(100)]));
      key(o, C.RDB_TYPE_ZSET_ZIPLIST, 'zl-zset-long');
      o.blob(encodeZiplist(['m'.repeat(100), '1']));
      // ... but a plain hash or zset with such an entry is built as a hashtable / skiplist.
      key(o, C.RDB_TYPE_HASH, 'hash-long');
      o.len(1);
      o.string('f');
      o.string('v'.repeat(100));
      key(o, C.RDB_TYPE_ZSET, 'zset-long');
      o.len(1);
      o.string('m'.repeat(100));
      o.textDouble(2);
    }),
    [
      { key: 'hash', type: 'hash', encoding: 'listpack', value: [['f', 'v']] },
      { key: 'hash-long', type: 'hash', encoding: 'hashtable', value: [['f', 'v'.repeat(100)]] },
      { key: 'iset16', type: 'set', encoding: 'intset', value: ['-3', '7'] },
      { key: 'iset32', type: 'set', encoding: 'intset', value: ['-70000', '7'] },
      { key: 'iset64', type: 'set', encoding: 'intset', value: ['10000000000', '7'] },
      { key: 'list', type: 'list', encoding: 'quicklist', value: ['a', '1', 'c'] },
      { key: 'lzf', type: 'string', encoding: 'raw', value: 'z'.repeat(80) },
      { key: 'set', type: 'set', encoding: 'hashtable', value: ['m', 'n'] },
      { key: 'str', type: 'string', encoding: 'embstr', value: 'plain' },
      { key: 'ttl', type: 'string', encoding: 'int', value: '-12', expireAt: 1900034944000 },
      { key: 'zl-hash', type: 'hash', encoding: 'listpack', value: [['f1', '1'], ['f2', 'two']] },
      { key: 'zl-hash-long', type: 'hash', encoding: 'listpack', value: [['f', 'v'.repeat(100)]] },
      { key: 'zl-list', type: 'list', encoding: 'quicklist', value: ['x', '-5', '1000000', '9223372036854775807', 'y'.repeat(300)] },
      { key: 'zl-zset', type: 'zset', encoding: 'listpack', value: [['one', '1'], ['two', '2.25']] },
      { key: 'zl-zset-long', type: 'zset', encoding: 'listpack', value: [['m'.repeat(100), '1']] },
      { key: 'zset', type: 'zset', encoding: 'listpack', value: [['b', '-3'], ['a', '1.5'], ['c', 'inf']] },
      { key: 'zset-long', type: 'zset', encoding: 'skiplist', value: [['m'.repeat(100), '2']] },
    ],
  ],
  [
    'v7 quicklist of ziplists (one LZF-compressed), AUX and RESIZEDB',
    rawRdb(7, (o) => {
      o.u8(C.RDB_OPCODE_AUX);
      o.string('redis-ver');
      o.string('3.2.0');
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      o.u8(C.RDB_OPCODE_RESIZEDB);
      o.len(1);
      o.len(0);
      key(o, C.RDB_TYPE_LIST_QUICKLIST, 'ql');
      o.len(2);
      o.blob(encodeZiplist(['a'.repeat(40), '12', 'a'.repeat(40)]));
      o.blob(encodeZiplist(['tail']));
    }),
    [{ key: 'ql', type: 'list', encoding: 'quicklist', value: ['a'.repeat(40), '12', 'a'.repeat(40), 'tail'] }],
  ],
  [
    'v8 binary-double zset and 64-bit-free lengths',
    rawRdb(8, (o) => {
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      key(o, C.RDB_TYPE_ZSET_2, 'z2');
      o.len(3);
      o.string('b');
      o.binaryDouble(0.1);
      o.string('a');
      o.binaryDouble(-Infinity);
      o.string('c');
      o.binaryDouble(1e300);
    }),
    [{ key: 'z2', type: 'zset', encoding: 'listpack', value: [['a', '-inf'], ['b', '0.10000000000000001'], ['c', '1.0000000000000001e+300']] }],
  ],
  [
    'v9 IDLE and FREQ opcodes',
    rawRdb(9, (o) => {
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      o.u8(C.RDB_OPCODE_IDLE);
      o.len(100);
      key(o, C.RDB_TYPE_STRING, 'a');
      o.string('1');
      o.u8(C.RDB_OPCODE_FREQ);
      o.u8(5);
      key(o, C.RDB_TYPE_STRING, 'b');
      o.string('2');
    }),
    [
      { key: 'a', type: 'string', encoding: 'int', value: '1' },
      { key: 'b', type: 'string', encoding: 'int', value: '2' },
    ],
  ],
];

/** Versions past 7.0's, which redis-server 7.0.15 refuses: checked with our reader only. */
const NEWER: Array<[string, Uint8Array, Expected[]]> = [
  [
    'v11 listpack set',
    rawRdb(11, (o) => {
      key(o, C.RDB_TYPE_SET_LISTPACK, 'lps');
      o.blob(encodeListpack(['a', '1', 'b']));
      key(o, C.RDB_TYPE_SET_LISTPACK, 'lpi');
      o.blob(encodeListpack(['3', '1', '2']));
    }),
    [
      { key: 'lpi', type: 'set', encoding: 'intset', value: ['1', '2', '3'] },
      { key: 'lps', type: 'set', encoding: 'hashtable', value: ['1', 'a', 'b'] },
    ],
  ],
  [
    'v12 SLOT_INFO',
    rawRdb(12, (o) => {
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      o.u8(C.RDB_OPCODE_SLOT_INFO);
      o.len(866);
      o.len(1);
      o.len(0);
      key(o, C.RDB_TYPE_STRING, 'k');
      o.string('v');
    }),
    [{ key: 'k', type: 'string', encoding: 'embstr', value: 'v' }],
  ],
];

function ours(bytes: Uint8Array): Expected[] {
  return decodeRdb(bytes)
    .records.map((r) => {
      const e: Expected = { key: r.key, type: typeof r.value === 'string' ? 'string' : r.value.type, encoding: encodingOf(r.value), value: shape(r.value) };
      if (r.expireAt !== -1) e.expireAt = r.expireAt;
      return e;
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

describe.each([...FILES, ...NEWER])('legacy file: %s', (_, bytes, expected) => {
  it('reads as Redis would', () => {
    expect(ours(bytes)).toEqual(expected);
  });
});

describe.runIf(redisAvailable())('legacy files loaded by redis-server 7.0.15', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'larder-rdb-legacy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FILES)('%s', async (_, bytes) => {
    writeFileSync(join(dir, 'legacy.rdb'), bytes);
    const srv = await startServer(dir, ['--dbfilename', 'legacy.rdb']);
    try {
      const theirs = (await snapshot(srv, 1)).map(({ key: k, type, encoding, value, expireAt }) => {
        const e: Expected = { key: k, type, encoding, value };
        if (expireAt !== -1) e.expireAt = expireAt;
        return e;
      });
      expect(ours(bytes)).toEqual(theirs);
    } finally {
      await srv.stop();
    }
  }, 30_000);
});
