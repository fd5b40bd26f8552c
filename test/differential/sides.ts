/**
 * The two kinds of side a run compares. `RedisPool` is a redis-server and its connections for a
 * whole test file; `RedisSide` runs commands on it (the oracle, or the subject of a self-test);
 * `LarderSide` is a fresh Larder engine with N clients for one run.
 */
import { createEngine, type Client, type Engine, type Reply, type Timers } from '../support/larder.ts';
import { RespClient } from '../support/resp-client.ts';
import { startRedis, type RedisServer } from '../support/redis-server.ts';
import { fromLarder, larderFrames, type Norm } from '../support/norm.ts';
import { larderSnapshot, redisSnapshot, type Snapshot } from '../support/state.ts';

/** CONFIG SET pairs that bring a server back to Redis 7.0's defaults (Larder's too) before each run. */
export const CONFIG_DEFAULTS = [
  'notify-keyspace-events', '',
  'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64', // 512: what Debian's 7.0.15 reports
  'set-max-intset-entries', '512',
  'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64',
  'list-max-listpack-size', '-2', 'list-compress-depth', '0',
  'maxmemory-clients', '0',
];

const MESSAGE_KINDS = new Set(['message', 'pmessage', 'smessage']);

export function isMessage(f: Norm): boolean {
  if (f.t !== 'array' && f.t !== 'push') return false;
  const first = f.v[0];
  return first !== undefined && first.t === 'bulk' && MESSAGE_KINDS.has(first.v);
}

/** A tiny seeded PRNG (mulberry32) so Larder's own randomness replays from the fast-check seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One side as the runner sees it. */
export interface Side {
  readonly inbox: Norm[][];
  /** Frames of client i's reply; a Promise when the side answers later (a blocked command). */
  exec(i: number, argv: string[], barrier: boolean): Norm[] | Promise<Norm[]>;
  /** Makes every message published so far visible in `inbox`. */
  sync(): Promise<void>;
  snapshot(): Promise<Snapshot>;
  close(): void;
}

/** A Larder command that neither answers nor times out is a bug; don't hang the suite on it. */
const LARDER_REPLY_TIMEOUT_MS = 10_000;

/** A redis-server and its connections, for a whole test file. */
export class RedisPool {
  private constructor(
    readonly server: RedisServer,
    readonly inspector: RespClient,
    public conns: RespClient[],
  ) {}

  /** `extraArgs`: more `redis-server` arguments (later ones win, e.g. `--appendonly yes`). */
  static async start(clients: number, extraArgs: string[] = []): Promise<RedisPool> {
    const server = await startRedis(extraArgs);
    const inspector = await RespClient.connect(server.port);
    // Keys expire only when touched, as in Larder's engine with activeExpire: false. Otherwise the
    // oracle's expire cycle deletes keys whose time passed (SET ... PXAT 1) at moments of its choosing,
    // and DBSIZE or an 'expired' notification would depend on it.
    const r = await inspector.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    if (r.t !== 'simple') throw new Error(`DEBUG SET-ACTIVE-EXPIRE 0 failed: ${JSON.stringify(r)}`);
    const conns = await Promise.all(Array.from({ length: clients }, () => RespClient.connect(server.port)));
    return new RedisPool(server, inspector, conns);
  }

  /** Empties the server and resets config and every client connection (RESET: db 0, RESP2, no MULTI, no subscriptions, no name). */
  async reset(fresh: boolean): Promise<void> {
    if (fresh) {
      for (const c of this.conns) c.close();
      this.conns = await Promise.all(this.conns.map(() => RespClient.connect(this.server.port)));
    }
    await this.inspector.pipeline([['FLUSHALL'], ['CONFIG', 'SET', ...CONFIG_DEFAULTS]]);
    await Promise.all(this.conns.map((c) => c.call(['RESET'])));
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.close();
    this.inspector.close();
    await this.server.stop();
  }
}

/** A redis-server as a side: the oracle, or the subject of a self-test. */
export class RedisSide implements Side {
  readonly inbox: Norm[][];
  private token = 0;

  constructor(readonly pool: RedisPool) {
    this.inbox = pool.conns.map(() => []);
  }

  conn(i: number): RespClient {
    return this.pool.conns[i]!;
  }

  async exec(i: number, argv: string[], barrier: boolean): Promise<Norm[]> {
    return barrier ? this.throughBarrier(i, argv) : [await this.conn(i).call(argv)];
  }

