/**
 * The streaming AOF reader (loadSingleAppendOnlyFile, aof.c): feed one file's bytes in chunks of
 * any size and get back, in order, the commands to replay, as argv arrays of byte strings. It
 * keeps only the unfinished command, never the file.
 *
 * It reads as Redis 7.0 reads, so a file Redis accepts, truncates or refuses gets the same verdict
 * and the same log lines here:
 * - lines are read fgets-style (up to '\n', at most 1023 bytes): `#...` lines are annotations and
 *   skipped (`#TS:`), a command line must start with `*`, its count is read with atoi ("*3x" is 3,
 *   "*0" is a format error), each argument is `$<len>` (strtol) then len bytes then two bytes that
 *   are skipped unchecked; '\n' alone ends lines as well as "\r\n";
 * - bytes running out inside a command are a short read: with aof-load-truncated (the default) the
 *   file is to be cut at the end of the last complete command and the load goes on ("truncated"),
 *   otherwise the load fails; anything else malformed fails it whatever the option;
 * - a file that ends inside MULTI ... (no EXEC) is reverted: cut before the MULTI, its commands
 *   dropped. The reader yields the MULTI and what follows as they come; the caller, replaying
 *   them through a client that queues a transaction, discards the queue when `revertedMulti`;
 * - a file starting with "REDIS" is an RDB (a base written with aof-use-rdb-preamble, or a pre-7.0
 *   preamble AOF): its bytes go to the `rdb` sink (the RDB decoder) and RESP reading resumes where
 *   the RDB ended.
 *
 * Two deliberate differences, both about where a damaged file is cut. Redis 7.0.15 cuts a short
 * read inside MULTI at the last command read (leaving a MULTI without EXEC that swallows every
 * later append on the next load); we cut before the MULTI, as redis-check-aof --fix does. And
 * Redis's "last valid offset" starts at 0 even after an RDB preamble, so a torn first tail command
 * would cut the whole RDB away; ours starts where the RDB ends.
 */
import { bytesToBinary } from '../bytes.ts';
import { InputBuffer } from '../resp/buffer.ts';
import { atoi, fgetsEnd, NEED_MORE, NO_LINE, strtol } from './clib.ts';
import { commandEnd, plainNumber, wholeCommand } from './fast-path.ts';
import * as E from './errors.ts';

/** Where the reader sends an RDB part: the RDB decoder's streaming interface. */
export interface RdbSink {
  /** Feeds the next chunk; true once the RDB (up to its checksum) is complete. */
  push(chunk: Uint8Array): boolean;
  /** Once complete: the bytes pushed past the RDB's end. */
  readonly rest: Uint8Array;
  /** The input ended: throws when the RDB is incomplete. */
  end(): unknown;
}

export interface AofReaderOptions {
  /** The file name, as the manifest lists it, for the log lines. */
  file: string;
  /** aof-load-truncated. Default true. */
  loadTruncated?: boolean;
  /** A pre-7.0 single-file AOF (its name is appendfilename): only changes the RDB log wording. */
  oldStyle?: boolean;
  /** Makes the sink for an RDB part. Without it an RDB file fails the load. */
  rdb?: () => RdbSink;
  /** lookupCommand: returning false fails the load with "Unknown command ...". */
  isCommand?: (argv: readonly string[]) => boolean;
}

export type AofLoadStatus = 'ok' | 'empty' | 'truncated' | 'failed';
export type AofLoadError = 'format' | 'eof' | 'read' | 'unknown-command' | 'rdb';

export interface AofLogLine {
  level: 'notice' | 'warning';
  message: string;
}

export interface AofLoadResult {
  status: AofLoadStatus;
  /** Why the load failed. */
  error?: AofLoadError;
  /** The RDB decoder's exception, for error 'rdb'. */
  cause?: unknown;
  /**
   * For a failure, the byte offset it is at: the start of the bad line ('format', 'read'), of the
   * unknown command, of the torn command ('eof': where aof-load-truncated would cut), or the RDB
   * decoder's offset ('rdb').
   */
  failedAt?: number;
  /** For 'truncated': the size to cut the file to. */
  truncateTo?: number;
  /** True when the file ended inside MULTI: the queued commands must not run. */
  revertedMulti: boolean;
  /** Where the last complete command ended. */
  validUpTo: number;
  /** Bytes given (all of them, also those after a failure). */
  size: number;
  /** Commands yielded. */
  commands: number;
  format: 'resp' | 'rdb';
  /** What Redis logs for this file, in order. */
  log: AofLogLine[];
}

