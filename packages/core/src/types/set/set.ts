/**
 * The set type, in Redis 7.0's two encodings.
 *
 * - "intset" while every member is an integer (string2ll-valid int64) and there are at most
 *   set-max-intset-entries of them: `members` is kept sorted by value, as an intset is, so replies
 *   come out in Redis's order. Lookups are binary searches and inserts shift the array (O(log n) /
 *   O(n), like intsetFind / intsetAdd, and bounded by the entry limit).
 * - "hashtable" from the first non-integer member or the entry past the limit, never back:
 *   `index` maps member → slot in the dense `members` array. O(1) add, remove (the last slot
 *   fills the hole) and random pick; iteration follows the Map's insertion order.
 */
import { isInt64 } from '../../commands/args.ts';
import type { Cursors } from '../../commands/scan.ts';

/** Orders canonical int64 strings (no '+', no leading zeros) by value without parsing them. */
export function compareInts(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  let c = a.length - b.length;
  if (c === 0) c = a < b ? -1 : a > b ? 1 : 0;
  // Among negatives the longer (or greater) text is the smaller number; equal stays 0, not -0.
  return an && c !== 0 ? -c : c;
}

export class SetValue implements Iterable<string> {
  readonly type = 'set' as const;
  private members: string[] = [];
  /** null while intset-encoded. */
  private index: Map<string, number> | null = null;

  /** Builds a set as SADD into a new intset would (the RDB loader, SPOP's rebuilt remainder). */
  static from(members: Iterable<string>, maxIntsetEntries = 512): SetValue {
    const s = new SetValue();
    for (const m of members) s.add(m, maxIntsetEntries);
    return s;
  }

  get encoding(): string {
    return this.index === null ? 'intset' : 'hashtable';
  }

  get size(): number {
    return this.members.length;
  }

  has(member: string): boolean {
    if (this.index !== null) return this.index.has(member);
    return isInt64(member) && this.search(member) >= 0;
  }

  /** Adds `member`; true when it is new. Converts to a hashtable as setTypeAdd does. */
  add(member: string, maxIntsetEntries: number): boolean {
    const index = this.index;
    if (index !== null) {
      if (index.has(member)) return false;
      index.set(member, this.members.length);
      this.members.push(member);
      return true;
    }
    if (!isInt64(member)) {
      this.convert().set(member, this.members.length);
      this.members.push(member);
      return true;
    }
    const at = this.search(member);
    if (at >= 0) return false;
    this.members.splice(-at - 1, 0, member);
    if (this.members.length > Math.min(maxIntsetEntries, 2 ** 30)) this.convert();
    return true;
  }

  /** Removes `member`; true if it was there. */
  delete(member: string): boolean {
    const index = this.index;
    if (index === null) {
      if (!isInt64(member)) return false;
      const at = this.search(member);
      if (at < 0) return false;
      this.members.splice(at, 1);
      return true;
    }
    const i = index.get(member);
    if (i === undefined) return false;
    index.delete(member);
    const last = this.members.pop()!;
    if (i < this.members.length) {
      this.members[i] = last;
      index.set(last, i);
    }
    return true;
  }

  /** The member in slot `i` (0 <= i < size), for random picks. */
  at(i: number): string {
    return this.members[i]!;
  }

  /** Members in reply order: ascending for an intset, insertion order for a hashtable. */
  [Symbol.iterator](): Iterator<string> {
    return this.index === null ? this.members[Symbol.iterator]() : this.index.keys();
  }

  /** One SSCAN step: an intset is returned whole with cursor 0, as Redis does. */
  scan(cursors: Cursors, cursor: number, count: number, visit: (member: string) => void): number {
    if (this.index === null) {
      for (const m of this.members) visit(m);
      return 0;
    }
    return cursors.scan(this.index, cursor, count, (e) => visit(e[0]));
  }

  clone(): SetValue {
    const s = new SetValue();
    s.members = this.members.slice();
    s.index = this.index === null ? null : new Map(this.index);
    return s;
  }

  /** Binary search of an intset: the slot of `m`, or -(insertion point) - 1. */
  private search(m: string): number {
    const a = this.members;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareInts(a[mid]!, m);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  private convert(): Map<string, number> {
    const index = new Map<string, number>();
    for (let i = 0; i < this.members.length; i++) index.set(this.members[i]!, i);
    this.index = index;
    return index;
  }
}
