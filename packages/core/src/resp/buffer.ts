/**
 * The unread bytes of a stream, shared by the request and reply decoders. A chunk that arrives
 * while nothing is pending is adopted as is, so the common case (whole commands per chunk) copies
 * nothing; only a message split across chunks is gathered into an owned buffer, which grows
 * geometrically so feeding a large value in small pieces costs O(n), not O(n²).
 */

const EMPTY = new Uint8Array(0);
const MIN_OWNED = 4096;

export class InputBuffer {
  /** Bytes `start..end` of `buf` are unread. Decoders read and advance `start` directly. */
  buf: Uint8Array = EMPTY;
  start = 0;
  end = 0;
  /** True when `buf` is ours to write into; an adopted chunk belongs to the caller. */
  private owned = false;
  /** Pending bytes a decoder knows it needs (a bulk's length): lets growth allocate exactly. */
  private hint = 0;

  get length(): number {
    return this.end - this.start;
  }

  /**
   * Appends `chunk`. The caller must not modify a chunk after pushing it: it may be read in place
   * until consumed.
   */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.start === this.end) {
      this.buf = chunk;
      this.start = 0;
      this.end = n;
      this.owned = false;
      return;
    }
    const pending = this.end - this.start;
    const need = pending + n;
    if (this.owned && this.buf.length - this.start >= need) {
      // Fits after the unread bytes.
    } else if (this.owned && this.buf.length >= need) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end = pending;
      this.start = 0;
    } else {
      let cap = Math.max(need, MIN_OWNED, this.owned ? this.buf.length * 2 : pending * 2);
      // A known total smaller than the doubled size avoids the overshoot; it never grows earlier.
      if (this.hint >= need && this.hint < cap) cap = this.hint;
      this.hint = 0;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
      this.end = pending;
      this.start = 0;
      this.owned = true;
    }
    this.buf.set(chunk, this.end);
    this.end += n;
  }

  /** Declares that `total` pending bytes (from `start`) are needed before the decoder can go on. */
  expect(total: number): void {
    this.hint = total;
  }

  /** Drops everything (a decoder that failed, or a reset). */
  clear(): void {
    this.buf = EMPTY;
    this.start = this.end = 0;
    this.owned = false;
    this.hint = 0;
  }
}

/**
 * Index of the first `byte` in `buf[from..end)`, or -1. Like C's strchr on Redis's query buffer, a
 * NUL byte ends the search: Redis then waits for more input, and so must we.
 */
export function findByte(buf: Uint8Array, from: number, end: number, byte: number): number {
  for (let i = from; i < end; i++) {
    const c = buf[i]!;
    if (c === byte) return i;
    if (c === 0) return -1;
  }
  return -1;
}

/**
 * Parses `buf[from..to)` as Redis's string2ll does (optional '-', no '+', no leading zeros, no
 * spaces, within int64). Returns NaN when it would refuse. Values past 2^53 come back rounded,
 * which is fine for the length checks this serves.
 */
export function parseLongLong(buf: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len <= 0 || len >= 21) return NaN;
  if (len === 1 && buf[from] === 0x30) return 0;
  let i = from;
  const negative = buf[i] === 0x2d;
  if (negative && ++i === to) return NaN;
  let c = buf[i]!;
  if (c < 0x31 || c > 0x39) return NaN;
  let v = c - 0x30;
  for (i++; i < to; i++) {
    c = buf[i]!;
    if (c < 0x30 || c > 0x39) return NaN;
    v = v * 10 + (c - 0x30);
  }
  if (v >= 9007199254740992) {
    // Near the int64 limits doubles cannot tell 2^63-1 from 2^63: decide exactly.
    let s = '';
    for (let j = from; j < to; j++) s += String.fromCharCode(buf[j]!);
    const b = BigInt(s);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return NaN;
  }
  return negative ? -v : v;
}
