/**
 * Channels, patterns and shard channels (Redis's pubsub.c). Messages go out through each client's
 * `push`, as RESP3 pushes or RESP2 arrays depending on the client's protocol (the encoder decides).
 *
 * Shard channels (SSUBSCRIBE/SPUBLISH) are a namespace of their own: without cluster mode they
 * behave like channels, but they are counted apart and never match patterns.
 */
import { globMatch } from '../keyspace/glob.ts';
import { Push } from '../reply/reply.ts';
import type { Client } from './client.ts';

export type Subscriptions = Map<string, Set<Client>>;

export class PubSub {
  readonly channels: Subscriptions = new Map();
  readonly patterns: Subscriptions = new Map();
  readonly shardChannels: Subscriptions = new Map();

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

  ssubscribe(c: Client, channel: string): boolean {
    if (c.shardChannels.has(channel)) return false;
    c.shardChannels.add(channel);
    add(this.shardChannels, channel, c);
    return true;
  }

  sunsubscribe(c: Client, channel: string): boolean {
    if (!c.shardChannels.delete(channel)) return false;
    remove(this.shardChannels, channel, c);
    return true;
  }

  /** Delivers `message` to subscribers of `channel` and of matching patterns; returns how many. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      // One Push serves every subscriber: replies are immutable values.
      const msg = new Push(['message', channel, message]);
      for (const c of subs) c.push(msg);
      n += subs.size;
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        const msg = new Push(['pmessage', pattern, channel, message]);
        for (const c of clients) c.push(msg);
        n += clients.size;
      }
    }
    return n;
  }

  /** SPUBLISH: delivers to the shard channel's subscribers only. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (!subs) return 0;
    const msg = new Push(['smessage', channel, message]);
    for (const c of subs) c.push(msg);
    return subs.size;
  }

  /** Subscriptions of `c` (channels + patterns), the count Redis reports in (un)subscribe replies. */
  count(c: Client): number {
    return c.channels.size + c.patterns.size;
  }

  /** Shard subscriptions of `c`, the count of (s)subscribe replies. */
  shardCount(c: Client): number {
    return c.shardChannels.size;
  }

  /** Whether `c` is in the pub/sub state (Redis's CLIENT_PUBSUB flag). */
  subscribed(c: Client): boolean {
    return c.channels.size > 0 || c.patterns.size > 0 || c.shardChannels.size > 0;
  }

  dropClient(c: Client): void {
    for (const ch of c.channels) remove(this.channels, ch, c);
    for (const p of c.patterns) remove(this.patterns, p, c);
    for (const ch of c.shardChannels) remove(this.shardChannels, ch, c);
    c.channels.clear();
    c.patterns.clear();
    c.shardChannels.clear();
  }
}

function add(m: Subscriptions, k: string, c: Client): void {
  const s = m.get(k);
  if (s) s.add(c);
  else m.set(k, new Set([c]));
}

function remove(m: Subscriptions, k: string, c: Client): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(c);
  if (s.size === 0) m.delete(k);
}
