/**
 * Keyspace notifications (Redis's notify.c). `notify-keyspace-events` is a set of class letters;
 * an event of class C is published when C and at least one of K (keyspace channel) or E (keyevent
 * channel) are set.
 */
import { INVALID_EVENT_CLASS } from '../reply/errors.ts';

/** g generic, $ string, l list, s set, h hash, z zset, x expired, e evicted, t stream, m key miss, d module, n new key. */
export type NotifyClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'm' | 'd' | 'n';

const CLASS_BITS: Record<string, number> = {
  g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7, x: 1 << 8, e: 1 << 9,
  t: 1 << 10, m: 1 << 11, d: 1 << 12, n: 1 << 13, K: 1 << 0, E: 1 << 1,
};
const ALL = 'g$lshzxetd';
const ALL_BITS = [...ALL].reduce((a, ch) => a | CLASS_BITS[ch]!, 0);
export const NOTIFY_KEYSPACE = CLASS_BITS.K!;
export const NOTIFY_KEYEVENT = CLASS_BITS.E!;

export function notifyBit(cls: NotifyClass): number {
  return CLASS_BITS[cls]!;
}

/** Parses the config value; throws Redis's CONFIG SET error on an unknown letter. */
export function parseNotifyFlags(s: string): number {
  let flags = 0;
  for (const ch of s) {
    if (ch === 'A') flags |= ALL_BITS;
    else if (CLASS_BITS[ch] !== undefined) flags |= CLASS_BITS[ch];
    else throw INVALID_EVENT_CLASS;
  }
  return flags;
}

/** The config value as CONFIG GET prints it (keyspaceEventsFlagsToString). */
export function formatNotifyFlags(flags: number): string {
  let out = '';
  if ((flags & ALL_BITS) === ALL_BITS) out = 'A';
  else for (const ch of ALL) if (flags & CLASS_BITS[ch]!) out += ch;
  if (flags & CLASS_BITS.n!) out += 'n';
  if (flags & NOTIFY_KEYSPACE) out += 'K';
  if (flags & NOTIFY_KEYEVENT) out += 'E';
  if (flags & CLASS_BITS.m!) out += 'm';
  return out;
}