  /** Sends `argv` (if any) then PING <token>; returns the non-message frames before the token's echo. */
  async throughBarrier(i: number, argv?: string[]): Promise<Norm[]> {
    const conn = this.conn(i);
    const token = `\x01barrier-${++this.token}`;
    if (argv) conn.send(argv);
    conn.send(['PING', token]);
    const replies: Norm[] = [];
    for (;;) {
      const f = await conn.read();
      if (isPong(f, token)) return replies;
      if (isMessage(f)) this.inbox[i]!.push(f);
      else replies.push(f);
    }
  }

  /** Clients inside MULTI are skipped: their PING would be queued, not answered. */
  async syncSome(skip: readonly boolean[]): Promise<void> {
    for (let i = 0; i < this.pool.conns.length; i++) {
      if (skip[i]) continue;
      const stray = await this.throughBarrier(i);
      this.inbox[i]!.push(...stray.map((f): Norm => ({ t: 'bad', v: `unexpected frame ${JSON.stringify(f)}` })));
    }
  }

  sync(): Promise<void> {
    return this.syncSome([]);
  }

  snapshot(): Promise<Snapshot> {
    return redisSnapshot(this.pool.inspector);
  }

  close(): void {}
}

/** A fresh Larder engine with N clients, for one run. */
export class LarderSide implements Side {
  readonly engine: Engine;
  readonly clients: Client[];
  readonly inbox: Norm[][];

  /** `config`: parameters to start the engine with, as `redis-server --name value` sets them. */
  constructor(n: number, seed: number, timers?: Timers, config?: Record<string, string>) {
    const opts: Parameters<typeof createEngine>[0] = { activeExpire: false, random: seededRandom(seed) };
    if (timers) opts.timers = timers;
    if (config) opts.config = config;
    this.engine = createEngine(opts);
    this.inbox = Array.from({ length: n }, () => []);
    this.clients = Array.from({ length: n }, (_, i) =>
      this.engine.connect({ onPush: (m) => this.inbox[i]!.push(fromLarder(m, this.clients[i]?.resp ?? 2)) }),
    );
  }

  /** Exceptions and hangs become `bad` frames instead of crashing the run. */
  exec(i: number, argv: string[]): Norm[] | Promise<Norm[]> {
    const r = this.execRaw(i, argv);
    return r instanceof Promise ? settle(r, this.clients[i]!) : r;
  }

  /** Like exec, but a blocked command's Promise is returned as is (blocking.test.ts drives it). */
  execRaw(i: number, argv: string[]): Norm[] | Promise<Reply> {
    const c = this.clients[i]!;
    let r: Reply | Promise<Reply>;
    try {
      r = c.exec(argv);
    } catch (e) {
      const where = (e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e);
      return [{ t: 'bad', v: `threw ${where}` }];
    }
    return r instanceof Promise ? r : larderFrames(r, c.resp);
  }

  sync(): Promise<void> {
    return Promise.resolve();
  }

  async snapshot(): Promise<Snapshot> {
    try {
      return larderSnapshot(this.engine, this.encodingReader());
    } catch (e) {
      return new Map([['-1:(snapshot failed)', { type: 'error', value: String((e as Error).message), encoding: undefined, expireAt: -1 }]]);
    }
  }

  /** Larder's OBJECT ENCODING when its table has it, so string encodings are compared too. */
  private encodingReader(): ((db: number, key: string) => string | undefined) | undefined {
    const enc = this.engine.table.get('object')?.subcommands?.find((x) => x.name === 'encoding');
    if (!enc?.handler) return undefined;
    const inspector = this.engine.connect();
    return (db, key) => {
      inspector.dbIndex = db;
      try {
        const r = inspector.exec(['OBJECT', 'ENCODING', key]);
        return typeof r === 'string' ? r : undefined;
      } catch {
        return undefined;
      }
    };
  }

  close(): void {
    this.engine.close();
  }
}

/** A blocked Larder reply, as frames, with a deadline. */
export function settle(promise: Promise<Reply>, c: Client, ms = LARDER_REPLY_TIMEOUT_MS): Promise<Norm[]> {
  return new Promise<Norm[]>((resolve) => {
    const t = setTimeout(() => resolve([{ t: 'bad', v: `no reply within ${ms} ms (blocked forever?)` }]), ms);
    promise.then(
      (x) => { clearTimeout(t); resolve(larderFrames(x, c.resp)); },
      (e) => { clearTimeout(t); resolve([{ t: 'bad', v: `rejected ${String(e)}` }]); },
    );
  });
}


function isPong(f: Norm, token: string): boolean {
  if (f.t === 'bulk' || f.t === 'simple') return f.v === token;
  if (f.t === 'array' || f.t === 'push') {
    const [a, b] = f.v;
    return f.v.length === 2 && a?.t === 'bulk' && a.v === 'pong' && b?.t === 'bulk' && b.v === token;
  }
  return false;
}
