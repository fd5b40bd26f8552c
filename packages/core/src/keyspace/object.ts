/**
 * What a key holds (Redis's robj). A string is stored as a bare byte string; the four containers
 * are objects with a `type` tag, each defined in its own folder under types/.
 */
import type { ListValue } from '../types/list/list.ts';
import type { HashValue } from '../types/hash/hash.ts';
import type { SetValue } from '../types/set/set.ts';
import type { ZSetValue } from '../types/zset/zset.ts';
import { stringEncoding } from '../types/string/string.ts';

export type Value = string | ListValue | HashValue | SetValue | ZSetValue;

export interface ValueTypes {
  string: string;
  list: ListValue;
  hash: HashValue;
  set: SetValue;
  zset: ZSetValue;
}
export type TypeName = keyof ValueTypes;

export function typeOf(v: Value): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * One key's slot in a database.
 * - `expireAt`: absolute unix ms, or -1 for no TTL. Expired when `now > expireAt` (Redis's rule).
 * - `ver`: the epoch of the last write; forkless snapshots compare it with their cut.
 * - `enc`: strings only, which of Redis's encodings the value's history would give it, so OBJECT
 *   ENCODING answers as Redis does: `STR_AUTO` (0, what SET stores), `STR_RAW`, `STR_NOT_INT`
 *   (types/string/string.ts). COPY, RENAME and MOVE keep it; `set` resets it to 0.
 */
export interface Entry {
  value: Value;
  expireAt: number;
  ver: number;
  enc: number;
}

/**
 * What OBJECT ENCODING answers for `e`, as Redis 7.0 would: a string's encoding depends on its
 * bytes and history (int / embstr / raw); a container knows its own.
 */
export function objectEncoding(e: Entry): string {
  const v = e.value;
  return typeof v === 'string' ? stringEncoding(e) : v.encoding;
}
