/**
 * One engine value → its RDB type byte and payload, in the encoding Redis 7.0 would write for the
 * same OBJECT ENCODING (rdbSaveObjectType / rdbSaveObject):
 *
 * | value                 | RDB 10 (7.0)                 | RDB 9 (5.0+ compatible) |
 * |-----------------------|------------------------------|-------------------------|
 * | string                | STRING                       | STRING                  |
 * | list (quicklist)      | LIST_QUICKLIST_2             | LIST                    |
 * | set intset/hashtable  | SET_INTSET / SET             | same                    |
 * | hash listpack/table   | HASH_LISTPACK / HASH         | HASH                    |
 * | zset listpack/skiplist| ZSET_LISTPACK / ZSET_2       | ZSET_2                  |
 *
 * Listpack zset scores are written as Redis 7.0's d2string writes them: integers (|x| < 2^52) as
 * listpack integers, everything else as `%.17g` text (which the listpack stores as an integer
 * again when the text is one).
 */
import type { Value } from '../keyspace/object.ts';
import type { ListValue } from '../types/list/list.ts';
import type { HashValue } from '../types/hash/hash.ts';
import type { SetValue } from '../types/set/set.ts';
import type { ZSetValue } from '../types/zset/zset.ts';
import { formatDouble17g } from '../reply/reply.ts';
import * as C from './constants.ts';
import { encodeIntset } from './intset.ts';
import { ListpackBuilder } from './listpack.ts';
import type { RdbOutput } from './output.ts';
import { countQuicklistNodes, splitQuicklist } from './quicklist.ts';

export interface ValueEncodeOptions {
  /** The file's version: below 10 the listpack and quicklist 2 types are replaced (table above). */
  version: number;
  /** list-max-listpack-size, which decides quicklist nodes. Default -2 (8 KiB). */
  listMaxListpackSize?: number;
}

/** The type byte `v` is written with. */
export function valueType(v: Value, version: number): number {
  if (typeof v === 'string') return C.RDB_TYPE_STRING;
  const modern = version >= C.RDB_VERSION_7_0;
  switch (v.type) {
    case 'list':
      return modern ? C.RDB_TYPE_LIST_QUICKLIST_2 : C.RDB_TYPE_LIST;
    case 'set':
      return v.encoding === 'intset' ? C.RDB_TYPE_SET_INTSET : C.RDB_TYPE_SET;
    case 'hash':
      return modern && v.encoding === 'listpack' ? C.RDB_TYPE_HASH_LISTPACK : C.RDB_TYPE_HASH;
    case 'zset':
      return modern && v.encoding === 'listpack' ? C.RDB_TYPE_ZSET_LISTPACK : C.RDB_TYPE_ZSET_2;
  }
}

/** The lowest RDB version that holds `v` as Redis 7.0 would write it (9 or 10). */
export function versionFor(v: Value): number {
  return valueType(v, C.RDB_VERSION_7_0) >= C.RDB_TYPE_HASH_LISTPACK ? C.RDB_VERSION_7_0 : C.RDB_VERSION_MIN_WRITE;
}

const lb = new ListpackBuilder();

/** Writes the payload of `v` as type `type` (from `valueType`). */
export function writeValue(out: RdbOutput, v: Value, type: number, opts: ValueEncodeOptions): void {
  switch (type) {
    case C.RDB_TYPE_STRING:
      return out.string(v as string);
    case C.RDB_TYPE_LIST: {
      const l = v as ListValue;
      out.len(l.length);
      for (const s of l) out.string(s);
      return;
    }
    case C.RDB_TYPE_LIST_QUICKLIST_2: {
      const l = v as ListValue;
      const fill = opts.listMaxListpackSize ?? -2;
      out.len(countQuicklistNodes(l, fill));
      splitQuicklist(l, fill, lb, (node) => {
        out.len(node.container);
        if (node.container === C.QUICKLIST_NODE_CONTAINER_PLAIN) out.string(node.element);
        else out.blob(node.listpack);
      });
      return;
    }
    case C.RDB_TYPE_SET_INTSET:
      return out.blob(encodeIntset([...(v as SetValue)]));
    case C.RDB_TYPE_SET: {
      const s = v as SetValue;
      out.len(s.size);
      for (const m of s) out.string(m);
      return;
    }
    case C.RDB_TYPE_HASH_LISTPACK: {
      lb.reset();
      for (const [f, val] of v as HashValue) {
        lb.push(f);
        lb.push(val);
      }
      return out.blob(lb.finish());
    }
    case C.RDB_TYPE_HASH: {
      const h = v as HashValue;
      out.len(h.size);
      for (const [f, val] of h) {
        out.string(f);
        out.string(val);
      }
      return;
    }
    case C.RDB_TYPE_ZSET_LISTPACK: {
      lb.reset();
      for (const [m, score] of v as ZSetValue) {
        lb.push(m);
        // d2string, then lpAppend's own integer detection (which also catches "4503599627370496").
        if (Number.isInteger(score) && score > -4503599627370495 && score < 4503599627370496 && !Object.is(score, -0)) lb.pushInt(score);
        else lb.push(Object.is(score, -0) ? '-0' : formatDouble17g(score));
      }
      return out.blob(lb.finish());
    }
    case C.RDB_TYPE_ZSET_2: {
      const z = v as ZSetValue;
      out.len(z.size);
      // Highest score first, so that Redis's loader inserts each member at the skiplist's head.
      z.visit(z.size - 1, z.size, true, (m, score) => {
        out.string(m);
        out.binaryDouble(score);
      });
      return;
    }
    default:
      throw new Error(`cannot write RDB type ${type}`);
  }
}
