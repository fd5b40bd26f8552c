/**
 * A memory estimate for INFO memory (Redis reads its allocator's counter; a JS heap has no
 * per-object accounting). The dataset is priced in Redis's terms: a dict entry, an sds key and a
 * robj per key, and per element what the value's encoding costs (a few bytes in a listpack or an
 * intset, a dict entry plus sds strings in a hashtable or a skiplist). Large databases and
 * containers are sampled, so INFO stays cheap: O(samples), not O(keys).
 */
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Value } from '../keyspace/object.ts';

/** What every container class offers (see the container contract). */
interface Container {
  readonly type: 'list' | 'hash' | 'set' | 'zset';
  readonly encoding: string;
  readonly length?: number;
  readonly size?: number;
  [Symbol.iterator](): Iterator<unknown>;
}

const KEY_SAMPLES = 64;
const ELEMENT_SAMPLES = 16;
/** Redis 7.0's used_memory right after start-up, without data or clients. */
export const STARTUP_BYTES = 866_000;
/** One idle client: the client struct, its query buffer and its reply buffer. */
export const CLIENT_BYTES = 22_000;

/** jemalloc-like size classes: round up to 8, 16, then quarter powers of two. */
function alloc(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** An sds string of `len` bytes. */
const sds = (len: number): number => alloc(len + (len < 256 ? 3 : len < 65536 ? 5 : 9));

function stringBytes(s: string): number {
  if (s.length <= 20 && /^-?[0-9]+$/.test(s)) return 16; // an int-encoded robj
  return s.length <= 44 ? alloc(16 + 3 + s.length + 1) : 16 + sds(s.length);
}

function elementLength(item: unknown): number {
  if (typeof item === 'string') return item.length;
  if (Array.isArray(item)) {
    const [a, b] = item as [unknown, unknown];
    return (typeof a === 'string' ? a.length : 8) + (typeof b === 'string' ? b.length : 8);
  }
  return 8;
}

function containerBytes(v: Container): number {
  const n = v.length ?? v.size ?? 0;
  if (n === 0) return 48;
  let sampled = 0;
  let total = 0;
  for (const item of v) {
    total += elementLength(item);
    if (++sampled === ELEMENT_SAMPLES) break;
  }
  const avg = total / sampled;
  const compact = v.encoding === 'listpack' || v.encoding === 'intset' || v.encoding === 'quicklist';
  // Listpack entries carry ~2 bytes of header and back-length per field; hashtables a dictEntry,
  // sds strings and, for sorted sets, a skiplist node.
  const perElement = compact ? avg + 2 * (v.type === 'hash' || v.type === 'zset' ? 2 : 1) : avg + 24 + 16 + (v.type === 'zset' ? 40 : 0);
  return 48 + Math.round(n * perElement);
}

export function valueBytes(v: Value): number {
  return typeof v === 'string' ? stringBytes(v) : containerBytes(v as unknown as Container);
}

/** The dataset's estimated size in bytes: keys, values, and the expires dict. */
export function datasetBytes(ks: Keyspace): number {
  let total = 0;
  for (const db of ks.dbs) {
    const n = db.keys.size;
    if (n === 0) continue;
    let sampled = 0;
    let bytes = 0;
    for (const [key, e] of db.keys) {
      bytes += 24 + sds(key.length) + valueBytes(e.value);
      if (++sampled === KEY_SAMPLES) break;
    }
    total += Math.round((bytes / sampled) * n) + db.expires.size * 32;
  }
  return total;
}

/** Redis's bytesToHuman: B, then K/M/G/T/P with two decimals. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}
