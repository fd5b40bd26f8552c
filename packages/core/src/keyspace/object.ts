/**
 * What a key holds (Redis's robj). A string is stored as a bare byte string; the four containers
 * are objects with a `type` tag, each defined in its own folder under types/.
 */
import type { ListValue } from '../types/list/list.ts';
import type { HashValue } from '../types/hash/hash.ts';
import type { SetValue } from '../types/set/set.ts';
import type { ZSetValue } from '../types/zset/zset.ts';

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
 * - `raw`: strings only, set when APPEND/SETRANGE/SETBIT made the value a mutable `raw` sds, so
 *   OBJECT ENCODING answers as Redis does.
 */
export interface Entry {
  value: Value;
  expireAt: number;
  ver: number;
  raw: boolean;
}
