import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as C from './constants.ts';
import { createRdbDecoder, decodeRdb, type RdbRecord } from './decoder.ts';
import { RdbError } from './errors.ts';
import { encodeIntset } from './intset.ts';
import { encodeListpack } from './listpack.ts';
import { encodeZiplist } from './ziplist.ts';
import type { ZSetValue } from '../types/zset/zset.ts';
import type { RdbOutput } from './output.ts';
import { rawRdb, rawString, shape } from './testing.ts';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The error a decode fails with (the test fails if it succeeds or throws anything else). */
function failure(bytes: Uint8Array): RdbError {
  try {
    decodeRdb(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('CORRUPT');
    return e as RdbError;
  }
  throw new Error('decoded without error');
}

const str = (o: RdbOutput, key: string, value: string): void => {
  o.u8(C.RDB_TYPE_STRING);
  o.string(key);
  o.string(value);
};

const one = (bytes: Uint8Array): RdbRecord => {
  const d = decodeRdb(bytes);
  expect(d.records).toHaveLength(1);
  return d.records[0]!;
};

describe('RDB header and trailer', () => {
  it.each([13, 99, 0])("refuses version %i with Redis's message", (v) => {
    const e = failure(ascii(`REDIS${String(v).padStart(4, '0')}\xff`));
    expect(e.reason).toBe(`Can't handle RDB format version ${v}`);
    expect(e.message).toBe(`Can't handle RDB format version ${v} (at offset 0)`);
    expect(e.offset).toBe(0);
  });

  it('refuses a wrong signature', () => {
    expect(failure(ascii('REDIX0009\xff')).message).toContain('Wrong signature trying to load DB from file');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('reads version %i', (v) => {
    const d = decodeRdb(rawRdb(v, (o) => str(o, 'k', 'v')));
    expect(d.version).toBe(v);
    expect(d.records.map((r) => [r.key, r.value])).toEqual([['k', 'v']]);
    expect(d.checksum).toBe(v >= 5 ? d.checksum : undefined);
  });

  it('verifies the CRC64, naming both values and where the trailer is', () => {
    const bytes = rawRdb(9, (o) => str(o, 'k', 'v'), 'bad');
    const e = failure(bytes);
    expect(e.message).toMatch(/^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\./);
    // Redis 7.0.15's order: expected = the CRC computed over the file, got = the one stored in it.
    const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getBigUint64(0, true);
    expect(/but got \(([0-9a-f]+)\)/.exec(e.message)?.[1]).toBe(stored.toString(16));
    expect(e.offset).toBe(bytes.length - 8);
    expect(decodeRdb(bytes, { verifyChecksum: false }).keys).toBe(1);
  });

  it('does not check a zero CRC (rdbchecksum no)', () => {
    const d = decodeRdb(rawRdb(9, (o) => str(o, 'k', 'v'), 'zero'));
    expect(d.checksum).toBe(0n);
    expect(d.keys).toBe(1);
  });

  it('reports a cut file as a short read at its end, wherever it is cut', () => {
    const bytes = rawRdb(10, (o) => {
      o.u8(C.RDB_OPCODE_AUX);
      o.string('redis-ver');
      o.string('7.0.15');
      o.u8(C.RDB_OPCODE_SELECTDB);
      o.len(0);
      o.u8(C.RDB_OPCODE_EXPIRETIME_MS);
      o.millis(1900000000000);
      str(o, 'key', 'x'.repeat(100));
      o.u8(C.RDB_TYPE_HASH_LISTPACK);
      o.string('h');
      o.blob(encodeListpack(['f', 'v']));
    });
    for (let n = 0; n < bytes.length; n++) {
      const e = failure(bytes.subarray(0, n));
      expect(e.message).toContain('Short read or OOM loading DB');
      expect(e.offset).toBe(n);
    }
  });

  it('hands back what follows the trailer (an AOF preamble tail)', () => {
    const rdb = rawRdb(10, (o) => str(o, 'k', 'v'));
    const resp = ascii('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n');
    const file = new Uint8Array([...rdb, ...resp]);
    for (const cut of [1, rdb.length - 3, rdb.length, rdb.length + 5]) {
      // A caller pushes until the decoder is done; `rest` and the chunks it did not push are the tail.
      const dec = createRdbDecoder({ record: () => {} });
      const chunks = [file.subarray(0, cut), file.subarray(cut)];
      let tail: number[] = [];
      for (const c of chunks) {
        if (dec.done) tail.push(...c);
        else if (dec.push(c)) tail = [...dec.rest];
      }
      if (!dec.done) {
        dec.end();
        tail = [...dec.rest];
      }
      expect(Uint8Array.from(tail)).toEqual(resp);
    }
  });

  it('ends at EOF before version 5 (no CRC)', () => {
    const bytes = rawRdb(4, (o) => str(o, 'k', 'v'));
    expect(bytes[bytes.length - 1]).toBe(C.RDB_OPCODE_EOF);
    expect(decodeRdb(new Uint8Array([...bytes, 1, 2, 3])).keys).toBe(1);
  });
});

describe('RDB opcodes', () => {
  it('applies EXPIRETIME_MS, EXPIRETIME, IDLE and FREQ to the next key only', () => {
    const d = decodeRdb(
      rawRdb(9, (o) => {
        o.u8(C.RDB_OPCODE_EXPIRETIME_MS);
        o.millis(1900000000123);
        o.u8(C.RDB_OPCODE_IDLE);
        o.len(3600);
        str(o, 'a', '1');
        o.u8(C.RDB_OPCODE_EXPIRETIME);
        for (const b of [0x80, 0x3b, 0x40, 0x71]) o.u8(b); // 1900034944 s, little-endian
        o.u8(C.RDB_OPCODE_FREQ);
        o.u8(7);
        str(o, 'b', '2');
        str(o, 'c', '3');
      }),
    );
    expect(d.records).toEqual([
      { db: 0, key: 'a', value: '1', expireAt: 1900000000123, type: 0, idle: 3600 },
      { db: 0, key: 'b', value: '2', expireAt: 1900034944000, type: 0, freq: 7 },
      { db: 0, key: 'c', value: '3', expireAt: -1, type: 0 },
    ]);
  });

  it('reads expiry times before 1970 and past 2^32 seconds', () => {
    for (const ms of [-1, -1234567890123, 2 ** 40 * 1000 + 7]) {
      expect(one(rawRdb(9, (o) => (o.u8(C.RDB_OPCODE_EXPIRETIME_MS), o.millis(ms), str(o, 'k', 'v')))).expireAt).toBe(ms);
    }
  });

  it('writes a time held as 2^63 (a PXAT of INT64_MAX) as INT64_MAX, which reads back as 2^63', () => {
    const bytes = rawRdb(9, (o) => (o.u8(C.RDB_OPCODE_EXPIRETIME_MS), o.millis(2 ** 63), str(o, 'k', 'v')));
    const at = bytes.indexOf(C.RDB_OPCODE_EXPIRETIME_MS, 9);
    expect([...bytes.subarray(at + 1, at + 9)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect(one(bytes).expireAt).toBe(2 ** 63);
  });

  it('switches databases, interleaved too, and passes RESIZEDB hints; ignores SLOT_INFO', () => {
    const seen: string[] = [];
    const records: RdbRecord[] = [];
    const dec = createRdbDecoder({
      record: (r) => records.push(r),
      selectDb: (db) => seen.push(`select ${db}`),
      resizeDb: (db, size, expires) => seen.push(`resize ${db} ${size} ${expires}`),
    });
    dec.push(
      rawRdb(12, (o) => {
        o.u8(C.RDB_OPCODE_SELECTDB);
        o.len(0);
        o.u8(C.RDB_OPCODE_RESIZEDB);
        o.len(2);
        o.len(1);
        o.u8(C.RDB_OPCODE_SLOT_INFO);
        o.len(100);
        o.len(2);
        o.len(1);
        str(o, 'a', '1');
        o.u8(C.RDB_OPCODE_SELECTDB);
        o.len(15);
        str(o, 'b', '2');
        o.u8(C.RDB_OPCODE_SELECTDB);
        o.len(0);
        str(o, 'c', '3');
      }),
    );
    dec.end();
    expect(seen).toEqual(['select 0', 'resize 0 2 1', 'select 15', 'select 0']);
    expect(records.map((r) => `${r.db}:${r.key}`)).toEqual(['0:a', '15:b', '0:c']);
  });

  it('refuses a database past the configured count', () => {
    const bytes = rawRdb(9, (o) => (o.u8(C.RDB_OPCODE_SELECTDB), o.len(16)));
    expect(failure(bytes).message).toContain('configured to handle more than 16 databases');
    expect(decodeRdb(bytes, { databases: 17 }).keys).toBe(0);
  });

  it('passes AUX fields through, unknown ones included, and keeps FUNCTION2 sources', () => {
    const d = decodeRdb(
      rawRdb(10, (o) => {
        for (const [k, v] of [['redis-ver', '7.0.15'], ['redis-bits', '64'], ['lua', 'return 1'], ['%future', 'x']]) {
          o.u8(C.RDB_OPCODE_AUX);
          o.string(k!);
          o.string(v!);
        }
        o.u8(C.RDB_OPCODE_FUNCTION2);
        o.string('#!lua name=lib\nredis.register_function("f", function() return 1 end)');
      }),
    );
    expect(d.aux).toEqual([['redis-ver', '7.0.15'], ['redis-bits', '64'], ['lua', 'return 1'], ['%future', 'x']]);
    expect(d.functions).toEqual(['#!lua name=lib\nredis.register_function("f", function() return 1 end)']);
  });

  it('fails on MODULE_AUX, naming the module', () => {
    // Module id: name "mymodule1" in 6-bit characters, then a 10-bit encoding version.
    const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = 0n;
    for (const c of 'mymodule1') id = (id << 6n) | BigInt(charset.indexOf(c));
    id = (id << 10n) | 1n;
    const bytes = rawRdb(9, (o) => {
      o.u8(C.RDB_OPCODE_MODULE_AUX);
      o.u8(C.RDB_64BITLEN);
      for (let i = 7; i >= 0; i--) o.u8(Number((id >> BigInt(8 * i)) & 0xffn));
    });
    const e = failure(bytes);
    expect(e.message).toContain("no matching module 'mymodule1'");
    expect(e.offset).toBe(9);
  });

  it('refuses the 7.0 release-candidate function format', () => {
    expect(failure(rawRdb(10, (o) => o.u8(C.RDB_OPCODE_FUNCTION_PRE_GA))).message).toContain('Pre-release function format not supported');
  });
});

describe('RDB values', () => {
  it.each([
    [C.RDB_TYPE_STREAM_LISTPACKS, 'stream'],
    [C.RDB_TYPE_STREAM_LISTPACKS_2, 'stream-v2'],
    [C.RDB_TYPE_STREAM_LISTPACKS_3, 'stream-v3'],
    [C.RDB_TYPE_MODULE_2, 'module-value'],
    [C.RDB_TYPE_HASH_METADATA, 'hash-hashtable-md'],
    [C.RDB_TYPE_HASH_LISTPACK_EX, 'hash-listpack-md'],
    [C.RDB_TYPE_HASH_METADATA_PRE_GA, 'hash-hashtable-md-pre-release'],
    [C.RDB_TYPE_HASH_LISTPACK_EX_PRE_GA, 'hash-listpack-md-pre-release'],
  ])('fails on type %i naming the key and the type', (type, name) => {
    const bytes = rawRdb(12, (o) => {
      str(o, 'before', 'x');
      o.u8(type);
      o.string('my\x00key');
      o.len(0);
    });
    const e = failure(bytes);
    expect(e.message).toContain(`Key 'my\\x00key' has RDB type ${type} (${name}), which Larder cannot load`);
  });

  it.each([8, 26, 243])('fails on unknown type byte %i', (type) => {
    expect(failure(rawRdb(9, (o) => (o.u8(type), o.string('k')))).message).toMatch(/Unknown RDB encoding type \d+|Unknown length/);
  });

  it('skips empty collections, counting them', () => {
    const d = decodeRdb(
      rawRdb(11, (o) => {
        for (const t of [C.RDB_TYPE_LIST, C.RDB_TYPE_SET, C.RDB_TYPE_ZSET_2, C.RDB_TYPE_HASH, C.RDB_TYPE_LIST_QUICKLIST_2]) {
          o.u8(t);
          o.string(`empty${t}`);
          o.len(0);
        }
        for (const t of [C.RDB_TYPE_HASH_LISTPACK, C.RDB_TYPE_ZSET_LISTPACK, C.RDB_TYPE_SET_LISTPACK]) {
          o.u8(t);
          o.string(`empty${t}`);
          o.blob(encodeListpack([]));
        }
        // A quicklist whose only node is an empty listpack.
        o.u8(C.RDB_TYPE_LIST_QUICKLIST_2);
        o.string('emptynodes');
        o.len(1);
        o.len(C.QUICKLIST_NODE_CONTAINER_PACKED);
        o.blob(encodeListpack([]));
        str(o, 'kept', 'v');
      }),
    );
    expect(d.emptyKeys).toBe(9);
    expect(d.records.map((r) => r.key)).toEqual(['kept']);
  });

  it('reads every string encoding and a 64-bit length', () => {
    const d = decodeRdb(
      rawRdb(9, (o) => {
        o.u8(C.RDB_TYPE_LIST);
        o.string('l');
        o.len(6);
        for (const s of ['-128', '-32768', '-2147483648', 'z'.repeat(100), '']) o.string(s);
        o.u8(C.RDB_64BITLEN);
        for (const b of [0, 0, 0, 0, 0, 0, 0, 3]) o.u8(b);
        o.latin1('abc');
      }),
    );
    expect(shape(d.records[0]!.value)).toEqual(['-128', '-32768', '-2147483648', 'z'.repeat(100), '', 'abc']);
  });

  it('reads old text-double zsets, with the NaN/inf length codes', () => {
    const r = one(
      rawRdb(4, (o) => {
        o.u8(C.RDB_TYPE_ZSET);
        o.string('z');
        o.len(3);
        o.string('a');
        o.textDouble(1.5);
        o.string('b');
        o.textDouble(Infinity);
        o.string('c');
        o.textDouble(-Infinity);
      }),
    );
    expect(shape(r.value)).toEqual([['c', '-inf'], ['a', '1.5'], ['b', 'inf']]);
    const nan = rawRdb(4, (o) => (o.u8(C.RDB_TYPE_ZSET), o.string('z'), o.len(1), o.string('a'), o.textDouble(NaN)));
    expect(failure(nan).message).toContain('Zset with NAN score detected');
  });

  it.each([
    ['set members', C.RDB_TYPE_SET, (o: RdbOutput) => (o.len(2), o.string('a'), o.string('a')), 'Duplicate set members detected'],
    ['hash fields', C.RDB_TYPE_HASH, (o: RdbOutput) => (o.len(2), o.string('f'), o.string('1'), o.string('f'), o.string('2')), 'Duplicate hash fields detected'],
    ['zset members', C.RDB_TYPE_ZSET_2, (o: RdbOutput) => (o.len(2), o.string('m'), o.binaryDouble(1), o.string('m'), o.binaryDouble(2)), 'Duplicate zset fields detected'],
    ['listpack hash fields', C.RDB_TYPE_HASH_LISTPACK, (o: RdbOutput) => o.blob(encodeListpack(['f', '1', 'f', '2'])), 'Duplicate hash fields detected'],
  ])('refuses duplicate %s', (_, type, body, message) => {
    expect(failure(rawRdb(10, (o) => (o.u8(type), o.string('k'), body(o)))).message).toContain(message);
  });

  it.each([
    ['an intset', C.RDB_TYPE_SET_INTSET, () => encodeIntset(['1', '2']).subarray(0, 10), 'Intset integrity check failed'],
    ['a listpack', C.RDB_TYPE_HASH_LISTPACK, () => encodeListpack(['f', 'v']).subarray(1), 'integrity check failed'],
    ['an odd listpack hash', C.RDB_TYPE_HASH_LISTPACK, () => encodeListpack(['f']), 'integrity check failed'],
    ['a listpack zset with a NaN score', C.RDB_TYPE_ZSET_LISTPACK, () => encodeListpack(['m', 'nan']), 'integrity check failed'],
  ])('refuses a damaged blob: %s', (_, type, blob, message) => {
    expect(failure(rawRdb(10, (o) => (o.u8(type), o.string('k'), o.blob(blob())))).message).toContain(message);
  });

  // Scores as redis-server 7.0.15 reads them from this blob (RESTORE of a crafted payload, then
  // ZRANGE WITHSCORES): zzlStrtod, strtod over the first 127 bytes, 0 when nothing converts.
  const SCORES: Array<[string, string, number]> = [
    ['a', 'abc', 0], ['b', '1.5xyz', 1.5], ['c', ' \t0x10', 16], ['d', '-inf', -Infinity], ['e', '1e', 1],
    ['f', '0x1.8p1', 3], ['g', '.5', 0.5], ['h', '\xa01', 0], ['i', 'infinityx', Infinity], ['j', '1e400', Infinity],
    ['k', '', 0], ['l', '+.e1', 0], ['m', '0x', 0], ['n', '  -.25E+1q', -2.5], ['o', '1' + '0'.repeat(130), 1e126],
    ['p', '\v7', 7], ['q', 'INF', Infinity], ['r', '0X1P-2', 0.25], ['s', '1e-400', 0], ['t', '9007199254740993', 9007199254740992],
  ];

  it.each([
    ['listpack', C.RDB_TYPE_ZSET_LISTPACK, encodeListpack],
    ['ziplist', C.RDB_TYPE_ZSET_ZIPLIST, encodeZiplist],
  ])('reads %s zset scores that are not plain numbers as Redis does', (_, type, encode) => {
    const blob = encode(SCORES.flatMap(([m, text]) => [m, text]));
    const z = one(rawRdb(10, (o) => (o.u8(type), o.string('z'), o.blob(blob)))).value as ZSetValue;
    for (const [m, , score] of SCORES) expect([m, z.score(m)]).toEqual([m, score]);
  });

  it('refuses a quicklist node with an unknown container', () => {
    const bytes = rawRdb(10, (o) => (o.u8(C.RDB_TYPE_LIST_QUICKLIST_2), o.string('l'), o.len(1), o.len(3), o.string('x')));
    expect(failure(bytes).message).toContain('Quicklist integrity check failed');
  });

  it('reads PLAIN quicklist nodes', () => {
    const r = one(
      rawRdb(10, (o) => {
        o.u8(C.RDB_TYPE_LIST_QUICKLIST_2);
        o.string('l');
        o.len(3);
        o.len(C.QUICKLIST_NODE_CONTAINER_PACKED);
        o.blob(encodeListpack(['a', 'b']));
        o.len(C.QUICKLIST_NODE_CONTAINER_PLAIN);
        o.string('big');
        o.len(C.QUICKLIST_NODE_CONTAINER_PACKED);
        o.blob(encodeListpack(['c']));
      }),
    );
    expect(shape(r.value)).toEqual(['a', 'b', 'big', 'c']);
  });

  it('reads what was streamed byte by byte exactly as the whole file', () => {
    const bytes = rawRdb(10, (o) => {
      o.u8(C.RDB_OPCODE_EXPIRETIME_MS);
      o.millis(1900000000000);
      str(o, 'k'.repeat(30), 'v'.repeat(300));
      o.u8(C.RDB_TYPE_SET_INTSET);
      o.string('s');
      o.blob(encodeIntset(['1', '5']));
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (sizes) => {
        const records: RdbRecord[] = [];
        const dec = createRdbDecoder({ record: (r) => records.push(r) });
        for (let p = 0, i = 0; p < bytes.length; p += sizes[i++ % sizes.length]!) dec.push(bytes.subarray(p, p + sizes[i % sizes.length]!));
        dec.end();
        expect(records.map((r) => [r.key, r.expireAt, shape(r.value)])).toEqual([
          ['k'.repeat(30), 1900000000000, 'v'.repeat(300)],
          ['s', -1, ['1', '5']],
        ]);
      }),
    );
  });

  it('stays linear on a huge value fed in small chunks', () => {
    const big = 'x'.repeat(8 << 20);
    const bytes = rawRdb(10, (o) => {
      o.u8(C.RDB_TYPE_STRING);
      o.string('big');
      rawString(o, big);
    });
    const t = performance.now();
    const dec = createRdbDecoder({ record: (r) => expect((r.value as string).length).toBe(big.length) });
    for (let p = 0; p < bytes.length; p += 4096) dec.push(bytes.subarray(p, p + 4096));
    expect(dec.end().keys).toBe(1);
    // Re-reading from the record start on every chunk would be 2048 × 8 MiB of work.
    expect(performance.now() - t).toBeLessThan(5000);
  });
});
