/**
 * Replies and commands → RESP bytes, appended to one growable buffer: the server encodes every
 * reply of a pipelined batch into it and hands the bytes to the socket in one write; the AOF
 * encodes commands the same way. Byte strings are written straight into the buffer, so encoding a
 * reply allocates nothing but the occasional growth.
 *
 * Reply → RESP mapping (the table in reply/reply.ts, Redis's addReply* family):
 * - string `$<len>\r\n<bytes>\r\n`; number/bigint `:<n>`; Status `+<text>`; ReplyError `-<text>`
 *   with CR/LF turned into spaces as addReplyErrorFormat does;
 * - null: `$-1` in RESP2, `_` in RESP3; NIL_ARRAY: `*-1` / `_`;
 * - Double: a bulk of its `%.17g` text in RESP2; `,<text>` in RESP3, where ±Infinity is
 *   `inf`/`-inf` (addReplyDouble);
 * - arrays `*`; MapReply `*2n` / `%n`; SetReply `*` / `~`; Push `*` / `>`;
 * - Replies: its items one after another.
 */
import { ReplyError } from '../reply/errors.ts';
import {
  Double,
  formatDouble17g,
  MapReply,
  NilArray,
  Push,
  Replies,
  SetReply,
  Status,
  VerbatimString,
  type Reply,
} from '../reply/reply.ts';

const CRLF_MAP = /[\r\n]/g;

export class RespWriter {
  buf: Uint8Array;
  /** Bytes written so far: `buf[0..length)`. */
  length = 0;

  constructor(private readonly initialSize = 16 * 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  /**
   * Copies the written bytes out and empties the writer. The buffer is kept for reuse, unless one
   * large reply grew it past 1 MiB: a connection should not hold that for its whole life.
   */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    if (this.buf.length > 1 << 20) this.buf = new Uint8Array(this.initialSize);
    return out;
  }

  /** The written bytes, valid until the next write or `reset`. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  /** Appends one reply as a client speaking `resp` expects it. */
  writeReply(r: Reply, resp: 2 | 3): void {
    if (typeof r === 'string') return this.bulk(r);
    if (typeof r === 'number') return this.integer(0x3a, r);
    if (r === null) return resp === 2 ? this.ascii('$-1\r\n') : this.ascii('_\r\n');
    if (Array.isArray(r)) {
      this.integer(0x2a, r.length);
      for (let i = 0; i < r.length; i++) this.writeReply(r[i]!, resp);
      return;
    }
    if (typeof r === 'bigint') {
      this.byte(0x3a);
      this.ascii(r.toString());
      return this.crlf();
    }
    if (r instanceof Status) return this.line(0x2b, r.value);
    if (r instanceof ReplyError) {
      const m = r.message;
      return this.line(0x2d, m.includes('\r') || m.includes('\n') ? m.replace(CRLF_MAP, ' ') : m);
    }
    if (r instanceof Double) return this.double(r.value, resp);
    if (r instanceof MapReply) return this.aggregate(resp === 2 ? 0x2a : 0x25, r.items, resp, resp === 3);
    if (r instanceof SetReply) return this.aggregate(resp === 2 ? 0x2a : 0x7e, r.items, resp, false);
    if (r instanceof Push) return this.aggregate(resp === 2 ? 0x2a : 0x3e, r.items, resp, false);
    if (r instanceof Replies) {
      for (const item of r.items) this.writeReply(item, resp);
      return;
    }
    if (r instanceof NilArray) return resp === 2 ? this.ascii('*-1\r\n') : this.ascii('_\r\n');
    if (r instanceof VerbatimString) {
      if (resp === 2) return this.bulk(r.text);
      this.integer(0x3d, r.text.length + 4);
      this.ascii(`${r.format}:`);
      this.ascii(r.text);
      return this.crlf();
    }
    throw new TypeError(`not a reply: ${String(r)}`);
  }

  /** Appends a command as a RESP array of bulks: what clients send and what the AOF stores. */
  writeCommand(argv: readonly string[]): void {
    this.integer(0x2a, argv.length);
    for (let i = 0; i < argv.length; i++) this.bulk(argv[i]!);
  }

  /** Appends raw bytes. */
  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private aggregate(type: number, items: readonly Reply[], resp: 2 | 3, pairs: boolean): void {
    this.integer(type, pairs ? items.length / 2 : items.length);
    for (let i = 0; i < items.length; i++) this.writeReply(items[i]!, resp);
  }

  private double(d: number, resp: 2 | 3): void {
    const text = formatDouble17g(d);
    if (resp === 2) return this.bulk(text);
    this.line(0x2c, text);
  }

  /** `$<len>\r\n<bytes>\r\n`. */
  private bulk(s: string): void {
    const n = s.length;
    this.ensure(n + 24);
    this.integer(0x24, n);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.length = at;
  }

  /** `<type><text>\r\n` for a simple string, error or double line. */
  private line(type: number, text: string): void {
    this.byte(type);
    this.ascii(text);
    this.crlf();
  }

  /** `<type><n>\r\n`, digits written without building a string. */
  private integer(type: number, n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.byte(type);
      this.ascii(Number.isInteger(n) ? BigInt(n).toString() : String(n));
      return this.crlf();
    }
    this.ensure(24);
    const buf = this.buf;
    let at = this.length;
    buf[at++] = type;
    if (n < 0) {
      buf[at++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      buf[at++] = 0x30 + n;
    } else {
      let digits = 1;
      for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
      at += digits;
      for (let i = at - 1; n > 0; i--) {
        buf[i] = 0x30 + (n % 10);
        n = Math.floor(n / 10);
      }
    }
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    this.length = at;
  }

  /** Writes a byte string as is (each char code is one byte). */
  private ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.length = at;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.length++] = 0x0d;
    this.buf[this.length++] = 0x0a;
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

const scratch = new RespWriter(4096);

/** One reply's bytes for a client speaking `resp`. */
export function encodeReply(reply: Reply, resp: 2 | 3): Uint8Array {
  scratch.reset();
  scratch.writeReply(reply, resp);
  return scratch.take();
}

/** One command as a RESP array of bulks (the AOF format). */
export function encodeCommand(argv: readonly string[]): Uint8Array {
  scratch.reset();
  scratch.writeCommand(argv);
  return scratch.take();
}
