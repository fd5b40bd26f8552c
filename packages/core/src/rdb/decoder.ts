/**
 * The streaming RDB file reader (rdbLoadRio): feed the file in chunks of any size, and it calls
 * the handler for every AUX field, function library, database switch and key as soon as the
 * bytes holding it have arrived. It keeps only the unfinished record, never the file.
 *
 * Layout (reference §1.1): "REDIS" + 4-digit version, then opcodes and key records until EOF,
 * then (version >= 5) the CRC64 of everything before it, little-endian; zero means "saved
 * without a checksum". Versions 1..12 are read, with every type Redis 2.x..7.4 writes except
 * streams, modules and hash-field TTLs, which fail the load naming the key.
 *
 * A record cut by a chunk boundary is re-read from its start once enough bytes are there. To stay
 * linear on huge values, once a record has 4 KiB buffered the re-read waits until its bytes have
 * at least doubled (and reached what the failed read needed). So `push` may hold the last record
 * back: `end()` always finishes the file.
 */
import type { Value } from '../keyspace/object.ts';
import * as C from './constants.ts';
import { Crc64, readU64LE } from './crc64.ts';
import { cantHandleVersion, FUNCTION_PRE_GA, moduleAux, tooManyDatabases, WRONG_SIGNATURE, wrongChecksum } from './errors.ts';
import { NEED_MORE, Reader } from './reader.ts';
import { DEFAULT_LIMITS, readValue, type LoadLimits } from './value-decode.ts';

/** One key as the file holds it. */
export interface RdbRecord {
  db: number;
  key: string;
  value: Value;
  /** Absolute unix ms, or -1 for no TTL. Keys already expired are reported: the loader decides. */
  expireAt: number;
  /** The RDB type byte the value was stored with (redis-check-rdb and tests look at it). */
  type: number;
  /** LRU idle seconds (IDLE opcode), when the file has it. */
  idle?: number;
  /** LFU counter (FREQ opcode), when the file has it. */
  freq?: number;
}

export interface RdbHandler {
  record(rec: RdbRecord): void;
  aux?(key: string, value: string): void;
  /** FUNCTION2: one library's full source (`#!lua name=...`). */
  function?(code: string): void;
  selectDb?(db: number): void;
  /** RESIZEDB: a sizing hint for the current database. */
  resizeDb?(db: number, size: number, expires: number): void;
}

export interface RdbDecoderOptions {
  limits?: LoadLimits;
  /** SELECTDB at or past this fails the load, as in Redis. Default 16. */
  databases?: number;
  /** Check the CRC64 trailer (Redis always does; a stored zero is never checked). Default true. */
  verifyChecksum?: boolean;
}

export interface RdbSummary {
  version: number;
  /** The stored CRC64; undefined before version 5; 0n when saved with rdbchecksum no. */
  checksum?: bigint;
  keys: number;
  /** Empty collections skipped, as Redis skips them. */
  emptyKeys: number;
}

export interface RdbDecoder {
  /** Feeds the next chunk; true once the whole file (EOF and CRC) has been read. */
  push(chunk: Uint8Array): boolean;
  /** The input is complete: reads what is left and fails if the file is cut short. */
  end(): RdbSummary;
  readonly done: boolean;
  /**
   * Once done: the bytes given after the RDB's end (an old-style AOF preamble's RESP tail), from
   * the chunks pushed so far. Chunks pushed later are not kept.
   */
  readonly rest: Uint8Array;
}

const enum State {
  Header,
  Body,
  Checksum,
  Done,
}

