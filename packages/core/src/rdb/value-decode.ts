/**
 * One value of an RDB record or DUMP payload → the engine's value (rdbLoadObject). The container
 * encodings are re-decided as Redis 7.0 decides them on load, from the limits in force:
 *
 * - plain SET/HASH/ZSET: built as the commands would build them (intset, then hashtable past
 *   set-max-intset-entries or at the first non-integer; listpack hashes and zsets while every
 *   entry fits hash/zset-max-listpack-entries and -value);
 * - listpack and ziplist blobs (and intsets) keep their compact encoding unless the *count*
 *   exceeds the entries limit (Redis does not look at element sizes there), zipmaps excepted;
 * - lists are always quicklists in 7.0.
 *
 * Empty collections are skipped (null), as Redis skips them; duplicates are corruption.
 */
import type { Value } from '../keyspace/object.ts';
import { ListValue } from '../types/list/list.ts';
import { HashValue } from '../types/hash/hash.ts';
import { SetValue } from '../types/set/set.ts';
import { ZSetValue } from '../types/zset/zset.ts';
import * as C from './constants.ts';
import { DUP_HASH_FIELDS, DUP_SET_MEMBERS, DUP_ZSET_MEMBERS, integrityFailed, MODULE_PRE_GA, unknownType, unsupportedType, ZSET_NAN } from './errors.ts';
import { decodeIntset } from './intset.ts';
import { decodeListpack } from './listpack.ts';
import { parseStrtod, type Reader } from './reader.ts';
import { decodeZiplist } from './ziplist.ts';
import { decodeZipmap } from './zipmap.ts';

/** The config limits that decide encodings on load (Redis 7.0 defaults: 512, 64, 512, 128, 64). */
export interface LoadLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
}

export const DEFAULT_LIMITS: Readonly<LoadLimits> = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};

/** The limits as an engine's config holds them. */
export function limitsFromConfig(config: { num(name: string): number }): LoadLimits {
  return {
    hashMaxListpackEntries: config.num('hash-max-listpack-entries'),
    hashMaxListpackValue: config.num('hash-max-listpack-value'),
    setMaxIntsetEntries: config.num('set-max-intset-entries'),
    zsetMaxListpackEntries: config.num('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.num('zset-max-listpack-value'),
  };
}

/** True for the type bytes rdbIsObjectType accepts. */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 25);
}

/** Reads the value of type `type` for `key`; null when it is an empty collection. */
export function readValue(r: Reader, type: number, key: string, limits: LoadLimits): Value | null {
  const at = r.p;
  switch (type) {
    case C.RDB_TYPE_STRING:
      return r.string();
    case C.RDB_TYPE_LIST: {
      const items: string[] = [];
      for (let n = r.len(); n > 0; n--) items.push(r.string());
      return items.length === 0 ? null : ListValue.from(items);
    }
    case C.RDB_TYPE_SET: {
      const n = r.len();
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string());
      return toSet(r, members, n > limits.setMaxIntsetEntries ? 0 : limits.setMaxIntsetEntries, at);
    }
    case C.RDB_TYPE_ZSET:
    case C.RDB_TYPE_ZSET_2: {
      const n = r.len();
      const pairs: Array<[string, number]> = [];
      let maxLen = 0;
      for (let i = 0; i < n; i++) {
        const m = r.string();
        const s = type === C.RDB_TYPE_ZSET_2 ? r.binaryDouble() : r.textDouble();
        if (Number.isNaN(s)) r.fail(ZSET_NAN);
        if (m.length > maxLen) maxLen = m.length;
        pairs.push([m, s]);
      }
      return toZset(r, pairs, n <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue, at);
    }
    case C.RDB_TYPE_HASH: {
      const n = r.len();
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < n; i++) pairs.push([r.string(), r.string()]);
      return toHash(r, pairs, limits.hashMaxListpackEntries, limits.hashMaxListpackValue, at);
    }
    case C.RDB_TYPE_HASH_ZIPMAP: {
      const pairs = decodeZipmap(r.blob());
      if (pairs === undefined) return r.fail(integrityFailed('Zipmap'), at);
      return toHash(r, pairs, limits.hashMaxListpackEntries, limits.hashMaxListpackValue, at);
    }
    case C.RDB_TYPE_LIST_ZIPLIST: {
      const items: string[] = [];
      if (!decodeZiplist(r.blob(), items)) return r.fail(integrityFailed('Ziplist'), at);
      return items.length === 0 ? null : ListValue.from(items);
    }
    case C.RDB_TYPE_SET_INTSET: {
      const members = decodeIntset(r.blob());
      if (members === undefined) return r.fail(integrityFailed('Intset'), at);
      return toSet(r, members, limits.setMaxIntsetEntries, at);
    }
    case C.RDB_TYPE_SET_LISTPACK: {
      const members: string[] = [];
      if (!decodeListpack(r.blob(), members)) return r.fail(integrityFailed('Set listpack'), at);
      return toSet(r, members, limits.setMaxIntsetEntries, at);
    }
    case C.RDB_TYPE_ZSET_ZIPLIST:
    case C.RDB_TYPE_ZSET_LISTPACK: {
      const flat: string[] = [];
      const ok = type === C.RDB_TYPE_ZSET_ZIPLIST ? decodeZiplist(r.blob(), flat) : decodeListpack(r.blob(), flat);
      if (!ok || flat.length % 2 !== 0) return r.fail(integrityFailed('Zset ziplist/listpack'), at);
      const pairs: Array<[string, number]> = [];
      for (let i = 0; i < flat.length; i += 2) {
        const s = zzlStrtod(flat[i + 1]!);
        // Redis would keep a NaN score; no command can make one, and our sorted sets need an order.
        if (Number.isNaN(s)) return r.fail(integrityFailed('Zset ziplist/listpack'), at);
        pairs.push([flat[i]!, s]);
      }
      return toZset(r, pairs, pairs.length <= limits.zsetMaxListpackEntries, at);
    }
    case C.RDB_TYPE_HASH_ZIPLIST:
    case C.RDB_TYPE_HASH_LISTPACK: {
      const flat: string[] = [];
      const ok = type === C.RDB_TYPE_HASH_ZIPLIST ? decodeZiplist(r.blob(), flat) : decodeListpack(r.blob(), flat);
      if (!ok || flat.length % 2 !== 0) return r.fail(integrityFailed('Hash ziplist/listpack'), at);
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
      return toHash(r, pairs, limits.hashMaxListpackEntries, Infinity, at);
    }
    case C.RDB_TYPE_LIST_QUICKLIST:
    case C.RDB_TYPE_LIST_QUICKLIST_2:
      return readQuicklist(r, type === C.RDB_TYPE_LIST_QUICKLIST_2);
    case C.RDB_TYPE_MODULE_PRE_GA:
      return r.fail(MODULE_PRE_GA, at);
    default:
      if (isObjectType(type)) return r.fail(unsupportedType(key, type), at);
      return r.fail(unknownType(type), at);
  }
}

