/**
 * DUMP / RESTORE payloads (createDumpPayload / verifyDumpPayload, reference §1.14):
 *
 *   <type byte> <value as in an RDB file> <RDB version u16 LE> <CRC64 of all before it, u64 LE>
 *
 * Larder's DUMP stamps version 10, as Redis 7.0 does, and RESTORE refuses newer payloads by
 * default as 7.0 would (a 7.2+ server's version 11 payloads can be allowed with `maxVersion`).
 */
import type { Config } from '../engine/config.ts';
import type { Value } from '../keyspace/object.ts';
import { RDB_VERSION_7_0 } from './constants.ts';
import { Crc64 } from './crc64.ts';
import { corrupt, EMPTY_DUMP, WRONG_DUMP } from './errors.ts';
import { RdbOutput } from './output.ts';
import { Reader } from './reader.ts';
import { DEFAULT_LIMITS, readValue, type LoadLimits } from './value-decode.ts';
import { valueType, writeValue } from './value-encode.ts';

export interface DumpOptions {
  /** rdbcompression (default true). */
  compression?: boolean;
  /** list-max-listpack-size (default -2). */
  listMaxListpackSize?: number;
}

/** The DumpOptions an engine's config gives. */
export function dumpOptions(config: Config): DumpOptions {
  return { compression: config.value('rdbcompression') === 'yes', listMaxListpackSize: config.num('list-max-listpack-size') };
}

/** RdbOutput's buffer for every payload, and the payload it is copied into (grown as needed). */
const SCRATCH = new Uint8Array(512);
let payload = new Uint8Array(512);
let length = 0;
const append = (chunk: Uint8Array): void => {
  reserve(chunk.length);
  payload.set(chunk, length);
  length += chunk.length;
};
function reserve(n: number): void {
  if (length + n <= payload.length) return;
  const grown = new Uint8Array(Math.max(2 * payload.length, length + n));
  grown.set(payload.subarray(0, length));
  payload = grown;
}

/**
 * `value`'s payload as a view of a buffer the next call reuses: convert or copy it before then.
 * DUMP turns it straight into its reply string, so a payload costs no allocation of its own.
 */
export function dumpView(value: Value, opts: DumpOptions = {}): Uint8Array {
  // A huge value's buffer is not kept past the next call.
  if (payload.length > 1 << 20) payload = new Uint8Array(512);
  length = 0;
  const out = new RdbOutput(append, opts.compression ?? true, false, SCRATCH.length, SCRATCH);
  const type = valueType(value, RDB_VERSION_7_0);
  out.u8(type);
  writeValue(out, value, type, { version: RDB_VERSION_7_0, listMaxListpackSize: opts.listMaxListpackSize ?? -2 });
  out.u8(RDB_VERSION_7_0 & 0xff);
  out.u8(RDB_VERSION_7_0 >>> 8);
  out.flush();
  reserve(8);
  new Crc64().update(payload, 0, length).write(payload, length);
  return payload.subarray(0, length + 8);
}

/** `value`'s payload in a buffer of its own. */
export function encodeDump(value: Value, opts: DumpOptions = {}): Uint8Array {
  return dumpView(value, opts).slice();
}

export interface RestoreOptions {
  limits?: LoadLimits;
  /** The newest payload version accepted (default 10, Redis 7.0's RDB_VERSION). */
  maxVersion?: number;
  /** skip-checksum-validation / DEBUG SET-SKIP-CHECKSUM-VALIDATION. */
  skipChecksum?: boolean;
}

/**
 * True when the footer is sound: at least 10 bytes, a version we take, the CRC right (Redis's
 * verifyDumpPayload). RESTORE answers "ERR DUMP payload version or checksum are wrong" otherwise.
 */
export function verifyDumpPayload(payload: Uint8Array, opts: RestoreOptions = {}): boolean {
  const n = payload.length;
  if (n < 10) return false;
  const version = payload[n - 10]! | (payload[n - 9]! << 8);
  if (version > (opts.maxVersion ?? RDB_VERSION_7_0)) return false;
  if (opts.skipChecksum) return true;
  return new Crc64().update(payload, 0, n - 8).matches(payload, n - 8);
}

/**
 * The value of a payload, after `verifyDumpPayload`. Throws RdbError (code CORRUPT) for a bad
 * footer or a value that does not parse, including an empty collection; RESTORE answers
 * "ERR Bad data format" for the latter.
 */
export function decodeDump(payload: Uint8Array, key = '', opts: RestoreOptions = {}): { value: Value; type: number } {
  if (!verifyDumpPayload(payload, opts)) throw corrupt(WRONG_DUMP, Math.max(0, payload.length - 10));
  const r = new Reader(payload.subarray(0, payload.length - 10), true);
  const type = r.u8();
  const value = readValue(r, type, key, opts.limits ?? DEFAULT_LIMITS);
  if (value === null) throw corrupt(EMPTY_DUMP, 1);
  return { value, type };
}
