/**
 * The list effects several commands share (t_list.c's listElementsRemoved, lmoveHandlePush,
 * listPopRangeAndReplyWithKey): popping with its events and the deletion of a drained key, moving
 * an element between lists, and the argument forms LEFT|RIGHT and numkeys.
 *
 * Events and dirty counts follow Redis: a pop of n elements notifies `lpop`/`rpop` once and adds n
 * to dirty; a drained key is deleted and notifies `del` (no extra dirty); a push of n elements
 * notifies `lpush`/`rpush` once and adds n.
 */
import { NUMKEYS_NOT_POSITIVE, SYNTAX, WRONGTYPE } from '../../reply/errors.ts';
import { typeOf } from '../../keyspace/object.ts';
import type { Client } from '../../engine/client.ts';
import { isInt64 } from '../../commands/args.ts';
import { ListValue } from './list.ts';

/** Which end: Redis's LIST_HEAD ('left') or LIST_TAIL ('right'), spelled as Redis propagates it. */
export type Where = 'left' | 'right';

/** LEFT | RIGHT, any letter case (getListPositionFromObjectOrReply). */
export function parseWhere(arg: string): Where {
  const l = arg.toLowerCase();
  if (l === 'left' || l === 'right') return l;
  throw SYNTAX;
}

export const popEvent = (where: Where): string => (where === 'left' ? 'lpop' : 'rpop');
export const pushEvent = (where: Where): string => (where === 'left' ? 'lpush' : 'rpush');
export const popCommand = (where: Where): string => (where === 'left' ? 'LPOP' : 'RPOP');

/** Pushes `elements` at `where` of `key`'s list, creating it; returns the new length. */
export function pushElements(c: Client, key: string, list: ListValue | undefined, where: Where, elements: readonly string[], from = 0): number {
  if (list === undefined) {
    list = new ListValue(elements.length - from);
    c.db.add(key, list);
  }
  if (where === 'left') for (let i = from; i < elements.length; i++) list.pushHead(elements[i]!);
  else for (let i = from; i < elements.length; i++) list.pushTail(elements[i]!);
  c.changed(key, pushEvent(where), 'l', elements.length - from);
  return list.length;
}

/**
 * Pops up to `count` elements from `where` (in pop order) and records the change; deletes the key
 * when the list drains.
 */
export function popElements(c: Client, key: string, list: ListValue, where: Where, count: number): string[] {
  const n = Math.min(count, list.length);
  let out: string[];
  if (where === 'left') {
    out = list.range(0, n - 1);
    list.trimHead(n);
  } else {
    out = new Array<string>(n);
    const len = list.length;
    for (let i = 0; i < n; i++) out[i] = list.at(len - 1 - i);
    list.trimTail(n);
  }
  elementsRemoved(c, key, list, where, n);
  return out;
}

/** Pops one element (the list must not be empty). */
export function popOne(c: Client, key: string, list: ListValue, where: Where): string {
  const v = where === 'left' ? list.popHead() : list.popTail();
  elementsRemoved(c, key, list, where, 1);
  return v;
}

function elementsRemoved(c: Client, key: string, list: ListValue, where: Where, n: number): void {
  c.changed(key, popEvent(where), 'l', n);
  deleteIfEmpty(c, key, list);
}

/** Redis never keeps an empty list: the key goes, with a `del` event. */
export function deleteIfEmpty(c: Client, key: string, list: ListValue): void {
  if (list.length > 0) return;
  c.db.delete(key);
  c.changed(key, 'del', 'g', 0);
}

/**
 * The destination of LMOVE and friends: its list, undefined when the key is missing, or
 * WRONGTYPE. Looked up before anything is popped, so a bad destination changes nothing.
 */
export function destination(c: Client, key: string): ListValue | undefined {
  const e = c.db.lookup(key);
  if (e === undefined) return undefined;
  if (typeOf(e.value) !== 'list') throw WRONGTYPE;
  c.db.touchEntry(key, e);
  return e.value as ListValue;
}

/**
 * LMOVE's effect (lmoveGenericCommand): pop from `src`, push to `dst` (which may be `src`), with
 * Redis's event order: the push on the destination, then the pop on the source, then `del`.
 */
export function moveElement(
  c: Client, src: string, srcList: ListValue, dst: string, dstList: ListValue | undefined, from: Where, to: Where,
): string {
  const v = from === 'left' ? srcList.popHead() : srcList.popTail();
  if (dstList === undefined) {
    dstList = new ListValue();
    c.db.add(dst, dstList);
  }
  if (to === 'left') dstList.pushHead(v);
  else dstList.pushTail(v);
  // One move counts once in dirty, on the pop side (lmoveHandlePush adds nothing).
  c.changed(dst, pushEvent(to), 'l', 0);
  c.changed(src, popEvent(from), 'l', 1);
  deleteIfEmpty(c, src, srcList);
  return v;
}

/**
 * `numkeys key [key ...]` at argv[at]: the keys, or NUMKEYS_NOT_POSITIVE / SYNTAX as LMPOP's
 * parser reports them (numkeys in 1..LONG_MAX, and at least one argument must follow the keys).
 */
export function parseNumKeys(argv: readonly string[], at: number): string[] {
  const raw = argv[at]!;
  if (!isInt64(raw) || raw.startsWith('-') || raw === '0') throw NUMKEYS_NOT_POSITIVE;
  const n = Number(raw);
  if (at + 1 + n >= argv.length) throw SYNTAX;
  return argv.slice(at + 1, at + 1 + n);
}

/** getKeys for `numkeys key...` at argv[at] (COMMAND GETKEYS): the keys a valid call names. */
export function numKeysAt(at: number): (argv: readonly string[]) => number[] {
  return (argv) => {
    const raw = argv[at] ?? '';
    const n = isInt64(raw) ? Number(raw) : 0;
    if (n <= 0 || at + 1 + n > argv.length) return [];
    return Array.from({ length: n }, (_, i) => at + 1 + i);
  };
}
