/** How the hash commands create and fill a hash, with Redis's listpack limits applied. */
import type { Client } from '../../engine/client.ts';
import { HashValue } from './hash.ts';

/** The hash for a write at `key`, created empty (Redis's hashTypeLookupWriteOrCreate) if missing. */
export function hashForWrite(c: Client, key: string): HashValue {
  let h = c.db.write(key, 'hash');
  if (h === undefined) c.db.add(key, (h = new HashValue()));
  return h;
}

/** Sets one field applying Redis's listpack limits, as hashTypeSet does; true when it is new. */
export function setField(c: Client, h: HashValue, field: string, value: string): boolean {
  const config = c.engine.config;
  h.fitLengths(field, value, config.num('hash-max-listpack-value'));
  const created = h.set(field, value);
  h.fitCount(config.num('hash-max-listpack-entries'));
  return created;
}
