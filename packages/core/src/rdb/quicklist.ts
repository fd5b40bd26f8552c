/**
 * How Redis 7.0's quicklist splits a list into listpack nodes, so that a list we save has the
 * node layout a list built by RPUSH has in Redis (quicklist.c _quicklistNodeAllowInsert):
 *
 * - an element of 1 GiB or more (packed_threshold) gets a PLAIN node of its own;
 * - list-max-listpack-size < 0 bounds a node's bytes: -1..-5 = 4, 8, 16, 32, 64 KiB;
 * - list-max-listpack-size > 0 bounds its count, with an 8 KiB safety limit on bytes.
 *
 * The byte estimate is 7.0's: the node's listpack size plus the element's length plus a
 * ziplist-era overhead guess (prevlen 1 or 5, encoding 1, 2 or 5).
 */
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN } from './constants.ts';
import { ListpackBuilder, listpackEntrySize } from './listpack.ts';

/** quicklist's packed_threshold: elements this large are stored in PLAIN nodes. */
export const PACKED_THRESHOLD = 1 << 30;
const SIZE_SAFETY_LIMIT = 8192;
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];

/** True when a node of `nodeBytes` bytes and `count` elements may take an element of `sz` bytes. */
export function nodeAllowsInsert(fill: number, nodeBytes: number, count: number, sz: number): boolean {
  if (sz >= PACKED_THRESHOLD) return false;
  const overhead = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5);
  const newSz = nodeBytes + sz + overhead;
  if (fill < 0 && -fill - 1 < OPTIMIZATION_LEVEL.length && newSz <= OPTIMIZATION_LEVEL[-fill - 1]!) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/** One node of a LIST_QUICKLIST_2 value. */
export type QuicklistNode =
  | { container: typeof QUICKLIST_NODE_CONTAINER_PLAIN; element: string }
  | { container: typeof QUICKLIST_NODE_CONTAINER_PACKED; listpack: Uint8Array };

/**
 * Splits `items` (head to tail) into nodes as RPUSH would have, calling `emit` for each node in
 * order; a PACKED node's listpack is a view valid during the call. Returns the node count.
 */
export function splitQuicklist(items: Iterable<string>, fill: number, lb: ListpackBuilder, emit: (node: QuicklistNode) => void): number {
  let nodes = 0;
  lb.reset();
  for (const s of items) {
    if (lb.count > 0 && !nodeAllowsInsert(fill, lb.size, lb.count, s.length)) {
      emit({ container: QUICKLIST_NODE_CONTAINER_PACKED, listpack: lb.finish() });
      nodes++;
      lb.reset();
    }
    if (s.length >= PACKED_THRESHOLD) {
      emit({ container: QUICKLIST_NODE_CONTAINER_PLAIN, element: s });
      nodes++;
      continue;
    }
    lb.push(s);
  }
  if (lb.count > 0) {
    emit({ container: QUICKLIST_NODE_CONTAINER_PACKED, listpack: lb.finish() });
    nodes++;
  }
  return nodes;
}

/** The number of nodes `splitQuicklist` would emit, without building them. */
export function countQuicklistNodes(items: Iterable<string>, fill: number): number {
  let nodes = 0;
  let bytes = 7; // an empty listpack: header and terminator
  let count = 0;
  for (const s of items) {
    if (count > 0 && !nodeAllowsInsert(fill, bytes, count, s.length)) {
      nodes++;
      bytes = 7;
      count = 0;
    }
    if (s.length >= PACKED_THRESHOLD) {
      nodes++;
      continue;
    }
    bytes += listpackEntrySize(s);
    count++;
  }
  return count > 0 ? nodes + 1 : nodes;
}
