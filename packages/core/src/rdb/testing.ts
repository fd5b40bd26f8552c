/**
 * Support for the RDB tests (*.test.ts): values in a comparable shape, engine values built from
 * plain specs, and hand-built files for the opcodes and legacy encodings no current server
 * writes. It imports no test framework, so it compiles with the package; index.ts does not
 * export it.
 */
import type { Value } from '../keyspace/object.ts';
import { ListValue } from '../types/list/list.ts';
import { HashValue } from '../types/hash/hash.ts';
import { SetValue } from '../types/set/set.ts';
import { ZSetValue } from '../types/zset/zset.ts';
import { stringEncoding } from '../types/string/string.ts';
import { formatDouble17g } from '../reply/reply.ts';
import { RDB_OPCODE_EOF } from './constants.ts';
import { concat } from './encoder.ts';
import { RdbOutput } from './output.ts';
import { DEFAULT_LIMITS, type LoadLimits } from './value-decode.ts';

/** A value as redis-cli would show it: sets and hashes sorted, zset scores as %.17g text. */
export function shape(v: Value): unknown {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'list':
      return [...v];
    case 'set':
      return [...v].sort();
    case 'hash':
      return [...v].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    case 'zset':
      return [...v].map(([m, s]) => [m, formatDouble17g(s)]);
  }
}

/** OBJECT ENCODING of a value as loaded (a string as SET would store it). */
export function encodingOf(v: Value): string {
  return typeof v === 'string' ? stringEncoding({ value: v, expireAt: -1, ver: 0, enc: 0 }) : v.encoding;
}

export type ValueSpec =
  | { t: 'string'; v: string }
  | { t: 'list'; items: string[] }
  | { t: 'set'; members: string[] }
  | { t: 'hash'; pairs: Array<[string, string]> }
  | { t: 'zset'; pairs: Array<[string, number]> };

/**
 * The value a spec describes, encoded as Redis would hold it after loading under `limits`
 * (duplicates dropped, first one wins); undefined for an empty collection.
 */
export function buildValue(spec: ValueSpec, limits: LoadLimits = DEFAULT_LIMITS): Value | undefined {
  switch (spec.t) {
    case 'string':
      return spec.v;
    case 'list':
      return spec.items.length ? ListValue.from(spec.items) : undefined;
    case 'set':
      return spec.members.length ? SetValue.from(spec.members, spec.members.length > limits.setMaxIntsetEntries ? 0 : limits.setMaxIntsetEntries) : undefined;
    case 'hash': {
      const pairs = [...new Map(spec.pairs)];
      return pairs.length ? HashValue.from(pairs, limits.hashMaxListpackEntries, limits.hashMaxListpackValue) : undefined;
    }
    case 'zset': {
      const pairs = [...new Map(spec.pairs)];
      if (!pairs.length) return undefined;
      const maxLen = pairs.reduce((n, [m]) => Math.max(n, m.length), 0);
      return ZSetValue.from(pairs, pairs.length <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue);
    }
  }
}

/**
 * A file by hand: the magic for `version`, what `body` writes, EOF, then the CRC64 trailer
 * (version >= 5): right, zero ("saved without checksum"), or deliberately wrong.
 */
export function rawRdb(version: number, body: (o: RdbOutput) => void, trailer: 'crc' | 'zero' | 'bad' = 'crc'): Uint8Array {
  const chunks: Uint8Array[] = [];
  const o = new RdbOutput((c) => chunks.push(c), true, true);
  o.latin1(`REDIS${String(version).padStart(4, '0')}`);
  body(o);
  o.u8(RDB_OPCODE_EOF);
  o.flush();
  if (version >= 5) {
    const crc = new Uint8Array(8);
    if (trailer !== 'zero') o.crc.write(crc, 0);
    if (trailer === 'bad') crc[0]! ^= 1;
    chunks.push(crc);
  }
  return concat(chunks);
}

/** A string as raw length + bytes, never int- or LZF-encoded (old writers, corrupt cases). */
export function rawString(o: RdbOutput, s: string): void {
  o.len(s.length);
  o.latin1(s);
}
