/**
 * The engine: a keyspace, the command table, and the per-server state every client shares
 * (pub/sub, blocked clients, WATCH, propagation, stats, config). It has no I/O: a host (the TCP
 * server, the typed client, a worker) connects clients and feeds them argv.
 */
import { Keyspace } from '../keyspace/keyspace.ts';
import type { Db } from '../keyspace/db.ts';
import type { Reply } from '../reply/reply.ts';
import { dispatch } from '../commands/dispatch.ts';
import { commandTable, type CommandTable } from '../commands/table.ts';
import { Client, type ClientOptions } from './client.ts';
import { Blocking, type Timers } from './blocking.ts';
import { Config, type ConfigParam } from './config.ts';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, notifyBit, type NotifyClass } from './notify.ts';
import { Propagation } from './propagate.ts';
import { PubSub } from './pubsub.ts';
import { Stats } from './stats.ts';
import { activeExpireCycle } from '../keyspace/expire.ts';
import { Cursors } from '../commands/scan.ts';
import type { ReplyError } from '../reply/errors.ts';
import type { Persistence } from '../persistence/types.ts';

export interface EngineOptions {
  /** Unix time in ms. Injectable so tests never sleep. Default `Date.now`. */
  now?: () => number;
  /** A uniform number in [0, 1) for RANDOMKEY, SPOP and friends. Default `Math.random`. */
  random?: () => number;
  /** Timers for blocking timeouts and the active expire cycle. Default: the global ones. */
  timers?: Timers;
  /** Config parameters to start with, as `redis-server --name value` would set them. */
  config?: Record<string, string>;
  /** Parameters a host adds to the engine's own (`larder serve`'s: pidfile, the process title, ...). */
  configParams?: readonly ConfigParam[];
  /** Start the active expire cycle (`hz` times a second). Default true. */
  activeExpire?: boolean;
}

const globalTimers = globalThis as unknown as Timers & {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(h: unknown): void;
};

/** What persistence installs on an engine for `sync` (persistence/aof-commit.ts). */
export interface Durability {
  barrier(endOfTurn: boolean, c: Client | undefined): Promise<void> | undefined;
  /** `written`: units written to the AOF so far (an object the AOF updates, read per command without a call). */
  readonly units: { readonly written: number };
}

export class Engine {
  readonly ks: Keyspace;
  readonly config: Config;
  readonly table: CommandTable = commandTable;
  readonly clients = new Map<number, Client>();
  readonly pubsub = new PubSub();
  readonly propagation = new Propagation();
  readonly stats: Stats;
  /** Live SCAN/HSCAN/SSCAN/ZSCAN cursors. */
  readonly cursors = new Cursors();
  readonly blocking: Blocking;
  readonly now: () => number;
  readonly random: () => number;
  /** Changes since the last save (Redis's server.dirty). Writes add to it through `addDirty`. */
  dirty = 0;
  /**
   * How many times `addDirty` moved `dirty`: what call() reads to tell a write that changed
   * something (and is propagated) from a no-op. `dirty` cannot tell: SPOP k 9223372036854775807
   * adds its count, as Redis does, and a double that large no longer moves by 1, where Redis's
   * long long always does, so every later write would look like a no-op and miss the AOF.
   */
  dirtyEvents = 0;
  /** db index → key → clients WATCHing it. */
  readonly watchers = new Map<number, Map<string, Set<Client>>>();
  private nextClientId = 1;
  private readonly timers: Timers;
  private cronHandle: unknown;
  private notifyFlags = 0;

  constructor(opts: EngineOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? globalTimers;
    this.config = new Config(opts.configParams);
    for (const [k, v] of Object.entries(opts.config ?? {})) this.config.set(k, v, true);
    this.ks = new Keyspace(this.now, this.config.num('databases'));
    this.stats = new Stats(this.now());
    this.blocking = new Blocking(this.timers, (c, fn) => this.runUnit(c, fn));
    this.ks.signalKeyAsReady = (db, key) => {
      if (this.blocking.count > 0) this.blocking.signal(this.ks.indexOf(db), key);
    };
    this.ks.onExpire = (db, key) => this.expireKey(db, key);
    this.ks.onMiss = (db, key) => {
      this.stats.keyspaceMisses++;
      if (this.notifyFlags !== 0) this.notify('m', 'keymiss', key, this.ks.indexOf(db));
    };
    this.configChanged();
    if (opts.activeExpire !== false) this.startCron();
  }

  /** A new client. Close it with `client.close()`. */
  connect(opts: ClientOptions = {}): Client {
    const c = new Client(this, this.nextClientId++, opts);
    this.clients.set(c.id, c);
    this.stats.connections++;
    return c;
  }

  /** Runs one command for `c`: a Reply, or a Promise of one when the command blocks. */
  execute(c: Client, argv: string[]): Reply | Promise<Reply> {
    return dispatch(this, c, argv);
  }

  disconnect(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.blocking.cancel(c);
    this.unwatchAll(c);
    this.pubsub.dropClient(c);
    this.clients.delete(c.id);
  }

