/**
 * rdbLoadObject as redis-check-rdb runs it (deep sanitization on): each type's bytes are read in
 * 7.0.15's order, so a short read stops at the same offset, and its checks fail with its texts.
 * Plain collections are checked here (duplicates, NaN scores, empty keys); the packed blobs
 * (listpacks, ziplists, intsets, zipmaps) are validated by Larder's own RDB decoder, through
 * a DUMP payload holding just that blob. Streams are in rdb-stream.ts.
 *
 * An empty collection makes the loader return NULL, which the checker reports as "Unexpected
 * EOF": that is EOF thrown after the value's bytes. Line numbers are 7.0.15's where a damaged
 * file showed them; 0 where we could not make redis-check-rdb reach that check.
 */
import { Corrupt, EOF, isCanonicalInt, moduleName, reading, type Rio } from './rdb-read.ts';
import { validBlob } from './blob.ts';
import { checkStream } from './rdb-stream.ts';

const LENERR = 2n ** 64n - 1n;
/** set-max-intset-entries, hash-max-listpack-entries/-value: the defaults the checker runs with. */
const MAX_INTSET = 512;
const HASH_MAX_ENTRIES = 512;
const HASH_MAX_VALUE = 64;

/** Per packed type: rdb.c's line in 7.0.15 and its message when validation fails. */
const BLOB_FAILURE: Record<number, [number, string]> = {
  9: [2130, 'Zipmap integrity check failed.'],
  10: [2189, 'List ziplist integrity check failed.'],
  11: [2214, 'Intset integrity check failed.'],
  12: [2229, 'Zset ziplist integrity check failed.'],
  13: [2275, 'Hash ziplist integrity check failed.'],
  16: [2301, 'Hash listpack integrity check failed.'],
  17: [2255, 'Zset listpack integrity check failed.'],
  20: [0, 'Set listpack integrity check failed.'],
};

/** What rdbLoadObject reads for `type`; the checker has already read the type byte and the key. */
export function checkValue(r: Rio, type: number): void {
  switch (type) {
    case 0:
      r.bytes();
      return;
    case 1:
      for (let n = nonEmpty(r.len()); n > 0; n--) r.bytes();
      return;
    case 2:
      return checkSet(r);
    case 3:
    case 5:
      return checkZset(r, type === 5);
    case 4:
      return checkHash(r);
    case 6:
    case 7: {
      const id = reading(2622, 'Short read module id', () => r.lenBig());
      if (type === 6) throw new Corrupt(2636, `The RDB file contains module data I can't load: no matching module type '${moduleName(id)}'`);
      return checkModuleValue(r, moduleName(id));
    }
    case 14:
    case 18:
      return checkQuicklist(r, type === 18);
    case 15:
    case 19:
    case 21:
      return checkStream(r, type);
    default: {
      const failure = BLOB_FAILURE[type];
      if (failure === undefined) throw new Corrupt(0, `Unknown RDB encoding type ${type} (Larder cannot load it)`);
      const blob = r.bytes();
      const valid = validBlob(blob, [type]);
      // An empty intset or zipmap fails validation; other packed types load and are then empty.
      if (valid === 'empty' && type !== 11 && type !== 9) throw EOF;
      if (valid !== true) throw new Corrupt(...failure);
    }
  }
}

function nonEmpty(n: number): number {
  if (n === 0) throw EOF;
  return n;
}

/**
 * A collection's count; past `small` it sizes a hash table up front, and a count no allocation
 * can hold fails there ("OOM in dictTryExpand"). Where that happens depends on the machine's
 * memory; 2^40 entries (an 8 TiB table) fails everywhere. Past 2^60 the table's byte size
 * overflows, which 7.0.15's dictTryExpand reports as success: reading then goes on.
 */
function count(r: Rio, small: number, oomLine: number): number {
  const n = r.lenBig();
  if (n === LENERR) throw EOF;
  if (n > BigInt(small) && n > 2n ** 40n && n <= 2n ** 60n) throw new Corrupt(oomLine, `OOM in dictTryExpand ${n}`);
  return nonEmpty(Number(n));
}

function checkSet(r: Rio): void {
  const n = count(r, MAX_INTSET, 1785);
  // An intset until a member is not an integer: the duplicate is found in a different place.
  let intset = n <= MAX_INTSET;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m = r.string();
    if (intset && !isCanonicalInt(m)) intset = false;
    if (seen.has(m)) throw new Corrupt(intset ? 1809 : 1829, 'Duplicate set members detected');
    seen.add(m);
  }
}

function checkZset(r: Rio, binary: boolean): void {
  const n = count(r, 4, 1851);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m = r.string();
    const score = binary ? r.binaryDouble() : r.textDouble();
    if (Number.isNaN(score)) throw new Corrupt(1882, 'Zset with NAN score detected');
    if (seen.has(m)) throw new Corrupt(1894, 'Duplicate zset fields detected');
    seen.add(m);
  }
}

function checkHash(r: Rio): void {
  const n = count(r, HASH_MAX_ENTRIES, 1996);
  // Loaded as a listpack (with a duplicate search) until too many entries or a long field/value.
  let listpack = n <= HASH_MAX_ENTRIES;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const field = r.string();
    const value = r.string();
    if (seen.has(field)) {
      throw listpack ? new Corrupt(1951, 'Hash with dup elements') : new Corrupt(2019, 'Duplicate hash fields detected');
    }
    seen.add(field);
    if (field.length > HASH_MAX_VALUE || value.length > HASH_MAX_VALUE) listpack = false;
  }
}

function checkQuicklist(r: Rio, v2: boolean): void {
  let elements = false;
  for (let n = nonEmpty(r.len()); n > 0; n--) {
    let container = 2;
    if (v2) {
      container = r.len();
      if (container !== 1 && container !== 2) throw new Corrupt(2048, 'Quicklist integrity check failed.');
    }
    const node = r.bytes();
    if (node.length === 0) throw EOF;
    if (container === 1) {
      elements = true;
      continue;
    }
    // Empty nodes are skipped; the list is an empty key only if all of them were.
    const valid = validBlob(node, v2 ? [18, 1, 2] : [14, 1]);
    if (valid === true) elements = true;
    else if (valid !== 'empty') {
      throw v2 ? new Corrupt(2071, 'Listpack integrity check failed.') : new Corrupt(2081, 'Ziplist integrity check failed.');
    }
  }
  if (!elements) throw EOF;
}

/**
 * rdbLoadCheckModuleValue: the module's opcodes, read without the module, up to EOF (0). A short
 * read of an opcode makes 7.0.15 spin forever; here it is the checker's EOF.
 */
export function checkModuleValue(r: Rio, name: string): void {
  for (;;) {
    const opcode = r.len();
    if (opcode === 0) return;
    if (opcode === 1 || opcode === 2) reading(0, `Error reading integer from module ${name} value`, () => r.len());
    else if (opcode === 5) reading(0, `Error reading string from module ${name} value`, () => r.bytes());
    else if (opcode === 3) reading(0, `Error reading float from module ${name} value`, () => r.read(4));
    else if (opcode === 4) reading(0, `Error reading double from module ${name} value`, () => r.read(8));
  }
}
