/**
 * The RDB file writer (rdbSaveRio), driven one piece at a time so a snapshot can be written
 * between event-loop turns:
 *
 *   const w = createRdbEncoder({ sink, version });
 *   w.header(defaultAux({ ctime, usedMem }));       "REDIS00vv" + AUX fields
 *   w.function(code) ...                            FUNCTION2, one per library
 *   w.selectDb(0, size, expires);                   SELECTDB + RESIZEDB
 *   w.key(key, value, expireAt) ...                 [EXPIRETIME_MS] type key value
 *   w.end();                                        EOF + CRC64 (zero with checksum off), flushed
 *
 * Output leaves in chunks through the sink as they fill. The version is stamped first, so the
 * caller chooses it: `versionFor`/`datasetVersion` give the lowest one the content needs (9 when
 * nothing needs a listpack type, else 10, what Redis 7.0 writes); reference §1.13.
 */
import { concatBytes } from '../bytes.ts';
import type { Value } from '../keyspace/object.ts';
import * as C from './constants.ts';
import { RdbOutput, type Sink } from './output.ts';
import { valueType, versionFor, writeValue } from './value-encode.ts';

export interface RdbEncoderOptions {
  sink: Sink;
  /** The version to stamp, 9..10 (default 10). Below 10, listpack types give way to plain ones. */
  version?: number;
  /** rdbcompression (default true). */
  compression?: boolean;
  /** rdbchecksum (default true); off writes a zero CRC, which loaders do not check. */
  checksum?: boolean;
  /** list-max-listpack-size, for quicklist nodes (default -2). */
  listMaxListpackSize?: number;
}

export interface RdbEncoder {
  readonly version: number;
  /** Bytes written so far. */
  readonly size: number;
  header(aux?: ReadonlyArray<readonly [string, string]>): void;
  function(code: string): void;
  /** SELECTDB, then RESIZEDB when the sizes are given. */
  selectDb(db: number, size?: number, expires?: number): void;
  /** One key; `expireAt` is absolute unix ms or -1. */
  key(key: string, value: Value, expireAt?: number): void;
  /** Hands what is buffered to the sink. */
  flush(): void;
  /** EOF and CRC64; flushes. */
  end(): void;
}

/** The AUX fields Redis 7.0 writes, in its order (reference §1.3). */
export function defaultAux(opts: {
  /** Seconds since the epoch. */
  ctime: number;
  usedMem?: number;
  aofBase?: boolean;
  redisVer?: string;
}): Array<[string, string]> {
  return [
    ['redis-ver', opts.redisVer ?? '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(opts.ctime))],
    ['used-mem', String(opts.usedMem ?? 0)],
    ['aof-base', opts.aofBase ? '1' : '0'],
  ];
}

export function createRdbEncoder(opts: RdbEncoderOptions): RdbEncoder {
  const version = opts.version ?? C.RDB_VERSION_7_0;
  if (version < C.RDB_VERSION_MIN_WRITE || version > C.RDB_VERSION_7_0) throw new RangeError(`cannot write RDB version ${version}`);
  const checksum = opts.checksum ?? true;
  const out = new RdbOutput(opts.sink, opts.compression ?? true, checksum);
  const valueOpts = { version, listMaxListpackSize: opts.listMaxListpackSize ?? -2 };
  return {
    version,
    get size() {
      return out.size;
    },
    header(aux = []) {
      out.latin1(`REDIS${String(version).padStart(4, '0')}`);
      for (const [k, v] of aux) {
        out.u8(C.RDB_OPCODE_AUX);
        out.string(k);
        out.string(v);
      }
    },
    function(code) {
      if (version < C.RDB_VERSION_7_0) throw new RangeError('functions need RDB version 10');
      out.u8(C.RDB_OPCODE_FUNCTION2);
      out.string(code);
    },
    selectDb(db, size, expires) {
      out.u8(C.RDB_OPCODE_SELECTDB);
      out.len(db);
      if (size !== undefined) {
        out.u8(C.RDB_OPCODE_RESIZEDB);
        out.len(size);
        out.len(expires ?? 0);
      }
    },
    key(key, value, expireAt = -1) {
      if (expireAt !== -1) {
        out.u8(C.RDB_OPCODE_EXPIRETIME_MS);
        out.millis(expireAt);
      }
      const type = valueType(value, version);
      out.u8(type);
      out.string(key);
      writeValue(out, value, type, valueOpts);
    },
    flush() {
      out.flush();
    },
    end() {
      out.u8(C.RDB_OPCODE_EOF);
      out.flush();
      const trailer = new Uint8Array(8);
      if (checksum) out.crc.write(trailer, 0);
      out.bytes(trailer);
      out.flush();
    },
  };
}

/** What a dataset holds per key: a value and an absolute expiry (unix ms, -1 for none). */
export interface DatasetEntry {
  value: Value;
  expireAt: number;
}

/** The lowest version that holds every value (9, or 10 once any needs a listpack type). */
export function datasetVersion(dbs: ReadonlyArray<ReadonlyMap<string, DatasetEntry> | undefined>, functions = 0): number {
  if (functions > 0) return C.RDB_VERSION_7_0;
  for (const db of dbs) {
    if (db === undefined) continue;
    for (const e of db.values()) if (versionFor(e.value) > C.RDB_VERSION_MIN_WRITE) return C.RDB_VERSION_7_0;
  }
  return C.RDB_VERSION_MIN_WRITE;
}

/**
 * A whole RDB file for `dbs` (index = db number), synchronously: SAVE, DEBUG RELOAD, tests. The
 * forkless snapshotter drives `createRdbEncoder` itself instead.
 */
export function encodeRdb(
  dbs: ReadonlyArray<ReadonlyMap<string, DatasetEntry> | undefined>,
  opts: Omit<RdbEncoderOptions, 'sink'> & { aux?: ReadonlyArray<readonly [string, string]>; functions?: readonly string[] } = {},
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const functions = opts.functions ?? [];
  const w = createRdbEncoder({ ...opts, version: opts.version ?? datasetVersion(dbs, functions.length), sink: (c) => chunks.push(c) });
  w.header(opts.aux);
  for (const code of functions) w.function(code);
  dbs.forEach((db, i) => {
    if (db === undefined || db.size === 0) return;
    let expires = 0;
    for (const e of db.values()) if (e.expireAt !== -1) expires++;
    w.selectDb(i, db.size, expires);
    for (const [k, e] of db) w.key(k, e.value, e.expireAt);
  });
  w.end();
  return concatBytes(chunks);
}

/** Kept under its old name for the codec's users. */
export { concatBytes as concat };
