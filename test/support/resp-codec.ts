/**
 * The oracle side's small RESP codec: commands out as arrays of bulk strings, RESP2 and RESP3
 * frames in as `Norm` values. Bytes become latin1 strings one char per byte, the byte strings the
 * engine uses, so binary values round-trip unchanged. Attributes (`|`) are read and dropped.
 */
import type { Norm } from './norm.ts';

/** `argv` (byte strings) as one RESP command. */
export function encodeCommand(argv: readonly string[]): Buffer {
  let head = `*${argv.length}\r\n`;
  const parts: Buffer[] = [];
  for (const a of argv) {
    head += `$${a.length}\r\n`;
    parts.push(Buffer.from(head, 'latin1'), Buffer.from(a, 'latin1'));
    head = '\r\n';
  }
  parts.push(Buffer.from(head, 'latin1'));
  return Buffer.concat(parts);
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Incremental decoder: `push` chunks, then `next()` until it returns undefined (need more bytes). */
export class RespDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next complete frame, or undefined when the buffer ends inside one. */
  next(): Norm | undefined {
    const r = this.parse(this.pos);
    if (r === undefined) return undefined;
    this.pos = r[1];
    return r[0];
  }

  private line(at: number): [string, number] | undefined {
    const end = this.buf.indexOf('\r\n', at, 'latin1');
    if (end < 0) return undefined;
    return [this.buf.toString('latin1', at, end), end + 2];
  }

  private parse(at: number): [Norm, number] | undefined {
    if (at >= this.buf.length) return undefined;
    const type = String.fromCharCode(this.buf[at]!);
    const l = this.line(at + 1);
    if (l === undefined) return undefined;
    const [text, after] = l;
    switch (type) {
      case '+': return [{ t: 'simple', v: text }, after];
      case '-': return [{ t: 'error', v: text }, after];
      case ':': return [{ t: 'int', v: text }, after];
      case ',': return [{ t: 'double', v: text }, after];
      case '(': return [{ t: 'bignum', v: text }, after];
      case '#': return [{ t: 'bool', v: text === 't' }, after];
      case '_': return [{ t: 'nil' }, after];
      case '$':
      case '=':
      case '!': {
        const n = Number(text);
        if (n === -1) return [{ t: 'nil' }, after];
        if (!Number.isInteger(n) || n < 0) throw new ProtocolError(`bad length ${text}`);
        if (after + n + 2 > this.buf.length) return undefined;
        const s = this.buf.toString('latin1', after, after + n);
        if (type === '$') return [{ t: 'bulk', v: s }, after + n + 2];
        if (type === '!') return [{ t: 'error', v: s }, after + n + 2];
        return [{ t: 'verbatim', v: s.slice(4) }, after + n + 2];
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        const n = Number(text);
        if (n === -1) return [{ t: 'nilarray' }, after];
        if (!Number.isInteger(n) || n < 0) throw new ProtocolError(`bad aggregate length ${text}`);
        const count = type === '%' || type === '|' ? n * 2 : n;
        const out: Norm[] = [];
        let p = after;
        for (let i = 0; i < count; i++) {
          const r = this.parse(p);
          if (r === undefined) return undefined;
          out.push(r[0]);
          p = r[1];
        }
        if (type === '|') return this.parse(p); // an attribute precedes the real frame
        const t = type === '*' ? 'array' : type === '~' ? 'set' : type === '>' ? 'push' : 'map';
        return [{ t, v: out }, p];
      }
      default:
        throw new ProtocolError(`unexpected byte ${JSON.stringify(type)} at offset ${at}`);
    }
  }
}
