/**
 * `larder check-rdb <file>`: redis-check-rdb (redis-check-rdb.c, 7.0.15) over Larder's RDB code,
 * with its output and exit codes. The walk follows the checker's loop: each opcode, AUX field and
 * database switch printed at the offset reached, each key read and its value checked
 * (rdb-values.ts), then the CRC64. A failure prints "--- RDB ERROR DETECTED ---" with the offset,
 * what was being done, the key and its type, and the counts so far.
 *
 * Differences from 7.0.15: files of RDB versions 11 and 12 are accepted (Larder loads them); a
 * few rare damages print line 0 for rdb.c's line (rdb-values.ts); a truncated module value
 * fails instead of looping forever.
 */
import { crc64, RDB_VERSION_MAX } from '@larder/core/rdb';
import { Corrupt, cString, EOF, moduleName, Rio } from './rdb-read.ts';
import { checkModuleValue, checkValue } from './rdb-values.ts';
import { serverLog } from './server-log.ts';

const DOING = ['start', 'read-type', 'read-expire', 'read-key', 'read-object-value', 'check-sum', 'read-len', 'read-aux', 'read-module-aux', 'read-functions'];
/** 7.0.15's rdb_type_string, quirks included: 6 is "module-value", 7 and 8 are blank, 19+ unknown. */
const TYPE_NAMES = ['string', 'list-linked', 'set-hashtable', 'zset-v1', 'hash-hashtable', 'zset-v2', 'module-value', '', '', 'hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist', 'hash-ziplist', 'quicklist', 'stream', 'hash-listpack', 'zset-listpack', 'quicklist-v2'];
const enum Doing {
  Start,
  ReadType,
  ReadExpire,
  ReadKey,
  ReadValue,
  CheckSum,
  ReadLen,
  ReadAux,
  ReadModuleAux,
  ReadFunctions,
}

export interface RdbCheck {
  ok: boolean;
  output: string;
  /** Where the RDB ends (after its checksum): an RDB-preamble AOF's RESP part starts there. */
  end: number;
}

/** Thrown to stop the walk after the checker printed its own error (its `goto err`). */
const FAILED: unique symbol = Symbol('rdb check failed');

