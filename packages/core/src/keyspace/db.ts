/**
 * One logical database (Redis's redisDb): the key map and the subset of keys with a TTL.
 *
 * Every change to a key goes through the methods below, and each calls `keyspace.beforeWrite`
 * before it mutates: that single choke point is what forkless snapshots rely on (reference §5.6).
 * Handlers that change a container in place take it with `write()`, which runs the hook, instead of
 * `read()`.
 *
 * FLUSHDB and SWAPDB never clear a map: they replace or swap `Db` objects in the keyspace, so a
 * snapshot still iterating an old map sees it unchanged.
 */
import { WRONGTYPE } from '../reply/errors.ts';
import type { Keyspace } from './keyspace.ts';
import { SlotMap } from './slot-map.ts';
import type { KeySample } from './random-key.ts';
import { typeOf, type Entry, type TypeName, type Value, type ValueTypes } from './object.ts';

export class Db {
  /** SlotMap rather than Map: see slot-map.ts for the V8 pathology it avoids. */
  readonly keys: SlotMap<string, Entry>;
  /** Keys with a TTL, in insertion order; the active expire cycle walks it with a cursor. */
  readonly expires: SlotMap<string, Entry>;
  /** Live iterator over `expires`, resumed by each active expire cycle. */
  expireCursor: Iterator<[string, Entry]> | undefined;
  /** Average TTL estimate for INFO keyspace (Redis's avg_ttl), updated by the expire cycle. */
  avgTtl = 0;
  /** RANDOMKEY's key array, built on its first use in this db (see random-key.ts). */
  sample: KeySample | undefined;

  /** An empty database, or one holding the keys of `from` (a database of another keyspace, which gives them up). */
  constructor(readonly ks: Keyspace, from?: Db) {
    this.keys = from?.keys ?? new SlotMap();
    this.expires = from?.expires ?? new SlotMap();
  }

  get size(): number {
    return this.keys.size;
  }

  /** The live entry for `key`, expiring it first if its time has passed (Redis's lookupKey). */
  lookup(key: string): Entry | undefined {
    const e = this.keys.get(key);
    if (e === undefined || e.expireAt === -1) return e;
    if (this.ks.now() > e.expireAt && this.ks.expireIfNeeded(this, key, e)) return undefined;
    return e;
  }

  /** The value at `key` for reading, checked against `type` (WRONGTYPE otherwise). */
  read<T extends TypeName>(key: string, type: T): ValueTypes[T] | undefined {
    const e = this.lookup(key);
    if (e === undefined) {
      this.ks.onMiss(this, key);
      return undefined;
    }
    this.ks.hits++;
    if (typeOf(e.value) !== type) throw WRONGTYPE;
    return e.value as ValueTypes[T];
  }

  /** Like `read`, but announces a write first: use it before changing a value in place. */
  write<T extends TypeName>(key: string, type: T): ValueTypes[T] | undefined {
    const e = this.lookup(key);
    if (e === undefined) return undefined;
    if (typeOf(e.value) !== type) throw WRONGTYPE;
    this.touchEntry(key, e);
    return e.value as ValueTypes[T];
  }

  /** Announces a coming change of `e` (value, TTL or existence) to the snapshotter. */
  touchEntry(key: string, e: Entry): void {
    if (e.ver !== this.ks.epoch) {
      this.ks.beforeWrite?.(this, key, e);
      e.ver = this.ks.epoch;
    }
  }

  /** Adds a key that does not exist (Redis's dbAdd). Wakes clients blocked on it. */
  add(key: string, value: Value): Entry {
    const e: Entry = { value, expireAt: -1, ver: this.ks.epoch, enc: 0 };
    this.keys.set(key, e);
    if (this.sample !== undefined) this.sample.added(key);
    if (typeof value !== 'string') this.ks.signalKeyAsReady?.(this, key);
    this.ks.onNewKey?.(this, key);
    return e;
  }

  /** Room for `keys` more keys, `expires` of them with a TTL (RDB RESIZEDB, Redis's dictExpand). */
  reserve(keys: number, expires: number): void {
    this.keys.reserve(this.keys.size + keys);
    this.expires.reserve(this.expires.size + expires);
  }

  /**
   * Adds a key read from an RDB file (Redis's dbAddRDBLoad) with its TTL (-1 for none), at the
   * cost of one hash lookup. Returns false when the key was already there: the load must then
   * fail, as it is left holding either value (keys and expires stay consistent). Loaders check
   * keys that existed before the load themselves.
   */
  addLoaded(key: string, value: Value, expireAt: number): boolean {
    const e: Entry = { value, expireAt, ver: this.ks.epoch, enc: 0 };
    if (!this.keys.insert(key, e)) {
      const old = this.expires.get(key);
      if (old !== undefined) this.keys.set(key, old);
      return false;
    }
    if (expireAt !== -1) this.expires.set(key, e);
    if (this.sample !== undefined) this.sample.added(key);
    if (typeof value !== 'string') this.ks.signalKeyAsReady?.(this, key);
    this.ks.onNewKey?.(this, key);
    return true;
  }

  /**
   * Sets `key` to `value` whether or not it exists (Redis's setKey): the TTL is dropped unless
   * `keepTtl`. Returns the entry.
   */
  set(key: string, value: Value, keepTtl = false): Entry {
    const e = this.lookup(key);
    if (e === undefined) return this.add(key, value);
    this.touchEntry(key, e);
    e.value = value;
    e.enc = 0;
    if (!keepTtl && e.expireAt !== -1) {
      e.expireAt = -1;
      this.expires.delete(key);
    }
    return e;
  }

  /** Removes `key`; true if it existed (expired or not: callers look it up first). */
  delete(key: string): boolean {
    const e = this.keys.get(key);
    if (e === undefined) return false;
    this.touchEntry(key, e);
    this.keys.delete(key);
    if (e.expireAt !== -1) this.expires.delete(key);
    if (this.sample !== undefined && !this.sample.deleted()) this.sample = undefined;
    return true;
  }

  /** Sets an absolute expiry in unix ms on an existing key. */
  setExpire(key: string, e: Entry, at: number): void {
    this.touchEntry(key, e);
    if (e.expireAt === -1) this.expires.set(key, e);
    e.expireAt = at;
  }

  /** Removes the TTL; true if there was one. */
  persist(key: string, e: Entry): boolean {
    if (e.expireAt === -1) return false;
    this.touchEntry(key, e);
    e.expireAt = -1;
    this.expires.delete(key);
    return true;
  }
}
