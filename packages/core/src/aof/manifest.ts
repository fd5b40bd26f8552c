/**
 * The multi-part AOF manifest (Redis 7's `<appendfilename>.manifest` in `appenddirname`), read and
 * written exactly as aof.c does. One line per file, base first, then history, then incrs:
 *
 *   file appendonly.aof.2.base.rdb seq 2 type b
 *   file appendonly.aof.1.incr.aof seq 1 type h
 *   file appendonly.aof.2.incr.aof seq 2 type i
 *
 * Types: b = BASE (the snapshot the log starts from), h = HISTORY (replaced by a rewrite, waiting
 * for deletion), i = INCR (log segments, replayed in order after the base). A name needing quotes
 * (blanks, quotes, control bytes) is written as sdscatrepr does and read back with sdssplitargs.
 *
 * The reader is Redis's, quirks included, so a manifest Redis refuses is refused here with the
 * same message: lines are read in fgets(1025) pieces (a line of 1024+ bytes is "too long", a
 * final line without '\n' too), `#` lines are comments, keys are case-insensitive, unknown
 * key/value pairs are ignored, `seq` is read with atoll ("2x" is 2, "0" is missing), `type` is
 * the value's first byte, and a NUL ends a line early.
 */
import { bytesToBinary } from '../bytes.ts';
import { splitArgs } from '../resp/split-args.ts';
import { asciiBytes, cstrEnd, fgetsEnd, NO_LINE, strtolExact } from './clib.ts';
import {
  MANIFEST_DUP_BASE,
  MANIFEST_EMPTY,
  MANIFEST_INVALID,
  MANIFEST_LINE_TOO_LONG,
  MANIFEST_NON_MONOTONIC,
  MANIFEST_PATH,
  MANIFEST_UNKNOWN_TYPE,
  ManifestError,
} from './errors.ts';

export type AofFileType = 'b' | 'h' | 'i';

/** One file the manifest lists. `name` is a byte string, never a path. */
export interface AofInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

/** A manifest as Redis holds it in memory (aofManifest). Values are never mutated in place. */
export interface AofManifest {
  readonly base: AofInfo | null;
  /** Latest rewrite first: each rewrite prepends the incrs it covers (in order), then the old base. */
  readonly history: readonly AofInfo[];
  /** In replay order, seqs strictly increasing. */
  readonly incrs: readonly AofInfo[];
  /** The last base seq handed out (curr_base_file_seq): the next base gets baseSeq + 1. */
  readonly baseSeq: number;
  /** The last incr seq handed out (curr_incr_file_seq): the next incr gets incrSeq + 1. */
  readonly incrSeq: number;
}

export const EMPTY_MANIFEST: AofManifest = { base: null, history: [], incrs: [], baseSeq: 0, incrSeq: 0 };

const MANIFEST_MAX_LINE = 1024;

/** Reads a manifest file (bytes, or a byte string). Throws ManifestError where Redis would exit. */
export function decodeManifest(input: Uint8Array | string): AofManifest {
  const buf = typeof input === 'string' ? asciiBytes(input) : input;
  let base: AofInfo | null = null;
  const history: AofInfo[] = [];
  const incrs: AofInfo[] = [];
  let baseSeq = 0;
  let incrSeq = 0;
  // Seqs stay numbers in AofManifest: the server adds 1 per rewrite and never nears 2^53. But
  // Redis reads them as long longs (atoll, clamped to LLONG_MAX), and a hand-made manifest may go
  // past 2^53: `maxSeq` keeps the last incr seq exactly (a bigint only there; number and bigint
  // compare exactly), so the same manifests pass. What is kept of such a seq is the nearest double.
  let maxSeq: number | bigint = 0;
  let linenum = 0;
  let pos = 0;
  for (;;) {
    const from = pos;
    const end = fgetsEnd(buf, from, buf.length, MANIFEST_MAX_LINE + 1, true);
    if (end === NO_LINE) {
      if (linenum === 0) throw new ManifestError(MANIFEST_EMPTY);
      break;
    }
    pos = end;
    linenum++;
    if (buf[from] === 0x23) continue;
    // Redis looks at the line as a C string: a NUL hides the rest, '\n' included.
    const cend = cstrEnd(buf, from, end);
    if (cend === from || buf[cend - 1] !== 0x0a) throw new ManifestError(MANIFEST_LINE_TOO_LONG);
    const line = trim(bytesToBinary(buf, from, cend));
    const fail = (reason: string): ManifestError => new ManifestError(reason, linenum, line);
    if (line.length === 0) throw fail(MANIFEST_INVALID);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) throw fail(MANIFEST_INVALID);
    let name: string | undefined;
    let seq: number | bigint = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const key = argv[i]!.toLowerCase();
      const value = argv[i + 1]!;
      if (key === 'file') {
        name = cString(value);
        if (name.includes('/') || name.includes('\\')) throw fail(MANIFEST_PATH);
      } else if (key === 'seq') {
        const bytes = asciiBytes(value);
        seq = strtolExact(bytes, 0, bytes.length);
      } else if (key === 'type') {
        type = value.length > 0 && value[0] !== '\0' ? value[0]! : '';
      }
    }
    if (name === undefined || seq === 0 || type === '') throw fail(MANIFEST_INVALID);
    const n = Number(seq);
    if (type === 'b') {
      if (base !== null) throw fail(MANIFEST_DUP_BASE);
      base = { name, seq: n, type };
      baseSeq = n;
    } else if (type === 'h') {
      history.push({ name, seq: n, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) throw fail(MANIFEST_NON_MONOTONIC);
      incrs.push({ name, seq: n, type });
      incrSeq = n;
      maxSeq = seq;
    } else {
      throw fail(MANIFEST_UNKNOWN_TYPE);
    }
  }
  return { base, history, incrs, baseSeq, incrSeq };
}

/** The manifest file's bytes as getAofManifestAsString writes them: base, history, then incrs. */
export function encodeManifest(m: AofManifest): Uint8Array {
  return asciiBytes(formatManifest(m));
}

/** The manifest as a byte string. */
export function formatManifest(m: AofManifest): string {
  let out = m.base ? formatManifestLine(m.base) : '';
  for (const ai of m.history) out += formatManifestLine(ai);
  for (const ai of m.incrs) out += formatManifestLine(ai);
  return out;
}

/** One line (aofInfoFormat), '\n' included. */
export function formatManifestLine(ai: AofInfo): string {
  const name = needsRepr(ai.name) ? repr(ai.name) : ai.name;
  return `file ${name} seq ${ai.seq} type ${ai.type}\n`;
}

/** sdsneedsrepr: would sdssplitargs misread the bytes unquoted? */
export function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

const REPR_ESCAPES: Record<number, string> = { 0x5c: '\\\\', 0x22: '\\"', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' };

/** sdscatrepr: the bytes in double quotes, with C escapes and \xHH for the unprintable. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const esc = REPR_ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out + '"';
}

/** sdstrim(line, " \t\r\n"). */
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isTrimmed(s.charCodeAt(a))) a++;
  while (b > a && isTrimmed(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

function isTrimmed(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** sdsnew(arg): an argument holding "\x00" is cut there. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