export function createRdbDecoder(handler: RdbHandler, opts: RdbDecoderOptions = {}): RdbDecoder {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const databases = opts.databases ?? 16;
  const verify = opts.verifyChecksum ?? true;
  const r = new Reader(new Uint8Array(0), false, 0);
  const crc = new Crc64();
  const summary: RdbSummary = { version: 0, keys: 0, emptyKeys: 0 };
  let state = State.Header;
  let db = 0;
  let expireAt = -1;
  let idle: number | undefined;
  let freq: number | undefined;
  /** Unconsumed input: `buf[0, len)`, file offset `r.base` at buf[0]. */
  let buf = new Uint8Array(0);
  let len = 0;
  /** Bytes of the pending record to wait for before trying again. */
  let want = 0;
  let rest = new Uint8Array(0);
  /** Start of the bytes not yet folded into the CRC (a position in `r.b`). */
  let crcFrom = 0;

  function step(): void {
    if (state === State.Header) {
      r.need(9);
      const b = r.b;
      const p = r.p;
      if (b[p] !== 82 || b[p + 1] !== 69 || b[p + 2] !== 68 || b[p + 3] !== 73 || b[p + 4] !== 83) r.fail(WRONG_SIGNATURE);
      let version = 0;
      for (let i = 5; i < 9 && b[p + i]! >= 48 && b[p + i]! <= 57; i++) version = version * 10 + b[p + i]! - 48;
      if (version < 1 || version > C.RDB_VERSION_MAX) r.fail(cantHandleVersion(version));
      summary.version = version;
      r.p += 9;
      state = State.Body;
      return;
    }
    if (state === State.Checksum) {
      r.need(8);
      const stored = readU64LE(r.b, r.p);
      summary.checksum = stored;
      if (verify && stored !== 0n && !crc.matches(r.b, r.p)) r.fail(wrongChecksum(crc.value, stored));
      r.p += 8;
      state = State.Done;
      return;
    }
    const start = r.p;
    const type = r.u8();
    switch (type) {
      case C.RDB_OPCODE_EXPIRETIME_MS:
        expireAt = r.millis();
        return;
      case C.RDB_OPCODE_EXPIRETIME:
        expireAt = r.seconds() * 1000;
        return;
      case C.RDB_OPCODE_IDLE:
        idle = r.len();
        return;
      case C.RDB_OPCODE_FREQ:
        freq = r.u8();
        return;
      case C.RDB_OPCODE_SELECTDB: {
        const id = r.len();
        if (id >= databases) r.fail(tooManyDatabases(databases), start);
        db = id;
        handler.selectDb?.(db);
        return;
      }
      case C.RDB_OPCODE_RESIZEDB: {
        const size = r.len();
        const expires = r.len();
        handler.resizeDb?.(db, size, expires);
        return;
      }
      case C.RDB_OPCODE_SLOT_INFO:
        r.len();
        r.len();
        r.len();
        return;
      case C.RDB_OPCODE_AUX: {
        const k = r.string();
        const v = r.string();
        handler.aux?.(k, v);
        return;
      }
      case C.RDB_OPCODE_MODULE_AUX: {
        const id = r.lenBig();
        return r.fail(moduleAux(moduleName(id)), start);
      }
      case C.RDB_OPCODE_FUNCTION_PRE_GA:
        return r.fail(FUNCTION_PRE_GA, start);
      case C.RDB_OPCODE_FUNCTION2: {
        const code = r.string();
        handler.function?.(code);
        return;
      }
      case C.RDB_OPCODE_EOF:
        // The checksum covers everything up to and including this byte.
        crc.update(r.b, crcFrom, r.p);
        crcFrom = r.p;
        state = summary.version >= 5 ? State.Checksum : State.Done;
        return;
      default: {
        const key = r.string();
        const value = readValue(r, type, key, limits);
        if (value === null) summary.emptyKeys++;
        else {
          const rec: RdbRecord = { db, key, value, expireAt, type };
          if (idle !== undefined) rec.idle = idle;
          if (freq !== undefined) rec.freq = freq;
          summary.keys++;
          handler.record(rec);
        }
        expireAt = -1;
        idle = undefined;
        freq = undefined;
      }
    }
  }

  /** Parses `src[0, n)` as far as it goes; returns the position reached. */
  function run(src: Uint8Array, n: number, final: boolean): number {
    r.b = src;
    r.p = 0;
    r.e = n;
    r.final = final;
    crcFrom = 0;
    try {
      while (state !== State.Done && r.p < n) {
        const start = r.p;
        try {
          step();
        } catch (e) {
          if (e !== NEED_MORE) throw e;
          r.p = start;
          const have = n - start;
          want = have < 4096 ? r.needEnd - start : Math.max(r.needEnd - start, 2 * have);
          break;
        }
      }
      if (state === State.Done) rest = src.slice(r.p, n);
      else if (final) {
        // Whatever remains is an incomplete item.
        r.need(Number.MAX_SAFE_INTEGER);
      }
    } finally {
      if (state !== State.Checksum && state !== State.Done) crc.update(src, crcFrom, r.p);
    }
    return r.p;
  }

  function keep(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (buf.length < n) buf = new Uint8Array(Math.max(n, buf.length * 2, 4096));
    if (src === buf) buf.copyWithin(0, from, to);
    else buf.set(src.subarray(from, to), 0);
    len = n;
  }

  return {
    push(chunk) {
      if (state === State.Done) return true;
      let src = chunk;
      if (len > 0) {
        if (buf.length < len + chunk.length) {
          const grown = new Uint8Array(Math.max(len + chunk.length, buf.length * 2));
          grown.set(buf.subarray(0, len));
          buf = grown;
        }
        buf.set(chunk, len);
        len += chunk.length;
        src = buf;
      }
      const n = src === buf ? len : chunk.length;
      if (n >= want) {
        want = 0;
        const p = run(src, n, false);
        r.base += p;
        // run() moves `state` on; TypeScript cannot see that.
        if ((state as State) === State.Done) {
          len = 0;
          return true;
        }
        keep(src, p, n);
      } else if (src === chunk) {
        keep(chunk, 0, n);
      }
      return false;
    },
    end() {
      if (state !== State.Done) {
        const p = run(buf, len, true);
        r.base += p;
        len = 0;
      }
      return summary;
    },
    get done() {
      return state === State.Done;
    },
    get rest() {
      return rest;
    },
  };
}

/** The 9-character module name packed in the top 54 bits of a module id (moduleTypeNameByID). */
function moduleName(id: bigint): string {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let name = '';
  for (let i = 0; i < 9; i++) name += charset[Number((id >> BigInt(10 + (8 - i) * 6)) & 63n)];
  return name;
}

/** Decodes a whole file held in memory: every record, AUX field and function, in order. */
export function decodeRdb(
  bytes: Uint8Array,
  opts: RdbDecoderOptions = {},
): RdbSummary & { records: RdbRecord[]; aux: Array<[string, string]>; functions: string[] } {
  const records: RdbRecord[] = [];
  const aux: Array<[string, string]> = [];
  const functions: string[] = [];
  const dec = createRdbDecoder(
    { record: (rec) => records.push(rec), aux: (k, v) => aux.push([k, v]), function: (code) => functions.push(code) },
    opts,
  );
  dec.push(bytes);
  return { ...dec.end(), records, aux, functions };
}
