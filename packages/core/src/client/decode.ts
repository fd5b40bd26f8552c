/**
 * Reply values → what the typed client returns: bulk strings become text (UTF-8 decoded) or bytes,
 * doubles and integers become numbers (bigint past 2^53), maps become objects, errors throw.
 */
import { binaryToBytes, binaryToText } from '../bytes.ts';
import { ReplyError } from '../reply/reply-error.ts';
import { Double, MapReply, NilArray, Push, Replies, SetReply, Status, VerbatimString, type Reply } from '../reply/reply.ts';

export type Decoded = string | Uint8Array | number | bigint | null | Decoded[] | { [k: string]: Decoded };

export interface DecodeOptions {
  /** Return bulk strings as Uint8Array instead of UTF-8 text. */
  bytes: boolean;
}

export function decodeReply(r: Reply, o: DecodeOptions): Decoded {
  if (typeof r === 'string') return o.bytes ? binaryToBytes(r) : binaryToText(r);
  if (typeof r === 'number' || typeof r === 'bigint') {
    return typeof r === 'bigint' && r >= -(2n ** 53n) && r <= 2n ** 53n ? Number(r) : r;
  }
  if (r === null || r instanceof NilArray) return null;
  if (Array.isArray(r)) return r.map((x) => decodeReply(x, o));
  if (r instanceof Status) return r.value;
  if (r instanceof Double) return r.value;
  if (r instanceof VerbatimString) return o.bytes ? binaryToBytes(r.text) : binaryToText(r.text);
  if (r instanceof ReplyError) throw r;
  if (r instanceof MapReply) {
    const obj: { [k: string]: Decoded } = {};
    for (let i = 0; i < r.items.length; i += 2) {
      obj[binaryToText(String(r.items[i]))] = decodeReply(r.items[i + 1]!, o);
    }
    return obj;
  }
  if (r instanceof SetReply || r instanceof Push || r instanceof Replies) {
    return r.items.map((x) => decodeReply(x, o));
  }
  return r satisfies never;
}

/** Flat [k, v, k, v] → { k: v } (for RESP2-shaped pairs such as HRANDFIELD WITHVALUES). */
export function pairsToObject(flat: Decoded): Record<string, Decoded> {
  const out: Record<string, Decoded> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i < flat.length; i += 2) out[String(flat[i])] = flat[i + 1]!;
  return out;
}
