/**
 * redis-check-aof's scan of one file (checkSingleAof, redis-check-aof.c, 7.0.15), over its bytes.
 * Stricter than the server's loader: every line and every bulk must end in "\r\n", MULTI must not
 * nest and must be closed by EXEC. It finds `ok_up_to`, the start of the first command it cannot
 * read (the start of the open MULTI when inside one), which is where `--fix` cuts, and with
 * `--truncate-to-timestamp T` the first `#TS:` annotation past T, where that mode cuts.
 *
 * Output is the tool's stdout, byte for byte. Two C details are copied on purpose: an error names
 * the bytes after a number as `%02x` of *signed* chars ("ffffff80" for 0x80), and when the number
 * runs to the end of the read line the second byte shown is whatever the stack held there. For
 * the `*` line that is the previous `*` line's byte (the buffer's stack slot survives from command
 * to command, and file to file); for the `$` line it is zero (the payload read in between reuses
 * the slot). That is what 7.0.15 prints in every case we compared.
 */
import { fgetsEnd, NO_LINE, strtolEnd, strtolExact, strtolRange, strtol } from './clib.ts';

/** Thrown to end the run with exit(code); the output so far is the tool's stdout. */
export class CheckExit {
  constructor(readonly code: 0 | 1) {}
}

/** How checkSingleAof ended when it did not exit: valid, empty, cut by --fix, cut at a timestamp. */
export type CheckVerdict = 'ok' | 'empty' | 'truncated' | 'timestamp-truncated';

/** Effects the tool performs, given by the host (a CLI: files, stdin). */
export interface CheckAofIo {
  /**
   * The file's bytes, or the strerror text when it cannot be read ("No such file or directory").
   * A directory also gives `dirSize`, its st_size: fopen(path, "r") opens a directory (its reads
   * fail, EISDIR), and the tool's input probes act on that size before reading.
   */
  read(path: string): Uint8Array | { error: string; dirSize?: number };
  /** ftruncate; false when it failed. */
  truncate(path: string, size: number): boolean;
  /** The line typed at "Continue? [y/N]: ", or null at end of input. */
  readLine?(): string | null;
  /**
   * redis-check-rdb over a file starting with an RDB (`name` as the tool prints it): its output,
   * and where the RDB ends when it is sane (the RESP tail is checked from there).
   */
  checkRdb(bytes: Uint8Array, name: string): { ok: true; end: number; output: string } | { ok: false; output: string };
  /** How serverLog lines are printed; Redis prefixes `pid:C dd Mon yyyy hh:mm:ss.mmm # `. Default: as is. */
  log?(message: string): string;
}

const LONG_MAX = 9223372036854775807n;

/** What one run of the tool carries from file to file (C globals and stack leftovers). */
export class CheckState {
  out = '';
  /** `line`: counts every "\r\n" consumed; starts at 1, never reset between files. */
  line = 1;
  /** `to_timestamp`, a long long (exact past 2^53); 0 = not in truncate-to-timestamp mode. */
  toTimestamp = 0n;
  /** The static error buffer: set once, printed after the scan. */
  private error = '';
  private epos = 0;
  /** readLong's 128-byte line buffer as the '*' and '$' lines find it (see the top). */
  private readonly argcBuf = new Uint8Array(128);
  private readonly lenBuf = new Uint8Array(128);
  private data: Uint8Array = new Uint8Array(0);
  private p = 0;
  private eof = false;

  constructor(readonly io: CheckAofIo) {}

  print(s: string): void {
    this.out += s;
  }

