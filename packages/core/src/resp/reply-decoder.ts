/**
 * The client side of RESP: bytes from a server → reply values, RESP2 and RESP3, fed in chunks
 * with any boundaries (for the shell, tests and benchmarks).
 *
 * | RESP                         | value                                         |
 * |------------------------------|-----------------------------------------------|
 * | `+` simple                   | Status                                        |
 * | `-` error, `!` blob error    | ReplyError                                    |
 * | `:` integer, `(` big number  | number when safe, else bigint                 |
 * | `$` bulk                     | byte string; `$-1` null                       |
 * | `*` array                    | array; `*-1` NIL_ARRAY                        |
 * | `_` null                     | null                                          |
 * | `,` double                   | Double                                        |
 * | `%` map / `~` set / `>` push | MapReply / SetReply / Push                    |
 * | `#` boolean                  | boolean                                       |
 * | `=` verbatim                 | VerbatimString                                |
 * | `\|` attribute               | dropped; the value after it is delivered      |
 *
 * State is kept between chunks (a stack of open aggregates), so a huge reply arriving in small
 * pieces is parsed once. Malformed input raises RespProtocolError, and the decoder stays failed.
 */
import { ReplyError } from '../reply/errors.ts';
import { Double, MapReply, NIL_ARRAY, Push, SetReply, Status, VerbatimString, type Reply } from '../reply/reply.ts';
import { bytesToBinary } from '../bytes.ts';
import { InputBuffer } from './buffer.ts';

/** What a server may send: the engine's replies plus the RESP3 types it never produces itself. */
export type RespValue = Reply | boolean;

/** The server's bytes are not RESP. */
export class RespProtocolError extends Error {
  override name = 'RespProtocolError';
  readonly code = 'PROTOCOL';
}

export interface ReplyDecoderOptions {
  onReply: (value: RespValue) => void;
  /** Receives RESP3 pushes; without it they go to onReply. */
  onPush?: (value: Push) => void;
  binary?: (buf: Uint8Array, start: number, end: number) => string;
}