  /** See Client.changed. */
  keyChanged(dbIndex: number, key: string, event: string, cls: NotifyClass, dirty = 1): void {
    this.addDirty(dirty);
    if (this.watchers.size > 0) this.touchWatched(dbIndex, key);
    if (this.notifyFlags !== 0) this.notify(cls, event, key, dbIndex);
  }

  /** server.dirty += n, for n >= 0 (see dirtyEvents). */
  addDirty(n: number): void {
    if (n <= 0) return;
    this.dirty += n;
    this.dirtyEvents++;
  }

  /** Publishes a keyspace notification if `notify-keyspace-events` enables its class. */
  notify(cls: NotifyClass, event: string, key: string, dbIndex: number): void {
    const flags = this.notifyFlags;
    if (!(flags & notifyBit(cls))) return;
    if (flags & NOTIFY_KEYSPACE) this.pubsub.publish(`__keyspace@${dbIndex}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.pubsub.publish(`__keyevent@${dbIndex}__:${event}`, key);
  }

  /** Re-reads config values the engine caches; CONFIG SET calls it. */
  configChanged(): void {
    this.notifyFlags = this.config.num('notify-keyspace-events');
    this.ks.onNewKey = this.notifyFlags & notifyBit('n')
      ? (db, key) => this.notify('n', 'new', key, this.ks.indexOf(db))
      : undefined;
  }

  propagate(dbIndex: number, argv: string[]): void {
    this.propagation.add(dbIndex, argv);
  }

  /**
   * Runs `fn` as one execution unit of client `c`: its propagated commands are delivered together
   * when it ends, and clients blocked on keys it created are served right after.
   */
  runUnit<T>(c: Client, fn: () => T): T {
    const units = this.aofUnits;
    this.propagation.begin();
    try {
      return fn();
    } finally {
      this.endUnit(c, units);
    }
  }

  /** The AOF's count of units written (0 without persistence), taken before a unit begins. */
  get aofUnits(): number {
    return this.durability?.units.written ?? 0;
  }

  /**
   * Ends a unit `c` began (propagation.begin) when the AOF's count was `unitsBefore`: delivers its
   * effects, and if the AOF took them, `c` now needs them in the file (Client.aofUnit).
   */
  endUnit(c: Client, unitsBefore: number): void {
    this.propagation.end();
    const units = this.aofUnits;
    if (units !== unitsBefore) c.aofUnit = units;
  }

  /**
   * The durability barrier hosts await before releasing replies (appendfsync always): resolves
   * once every write applied so far is on durable storage, or undefined when nothing is pending
   * (no persistence, another policy, or only reads since the last flush). All replies released
   * after one barrier share its flush: that is the group commit. Rejects with the storage error
   * when the flush fails; the host must then not acknowledge the writes it was holding.
   *
   * Under everysec and no the barrier hands the AOF buffer to the file now; with `endOfTurn` it
   * waits for the hand-off at the end of the current event-loop task instead, so that a server
   * handling many sockets in one turn writes the file once for all of them (Redis's beforeSleep).
   *
   * `c`, the client whose replies are held: the barrier rejects only when c's own units
   * (Client.aofUnit) did not reach the file, once per failure; others' units written before are
   * waited for but their failure is theirs. Without `c` every unit written so far counts as own.
   */
  sync(endOfTurn = false, c?: Client): Promise<void> | undefined {
    return this.durability?.barrier(endOfTurn, c);
  }

  /** Installed by persistence; see `sync` and `aofUnits`. */
  durability: Durability | undefined;

  /** SAVE, BGSAVE, BGREWRITEAOF, SHUTDOWN... find persistence here (persistence/types.ts). */
  persistence: Persistence | undefined;

  /**
   * Checked by dispatch before write commands (and PING, and EXEC of a queued write): an error
   * refuses them, as Redis's MISCONF does after a failed save or AOF write. Set by persistence.
   */
  writeGuard: (() => ReplyError | undefined) | undefined;

  /** True while a dataset loads: dispatch answers LOADING to commands without the `loading` flag. */
  loading = false;

  /** The client an AOF is replayed through (Redis's fake AOF client): exempt from LOADING. */
  loadingClient: Client | undefined;

  /** Called by SHUTDOWN once the data is saved: the host's exit. Without it, every client is closed. */
  onShutdown: (() => void) | undefined;

  /** Extra jobs for each cron tick (save rules, AOF fsync and rewrite checks). */
  readonly cronJobs: Array<() => void> = [];

  /** Serves blocked clients whose keys became ready; dispatch calls it after each top-level command. */
  afterCommand(): void {
    if (this.blocking.hasReady) this.blocking.serveReady();
  }

  /**
   * Marks WATCHers of `key` dirty (Redis 7.0's touchWatchedKey). Called after the change: a key
   * that was already expired when watched and is now gone (its lazy deletion) is no change.
   */
  touchWatched(dbIndex: number, key: string): void {
    const clients = this.watchers.get(dbIndex)?.get(key);
    if (!clients) return;
    for (const c of clients) {
      const keys = c.watched.get(dbIndex)!;
      if (keys.get(key) === true) {
        if (!this.ks.dbs[dbIndex]!.keys.has(key)) {
          keys.set(key, false);
          continue;
        }
      }
      c.dirtyCas = true;
    }
  }

  /**
   * After SWAPDB or an import replaced db `dbIndex`: clients blocked on keys that now exist there
   * get served (scanDatabaseForReadyKeys).
   */
  signalReadyKeys(dbIndex: number): void {
    if (this.blocking.count === 0) return;
    const db = this.ks.dbs[dbIndex]!;
    for (const client of this.clients.values()) {
      if (client.blockedOn === null || client.dbIndex !== dbIndex) continue;
      for (const key of client.blockedOn) if (db.keys.has(key)) this.blocking.signal(dbIndex, key);
    }
  }

  /**
   * FLUSHDB/FLUSHALL/SWAPDB (Redis 7.0's touchAllWatchedKeysInDb), called before db `dbIndex`
   * (`emptied`) is emptied or replaced by `replacedWith`: WATCHers of keys that exist in either
   * become dirty, except that an expired key that disappears, or stays expired, is no change.
   */
  touchAllWatched(dbIndex: number, emptied: Db, replacedWith?: Db): void {
    const byKey = this.watchers.get(dbIndex);
    if (!byKey) return;
    const now = this.now();
    const expiredIn = (db: Db, key: string): boolean => {
      const e = db.keys.get(key);
      return e !== undefined && e.expireAt !== -1 && now > e.expireAt;
    };
    for (const [key, clients] of byKey) {
      const inEmptied = emptied.keys.has(key);
      const inReplacement = replacedWith?.keys.has(key) === true;
      if (!inEmptied && !inReplacement) continue;
      for (const c of clients) {
        const keys = c.watched.get(dbIndex)!;
        if (keys.get(key) === true) {
          if (!inReplacement) {
            keys.set(key, false);
            continue;
          }
          if (expiredIn(replacedWith!, key)) continue;
        } else if (!inEmptied && expiredIn(replacedWith!, key)) {
          keys.set(key, true);
          continue;
        }
        c.dirtyCas = true;
      }
    }
  }

  /** WATCH: remembers whether `key` is already logically expired (Redis's watchedKey.expired). */
  watch(c: Client, key: string): void {
    let keys = c.watched.get(c.dbIndex);
    if (!keys) c.watched.set(c.dbIndex, (keys = new Map()));
    if (keys.has(key)) return;
    const e = c.db.keys.get(key);
    keys.set(key, e !== undefined && e.expireAt !== -1 && this.now() > e.expireAt);
    let byKey = this.watchers.get(c.dbIndex);
    if (!byKey) this.watchers.set(c.dbIndex, (byKey = new Map()));
    const set = byKey.get(key);
    if (set) set.add(c);
    else byKey.set(key, new Set([c]));
  }

  unwatchAll(c: Client): void {
    for (const [db, keys] of c.watched) {
      const byKey = this.watchers.get(db);
      for (const k of keys.keys()) {
        const set = byKey?.get(k);
        set?.delete(c);
        if (set?.size === 0) byKey!.delete(k);
      }
      if (byKey?.size === 0) this.watchers.delete(db);
    }
    c.watched.clear();
    c.dirtyCas = false;
  }

  /** Deletes an expired key as Redis's deleteExpiredKeyAndPropagate does. */
  private expireKey(db: Db, key: string): void {
    const dbIndex = this.ks.indexOf(db);
    db.delete(key);
    this.stats.expiredKeys++;
    // Redis 7.0 (propagateDeletion → alsoPropagate) adds the deletion to the execution unit under
    // way, before the command's own effect, and does not count it in `dirty`: a write that meets an
    // expired key is logged as MULTI, DEL, the write, EXEC (an EXEC's queued commands: in their
    // place inside its MULTI), a command that only found its key expired as a bare DEL. Outside a
    // unit (active expiry) each deletion goes on its own at once, as redis-server logs them.
    const lazy = this.config.value('lazyfree-lazy-expire') === 'yes';
    this.propagation.add(dbIndex, [lazy ? 'UNLINK' : 'DEL', key]);
    this.keyChanged(dbIndex, key, 'expired', 'x', 0);
  }

  private startCron(): void {
    const hz = Math.max(1, this.config.num('hz'));
    this.cronHandle = globalTimers.setInterval(() => this.cron(), 1000 / hz);
    // Do not keep a Node process alive just for the cron.
    (this.cronHandle as { unref?: () => void }).unref?.();
  }

  /** One tick of Redis's serverCron that matters here: the active expire cycle, then `cronJobs`. */
  cron(): void {
    this.stats.opsPerSec.sample(this.now(), this.stats.commandsProcessed);
    if (this.config.value('active-expire-enabled') === 'yes') activeExpireCycle(this.ks, this.now);
    for (const job of this.cronJobs) job();
  }

  /** Stops timers and disconnects every client. */
  close(): void {
    if (this.cronHandle !== undefined) globalTimers.clearInterval(this.cronHandle);
    this.cronHandle = undefined;
    for (const c of [...this.clients.values()]) c.close();
  }
}

export function createEngine(opts: EngineOptions = {}): Engine {
  return new Engine(opts);
}
