/**
 * Both sides of a differential run. The oracle is a redis-server with one inspector connection and
 * N client connections, kept for the whole test file; the subject is a fresh Larder engine with N
 * clients per run (or, to test this suite itself, a second redis-server: LARDER_DIFF_SELF_TEST=1).
 * `exec` sends one command from client i to both sides and returns the reply frames of each.
 *
 * Pub/sub makes a server's frame stream carry messages between replies, so in `pubsub` mode (and
 * for SUBSCRIBE-like commands anywhere) a command is followed by `PING <token>` and every frame up
 * to the token's echo is read: message frames go to the client's inbox, the rest are the command's
 * replies. Larder's messages arrive through `onPush` and land in the same kind of inbox.
 */
import type { RespClient } from '../support/resp-client.ts';
import type { Norm } from '../support/norm.ts';
import { RedisSide, type RedisPool, type Side } from './sides.ts';

export { LarderSide, RedisPool, RedisSide, settle, type Side } from './sides.ts';

const SUBSCRIBE_FAMILY = new Set(['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);
export const SELF_TEST = process.env.LARDER_DIFF_SELF_TEST === '1';


export interface SessionOptions {
  /** Read every client's frames through the PING barrier (pub/sub scenarios). */
  pubsub?: boolean;
  seed: number;
}

/** The oracle and the subject of one run. */
export class Session {
  readonly oracle: RedisSide;
  /** Whether client i is inside MULTI (so PING would be queued, not answered). */
  readonly inMulti: boolean[];

  constructor(
    oraclePool: RedisPool,
    readonly subject: Side,
    readonly opts: SessionOptions,
  ) {
    this.oracle = new RedisSide(oraclePool);
    this.inMulti = oraclePool.conns.map(() => false);
  }

  get clients(): number {
    return this.inMulti.length;
  }

  /** The oracle's connection of client i. */
  redis(i: number): RespClient {
    return this.oracle.conn(i);
  }

  close(): void {
    this.subject.close();
  }

  /** One command from client i on both sides; both replies awaited (blocking commands included). */
  async exec(i: number, argv: string[]): Promise<{ redis: Norm[]; larder: Norm[] }> {
    const name = argv[0]?.toLowerCase() ?? '';
    const barrier = !this.inMulti[i] && (this.opts.pubsub === true || SUBSCRIBE_FAMILY.has(name));
    const l = this.subject.exec(i, argv, barrier);
    const redis = await this.oracle.exec(i, argv, barrier);
    const larder = await l;
    this.trackMulti(i, name, redis[0]);
    return { redis, larder };
  }

  /** Brings both sides' inboxes up to date. */
  async syncMessages(): Promise<void> {
    await this.oracle.syncSome(this.inMulti);
    if (this.subject instanceof RedisSide) await this.subject.syncSome(this.inMulti);
    else await this.subject.sync();
  }

  private trackMulti(i: number, name: string, reply: Norm | undefined): void {
    if (name === 'multi' && reply?.t === 'simple' && reply.v === 'OK') this.inMulti[i] = true;
    else if (name === 'exec' || name === 'discard' || name === 'reset') this.inMulti[i] = false;
  }
}
