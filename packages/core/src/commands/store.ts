/**
 * The end every STORE command shares (SINTERSTORE, SUNIONSTORE, SDIFFSTORE, ZUNIONSTORE,
 * ZINTERSTORE, ZDIFFSTORE, ZRANGESTORE), as Redis writes it in each of them.
 */
import type { Client } from '../engine/client.ts';
import type { SetValue } from '../types/set/set.ts';
import type { ZSetValue } from '../types/zset/zset.ts';

/**
 * Makes `value` the content of `dst` (setKey: any old value and its TTL go) and notifies `event`
 * in class `cls`, or deletes `dst` when the result is empty. Returns the reply: the result's size.
 *
 * The empty case is Redis's bare dbDelete, with no lookup first: a destination whose time has
 * passed is deleted as a key that was there (a `del` event, and the STORE is propagated), not
 * expired (no `expired` event, no DEL of its own in the AOF).
 */
export function storeResult(c: Client, dst: string, value: SetValue | ZSetValue, event: string, cls: 's' | 'z'): number {
  if (value.size > 0) {
    c.db.set(dst, value);
    c.changed(dst, event, cls);
    return value.size;
  }
  if (c.db.delete(dst)) c.changed(dst, 'del', 'g');
  return 0;
}
