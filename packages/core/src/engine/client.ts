/**
 * One connection's state (Redis's `client`): selected db, protocol, transaction, subscriptions,
 * blocking. Handlers receive it as their context and reach the engine through it.
 */
import type { Db } from '../keyspace/db.ts';
import type { Reply } from '../reply/reply.ts';
import type { CommandSpec } from '../commands/spec.ts';
import type { Engine } from './engine.ts';
import type { NotifyClass } from './notify.ts';

export interface ClientOptions {
  /** Receives pub/sub messages and keyspace notifications (RESP3 pushes, RESP2 arrays). */
  onPush?: (message: Reply) => void;
  /** Shown by CLIENT LIST; `addr=` of a TCP peer, for example. */
  addr?: string;
  laddr?: string;
  /** Called once when the client is closed, by itself (QUIT) or by another (CLIENT KILL). */
  onClose?: () => void;
}

export class Client {
  name = '';
  dbIndex = 0;
  resp: 2 | 3 = 2;
  /** Queued commands while in MULTI, else null. */
  multi: Array<[CommandSpec, string[]]> | null = null;
  /** True while EXEC runs the queue: blocking commands then answer as if timed out. */
  inExec = false;
  /** A command failed to queue: EXEC answers EXECABORT. */
  multiFailed = false;
  /**
   * The AOF units (persistence/aof-write.ts) this client's own effects need: the AOF's unit count
   * after the last unit that delivered something for it (its writes, or a pop served to it while
   * blocked). The durability barrier refuses its replies while these are not in the file, and
   * `aofReported` is the last unit such a refusal covered, so that one failure is told once.
   */
  aofUnit = 0;
  aofReported = 0;
  /** A watched key changed: EXEC answers nil. */
  dirtyCas = false;
  /**
   * Watched keys: db index → key → whether the key was already logically expired when WATCHed
   * (Redis's watchedKey.expired: deleting such a key is no change, see Engine.touchWatched).
   */
  readonly watched = new Map<number, Map<string, boolean>>();
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** SSUBSCRIBE channels (their own namespace, counted apart from the others). */
  readonly shardChannels = new Set<string>();
  /** Set while the client waits in a blocking command. */
  blockedOn: string[] | null = null;
  closed = false;
  lastCommand = 'NULL';
  readonly createdAt: number;
  lastInteraction: number;
  onPush: ((message: Reply) => void) | undefined;
  private readonly onClose: (() => void) | undefined;
  readonly addr: string;
  readonly laddr: string;

  /** Per-call propagation controls, reset by dispatch before each handler. */
  propagateArgv: string[] | null = null;
  noPropagate = false;

  constructor(
    readonly engine: Engine,
    readonly id: number,
    opts: ClientOptions = {},
  ) {
    this.createdAt = engine.now();
    this.lastInteraction = this.createdAt;
    this.onPush = opts.onPush;
    this.onClose = opts.onClose;
    this.addr = opts.addr ?? `127.0.0.1:${10000 + id}`;
    this.laddr = opts.laddr ?? '127.0.0.1:6379';
  }

  /**
   * islocalClient: a peer on loopback. A client without a network peer (in-process, a browser
   * tab's) is local too: only an address that is an IP and not a loopback one is remote.
   */
  get isLocal(): boolean {
    const host = this.addr.slice(0, this.addr.lastIndexOf(':'));
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) || /^[0-9a-f]*:[0-9a-f:.]*$/i.test(host);
    return !ip || host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.');
  }

  /** The selected database. */
  get db(): Db {
    return this.engine.ks.dbs[this.dbIndex]!;
  }

  /** Runs one command as this client. Returns a Promise only when the command blocks. */
  exec(argv: string[]): Reply | Promise<Reply> {
    return this.engine.execute(this, argv);
  }

  /**
   * Records a change to `key` in the selected db: counts it in `dirty`, invalidates WATCHers and
   * sends the keyspace notification `event` of class `cls` (Redis's signalModifiedKey +
   * notifyKeyspaceEvent + server.dirty++). Every write handler calls it once per changed key.
   */
  changed(key: string, event: string, cls: NotifyClass, dirty = 1): void {
    this.engine.keyChanged(this.dbIndex, key, event, cls, dirty);
  }

  /** Propagate `argv` instead of the command as received (Redis's rewriteClientCommandVector). */
  rewrite(argv: string[]): void {
    this.propagateArgv = argv;
  }

  /** Propagate another command in this execution unit, before this one (alsoPropagate). */
  alsoPropagate(argv: string[], dbIndex = this.dbIndex): void {
    this.engine.propagate(dbIndex, argv);
  }

  /** Sends an out-of-band message (pub/sub). */
  push(message: Reply): void {
    this.onPush?.(message);
  }

  /** Disconnects: unblocks, unsubscribes, unwatches. */
  close(): void {
    if (this.closed) return;
    this.engine.disconnect(this);
    this.onClose?.();
  }

  /**
   * Closes once the current reply is out (QUIT, CLIENT KILL of oneself): the client's state goes
   * now, so nothing else runs for it, and the host's `onClose` a microtask later, after the host
   * has written the reply.
   */
  closeAfterReply(): void {
    if (this.closed) return;
    this.engine.disconnect(this);
    const onClose = this.onClose;
    if (onClose) void Promise.resolve().then(onClose);
  }
}