const Kind = { Array: 0, Map: 1, Set: 2, Push: 3, Attribute: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Frame {
  kind: Kind;
  items: RespValue[];
  remaining: number;
}

const AGGREGATES: Record<number, Kind> = {
  0x2a: Kind.Array,
  0x25: Kind.Map,
  0x7e: Kind.Set,
  0x3e: Kind.Push,
  0x7c: Kind.Attribute,
};

const INT_RE = /^-?[0-9]+$/;

export class ReplyDecoder {
  private readonly input = new InputBuffer();
  private readonly stack: Frame[] = [];
  private readonly binary: (buf: Uint8Array, start: number, end: number) => string;
  private failed: RespProtocolError | null = null;

  constructor(private readonly opts: ReplyDecoderOptions) {
    this.binary = opts.binary ?? bytesToBinary;
  }

  /** Parses `chunk`, calling onReply / onPush for each complete value. */
  feed(chunk: Uint8Array): void {
    if (this.failed !== null) throw this.failed;
    this.input.push(chunk);
    try {
      this.run();
    } catch (e) {
      if (!(e instanceof RespProtocolError)) throw e;
      this.failed = e;
      this.input.clear();
      throw e;
    }
  }

  /** True when a value has started and not finished. */
  get partial(): boolean {
    return this.stack.length > 0 || this.input.length > 0;
  }

  private run(): void {
    const inb = this.input;
    while (inb.start < inb.end) {
      const b = inb.buf;
      const start = inb.start;
      const end = inb.end;
      const type = b[start]!;
      const cr = lineEnd(b, start + 1, end);
      if (cr < 0) return;
      let next = cr + 2;
      let value: RespValue;
      switch (type) {
        case 0x2b: // +
          value = new Status(this.binary(b, start + 1, cr));
          break;
        case 0x2d: // -
          value = new ReplyError(this.binary(b, start + 1, cr));
          break;
        case 0x3a: // :
        case 0x28: // (
          value = integer(this.binary(b, start + 1, cr));
          break;
        case 0x5f: // _
          if (cr !== start + 1) throw new RespProtocolError('invalid null');
          value = null;
          break;
        case 0x2c: // ,
          value = new Double(double(this.binary(b, start + 1, cr)));
          break;
        case 0x23: { // #
          const t = b[start + 1];
          if (cr !== start + 2 || (t !== 0x74 && t !== 0x66)) throw new RespProtocolError('invalid boolean');
          value = t === 0x74;
          break;
        }
        case 0x24: // $
        case 0x21: // !
        case 0x3d: { // =
          const len = length(this.binary(b, start + 1, cr), type === 0x24);
          if (len === -1) {
            value = null;
            break;
          }
          if (end - next < len + 2) {
            inb.expect(next - start + len + 2);
            return;
          }
          if (b[next + len] !== 0x0d || b[next + len + 1] !== 0x0a) throw new RespProtocolError('bulk not terminated by CRLF');
          const s = this.binary(b, next, next + len);
          next += len + 2;
          if (type === 0x24) value = s;
          else if (type === 0x21) value = new ReplyError(s);
          else {
            if (len < 4 || s[3] !== ':') throw new RespProtocolError('invalid verbatim string');
            value = new VerbatimString(s.slice(0, 3), s.slice(4));
          }
          break;
        }
        default: {
          const kind = AGGREGATES[type];
          if (kind === undefined) throw new RespProtocolError(`unknown type byte 0x${type.toString(16)}`);
          const n = length(this.binary(b, start + 1, cr), kind === Kind.Array);
          inb.start = next;
          if (n === -1) {
            this.emit(NIL_ARRAY);
          } else if (n === 0) {
            if (kind !== Kind.Attribute) this.emit(build(kind, []));
          } else {
            const pairs = kind === Kind.Map || kind === Kind.Attribute;
            this.stack.push({ kind, items: [], remaining: pairs ? n * 2 : n });
          }
          continue;
        }
      }
      inb.start = next;
      this.emit(value);
    }
  }

  /** Adds a finished value to the open aggregate, closing those it completes, or delivers it. */
  private emit(v: RespValue): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) {
        if (v instanceof Push && this.opts.onPush) this.opts.onPush(v);
        else this.opts.onReply(v);
        return;
      }
      top.items.push(v);
      if (--top.remaining > 0) return;
      this.stack.pop();
      if (top.kind === Kind.Attribute) return;
      v = build(top.kind, top.items);
    }
  }
}

function build(kind: Kind, items: RespValue[]): RespValue {
  switch (kind) {
    case Kind.Map:
      return new MapReply(items as Reply[]);
    case Kind.Set:
      return new SetReply(items as Reply[]);
    case Kind.Push:
      return new Push(items as Reply[]);
    default:
      return items as Reply[];
  }
}

/** Index of the `\r` of the `\r\n` ending the line at `from`, or -1 if it has not arrived. */
function lineEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (b[i] !== 0x0d) continue;
    if (i + 1 >= end) return -1;
    if (b[i + 1] !== 0x0a) throw new RespProtocolError('CR not followed by LF');
    return i;
  }
  return -1;
}

function integer(s: string): number | bigint {
  if (!INT_RE.test(s)) throw new RespProtocolError(`invalid integer '${s}'`);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

/** A length line: a count >= 0, or -1 where RESP2 allows a null. */
function length(s: string, nullable: boolean): number {
  if (!INT_RE.test(s) || s.length > 16) throw new RespProtocolError(`invalid length '${s}'`);
  const n = Number(s);
  if (n < -1 || (n === -1 && !nullable)) throw new RespProtocolError(`invalid length '${s}'`);
  return n;
}

function double(s: string): number {
  switch (s.toLowerCase()) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) {
    throw new RespProtocolError(`invalid double '${s}'`);
  }
  return Number(s);
}
