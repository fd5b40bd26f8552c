/**
 * The keyspace's hash table: a Map of string keys, in insertion order, built on typed arrays.
 *
 * Why not Map: (1) V8's Map leaves a deleted entry in its bucket chain until the table is rehashed,
 * which happens only when it fills up, so deleting and re-adding one key in a large map (a queue
 * emptied by RPOP, a lock taken and released) grows that chain each time: measured, set+delete of
 * one key in a 100k-entry Map falls from 1.2M/s to 10k/s. (2) Adding a key to a large Map costs
 * several cache misses (bucket, chained entries, each chained key's string) plus a rehash of every
 * key at each doubling; loading a million keys spent ~0.9 s there. Here adding a key costs one
 * probe of an index that keeps each key's hash beside its entry number, and growing rebuilds the
 * index from stored hashes without touching a key.
 *
 * Layout: `kv` holds the entries in insertion order (key, value, key, value, ...); `index` is an
 * open-addressing table (linear probing, at most 3/4 full) of [hash, entry + 1] pairs; `hashes`
 * keeps each entry's hash for rebuilding. A deleted key keeps its entry with a HOLE value, so
 * re-adding it overwrites the same slot; holes are swept in one pass once they outnumber the live
 * entries (and exceed a floor), which keeps the cost O(1) amortised and the memory bounded.
 *
 * Semantics are Map's, minus a hole's position: a key deleted and re-added keeps its old place in
 * iteration order instead of moving to the end. Iterators are live like Map's (they see entries
 * added later and skip ones deleted before they get there), which SCAN and snapshots rely on; a
 * sweep or clear moves iterators to the new table as V8 does, through the list of swept positions
 * the old table keeps.
 */
const HOLE_FLOOR = 1024;
/** Slots of an empty table; a table is at most 3/4 full. */
const MIN_SLOTS = 16;
/** The most entries `reserve` makes room for ahead of use (2^21 slots: 22 MiB of index and hashes). */
const RESERVE_MAX = 3 << 19;

const HOLE: unique symbol = Symbol('hole');

interface Table {
  /** [hash, entry + 1] per slot, 0 = empty; capacity (hashes.length) is 3/4 of the slots. */
  index: Int32Array;
  /** Slot count - 1. */
  mask: number;
  hashes: Int32Array;
  kv: unknown[];
  /** Entries in use, live or holes. */
  used: number;
  /** Set once a sweep or clear replaced this table: where its iterators continue. */
  next: Table | undefined;
  /** With `next`: the positions the sweep dropped, ascending; undefined after a clear. */
  swept: Int32Array | undefined;
}

function newTable(slots: number): Table {
  return { index: new Int32Array(slots * 2), mask: slots - 1, hashes: new Int32Array((slots * 3) >>> 2), kv: [], used: 0, next: undefined, swept: undefined };
}

/** The slot count (a power of two) whose capacity holds `n` entries. */
function slotsFor(n: number): number {
  let slots = MIN_SLOTS;
  while ((slots * 3) >>> 2 < n) slots *= 2;
  return slots;
}

// Seeded so that which keys collide differs from process to process, as V8's own string hash does.
const SEED = (Math.random() * 0x100000000) | 0;

/**
 * MurmurHash3 (x86, 32-bit) over the char codes, four at a time. Byte strings have codes below
 * 256 so nothing is lost; wider codes are folded in and only cost collisions.
 */
