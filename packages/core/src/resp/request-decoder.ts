/**
 * The server side of RESP: bytes from a client → commands (argv arrays of byte strings), with
 * Redis 7.0's exact acceptance rules (networking.c processInputBuffer):
 *
 * - A request starting with `*` is a multibulk: `*<n>\r\n` then n times `$<len>\r\n<bytes>\r\n`.
 *   `n <= 0` is an empty request, skipped. The two bytes after a line's `\r` and after a bulk's
 *   payload are skipped unchecked, as Redis does.
 * - Anything else is an inline request: one line up to `\n` (an `\r` before it is dropped), split
 *   by sdssplitargs. Blank lines are skipped.
 * - Lines are searched as C's strchr does, so a NUL byte before the line end makes Redis (and us)
 *   wait for more input, until the 64 KiB inline limit turns that into an error.
 *
 * Errors are the ReplyErrors of reply/errors.ts (`ERR Protocol error: ...`). After one, the
 * decoder stays failed: the host replies with it and closes the connection. Every command fully
 * received before the error is returned first, as Redis executes them before replying the error.
 */
import {
  PROTO_INVALID_BULK_LEN,
  PROTO_INVALID_MULTIBULK_LEN,
  PROTO_TOO_BIG_BULK_COUNT,
  PROTO_TOO_BIG_INLINE,
  PROTO_TOO_BIG_MBULK_COUNT,
  PROTO_UNBALANCED_QUOTES,
  protoExpectedDollar,
  type ReplyError,
} from '../reply/errors.ts';
import { bytesToBinary } from '../bytes.ts';
import { findByte, InputBuffer, parseLongLong } from './buffer.ts';
import { splitArgs } from './split-args.ts';

/** PROTO_INLINE_MAX_SIZE: the longest inline request, and the longest count line. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;
const CR = 0x0d;
const LF = 0x0a;

export interface RequestDecoderOptions {
  /** proto-max-bulk-len: the longest bulk argument accepted. Default 512 MiB. */
  maxBulkLen?: number;
  /** Bytes → byte string; a host may pass a native one (on Node, latin1Slice). */
  binary?: (buf: Uint8Array, start: number, end: number) => string;
}

export class RequestDecoder {
  maxBulkLen: number;
  private readonly binary: (buf: Uint8Array, start: number, end: number) => string;
  private readonly input = new InputBuffer();
  /** Arguments of the multibulk being read, and how many are still to come (0: none started). */
  private argv: string[] = [];
  private multibulkLen = 0;
  /** Length of the bulk whose payload is awaited, or -1 while its `$` line is awaited. */
  private bulkLen = -1;
  private failed: ReplyError | null = null;

  constructor(opts: RequestDecoderOptions = {}) {
    this.maxBulkLen = opts.maxBulkLen ?? 512 * 1024 * 1024;
    this.binary = opts.binary ?? bytesToBinary;
  }

  /** Bytes received and not yet returned as commands (Redis's qbuf). */
  get pending(): number {
    return this.input.length;
  }

  /** Adds received bytes. The chunk must not be modified afterwards. */
  feed(chunk: Uint8Array): void {
    if (this.failed === null) this.input.push(chunk);
  }

  /**
   * The next complete command, or undefined until more bytes arrive. Throws the protocol error
   * (a ReplyError) once the input is malformed, and again on every later call.
   */
  next(): string[] | undefined {
    if (this.failed !== null) throw this.failed;
    const inb = this.input;
    while (inb.start < inb.end) {
      const argv = this.multibulkLen > 0 || inb.buf[inb.start] === 0x2a ? this.multibulk() : this.inline();
      if (argv === undefined) return undefined;
      if (argv !== null) return argv;
    }
    return undefined;
  }

  private fail(err: ReplyError): never {
    this.failed = err;
    this.input.clear();
    this.argv = [];
    throw err;
  }

  /** One inline request: argv, null for a blank line, undefined when the line is incomplete. */
  private inline(): string[] | null | undefined {
    const inb = this.input;
    const b = inb.buf;
    const start = inb.start;
    const nl = findByte(b, start, inb.end, LF);
    if (nl < 0) {
      if (inb.end - start > PROTO_INLINE_MAX_SIZE) this.fail(PROTO_TOO_BIG_INLINE);
      return undefined;
    }
    const lineEnd = nl > start && b[nl - 1] === CR ? nl - 1 : nl;
    const argv = splitArgs(this.binary(b, start, lineEnd));
    if (argv === null) this.fail(PROTO_UNBALANCED_QUOTES);
    inb.start = nl + 1;
    return argv.length > 0 ? argv : null;
  }

  /** Advances through a multibulk: argv when complete, null for an empty one, else undefined. */
  private multibulk(): string[] | null | undefined {
    const inb = this.input;
    const b = inb.buf;
    const end = inb.end;
    let pos = inb.start;
    if (this.multibulkLen === 0) {
      const cr = findByte(b, pos, end, CR);
      if (cr < 0) {
        if (end - pos > PROTO_INLINE_MAX_SIZE) this.fail(PROTO_TOO_BIG_MBULK_COUNT);
        return undefined;
      }
      if (cr > end - 2) return undefined;
      const n = parseLongLong(b, pos + 1, cr);
      if (!(n <= INT_MAX)) this.fail(PROTO_INVALID_MULTIBULK_LEN);
      inb.start = pos = cr + 2;
      if (n <= 0) return null;
      this.multibulkLen = n;
    }
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const cr = findByte(b, pos, end, CR);
        if (cr < 0) {
          if (end - pos > PROTO_INLINE_MAX_SIZE) this.fail(PROTO_TOO_BIG_BULK_COUNT);
          return undefined;
        }
        if (cr > end - 2) return undefined;
        if (b[pos] !== 0x24) this.fail(protoExpectedDollar(String.fromCharCode(b[pos]!)));
        const len = parseLongLong(b, pos + 1, cr);
        if (!(len >= 0 && len <= this.maxBulkLen)) this.fail(PROTO_INVALID_BULK_LEN);
        inb.start = pos = cr + 2;
        this.bulkLen = len;
      }
      const len = this.bulkLen;
      if (end - pos < len + 2) {
        inb.expect(len + 2);
        return undefined;
      }
      this.argv.push(this.binary(b, pos, pos + len));
      inb.start = pos += len + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}
