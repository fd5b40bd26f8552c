/**
 * The one error the RDB codec throws. Every failure to read a file or payload (damage, truncation,
 * a version or type Larder does not hold) has the stable code `CORRUPT` and the byte offset at
 * which reading stopped, so a loader can report "bad RDB at offset N" and a CLI can point at it.
 * Messages reuse Redis's log texts where Redis has one (rdb.c, cluster.c).
 */
import { rdbTypeName } from './constants.ts';

export class RdbError extends Error {
  override name = 'RdbError';
  readonly code = 'CORRUPT' as const;
  /** The storage name of the file being read, once a loader knows it (a payload has none). */
  file?: string;
  constructor(
    /** The message alone (Redis's text where it has one), without the offset. */
    readonly reason: string,
    /** Byte offset in the file or payload where the problem was found. */
    readonly offset: number,
  ) {
    super(`${reason} (at offset ${offset})`);
  }
}

export const corrupt = (message: string, offset: number): RdbError => new RdbError(message, offset);

export const WRONG_SIGNATURE = 'Wrong signature trying to load DB from file';
export const SHORT_READ = 'Short read or OOM loading DB. Unrecoverable error, aborting now.';
export const INVALID_LZF = 'Invalid LZF compressed string';
export const DUP_SET_MEMBERS = 'Duplicate set members detected';
export const DUP_HASH_FIELDS = 'Duplicate hash fields detected';
export const DUP_ZSET_MEMBERS = 'Duplicate zset fields detected';
export const ZSET_NAN = 'Zset with NAN score detected';
export const FUNCTION_PRE_GA = 'Pre-release function format not supported';
export const MODULE_PRE_GA = 'Pre-release module format not supported';
export const EMPTY_DUMP = 'Empty keys are not allowed in a DUMP payload';
export const WRONG_DUMP = 'DUMP payload version or checksum are wrong';

export const cantHandleVersion = (v: number): string => `Can't handle RDB format version ${v}`;
export const unknownType = (t: number): string => `Unknown RDB encoding type ${t}`;
export const unknownLength = (b: number): string => `Unknown length encoding ${b} in rdbLoadLen()`;
export const unknownStringEncoding = (k: number): string => `Unknown RDB string encoding type ${k}`;
/** Redis 7.0.15's rdb.c: `expected` is the CRC computed over the file, `got` the one stored in it. */
export const wrongChecksum = (expected: bigint, got: bigint): string =>
  `Wrong RDB checksum expected: (${expected.toString(16)}) but got (${got.toString(16)}). Aborting now.`;
export const integrityFailed = (what: string): string => `${what} integrity check failed.`;
export const moduleAux = (name: string): string => `The RDB file contains AUX module data I can't load: no matching module '${name}'`;
export const tooManyDatabases = (n: number): string =>
  `FATAL: Data file was created with a Redis server configured to handle more than ${n} databases. Exiting`;
export const invalidDouble = (text: string): string => `Invalid double value '${printable(text)}'`;

/** A value of a type Larder does not hold, naming the key as the lead asked. */
export function unsupportedType(key: string, type: number): string {
  return `Key '${printable(key)}' has RDB type ${type} (${rdbTypeName(type)}), which Larder cannot load`;
}

/** A key for a message: at most 128 bytes, non-printable bytes escaped. */
export function printable(key: string): string {
  // eslint-disable-next-line no-control-regex
  return key.slice(0, 128).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
