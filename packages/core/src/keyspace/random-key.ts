/**
 * RANDOMKEY (Redis's dbRandomKey). Redis draws from its hash table's buckets in O(1); a JS `Map`
 * has no random access, so a database that RANDOMKEY has been called on keeps a `KeySample`: a
 * dense array of its keys to draw an index from.
 *
 * Cost, paid only by databases RANDOMKEY touched: one array slot per key (4 bytes with V8's
 * pointer compression), plus an `undefined` check in `Db.add`/`Db.delete` for the others. Entries
 * carry no index, so the array is not kept exact:
 * - `Db.add` appends the new key;
 * - `Db.delete` only counts: the deleted key's slot goes stale (and duplicates the key if it is
 *   added again). Once the stale count may exceed a quarter of the slots, `Db.delete` drops the
 *   sample, which bounds both the memory it pins and the share of wasted draws; the next RANDOMKEY
 *   rebuilds it from the map in O(n), after at least n/4 deletions: O(1) amortised.
 * A draw that lands on a slot whose key is gone swaps that slot out and draws again, so the number
 * of draws per call is O(1) in expectation (at most 4/3 on average).
 */
import type { Db } from './db.ts';

export class KeySample {
  readonly keys: string[];
  /** Deletions since the array was built: an upper bound on its stale and duplicate slots. */
  private stale = 0;

  constructor(keys: Iterable<string>) {
    this.keys = Array.from(keys);
  }

  added(key: string): void {
    this.keys.push(key);
  }

  /** Counts a deletion; false once the sample is too stale to keep. */
  deleted(): boolean {
    return ++this.stale * 4 <= this.keys.length;
  }

  /** Removes slot `i` (known stale) in O(1). */
  drop(i: number): void {
    const last = this.keys.pop()!;
    if (i < this.keys.length) this.keys[i] = last;
    this.stale--;
  }
}

/**
 * A random live key of `db`, or undefined when it is empty. Expired keys drawn are deleted on the
 * way (with their expiry propagation), as Redis's dbRandomKey does.
 */
export function randomKey(db: Db, random: () => number): string | undefined {
  for (;;) {
    if (db.size === 0) return undefined;
    let s = db.sample;
    if (s === undefined || s.keys.length === 0) db.sample = s = new KeySample(db.keys.keys());
    const i = Math.floor(random() * s.keys.length);
    const key = s.keys[i]!;
    const e = db.keys.get(key);
    if (e === undefined) {
      s.drop(i);
      continue;
    }
    // lookup() deletes the key when it has expired; then draw again.
    if (e.expireAt !== -1 && db.lookup(key) === undefined) continue;
    return key;
  }
}
