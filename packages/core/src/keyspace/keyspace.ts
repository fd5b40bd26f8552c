/**
 * The 16 databases, the clock, and the hooks through which the engine hears about expiry and keys
 * that blocked clients wait on. Kept free of command logic so the RDB loader and the snapshotter can
 * use it alone.
 */
import { Db } from './db.ts';
import type { Entry } from './object.ts';

export class Keyspace {
  dbs: Db[];
  /** Bumped by snapshots at their cut; entries stamped with the epoch of their last write. */
  epoch = 1;
  /** The mutation choke point (reference §5.6): called once per entry per epoch, before a write. */
  beforeWrite: ((db: Db, key: string, entry: Entry) => void) | undefined;
  /** Set by the engine: a key that blocked clients may wait on was created. */
  signalKeyAsReady: ((db: Db, key: string) => void) | undefined;
  /** Set by the engine while `new` keyspace events are enabled (Redis's dbAdd notification). */
  onNewKey: ((db: Db, key: string) => void) | undefined;
  /** Set by the engine: delete an expired key, propagating and notifying as Redis does. */
  onExpire: ((db: Db, key: string) => void) | undefined;
  /** Reads that found their key (INFO keyspace_hits); misses are counted by `onMiss`. */
  hits = 0;
  /** Set by the engine: a read found no key (keyspace_misses, the `m` notification). */
  onMiss: (db: Db, key: string) => void = () => {};
  /** While loading or replaying, keys are not expired on access (Redis: masters only expire). */
  expireEnabled = true;

  constructor(
    readonly now: () => number,
    count = 16,
  ) {
    this.dbs = Array.from({ length: count }, () => new Db(this));
  }

  /** True when `e`'s TTL has passed and expiry is on (Redis's keyIsExpired); deletes nothing. */
  isExpired(e: Entry): boolean {
    return e.expireAt !== -1 && this.expireEnabled && this.now() > e.expireAt;
  }

  /** Deletes `key` of `db` if it is expired; returns true when it did. */
  expireIfNeeded(db: Db, key: string, e: Entry): boolean {
    if (!this.expireEnabled || e.expireAt === -1 || this.now() <= e.expireAt) return false;
    if (this.onExpire) this.onExpire(db, key);
    else db.delete(key);
    return true;
  }

  /** A fresh, empty database for slot `i` (FLUSHDB), leaving the old one to any snapshot. */
  flush(i: number): Db {
    const fresh = new Db(this);
    this.dbs[i] = fresh;
    return fresh;
  }

  /**
   * Db `i` becomes one holding the keys of `from`, a database of another keyspace (an import's
   * scratch engine), leaving the old Db to any snapshot. A snapshot running here ignores the new
   * Db (it was not there at its cut). The entries carry the other keyspace's epochs, so the epoch
   * moves up to at least that: a later snapshot's cut must not find entries "written after it".
   */
  adopt(i: number, from: Db): Db {
    const db = new Db(this, from);
    if (from.ks.epoch > this.epoch) this.epoch = from.ks.epoch;
    this.dbs[i] = db;
    return db;
  }

  swap(a: number, b: number): void {
    const da = this.dbs[a]!;
    this.dbs[a] = this.dbs[b]!;
    this.dbs[b] = da;
  }

  indexOf(db: Db): number {
    return this.dbs.indexOf(db);
  }
}
