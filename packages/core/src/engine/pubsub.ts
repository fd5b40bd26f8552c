/**
 * Channels and patterns (Redis's pubsub.c). Messages go out through each client's `push`, as
 * RESP3 pushes or RESP2 arrays depending on the client's protocol (the encoder decides).
 */
import { globMatch } from '../keyspace/glob.ts';
import { Push } from '../reply/reply.ts';
import type { Client } from './client.ts';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();

  /** Adds `c` to `channel`; false if it was subscribed already. */
  subscribe(c: Client, channel: string): boolean {
    if (c.channels.has(channel)) return false;
    c.channels.add(channel);
    add(this.channels, channel, c);
    return true;
  }

  unsubscribe(c: Client, channel: string): boolean {
    if (!c.channels.delete(channel)) return false;
    remove(this.channels, channel, c);
    return true;
  }

  psubscribe(c: Client, pattern: string): boolean {
    if (c.patterns.has(pattern)) return false;
    c.patterns.add(pattern);
    add(this.patterns, pattern, c);
    return true;
  }

  punsubscribe(c: Client, pattern: string): boolean {
    if (!c.patterns.delete(pattern)) return false;
    remove(this.patterns, pattern, c);
    return true;
  }

  /** Delivers `message` to subscribers of `channel` and of matching patterns; returns how many. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const c of subs) c.push(new Push(['message', channel, message]));
      n += subs.size;
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) c.push(new Push(['pmessage', pattern, channel, message]));
        n += clients.size;
      }
    }
    return n;
  }

  /** Subscriptions of `c` (channels + patterns), the count Redis reports in (un)subscribe replies. */
  count(c: Client): number {
    return c.channels.size + c.patterns.size;
  }

  dropClient(c: Client): void {
    for (const ch of c.channels) remove(this.channels, ch, c);
    for (const p of c.patterns) remove(this.patterns, p, c);
    c.channels.clear();
    c.patterns.clear();
  }
}

function add(m: Map<string, Set<Client>>, k: string, c: Client): void {
  const s = m.get(k);
  if (s) s.add(c);
  else m.set(k, new Set([c]));
}

function remove(m: Map<string, Set<Client>>, k: string, c: Client): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(c);
  if (s.size === 0) m.delete(k);
}
