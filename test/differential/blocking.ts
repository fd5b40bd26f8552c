/**
 * Runs a blocking scenario (commands/blocking.ts) on both sides. A blocker's command is sent and
 * the side is asked whether it blocked: the oracle through INFO clients' blocked_clients, Larder by
 * its reply being a Promise. At the end, clients still blocked are released as by a timeout: on
 * the oracle with CLIENT UNBLOCK (timeout flavour), on Larder by firing the fake timer its
 * blocking command registered. The 30 s timeouts never elapse, so nothing depends on the clock.
 */
import type { Timers } from '../support/larder.ts';
import type { Norm } from '../support/norm.ts';
import { normEqual } from '../support/norm.ts';
import type { RespClient } from '../support/resp-client.ts';
import { materialize, type Argv } from './commands/dsl.ts';
import type { BlockingScenario } from './commands/blocking.ts';
import { Mismatch, compareState, counters, runStep, showArgv, type TranscriptLine } from './runner.ts';
import { LarderSide, RedisSide, settle, type Session } from './session.ts';
import { sleep } from './harness.ts';
import { formatNorm } from '../support/norm.ts';

/** Timers that only fire when told to; remembers which one each blocked client registered. */
export class FakeTimers implements Timers {
  private readonly live = new Map<number, () => void>();
  private next = 1;
  last: number | undefined;

  setTimeout(fn: () => void): unknown {
    const id = this.next++;
    this.live.set(id, fn);
    this.last = id;
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.live.delete(handle as number);
  }

  /** Fires timer `id` if it is still armed; true if it was. */
  fire(id: number | undefined): boolean {
    const fn = id === undefined ? undefined : this.live.get(id);
    if (!fn) return false;
    this.live.delete(id!);
    fn();
    return true;
  }
}

interface Started {
  /** The reply, when the command answered without blocking. */
  now?: Norm[];
  /** The eventual reply of a blocked command. */
  later?: Promise<Norm[]>;
}

/** The per-side operations a blocking scenario needs. */
interface BlockOps {
  start(i: number, argv: string[]): Promise<Started>;
  /** Releases client i as by a timeout; true if it was still blocked. */
  release(i: number): Promise<boolean>;
}


function redisOps(side: RedisSide): BlockOps {
  const ids = new Map<number, string>();
  const blockedCount = async () => {
    const info = await side.pool.inspector.call(['INFO', 'clients']);
    const m = info.t === 'bulk' ? /blocked_clients:(\d+)/.exec(info.v) : null;
    return m ? Number(m[1]) : -1;
  };
  return {
    async start(i, argv) {
      const conn: RespClient = side.conn(i);
      const id = await conn.call(['CLIENT', 'ID']);
      if (id.t === 'int') ids.set(i, id.v);
      const before = await blockedCount();
      conn.send(argv);
      for (let tries = 0; tries < 2000; tries++) {
        if (conn.pending > 0) return { now: [await conn.read()] };
        if ((await blockedCount()) > before) return { later: conn.read(60_000).then((f) => [f]) };
        await sleep(1);
      }
      throw new Error(`redis-server neither answered nor blocked: ${showArgv(argv)}`);
    },
    async release(i) {
      const r = await side.pool.inspector.call(['CLIENT', 'UNBLOCK', ids.get(i) ?? '0']);
      return r.t === 'int' && r.v === '1';
    },
  };
}

function larderOps(side: LarderSide, timers: FakeTimers): BlockOps {
  const timerOf = new Map<number, number | undefined>();
  return {
    async start(i, argv) {
      timers.last = undefined;
      const r = side.execRaw(i, argv);
      if (!(r instanceof Promise)) return { now: r };
      timerOf.set(i, timers.last);
      return { later: settle(r, side.clients[i]!) };
    },
    async release(i) {
      return timers.fire(timerOf.get(i));
    },
  };
}

