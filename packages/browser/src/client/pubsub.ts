/**
 * Pub/sub for a page: `subscribe`/`psubscribe` with a callback, an async iterator, or both. One
 * connection per Larder carries every subscription (as one Redis connection would); a channel is
 * subscribed on the owner while at least one subscription wants it. Keyspace notifications are
 * pub/sub messages (`psubscribe('__keyspace@0__:*')` with `notifyKeyspaceEvents` set).
 *
 * When the owner changes (its tab went away), its connections' state is gone: `resubscribe()`
 * subscribes everything again on the new owner. Messages published in between are not delivered
 * (pub/sub is fire-and-forget in Redis too).
 */
import { binaryToBytes, binaryToText, fromWire, Push, type Reply, type Wire } from '@larder/core/client';

export interface Message<S = string> {
  channel: S;
  message: S;
  /** The pattern that matched (psubscribe). */
  pattern?: S;
}

export interface Subscription<S = string> extends AsyncIterable<Message<S>> {
  /** Resolves once the owner has stopped sending this subscription's channels (if none other wants them). */
  unsubscribe(): Promise<void>;
}

type Listener = (m: Message<unknown>) => void;
type Send = (argv: string[]) => Promise<unknown>;

export function createPubSub(send: Send, bytes: boolean) {
  const wanted = { channel: new Map<string, Set<Listener>>(), pattern: new Map<string, Set<Listener>>() };
  const conv = (s: Reply): unknown => (bytes ? binaryToBytes(String(s)) : binaryToText(String(s)));

  function onPush(w: Wire): void {
    const r = fromWire(w);
    const items = r instanceof Push ? r.items : Array.isArray(r) ? r : [];
    const kind = String(items[0]);
    if (kind === 'message') {
      const m = { channel: conv(items[1]!), message: conv(items[2]!) };
      for (const l of wanted.channel.get(String(items[1])) ?? []) l(m);
    } else if (kind === 'pmessage') {
      const m = { pattern: conv(items[1]!), channel: conv(items[2]!), message: conv(items[3]!) };
      for (const l of wanted.pattern.get(String(items[1])) ?? []) l(m);
    }
  }

  function subscribe<S>(kind: 'channel' | 'pattern', names: string[], listener?: (m: Message<S>) => void): Subscription<S> {
    const buffered: Message<S>[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const l: Listener = (m) => {
      listener?.(m as Message<S>);
      if (listener === undefined) {
        buffered.push(m as Message<S>);
        wake?.();
      }
    };
    const map = wanted[kind];
    const fresh = names.filter((n) => !map.has(n));
    for (const n of names) map.set(n, (map.get(n) ?? new Set()).add(l));
    const cmd = kind === 'channel' ? 'SUBSCRIBE' : 'PSUBSCRIBE';
    const ready = fresh.length > 0 ? send([cmd, ...fresh]) : Promise.resolve();
    return {
      async unsubscribe() {
        if (done) return;
        done = true;
        wake?.();
        const gone = names.filter((n) => {
          const set = map.get(n);
          set?.delete(l);
          if (set?.size !== 0) return false;
          map.delete(n);
          return true;
        });
        await ready;
        if (gone.length > 0) await send([kind === 'channel' ? 'UNSUBSCRIBE' : 'PUNSUBSCRIBE', ...gone]);
      },
      async *[Symbol.asyncIterator]() {
        await ready;
        while (!done) {
          const m = buffered.shift();
          if (m !== undefined) yield m;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    };
  }

  return {
    onPush,
    subscribe,
    /** Subscribes everything again (on a new owner). */
    async resubscribe(): Promise<void> {
      if (wanted.channel.size > 0) await send(['SUBSCRIBE', ...wanted.channel.keys()]);
      if (wanted.pattern.size > 0) await send(['PSUBSCRIBE', ...wanted.pattern.keys()]);
    },
  };
}
