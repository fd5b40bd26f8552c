/**
 * The hash type: field → value, both byte strings.
 *
 * `index` maps each field to its slot in the dense `fields`/`values` arrays. The Map gives O(1)
 * lookups and iterates in insertion order, which is exactly a listpack's order (new fields at the
 * tail, updates in place, deletes close the gap); the dense arrays give HRANDFIELD an O(1) pick
 * (deletes move the last slot into the hole).
 *
 * Redis keeps small hashes as a listpack and converts them to a hashtable once
 * hash-max-listpack-entries or hash-max-listpack-value is exceeded, never back. Only the
 * encoding name changes here (OBJECT ENCODING reports it); the commands apply Redis's rules
 * through `fitLengths` and `fitCount`.
 */
import type { Cursors } from '../../commands/scan.ts';

export class HashValue implements Iterable<[string, string]> {
  readonly type = 'hash' as const;
  private readonly index = new Map<string, number>();
  private readonly fields: string[] = [];
  private readonly values: string[] = [];
  private hashtable = false;

  /** Builds a hash from pairs (the RDB loader), converting as Redis would while adding. */
  static from(entries: Iterable<readonly [string, string]>, maxEntries = 128, maxValue = 64): HashValue {
    const h = new HashValue();
    for (const [f, v] of entries) {
      h.fitLengths(f, v, maxValue);
      h.set(f, v);
    }
    h.fitCount(maxEntries);
    return h;
  }

  get encoding(): string {
    return this.hashtable ? 'hashtable' : 'listpack';
  }

  get size(): number {
    return this.fields.length;
  }

  get(field: string): string | undefined {
    const i = this.index.get(field);
    return i === undefined ? undefined : this.values[i];
  }

  has(field: string): boolean {
    return this.index.has(field);
  }

  /** Sets `field`; true when it is new. */
  set(field: string, value: string): boolean {
    const i = this.index.get(field);
    if (i !== undefined) {
      this.values[i] = value;
      return false;
    }
    this.index.set(field, this.fields.length);
    this.fields.push(field);
    this.values.push(value);
    return true;
  }

  /** Removes `field`; true if it was there. */
  delete(field: string): boolean {
    const i = this.index.get(field);
    if (i === undefined) return false;
    this.index.delete(field);
    const last = this.fields.length - 1;
    if (i !== last) {
      const moved = this.fields[last]!;
      this.fields[i] = moved;
      this.values[i] = this.values[last]!;
      this.index.set(moved, i);
    }
    this.fields.pop();
    this.values.pop();
    return true;
  }

  /** The field in dense slot `i` (0 <= i < size), for random picks. */
  fieldAt(i: number): string {
    return this.fields[i]!;
  }

  valueAt(i: number): string {
    return this.values[i]!;
  }

  /** Visits every pair in listpack order without allocating a tuple per pair. */
  forEach(fn: (field: string, value: string) => void): void {
    const values = this.values;
    this.index.forEach((i, f) => fn(f, values[i]!));
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [f, i] of this.index) yield [f, this.values[i]!];
  }

  /** Redis's hashTypeTryConversion / hashTypeSet check: a long field or value forces a hashtable. */
  fitLengths(field: string, value: string, maxValue: number): void {
    if (!this.hashtable && (field.length > maxValue || value.length > maxValue)) this.hashtable = true;
  }

  /** Checked after every set, as hashTypeSet does. */
  fitCount(maxEntries: number): void {
    if (!this.hashtable && this.fields.length > maxEntries) this.hashtable = true;
  }

  /**
   * One HSCAN step. A listpack is returned whole with cursor 0, as Redis does; a hashtable walks
   * the live index, so fields present for the whole scan are always reached.
   */
  scan(cursors: Cursors, cursor: number, count: number, visit: (field: string, value: string) => void): number {
    if (!this.hashtable) {
      this.forEach(visit);
      return 0;
    }
    return cursors.scan(this.index, cursor, count, (e) => visit(e[0], this.values[e[1]]!));
  }

  clone(): HashValue {
    const h = new HashValue();
    this.forEach((f, v) => h.set(f, v));
    h.hashtable = this.hashtable;
    return h;
  }
}
