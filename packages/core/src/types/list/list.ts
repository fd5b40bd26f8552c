/**
 * The list type: a deque of byte strings in a growable ring buffer (capacity a power of two).
 * Push and pop at either end and access by index are O(1); an insertion or removal inside the list
 * moves the elements on its shorter side, so LINSERT/LREM near either end stay cheap, as they are
 * on Redis's quicklist.
 *
 * Indexes here are always in range (0 <= i < length): the commands normalise Redis's negative
 * and out-of-range indexes before calling in. Vacated slots are reset to '' so popped values can
 * be collected.
 */

const MIN_CAPACITY = 4;

export class ListValue {
  readonly type = 'list' as const;
  private buf: string[];
  private mask: number;
  private head = 0;
  private len = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<string>(cap).fill('');
    this.mask = cap - 1;
  }

  /** A list holding `items` head to tail (the RDB loader and tests build lists this way). */
  static from(items: Iterable<string>): ListValue {
    const arr = Array.isArray(items) ? (items as string[]) : [...items];
    const l = new ListValue(arr.length);
    for (let i = 0; i < arr.length; i++) l.buf[i] = arr[i]!;
    l.len = arr.length;
    return l;
  }

  get length(): number {
    return this.len;
  }

  /** Redis 7.0 stores every list as a quicklist, however small. */
  get encoding(): string {
    return 'quicklist';
  }

  /** The element at index `i` (0 = head). */
  at(i: number): string {
    return this.buf[(this.head + i) & this.mask]!;
  }

  set(i: number, value: string): void {
    this.buf[(this.head + i) & this.mask] = value;
  }

  pushHead(value: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = value;
    this.len++;
  }

  pushTail(value: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = value;
    this.len++;
  }

  /** Removes and returns the head; the list must not be empty. */
  popHead(): string {
    const v = this.buf[this.head]!;
    this.buf[this.head] = '';
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Removes and returns the tail; the list must not be empty. */
  popTail(): string {
    const slot = (this.head + this.len - 1) & this.mask;
    const v = this.buf[slot]!;
    this.buf[slot] = '';
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Inserts `value` so that it ends up at index `i` (0..length). */
  insertAt(i: number, value: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    if (i < this.len - i) {
      this.head = (this.head - 1) & this.mask;
      for (let j = 0; j < i; j++) this.set(j, this.at(j + 1));
    } else {
      for (let j = this.len; j > i; j--) this.set(j, this.at(j - 1));
    }
    this.len++;
    this.set(i, value);
  }

  /** The elements from `start` to `end` inclusive (valid indexes, start <= end), head first. */
  range(start: number, end: number): string[] {
    const out = new Array<string>(end - start + 1);
    for (let i = start; i <= end; i++) out[i - start] = this.at(i);
    return out;
  }

  /** Removes `n` elements from the head (n <= length). */
  trimHead(n: number): void {
    for (let i = 0; i < n; i++) this.buf[(this.head + i) & this.mask] = '';
    this.head = (this.head + n) & this.mask;
    this.len -= n;
    this.maybeShrink();
  }

  /** Removes `n` elements from the tail (n <= length). */
  trimTail(n: number): void {
    for (let i = this.len - n; i < this.len; i++) this.buf[(this.head + i) & this.mask] = '';
    this.len -= n;
    this.maybeShrink();
  }

  /**
   * Removes the elements at `indexes` (ascending, distinct, valid). Elements between the first and
   * the last removed one always move; of the two outer runs, only the shorter one does.
   */
  removeIndexes(indexes: readonly number[]): void {
    const k = indexes.length;
    if (k === 0) return;
    const first = indexes[0]!;
    const last = indexes[k - 1]!;
    if (this.len - 1 - last <= first) {
      let w = first;
      let next = 0;
      for (let r = first; r < this.len; r++) {
        if (next < k && indexes[next] === r) next++;
        else this.set(w++, this.at(r));
      }
      for (let i = this.len - k; i < this.len; i++) this.set(i, '');
    } else {
      let w = last;
      let next = k - 1;
      for (let r = last; r >= 0; r--) {
        if (next >= 0 && indexes[next] === r) next--;
        else this.set(w--, this.at(r));
      }
      for (let i = 0; i < k; i++) this.set(i, '');
      this.head = (this.head + k) & this.mask;
    }
    this.len -= k;
    this.maybeShrink();
  }

  /** A deep copy (COPY): byte strings are immutable, so copying the slots is enough. */
  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  toArray(): string[] {
    return this.len === 0 ? [] : this.range(0, this.len - 1);
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.len; i++) yield this.at(i);
  }

  /** Keeps memory proportional to the length after a list drains (never below MIN_CAPACITY). */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_CAPACITY * 4 && this.len < cap / 4) this.resize(cap / 2);
  }

  private resize(cap: number): void {
    const next = new Array<string>(cap).fill('');
    for (let i = 0; i < this.len; i++) next[i] = this.at(i);
    this.buf = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