  /** checkSingleAof: `name` is printed in most lines, `path` in the annotation and MULTI ones. */
  checkFile(name: string, path: string, lastFile: boolean, fix: boolean, preamble: boolean): CheckVerdict {
    const read = this.io.read(path);
    if (!(read instanceof Uint8Array)) {
      this.print(`Cannot open file ${path}: ${read.error}, aborting...\n`);
      throw new CheckExit(1);
    }
    const data = (this.data = read);
    const size = data.length;
    if (size === 0) return 'empty';
    this.p = 0;
    this.eof = false;
    if (preamble) {
      const rdb = this.io.checkRdb(data, name);
      this.print(rdb.output);
      if (!rdb.ok) {
        this.print('RDB preamble of AOF file is not sane, aborting.\n');
        throw new CheckExit(1);
      }
      this.print('RDB preamble is OK, proceeding with AOF tail...\n');
      this.p = rdb.end;
    }
    let pos = 0;
    let multi = 0;
    for (;;) {
      if (multi === 0) pos = this.p;
      if (this.p >= size) {
        this.eof = true;
        break;
      }
      const c = data[this.p];
      if (c === 0x23) {
        if (!this.annotation(path, lastFile)) return 'timestamp-truncated';
      } else if (c === 0x2a) {
        const r = this.command(path, multi);
        if (r === null) break;
        multi = r;
      } else {
        this.print(`AOF ${name} format error\n`);
        break;
      }
    }
    if (this.eof && multi !== 0 && this.error === '') this.fail('Reached EOF before reading EXEC for MULTI');
    if (this.error !== '') this.print(`${this.error}\n`);
    const diff = size - pos;
    if (diff === 0 && this.toTimestamp !== 0n) {
      this.print(`Truncate nothing in AOF ${name} to timestamp ${this.toTimestamp}\n`);
      return 'ok';
    }
    this.print(`AOF analyzed: filename=${name}, size=${size}, ok_up_to=${pos}, ok_up_to_line=${this.line}, diff=${diff}\n`);
    if (diff === 0) return 'ok';
    if (!fix) {
      this.print(`AOF ${name} is not valid. Use the --fix option to try fixing it.\n`);
      throw new CheckExit(1);
    }
    if (!lastFile) {
      this.print(`Failed to truncate AOF ${name} because it is not the last file\n`);
      throw new CheckExit(1);
    }
    this.print(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes\n`);
    this.print('Continue? [y/N]: ');
    const answer = this.io.readLine?.() ?? null;
    if (answer === null || (answer[0] !== 'y' && answer[0] !== 'Y')) {
      this.print('Aborting...\n');
      throw new CheckExit(1);
    }
    if (!this.io.truncate(path, pos)) {
      this.print(`Failed to truncate AOF ${name}\n`);
      throw new CheckExit(1);
    }
    return 'truncated';
  }

  /** ERROR(): "0x%16llx: <message>", each part cut to its C buffer (1024, then 1044 bytes). */
  private fail(message: string): void {
    const inner = cut(message, 1023);
    this.error = cut(`0x${this.epos.toString(16).padStart(16, ' ')}: ${inner}`, 1043);
  }

  /** processRESP: the new MULTI depth, or null when the scan must stop. */
  private command(path: string, multi: number): number | null {
    const argc = this.readLong(0x2a, this.argcBuf);
    if (argc === null) return null;
    for (let i = 0n; i < argc; i++) {
      const str = this.readString();
      if (str === null) return null;
      if (i !== 0n) continue;
      const lower = str.toLowerCase();
      if (lower === 'multi') {
        if (multi++ !== 0) {
          this.fail(`Unexpected MULTI in AOF ${path}`);
          return null;
        }
      } else if (lower === 'exec') {
        if (--multi !== 0) {
          this.fail(`Unexpected EXEC in AOF ${path}`);
          return null;
        }
      }
    }
    return multi;
  }

  /** readLong: a `<prefix><number>\r\n` line read fgets(128)-style into the call site's buffer. */
  private readLong(prefix: number, buf: Uint8Array): bigint | null {
    const data = this.data;
    this.epos = this.p;
    const end = fgetsEnd(data, this.p, data.length, 128, true);
    if (end === NO_LINE) {
      this.eof = true;
      return null;
    }
    const len = end - this.p;
    if (len < 127 && data[end - 1] !== 0x0a) this.eof = true;
    buf.set(data.subarray(this.p, end));
    buf[len] = 0;
    this.p = end;
    if (buf[0] !== prefix) {
      this.fail(`Expected prefix '${String.fromCharCode(prefix)}', got: '${String.fromCharCode(buf[0]!)}'`);
      return null;
    }
    const n = strtol(buf, 1, 128);
    const value = strtolRange || Math.abs(n) > Number.MAX_SAFE_INTEGER ? exact(buf) : BigInt(n);
    // A number filling the whole buffer (127 bytes) ends at its NUL, and the byte shown after it
    // lies past the buffer, in memory Redis never set ("1f" in 7.0.15): shown as zero.
    if (!this.newline(buf[strtolEnd]!, buf[strtolEnd + 1] ?? 0)) return null;
    return value;
  }

  /** readString: `$<len>\r\n<len bytes>\r\n`, the payload as a C string (cut at a NUL). */
  private readString(): string | null {
    this.lenBuf.fill(0);
    const len = this.readLong(0x24, this.lenBuf);
    if (len === null) return null;
    if (len < 0n || len > LONG_MAX - 2n) {
      this.fail(`Expected to read string of ${len} bytes, which is not in the suitable range`);
      return null;
    }
    const want = len + 2n;
    const data = this.data;
    this.epos = this.p;
    const left = data.length - this.p;
    if (BigInt(left) < want) {
      this.p = data.length;
      this.eof = true;
      this.fail(`Expected to read ${want} bytes, got ${left} bytes`);
      return null;
    }
    const start = this.p;
    this.p += Number(want);
    if (!this.newline(data[this.p - 2]!, data[this.p - 1]!)) return null;
    let s = '';
    for (let i = start; i < this.p - 2 && data[i] !== 0; i++) s += String.fromCharCode(data[i]!);
    return s;
  }

  /** consumeNewline. */
  private newline(a: number, b: number): boolean {
    if (a !== 0x0d || b !== 0x0a) {
      this.fail(`Expected \\r\\n, got: ${hexChar(a)}${hexChar(b)}`);
      return false;
    }
    this.line++;
    return true;
  }

  /** processAnnotations: false once the file was cut at a timestamp past the target. */
  private annotation(path: string, lastFile: boolean): boolean {
    const data = this.data;
    const from = (this.epos = this.p);
    const end = fgetsEnd(data, from, data.length, 1024, true);
    if (end - from < 1023 && data[end - 1] !== 0x0a) this.eof = true;
    this.p = end;
    const t = this.toTimestamp;
    if (t === 0n || end - from < 4 || data[from + 1] !== 0x54 || data[from + 2] !== 0x53 || data[from + 3] !== 0x3a) return true;
    const ts = strtolExact(data, from + 4, end);
    if (strtolRange || strtolEnd >= end || data[strtolEnd] !== 0x0d) {
      this.print('Invalid timestamp annotation\n');
      throw new CheckExit(1);
    }
    if (ts <= t) return true;
    if (from === 0) {
      this.print(`AOF ${path} has nothing before timestamp ${t}, aborting...\n`);
      throw new CheckExit(1);
    }
    if (!lastFile) {
      this.print(`Failed to truncate AOF ${path} to timestamp ${t} to offset ${from} because it is not the last file.\n`);
      this.print(
        'If you insist, please delete all files after this file according to the manifest file and delete the ' +
          'corresponding records in manifest file manually. Then re-run redis-check-aof.\n',
      );
      throw new CheckExit(1);
    }
    if (!this.io.truncate(path, from)) {
      this.print(`Failed to truncate AOF ${path} to timestamp ${t}\n`);
      throw new CheckExit(1);
    }
    return false;
  }
}

/** printf("%02x", (char)b): a signed char, so bytes past 0x7f print sign-extended. */
function hexChar(b: number): string {
  return b < 0x80 ? b.toString(16).padStart(2, '0') : ((0xffffff00 | b) >>> 0).toString(16);
}

/** The number at buf[1..] as strtol gives it, exactly (it overflowed or passed 2^53). */
function exact(buf: Uint8Array): bigint {
  let s = '';
  let i = 1;
  while (i < strtolEnd) s += String.fromCharCode(buf[i++]!);
  const v = BigInt(s.trim());
  return v > LONG_MAX ? LONG_MAX : v < -LONG_MAX - 1n ? -LONG_MAX - 1n : v;
}

/** A C string in a fixed buffer: at most `max` bytes, and nothing past a NUL. */
function cut(s: string, max: number): string {
  const nul = s.indexOf('\0');
  const t = nul < 0 ? s : s.slice(0, nul);
  return t.length > max ? t.slice(0, max) : t;
}
