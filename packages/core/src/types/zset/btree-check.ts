/**
 * The OrderTree's invariants, checked node by node (see btree.ts): for tests, never on a hot path.
 */
import { Inner, LEAF_MAX, LEAF_MIN, Leaf, MAX, MIN, less, sum, type Node, type OrderTree } from './btree.ts';

/** A description of the first violated invariant, or ''. */
export function checkTree(t: OrderTree): string {
  let count = 0;
  let prevS = -Infinity;
  let prevM: string | null = null;
  for (let leaf: Leaf | null = t.head; leaf; leaf = leaf.next) {
    if (leaf.next && leaf.next.prev !== leaf) return 'broken prev link';
    if (!leaf.next && leaf !== t.tail) return 'tail is not the last leaf';
    for (let i = 0; i < leaf.s.length; i++) {
      if (prevM !== null && !less(prevS, prevM, leaf.s[i]!, leaf.m[i]!)) return `order at ${count}`;
      prevS = leaf.s[i]!;
      prevM = leaf.m[i]!;
      count++;
    }
  }
  if (count !== t.size) return `size ${t.size} but ${count} pairs`;
  return checkNode(t.root, t.height, true, null, null);
}

function lastLeaf(node: Node): Leaf {
  while (node instanceof Inner) node = node.c[node.c.length - 1]!;
  return node;
}

function checkNode(node: Node, height: number, isRoot: boolean, loS: number | null, loM: string | null): string {
  if (node instanceof Leaf) {
    if (height !== 0) return 'leaf above the bottom level';
    if (!isRoot && (node.s.length < LEAF_MIN || node.s.length > LEAF_MAX)) return `leaf size ${node.s.length}`;
    if (loM !== null && node.s.length > 0 && less(node.s[0]!, node.m[0]!, loS!, loM)) return 'key below separator';
    return '';
  }
  if (height === 0) return 'inner node at the bottom level';
  if (node.c.length > MAX || node.c.length < (isRoot ? 2 : MIN)) return `inner size ${node.c.length}`;
  for (let i = 0; i < node.c.length; i++) {
    const child = node.c[i]!;
    const size = child instanceof Leaf ? child.s.length : sum(child.n);
    if (size !== node.n[i]) return `count ${node.n[i]} but ${size}`;
    if (i + 1 < node.c.length) {
      // Everything under child i must be below the next separator.
      const last = lastLeaf(child);
      const j = last.s.length - 1;
      if (j >= 0 && !less(last.s[j]!, last.m[j]!, node.ks[i + 1]!, node.km[i + 1]!)) return 'key above separator';
    }
    const err = checkNode(child, height - 1, false, i === 0 ? loS : node.ks[i]!, i === 0 ? loM : node.km[i]!);
    if (err) return err;
  }
  return '';
}