export interface AofReader {
  /** Feeds the next chunk (not modified by the caller afterwards); returns the commands it completes. */
  push(chunk: Uint8Array): string[][];
  /** The file is complete: the verdict. */
  end(): AofLoadResult;
  /** True once the load has failed: later pushes are ignored, `end()` says why. */
  readonly failed: boolean;
  /** 'rdb' once the file is known to start with an RDB, 'resp' once known not to. */
  readonly format: 'resp' | 'rdb' | undefined;
  readonly validUpTo: number;
  readonly inMulti: boolean;
}

const LINE_MAX = 1024;
const REDIS = [0x52, 0x45, 0x44, 0x49, 0x53];

const enum Phase {
  Detect,
  Rdb,
  Line,
  ArgLen,
  ArgData,
  Done,
}

export function createAofReader(opts: AofReaderOptions): AofReader {
  const file = opts.file;
  const loadTruncated = opts.loadTruncated ?? true;
  const log: AofLogLine[] = [];
  const ib = new InputBuffer();
  let phase = Phase.Detect;
  let format: 'resp' | 'rdb' | undefined;
  let sink: RdbSink | undefined;
  /** File offset of ib.start. */
  let offset = 0;
  let pushed = 0;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let inMulti = false;
  let commands = 0;
  let argc = 0;
  let argLen = 0;
  let argv: string[] = [];
  let failure: { error: AofLoadError; cause?: unknown; at: number } | undefined;

  const warn = (message: string): void => void log.push({ level: 'warning', message });
  const notice = (message: string): void => void log.push({ level: 'notice', message });

  function fail(error: AofLoadError, message: string, cause?: unknown): void {
    warn(message);
    const at = failureOffset(error, cause);
    failure = cause === undefined ? { error, at } : { error, cause, at };
    phase = Phase.Done;
    ib.clear();
  }

  /** Where a failure is, for `failedAt` (see there). */
  function failureOffset(error: AofLoadError, cause: unknown): number {
    if (error === 'unknown-command') return validUpTo;
    if (error === 'eof') return inMulti ? validBeforeMulti : validUpTo;
    if (error === 'rdb') {
      const o = (cause as { offset?: unknown } | undefined)?.offset;
      // Without the decoder's offset: where the RDB part starts.
      return typeof o === 'number' ? o : offset;
    }
    return offset;
  }

  function consume(n: number): void {
    ib.start += n;
    offset += n;
  }

  /** Feeds what is buffered to the RDB sink; on its end, resumes RESP reading after it. */
  function feedRdb(): void {
    const bytes = ib.buf.subarray(ib.start, ib.end);
    ib.clear();
    let done: boolean;
    try {
      done = sink!.push(bytes);
    } catch (e) {
      return rdbFailed(e);
    }
    if (!done) return;
    const rest = sink!.rest;
    offset = validUpTo = validBeforeMulti = pushed - rest.length;
    if (opts.oldStyle) notice(E.READING_AOF_TAIL);
    phase = Phase.Line;
    ib.push(rest);
  }

  function rdbFailed(e: unknown): void {
    fail('rdb', opts.oldStyle ? E.rdbPreambleError(file) : E.rdbBaseError(file), e);
  }

  /** Advances as far as the buffered bytes allow; `eof` says no more will come. */
  function run(out: string[][], eof: boolean): void {
    for (;;) {
      const buf = ib.buf;
      const start = ib.start;
      const end = ib.end;
      switch (phase) {
        case Phase.Detect: {
          let i = 0;
          while (i < 5 && start + i < end && buf[start + i] === REDIS[i]) i++;
          if (i < 5 && start + i === end && !eof) return;
          if (i === 5) {
            format = 'rdb';
            notice(opts.oldStyle ? E.READING_RDB_PREAMBLE : E.READING_RDB_BASE);
            if (!opts.rdb) return rdbFailed(undefined);
            sink = opts.rdb();
            phase = Phase.Rdb;
          } else {
            format = 'resp';
            phase = Phase.Line;
          }
          continue;
        }
        case Phase.Rdb:
          if (end > start) feedRdb();
          if (phase === Phase.Rdb) {
            if (!eof) return;
            // An RDB cut short: the sink's end() says how; one that does not throw is still cut.
            try {
              sink!.end();
            } catch (e) {
              return rdbFailed(e);
            }
            return rdbFailed(undefined);
          }
          continue;
        case Phase.Line: {
          const lineEnd = fgetsEnd(buf, start, end, LINE_MAX, eof);
          if (lineEnd === NEED_MORE) return;
          if (lineEnd === NO_LINE) return finish();
          const c = buf[start];
          if (c === 0x23) {
            consume(lineEnd - start);
            continue;
          }
          if (c !== 0x2a) return fail('format', E.badFormat(file));
          const whole = wholeCommand(buf, start, end);
          if (whole !== undefined) {
            argv = whole;
            consume(commandEnd - start);
            if (!command(argv)) return;
            out.push(argv);
            continue;
          }
          if (lineEnd === start + 1 || buf[start + 1] === 0) {
            // fgets gave "*" alone: a short read if it stopped at the end of the file. A NUL after
            // '*' mid-file is a "read error" with whatever errno was left (ENOENT at startup).
            if (eof && lineEnd === end && buf[lineEnd - 1] !== 0x0a && lineEnd - start < LINE_MAX - 1) return shortRead();
            return fail('read', E.unrecoverableRead(file, E.ENOENT_TEXT));
          }
          argc = plainNumber(buf, start + 1, lineEnd);
          if (argc < 0) argc = atoi(buf, start + 1, lineEnd);
          if (argc < 1) return fail('format', E.badFormat(file));
          consume(lineEnd - start);
          argv = [];
          phase = Phase.ArgLen;
          continue;
        }
        case Phase.ArgLen: {
          const lineEnd = fgetsEnd(buf, start, end, LINE_MAX, eof);
          if (lineEnd === NEED_MORE) return;
          if (lineEnd === NO_LINE) return shortRead();
          if (buf[start] !== 0x24) return fail('format', E.badFormat(file));
          argLen = plainNumber(buf, start + 1, lineEnd);
          if (argLen < 0) argLen = strtol(buf, start + 1, lineEnd);
          // Redis stores the length in an unsigned long and dies allocating it; a negative length
          // can only be damage, so it is refused like any malformed line.
          if (argLen < 0) return fail('format', E.badFormat(file));
          consume(lineEnd - start);
          phase = Phase.ArgData;
          continue;
        }
        case Phase.ArgData: {
          if (end - start < argLen + 2) {
            if (eof) return shortRead();
            ib.expect(argLen + 2);
            return;
          }
          argv.push(bytesToBinary(buf, start, start + argLen));
          consume(argLen + 2);
          if (argv.length < argc) {
            phase = Phase.ArgLen;
            continue;
          }
          phase = Phase.Line;
          if (!command(argv)) return;
          out.push(argv);
          continue;
        }
        case Phase.Done:
          return;
      }
    }
  }

  /** A complete command: the unknown-command check and the MULTI bookkeeping, in Redis's order. */
  function command(args: string[]): boolean {
    if (opts.isCommand && !opts.isCommand(args)) {
      const name = args[0]!;
      const nul = name.indexOf('\0');
      fail('unknown-command', E.unknownCommand(nul < 0 ? name : name.slice(0, nul), file));
      return false;
    }
    const name = args[0]!;
    if (name.length === 5 && name.toLowerCase() === 'multi') {
      validBeforeMulti = validUpTo;
      inMulti = true;
    } else if (name.length === 4 && inMulti && name.toLowerCase() === 'exec') {
      inMulti = false;
    }
    validUpTo = offset;
    commands++;
    return true;
  }

  let revertedMulti = false;
  let truncateTo: number | undefined;

  /** Clean end of file. */
  function finish(): void {
    phase = Phase.Done;
    if (inMulti) {
      warn(E.revertMulti(file));
      uxeof();
    }
  }

  /** The file ends inside a command. */
  function shortRead(): void {
    phase = Phase.Done;
    uxeof();
  }

  function uxeof(): void {
    if (inMulti) revertedMulti = true;
    const cut = inMulti ? validBeforeMulti : validUpTo;
    if (!loadTruncated) return fail('eof', E.unexpectedEof(file));
    warn(E.shortRead(file));
    warn(E.truncatingAt(file, cut));
    warn(E.loadedAnyway(file));
    truncateTo = cut;
  }

  return {
    push(chunk) {
      const out: string[][] = [];
      pushed += chunk.length;
      if (phase === Phase.Done || chunk.length === 0) return out;
      ib.push(chunk);
      run(out, false);
      return out;
    },
    end() {
      const out: string[][] = [];
      // At the end only a partial last line can be left, and no command ends with a line: `out`
      // stays empty (a command's last bytes are its data, consumed by push as soon as complete).
      if (phase !== Phase.Done) run(out, true);
      const status: AofLoadStatus = failure ? 'failed' : pushed === 0 ? 'empty' : truncateTo !== undefined ? 'truncated' : 'ok';
      const result: AofLoadResult = {
        status,
        revertedMulti,
        validUpTo: revertedMulti ? validBeforeMulti : validUpTo,
        size: pushed,
        commands,
        format: format ?? 'resp',
        log,
      };
      if (failure) {
        result.error = failure.error;
        result.failedAt = failure.at;
        if (failure.cause !== undefined) result.cause = failure.cause;
      }
      if (truncateTo !== undefined && !failure) result.truncateTo = truncateTo;
      return result;
    },
    get failed() {
      return failure !== undefined;
    },
    get format() {
      return format;
    },
    get validUpTo() {
      return validUpTo;
    },
    get inMulti() {
      return inMulti;
    },
  };
}
