/**
 * Blocking commands (Redis's blocked.c). A handler that finds nothing to serve calls `block()`
 * with the keys it waits on and a `serve` function; the client then waits, FIFO per key. When a
 * write creates one of those keys, `signal` records it as ready, and after the current execution
 * unit the engine retries `serve` for the waiting clients of each ready key in the order they
 * blocked. `serve` returns undefined to stay blocked (say, the key now holds another type).
 */
import type { Reply } from '../reply/reply.ts';
import type { Client } from './client.ts';

interface Waiter {
  client: Client;
  db: number;
  keys: string[];
  serve: (readyKey: string) => Reply | undefined;
  resolve: (r: Reply) => void;
  timer: unknown;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class Blocking {
  /** db index → key → waiters in arrival order. */
  private readonly waiting = new Map<number, Map<string, Waiter[]>>();
  private readonly byClient = new Map<Client, Waiter>();
  private ready: Array<[number, string]> = [];

  constructor(
    private readonly timers: Timers,
    /** Runs `fn` as an execution unit of `client` (propagation, stats). */
    private readonly runAs: (client: Client, fn: () => Reply | undefined) => Reply | undefined,
  ) {}

  get count(): number {
    return this.byClient.size;
  }

  /** Blocks `client` on `keys` of its db for `timeoutMs` (0 = forever). */
  block(
    client: Client,
    keys: string[],
    timeoutMs: number,
    serve: (readyKey: string) => Reply | undefined,
    timeoutReply: Reply,
  ): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const w: Waiter = { client, db: client.dbIndex, keys, serve, resolve, timer: undefined };
      let byKey = this.waiting.get(w.db);
      if (!byKey) this.waiting.set(w.db, (byKey = new Map()));
      for (const k of new Set(keys)) {
        const list = byKey.get(k);
        if (list) list.push(w);
        else byKey.set(k, [w]);
      }
      this.byClient.set(client, w);
      client.blockedOn = keys;
      if (timeoutMs > 0) {
        w.timer = this.timers.setTimeout(() => this.unblock(w, timeoutReply), timeoutMs);
      }
    });
  }

  /** A key was created in db `db`; if anyone waits on it, serve them after this unit. */
  signal(db: number, key: string): void {
    if (this.waiting.get(db)?.has(key)) this.ready.push([db, key]);
  }

  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** Serves waiters of ready keys, in signal order then block order (handleClientsBlockedOnKeys). */
  serveReady(): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      for (const [db, key] of batch) {
        const list = this.waiting.get(db)?.get(key);
        if (!list) continue;
        for (const w of [...list]) {
          if (w.client.closed || !this.byClient.has(w.client)) continue;
          const reply = this.runAs(w.client, () => w.serve(key)); // Redis serves from the key that became ready
          if (reply !== undefined) this.unblock(w, reply);
        }
      }
    }
  }

  /** Ends `client`'s wait without a reply (disconnect, RESET). */
  cancel(client: Client): void {
    const w = this.byClient.get(client);
    if (w) this.remove(w);
  }

  /** Ends the wait of `client` now with `reply` (CLIENT UNBLOCK). */
  unblockClient(client: Client, reply: Reply): boolean {
    const w = this.byClient.get(client);
    if (!w) return false;
    this.unblock(w, reply);
    return true;
  }

  private unblock(w: Waiter, reply: Reply): void {
    this.remove(w);
    w.resolve(reply);
  }

  private remove(w: Waiter): void {
    if (w.timer !== undefined) this.timers.clearTimeout(w.timer);
    this.byClient.delete(w.client);
    w.client.blockedOn = null;
    const byKey = this.waiting.get(w.db);
    if (!byKey) return;
    for (const k of w.keys) {
      const list = byKey.get(k);
      if (!list) continue;
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) byKey.delete(k);
    }
  }
}
