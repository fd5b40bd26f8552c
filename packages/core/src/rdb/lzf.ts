/**
 * LZF, as Redis's bundled liblzf writes and reads it (reference §1.11). A stream is a sequence of
 *
 * - literal runs: a control byte `c < 32`, then `c + 1` bytes copied as they are;
 * - back-references: `c >= 32`, length `c >> 5` (7 means "add the next byte"), offset
 *   `((c & 0x1f) << 8 | next byte) + 1` back in the output, copying `length + 2` bytes byte by byte
 *   (the source may overlap the bytes being written, which is how runs compress).
 *
 * The compressor follows liblzf's (HLOG 16, VERY_FAST), so for the same input it normally emits
 * the same bytes as Redis. liblzf does not clear its hash table between calls and may reuse stale
 * slots; ours starts each call clean, so on rare inputs the two streams differ while both decode
 * to the same bytes.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * Hash slots hold `base + position`; a slot below the current call's `base` was written by an
 * earlier call and counts as empty. Clearing 256 KiB per call would dominate for short strings.
 */
const htab = new Int32Array(HSIZE);
let base = 1;

/**
 * Compresses `input[start, end)` into `out` starting at `at`, writing at most `outLen` bytes.
 * Returns the compressed length, or 0 when the output would not fit (Redis then stores the
 * string uncompressed).
 */
export function lzfCompress(input: Uint8Array, start: number, end: number, out: Uint8Array, at: number, outLen: number): number {
  const inLen = end - start;
  if (inLen === 0 || outLen === 0) return 0;
  if (base + inLen >= 0x7fff0000) {
    htab.fill(0);
    base = 1;
  }
  const b = base - start;
  base += inLen + 1;
  const outEnd = at + outLen;
  let op = at;
  let ip = start;
  let lit = 0;
  op++; // the first literal run's control byte
  let hval = (input[ip]! << 8) | input[ip + 1]!;
  while (ip < end - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = ((hval >>> (24 - HLOG)) - Math.imul(hval, 5)) & (HSIZE - 1);
    const ref = htab[slot]! - b;
    htab[slot] = ip + b;
    const off = ip - ref - 1;
    if (ref > start && off < MAX_OFF && off >= 0 && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = end - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // it was empty: drop its control byte
      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2; // now the number of bytes beyond the first two, minus one
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len + 1;
      if (ip >= end - 2) break;
      // Hash the last two positions of the match, as VERY_FAST liblzf does.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[((hval >>> (24 - HLOG)) - Math.imul(hval, 5)) & (HSIZE - 1)] = ip + b;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[((hval >>> (24 - HLOG)) - Math.imul(hval, 5)) & (HSIZE - 1)] = ip + b;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < end) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op - at;
}

/**
 * Decompresses `input[start, end)`, which must expand to exactly `outLen` bytes. Returns the
 * output, or undefined when the stream is damaged (a reference before the start of the output,
 * a run past the end of the input, or the wrong length).
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, outLen: number): Uint8Array | undefined {
  if (!lzfPlausible(end - start, outLen)) return undefined;
  const out = new Uint8Array(outLen);
  return lzfDecompressInto(input, start, end, out, outLen) ? out : undefined;
}

/**
 * A back-reference is at most 3 input bytes for 264 output bytes: a claimed size beyond that ratio
 * is damage, and must not make the caller allocate it.
 */
export function lzfPlausible(inLen: number, outLen: number): boolean {
  return outLen > 0 && outLen <= inLen * 88;
}

/**
 * lzfDecompress into `out[0, outLen)` (a reusable buffer at least that long, so the loader
 * allocates nothing per value); false when the stream is damaged.
 *
 * Runs and references are short (at most 32 and 264 bytes), so they are copied by plain loops:
 * a subarray or copyWithin call costs more than the copy. A reference one byte back (a run of one
 * byte, how zero padding compresses) is a fill.
 */
export function lzfDecompressInto(input: Uint8Array, start: number, end: number, out: Uint8Array, outLen: number): boolean {
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen || ip + n > end) return false;
      for (let i = 0; i < n; i++) out[op + i] = input[ip + i]!;
      ip += n;
      op += n;
    } else {
      let len = ctrl >>> 5;
      if (len === 7) {
        if (ip >= end) return false;
        len += input[ip++]!;
      }
      if (ip >= end) return false;
      const back = ((ctrl & 0x1f) << 8) + input[ip++]! + 1;
      const ref = op - back;
      len += 2;
      if (op + len > outLen || ref < 0) return false;
      if (back === 1) {
        out.fill(out[ref]!, op, op + len);
      } else {
        // Overlapping copies must go byte by byte, front to back: that is how runs repeat.
        for (let i = 0; i < len; i++) out[op + i] = out[ref + i]!;
      }
      op += len;
    }
  }
  return op === outLen;
}