/** Checks the RDB at the start of `bytes`; `name` is the file name as the output shows it. */
export function checkRdbBytes(bytes: Uint8Array, name: string, now = Date.now()): RdbCheck {
  const r = new Rio(bytes);
  let out = '';
  let doing = Doing.Start;
  let key: string | undefined;
  let keyType = 0;
  let keys = 0;
  let expires = 0;
  let expired = 0;
  const msg = (s: string): string => `[offset ${r.p}] ${s.slice(0, 1023)}\n`;
  const info = (s: string): void => void (out += msg(s));
  const error = (s: string): void => {
    out += `--- RDB ERROR DETECTED ---\n${msg(s)}[additional info] While doing: ${DOING[doing]}\n`;
    if (key !== undefined) out += `[additional info] Reading key '${cString(key)}'\n`;
    if (keyType !== -1) out += `[additional info] Reading type ${keyType} (${TYPE_NAMES[keyType] ?? 'unknown'})\n`;
    out += counts();
  };
  const fail = (s: string): never => {
    error(s);
    throw FAILED;
  };
  const counts = (): string => `[info] ${keys} keys read\n[info] ${expires} expires\n[info] ${expired} already expired\n`;
  /** rdbFunctionLoad's reads: a short one is reported as "Failed loading library, <what>". */
  const library = (what: string, read: () => unknown): void => {
    try {
      read();
    } catch (e) {
      if (e === EOF) fail(`Failed loading library, ${what}`);
      throw e;
    }
  };

  info(`Checking RDB file ${name}`);
  try {
    const at = r.read(9);
    if (String.fromCharCode(...bytes.subarray(at, at + 5)) !== 'REDIS') fail('Wrong signature trying to load DB from file');
    const version = atoi(bytes.subarray(at + 5, at + 9));
    if (version < 1 || version > RDB_VERSION_MAX) fail(`Can't handle RDB format version ${version}`);
    let expireAt = -1;
    for (;;) {
      doing = Doing.ReadType;
      const type = r.u8();
      if (type === 252 || type === 253) {
        doing = Doing.ReadExpire;
        expireAt = type === 252 ? r.millis() : r.seconds() * 1000;
        continue;
      }
      if (type === 249) r.read(1);
      else if (type === 248) r.len();
      else if (type === 255) break;
      else if (type === 254) {
        doing = Doing.ReadLen;
        info(`Selecting DB ID ${r.len()}`);
      } else if (type === 251) {
        doing = Doing.ReadLen;
        r.len();
        r.len();
      } else if (type === 250) {
        doing = Doing.ReadAux;
        const k = r.string();
        info(`AUX FIELD ${cString(k)} = '${cString(r.string())}'`);
      } else if (type === 247) {
        doing = Doing.ReadModuleAux;
        const id = r.lenBig();
        if (id === 2n ** 64n - 1n) throw EOF;
        const when = r.len();
        r.len();
        if (when !== 2) fail('bad when_opcode');
        info(`MODULE AUX for: ${moduleName(id)}`);
        checkModuleValue(r, moduleName(id));
      } else if (type === 246) {
        // 7.0's release candidates wrote one function per opcode: name, engine, description, code.
        doing = Doing.ReadFunctions;
        library('Failed loading library name', () => r.bytes());
        library('Failed loading engine name', () => r.bytes());
        let described = 0;
        library('Failed loading library description indicator', () => (described = r.len()));
        if (described !== 0) library('Failed loading library description', () => r.bytes());
        library('Failed loading library blob', () => r.bytes());
      } else if (type === 245) {
        doing = Doing.ReadFunctions;
        library('Failed loading library payload', () => r.bytes());
      } else if (type === 244 && version >= 11) {
        r.len();
        r.len();
        r.len();
      } else {
        if (!isObjectType(type, version)) fail(`Invalid object type: ${type}`);
        keyType = type;
        doing = Doing.ReadKey;
        key = r.string();
        keys++;
        doing = Doing.ReadValue;
        checkValue(r, type);
        if (expireAt !== -1 && expireAt < now) expired++;
        if (expireAt !== -1) expires++;
        key = undefined;
        keyType = -1;
        expireAt = -1;
      }
    }
    if (version >= 5) {
      doing = Doing.CheckSum;
      const at = r.read(8);
      const stored = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true);
      if (stored === 0n) info('RDB file was saved with checksum disabled: no check performed.');
      else if (stored !== crc64(bytes, 0, at)) fail('RDB CRC error');
      else info('Checksum OK');
    }
  } catch (e) {
    if (e === EOF) error('Unexpected EOF reading RDB file');
    else if (e instanceof Corrupt) {
      error(`Internal error in RDB reading offset 0, function at rdb.c:${e.line} -> ${e.message}`);
      out += serverLog('Terminating server after rdb file reading failure.');
    } else if (e !== FAILED) throw e;
    return { ok: false, output: out, end: r.p };
  }
  info('\\o/ RDB looks OK! \\o/');
  return { ok: true, output: out + counts(), end: r.p };
}

/** rdbIsObjectType: 7.0's types, and for version 11+ files the types of Redis 7.2 and 7.4. */
function isObjectType(t: number, version: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= (version >= 11 ? 25 : 19));
}

/** atoi() of the 4 version characters: blanks, a sign, digits, then anything. */
function atoi(b: Uint8Array): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d*)/.exec(String.fromCharCode(...b).split('\0')[0]!);
  const v = parseInt(m?.[1] ?? '', 10);
  return Number.isNaN(v) ? 0 : v;
}

export interface CheckRdbRun {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1;
}

/** The tool: `argv[0]` is the program name as the usage line shows it. */
export function runCheckRdb(argv: readonly string[], read: (path: string) => Uint8Array | { error: string }): CheckRdbRun {
  if (argv.length !== 2) return { stdout: '', stderr: `Usage: ${argv[0]} <rdb-file-name>\n`, exitCode: 1 };
  const path = argv[1]!;
  const header = `[offset 0] Checking RDB file ${path}\n`;
  const bytes = read(path);
  // redis-check-rdb exits 1 without a word when the file cannot be opened; the reason goes to stderr.
  if (!(bytes instanceof Uint8Array)) return { stdout: header, stderr: `Cannot open ${path}: ${bytes.error}\n`, exitCode: 1 };
  const result = checkRdbBytes(bytes, path);
  return { stdout: result.output, stderr: '', exitCode: result.ok ? 0 : 1 };
}