/**
 * LIST_QUICKLIST: ziplist nodes. LIST_QUICKLIST_2: nodes tagged PLAIN (one element as is) or
 * PACKED (a listpack). Empty nodes are skipped; a list with no elements is an empty key.
 */
function readQuicklist(r: Reader, v2: boolean): ListValue | null {
  const items: string[] = [];
  for (let n = r.len(); n > 0; n--) {
    const at = r.p;
    const container = v2 ? r.len() : C.QUICKLIST_NODE_CONTAINER_PACKED;
    if (container === C.QUICKLIST_NODE_CONTAINER_PLAIN) {
      items.push(r.string());
      continue;
    }
    if (container !== C.QUICKLIST_NODE_CONTAINER_PACKED) r.fail(integrityFailed('Quicklist'), at);
    const ok = v2 ? decodeListpack(r.blob(), items) : decodeZiplist(r.blob(), items);
    if (!ok) r.fail(integrityFailed(v2 ? 'Listpack' : 'Ziplist'), at);
  }
  return items.length === 0 ? null : ListValue.from(items);
}

/**
 * A ziplist/listpack zset score as Redis reads it (zzlGetScore → zzlStrtod): strtod over at most
 * the first 127 bytes, so text that is not a number reads as 0 rather than failing the load.
 */
export function zzlStrtod(text: string): number {
  return parseStrtod(text.length > 127 ? text.slice(0, 127) : text) ?? 0;
}

function toSet(r: Reader, members: string[], maxIntset: number, at: number): SetValue | null {
  if (members.length === 0) return null;
  const s = SetValue.from(members, maxIntset);
  if (s.size !== members.length) r.fail(DUP_SET_MEMBERS, at);
  return s;
}

function toHash(r: Reader, pairs: Array<[string, string]>, maxEntries: number, maxValue: number, at: number): HashValue | null {
  if (pairs.length === 0) return null;
  const h = HashValue.from(pairs, maxEntries, maxValue);
  if (h.size !== pairs.length) r.fail(DUP_HASH_FIELDS, at);
  return h;
}

function toZset(r: Reader, pairs: Array<[string, number]>, listpack: boolean, at: number): ZSetValue | null {
  if (pairs.length === 0) return null;
  const z = ZSetValue.from(pairs, listpack);
  if (z.size !== pairs.length) r.fail(DUP_ZSET_MEMBERS, at);
  return z;
}