export async function runBlockingScenario(s: Session, timers: FakeTimers, sc: BlockingScenario): Promise<void> {
  const oracle = redisOps(s.oracle);
  const subject = s.subject instanceof LarderSide ? larderOps(s.subject, timers) : redisOps(s.subject as RedisSide);
  const blocked: number[] = [];
  try {
    await scenario(s, oracle, subject, sc, blocked);
  } finally {
    // Whatever happened, no oracle connection may stay blocked into the next run (its RESET would wait 30 s).
    for (const client of blocked) {
      await oracle.release(client);
      if (s.subject instanceof RedisSide) await subject.release(client);
    }
  }
}

async function scenario(s: Session, oracle: BlockOps, subject: BlockOps, sc: BlockingScenario, blocked: number[]): Promise<void> {
  const transcript: TranscriptLine[] = [];
  const fail = (what: string, detail: string[]): never => {
    throw new Mismatch('blocking', [...transcript], what, detail);
  };
  const step = async (client: number, argv: Argv) => {
    const real = materialize(argv, transcript.length);
    const result = await runStep(s, client, real);
    transcript.push({ client, argv: real, result });
    if (result.verdict) fail(`step ${transcript.length}: ${result.verdict}`, [`redis:   ${result.redis.map((x) => formatNorm(x)).join(' | ')}`, `larder:  ${result.larder.map((x) => formatNorm(x)).join(' | ')}`]);
  };

  for (const argv of sc.setup) await step(0, argv);

  const pending: Array<{ client: number; argv: string[]; redis: Promise<Norm[]>; larder: Promise<Norm[]> }> = [];
  for (let j = 0; j < sc.blockers.length; j++) {
    const client = j + 1;
    const argv = materialize(sc.blockers[j]!, transcript.length);
    const r = await oracle.start(client, argv);
    const l = await subject.start(client, argv);
    if (r.later) blocked.push(client);
    if (l.later && s.subject instanceof RedisSide && !r.later) blocked.push(client);
    // Failing early leaves these unread; keep their rejection (connection closed) from going unhandled.
    void r.later?.catch(() => undefined);
    void l.later?.catch(() => undefined);
    const line: TranscriptLine = { client, argv, result: { redis: r.now ?? [{ t: 'simple', v: '(blocked)' }], larder: l.now ?? [{ t: 'simple', v: '(blocked)' }], verdict: undefined } };
    transcript.push(line);
    if ((r.now === undefined) !== (l.now === undefined)) {
      fail(`step ${transcript.length}: blocked on one side only`, [`redis:   ${r.now ? r.now.map((x) => formatNorm(x)).join(' | ') : '(blocked)'}`, `larder:  ${l.now ? l.now.map((x) => formatNorm(x)).join(' | ') : '(blocked)'}`]);
    }
    if (r.now && l.now && !(r.now.length === l.now.length && r.now.every((f, k) => normEqual(f, l.now![k]!)))) {
      fail(`step ${transcript.length}: replies differ`, [`redis:   ${r.now.map((x) => formatNorm(x)).join(' | ')}`, `larder:  ${l.now.map((x) => formatNorm(x)).join(' | ')}`]);
    }
    if (r.later && l.later) {
      counters.blocked++;
      pending.push({ client, argv, redis: r.later, larder: l.later });
    }
  }

  for (const argv of sc.writes) await step(0, argv);

  for (const p of pending) {
    const r = await oracle.release(p.client);
    const l = await subject.release(p.client);
    if (!r) counters.servedWhileBlocked++;
    if (r !== l) {
      fail(`client ${p.client} (${showArgv(p.argv)}) was ${r ? 'still blocked' : 'served'} on the oracle but ${l ? 'still blocked' : 'served'} on Larder`, []);
    }
  }
  for (const p of pending) {
    const [r, l] = await Promise.all([p.redis, p.larder]);
    transcript.push({ client: p.client, argv: ['(reply of)', ...p.argv], result: { redis: r, larder: l, verdict: undefined } });
    if (!(r.length === l.length && r.every((f, k) => normEqual(f, l[k]!)))) {
      fail(`blocked client ${p.client} got different replies`, [`command: ${showArgv(p.argv)}`, `redis:   ${r.map((x) => formatNorm(x)).join(' | ')}`, `larder:  ${l.map((x) => formatNorm(x)).join(' | ')}`]);
    }
  }
  const diff = await compareState(s);
  if (diff.length > 0) fail('datasets differ after the scenario', diff);
}
