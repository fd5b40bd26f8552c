/** Packed blobs (listpacks, ziplists, intsets, zipmaps) checked by Larder's own RDB decoder. */
import { decodeDump, RdbError } from '@larder/core/rdb';

/**
 * Validates a packed blob with Larder's decoder: a DUMP payload of `head` (the type byte and
 * anything before the blob), the blob as a plain string, and a footer whose checksum is skipped.
 */
export function validBlob(blob: Uint8Array, head: number[]): true | 'empty' | 'invalid' {
  const len = lengthBytes(blob.length);
  const payload = new Uint8Array(head.length + len.length + blob.length + 10);
  payload.set(head, 0);
  payload.set(len, head.length);
  payload.set(blob, head.length + len.length);
  payload[payload.length - 10] = 10;
  try {
    decodeDump(payload, '', { skipChecksum: true });
    return true;
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    // decodeDump refuses an empty value with this reason, at the value's first byte.
    return /^Empty keys/.test(e.reason) ? 'empty' : 'invalid';
  }
}

/** An RDB length encoding (the inverse of rdbLoadLen). */
function lengthBytes(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 255];
  return [0x80, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