export function hashKey(s: string): number {
  let h = SEED;
  const n = s.length;
  const end = n & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    let k = s.charCodeAt(i) ^ (s.charCodeAt(i + 1) << 8) ^ (s.charCodeAt(i + 2) << 16) ^ (s.charCodeAt(i + 3) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let j = n - 1; j >= i; j--) k = (k << 8) ^ s.charCodeAt(j);
  if (n > end) {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class SlotMap<K extends string, V> {
  private t: Table = newTable(MIN_SLOTS);
  private holes = 0;

  get size(): number {
    return this.t.used - this.holes;
  }

  get(key: K): V | undefined {
    const t = this.t;
    const e = find(t, key, hashKey(key));
    if (e < 0) return undefined;
    const v = t.kv[2 * e + 1];
    return v === HOLE ? undefined : (v as V);
  }

  has(key: K): boolean {
    const t = this.t;
    const e = find(t, key, hashKey(key));
    return e >= 0 && t.kv[2 * e + 1] !== HOLE;
  }

  set(key: K, value: V): this {
    this.insert(key, value);
    return this;
  }

  /**
   * Sets `key` and returns true when it had no live entry; otherwise replaces the live entry's
   * value and returns false. A bulk load's insert-if-absent in one probe.
   */
  insert(key: K, value: V): boolean {
    const t = this.t;
    const h = hashKey(key);
    // One probe: the slot holding the key, or the free slot where it goes.
    let i = slotOf(t, key, h);
    const e = t.index[2 * i + 1]!;
    if (e !== 0) {
      const was = t.kv[2 * e - 1];
      t.kv[2 * e - 1] = value;
      if (was !== HOLE) return false;
      this.holes--;
      return true;
    }
    if (t.used === t.hashes.length) {
      grow(t, (t.mask + 1) * 2);
      i = slotOf(t, key, h);
    }
    const n = t.used++;
    t.hashes[n] = h;
    // Stores, not push: `reserve` may have sized kv ahead (a push would append past that).
    t.kv[2 * n] = key;
    t.kv[2 * n + 1] = value;
    t.index[2 * i] = h;
    t.index[2 * i + 1] = n + 1;
    return true;
  }

  /**
   * Makes room for `n` entries in all, so adding up to that many rebuilds nothing: what a loader
   * does with the file's key count (RDB RESIZEDB, as Redis's dictExpand). Capped at RESERVE_MAX,
   * since a damaged file may claim any count.
   */
  reserve(n: number): void {
    const t = this.t;
    const want = Math.min(n, RESERVE_MAX);
    if (want <= t.hashes.length) return;
    grow(t, slotsFor(want));
    // An empty table (a load starting) also gets its entry array at full size: growing it by push
    // copies it ~20 times on the way to a million keys (measured: 2M pushes 75 ms, stores 20-30 ms).
    if (t.used === 0) t.kv = new Array(2 * want);
  }

  delete(key: K): boolean {
    const t = this.t;
    const e = find(t, key, hashKey(key));
    if (e < 0 || t.kv[2 * e + 1] === HOLE) return false;
    t.kv[2 * e + 1] = HOLE;
    if (++this.holes > HOLE_FLOOR && this.holes > t.used - this.holes) this.sweep();
    return true;
  }

  clear(): void {
    const old = this.t;
    this.t = newTable(MIN_SLOTS);
    this.holes = 0;
    retire(old, this.t, undefined);
  }

  entries(): IterableIterator<[K, V]> {
    return new Walker<[K, V]>(this.t, PAIRS);
  }

  keys(): IterableIterator<K> {
    return new Walker<K>(this.t, KEYS);
  }

  values(): IterableIterator<V> {
    return new Walker<V>(this.t, VALUES);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Rebuilds the table without its holes; iterators of the old one move over. */
  private sweep(): void {
    const old = this.t;
    const live = old.used - this.holes;
    // Room to double after the sweep, so a shrinking map does not rebuild again at once.
    const t = newTable(slotsFor(live * 2));
    const swept = new Int32Array(this.holes);
    let s = 0;
    for (let e = 0; e < old.used; e++) {
      const v = old.kv[2 * e + 1];
      if (v === HOLE) {
        swept[s++] = e;
        continue;
      }
      const n = t.used++;
      t.hashes[n] = old.hashes[e]!;
      t.kv[2 * n] = old.kv[2 * e];
      t.kv[2 * n + 1] = v;
      place(t, old.hashes[e]!, n);
    }
    this.t = t;
    this.holes = 0;
    retire(old, t, swept);
  }
}

const PAIRS = 0;
const KEYS = 1;
const VALUES = 2;

/**
 * A live iterator over the live entries in order. When its table has been replaced by a sweep or
 * a clear it moves to the new one first (V8's OrderedHashTable iterator transition): past a sweep
 * its position drops by the swept positions before it; past a clear it starts over. Once done, it
 * stays done, as Map's do.
 */
class Walker<T> implements IterableIterator<T> {
  private p = 0;

  constructor(
    private t: Table | undefined,
    private readonly mode: number,
  ) {}

  next(): IteratorResult<T> {
    let t = this.t;
    if (t === undefined) return { value: undefined, done: true };
    let p = this.p;
    while (t.next !== undefined) {
      p = t.swept === undefined ? 0 : p - countBelow(t.swept, p);
      t = t.next;
    }
    this.t = t;
    const kv = t.kv;
    for (; p < t.used; p++) {
      const v = kv[2 * p + 1];
      if (v === HOLE) continue;
      this.p = p + 1;
      const mode = this.mode;
      const value = mode === PAIRS ? [kv[2 * p], v] : mode === KEYS ? kv[2 * p] : v;
      return { value: value as T, done: false };
    }
    this.t = undefined;
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}

/** The slot holding `key`, or the first free slot of its probe sequence. */
function slotOf(t: Table, key: string, h: number): number {
  const index = t.index;
  const kv = t.kv;
  const mask = t.mask;
  let i = h & mask;
  for (;;) {
    const e = index[2 * i + 1]!;
    if (e === 0 || (index[2 * i] === h && kv[2 * (e - 1)] === key)) return i;
    i = (i + 1) & mask;
  }
}

/** The entry holding `key` (live or hole), or -1. */
function find(t: Table, key: string, h: number): number {
  return t.index[2 * slotOf(t, key, h) + 1]! - 1;
}

/** Records entry `n` (hash `h`) in the first free slot of its probe sequence. */
function place(t: Table, h: number, n: number): void {
  const index = t.index;
  const mask = t.mask;
  let i = h & mask;
  while (index[2 * i + 1] !== 0) i = (i + 1) & mask;
  index[2 * i] = h;
  index[2 * i + 1] = n + 1;
}

/** Rebuilds the index with `slots` slots; entries keep their positions, so iterators are unaffected. */
function grow(t: Table, slots: number): void {
  const hashes = new Int32Array((slots * 3) >>> 2);
  hashes.set(t.hashes.subarray(0, t.used));
  t.hashes = hashes;
  t.index = new Int32Array(slots * 2);
  t.mask = slots - 1;
  for (let e = 0; e < t.used; e++) place(t, hashes[e]!, e);
}

/** Points `old`'s iterators at `next` and frees its storage. */
function retire(old: Table, next: Table, swept: Int32Array | undefined): void {
  old.next = next;
  old.swept = swept;
  old.index = new Int32Array(0);
  old.hashes = new Int32Array(0);
  old.kv = [];
  old.used = 0;
}

/** How many of the ascending `xs` are below `p`. */
function countBelow(xs: Int32Array, p: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
