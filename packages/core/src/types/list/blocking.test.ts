/**
 * The blocking list commands with several clients of one engine: order of service, BLMOVE chains,
 * wrong types, timeouts (fake timers), MULTI, propagation and keyspace events. Expected behaviour
 * checked against redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/engine.ts';
import type { Timers } from '../../engine/blocking.ts';
import { ReplyError, TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT } from '../../reply/errors.ts';
import { NIL_ARRAY, Push, type Reply } from '../../reply/reply.ts';
import type { Client } from '../../engine/client.ts';
import { parseTimeout } from '../../commands/timeout.ts';

/** Timers driven by `advance`, on a clock the engine shares. */
class FakeClock implements Timers {
  now = 1_000_000;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    const ready = [...this.due].filter(([, t]) => t.at <= this.now).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
    for (const [id, t] of ready) {
      this.due.delete(id);
      t.fn();
    }
  }
}

interface World {
  engine: Engine;
  clock: FakeClock;
  c: Client[];
  /** Propagated batches, each a list of `argv.join(' ')`. */
  props: string[][];
  events: string[];
}

function world(n = 4): World {
  const clock = new FakeClock();
  const engine = createEngine({ activeExpire: false, timers: clock, now: () => clock.now });
  const props: string[][] = [];
  engine.propagation.listen((ops) => props.push(ops.map((o) => o.argv.join(' '))));
  const events: string[] = [];
  const sub = engine.connect({
    onPush: (m) => {
      const [, , channel, key] = (m as Push).items as string[];
      events.push(`${channel!.slice('__keyevent@0__:'.length)} ${key}`);
    },
  });
  engine.config.set('notify-keyspace-events', 'KEA');
  engine.configChanged();
  engine.pubsub.psubscribe(sub, '__keyevent@0__:*');
  return { engine, clock, c: Array.from({ length: n }, () => engine.connect()), props, events };
}

/** Settled state of a possibly pending reply: the reply, or 'pending'. */
async function state(p: Reply | Promise<Reply>): Promise<Reply | 'pending'> {
  if (!(p instanceof Promise)) return p;
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 0))]);
}

describe('blocking list commands', () => {
  it('serves clients blocked on one key first come, first served', async () => {
    const w = world();
    const p1 = w.c[1]!.exec(['BLPOP', 'k', '0']);
    const p2 = w.c[2]!.exec(['BRPOP', 'k', '0']);
    const p3 = w.c[3]!.exec(['BLPOP', 'k', '0']);
    expect(p1).toBeInstanceOf(Promise);
    expect(w.c[0]!.exec(['RPUSH', 'k', 'a', 'b'])).toBe(2);
    expect(await state(p1)).toEqual(['k', 'a']);
    expect(await state(p2)).toEqual(['k', 'b']);
    expect(await state(p3)).toBe('pending');
    expect(w.c[0]!.exec(['EXISTS', 'k'])).toBe(0);
    w.c[0]!.exec(['LPUSH', 'k', 'c']);
    expect(await state(p3)).toEqual(['k', 'c']);
  });

  it('serves a multi-key BLPOP from the key that gets data', async () => {
    const w = world();
    const p = w.c[1]!.exec(['BLPOP', 'a', 'b', 'c', '0']);
    w.c[0]!.exec(['RPUSH', 'c', 'x']);
    expect(await state(p)).toEqual(['c', 'x']);
    expect(w.props).toEqual([['RPUSH c x'], ['LPOP c']]);
  });

  // Redis pops from the key that became ready first, even if an earlier key of the client also
  // has data by then.
  it('serves from the first key made ready in a transaction, not the first key named', async () => {
    const w = world();
    const p = w.c[1]!.exec(['BLPOP', 'a', 'b', '0']);
    w.c[0]!.exec(['MULTI']);
    w.c[0]!.exec(['RPUSH', 'b', '1']);
    w.c[0]!.exec(['RPUSH', 'a', '2']);
    w.c[0]!.exec(['EXEC']);
    expect(await state(p)).toEqual(['b', '1']);
  });

  it('chains BLMOVE into clients blocked on its destination', async () => {
    const w = world();
    const p1 = w.c[1]!.exec(['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0']);
    const p2 = w.c[2]!.exec(['BRPOPLPUSH', 'b', 'c', '0']);
    const p3 = w.c[3]!.exec(['BLPOP', 'c', '0']);
    w.c[0]!.exec(['RPUSH', 'a', 'x']);
    expect(await state(p1)).toBe('x');
    expect(await state(p2)).toBe('x');
    expect(await state(p3)).toEqual(['c', 'x']);
    expect(w.c[0]!.exec(['DBSIZE'])).toBe(0);
    expect(w.props).toEqual([['RPUSH a x'], ['LMOVE a b left right'], ['RPOPLPUSH b c'], ['LPOP c']]);
    expect(w.events).toEqual(['rpush a', 'rpush b', 'lpop a', 'del a', 'lpush c', 'rpop b', 'del b', 'lpop c', 'del c']);
  });

  it('BLMOVE onto its own key rotates and lets the next client in', async () => {
    const w = world();
    const p1 = w.c[1]!.exec(['BLMOVE', 'k', 'k', 'RIGHT', 'LEFT', '0']);
    const p2 = w.c[2]!.exec(['BLPOP', 'k', '0']);
    w.c[0]!.exec(['RPUSH', 'k', 'a', 'b']);
    expect(await state(p1)).toBe('b');
    expect(await state(p2)).toEqual(['k', 'b']);
    expect(w.c[0]!.exec(['LRANGE', 'k', '0', '-1'])).toEqual(['a']);
  });

  it('answers WRONGTYPE to a blocked BLMOVE whose destination is not a list, moving nothing', async () => {
    const w = world();
    w.c[0]!.exec(['SET', 'd', 'str']);
    const p1 = w.c[1]!.exec(['BRPOPLPUSH', 'k', 'd', '0']);
    const p2 = w.c[2]!.exec(['BLPOP', 'k', '0']);
    w.c[0]!.exec(['RPUSH', 'k', 'a']);
    const r1 = await state(p1);
    expect(r1).toBeInstanceOf(ReplyError);
    expect((r1 as ReplyError).message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(await state(p2)).toEqual(['k', 'a']);
    expect(w.props).toEqual([['SET d str'], ['RPUSH k a'], ['LPOP k']]);
  });

  it('stays blocked when the key it waits on is gone or of another type by the time it is served', async () => {
    const w = world();
    const p = w.c[1]!.exec(['BLPOP', 'k', '0']);
    for (const argv of [['MULTI'], ['RPUSH', 'k', 'x'], ['DEL', 'k'], ['SET', 'k', 's'], ['EXEC']]) w.c[0]!.exec(argv);
    expect(await state(p)).toBe('pending');
    w.c[0]!.exec(['DEL', 'k']);
    w.c[0]!.exec(['LPUSH', 'k', 'y']);
    expect(await state(p)).toEqual(['k', 'y']);
  });

  it('BLMPOP pops up to COUNT from the ready key and propagates LPOP/RPOP key n', async () => {
    const w = world();
    const p = w.c[1]!.exec(['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '2']);
    const q = w.c[2]!.exec(['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '5']);
    w.c[0]!.exec(['RPUSH', 'b', '1', '2', '3']);
    expect(await state(p)).toEqual(['b', ['3', '2']]);
    expect(await state(q)).toEqual(['b', ['1']]);
    expect(w.props).toEqual([['RPUSH b 1 2 3'], ['RPOP b 2'], ['LPOP b 1']]);
  });

  it('times out with a nil array after the timeout, never with 0', async () => {
    const w = world();
    const blpop = w.c[1]!.exec(['BLPOP', 'k', '1.5']);
    const blmove = w.c[2]!.exec(['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.25']);
    const forever = w.c[3]!.exec(['BRPOPLPUSH', 'k', 'd', '0.0001']);
    w.clock.advance(249);
    expect(await state(blmove)).toBe('pending');
    w.clock.advance(1);
    expect(await state(blmove)).toBe(NIL_ARRAY);
    w.clock.advance(1249);
    expect(await state(blpop)).toBe('pending');
    w.clock.advance(1);
    expect(await state(blpop)).toBe(NIL_ARRAY);
    w.clock.advance(1e9);
    expect(await state(forever)).toBe('pending');
    expect(w.props).toEqual([]);
    const mpop = w.c[1]!.exec(['BLMPOP', '2', '1', 'k', 'LEFT']);
    w.clock.advance(2000);
    expect(await state(mpop)).toBe(NIL_ARRAY);
  });

  it('a closed client is not served', async () => {
    const w = world();
    const p = w.c[1]!.exec(['BLPOP', 'k', '0']);
    w.c[1]!.close();
    w.c[0]!.exec(['RPUSH', 'k', 'a']);
    expect(await state(p)).toBe('pending');
    expect(w.c[0]!.exec(['LLEN', 'k'])).toBe(1);
  });

  it('answers at once inside MULTI, as after a timeout', () => {
    const w = world();
    const c = w.c[1]!;
    c.exec(['MULTI']);
    for (const argv of [
      ['BLPOP', 'k', '0'], ['BRPOP', 'k', '0'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'k', 'd', '0'],
      ['BLMPOP', '0', '1', 'k', 'LEFT'], ['RPUSH', 'k', 'a', 'b', 'c'], ['BLPOP', 'k', '0'], ['BLMOVE', 'k', 'd', 'left', 'RIGHT', '0'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '5'],
    ]) c.exec(argv);
    expect(c.exec(['EXEC'])).toEqual([NIL_ARRAY, NIL_ARRAY, null, null, NIL_ARRAY, 3, ['k', 'a'], 'b', ['k', ['c']]]);
    expect(w.props).toEqual([['MULTI', 'RPUSH k a b c', 'LPOP k', 'LMOVE k d left RIGHT', 'LPOP k 1', 'EXEC']]);
  });

  it('with data at hand, propagates as the non-blocking form', () => {
    const w = world();
    const c = w.c[0]!;
    c.exec(['RPUSH', 'k', '1', '2', '3', '4', '5']);
    expect(c.exec(['BRPOP', 'x', 'k', '0'])).toEqual(['k', '5']);
    expect(c.exec(['BLMOVE', 'k', 'd', 'LeFt', 'RIGHT', '0'])).toBe('1');
    expect(c.exec(['BRPOPLPUSH', 'k', 'd', '0'])).toBe('4');
    expect(c.exec(['BLMPOP', '0', '1', 'k', 'left', 'COUNT', '10'])).toEqual(['k', ['2', '3']]);
    expect(c.exec(['LMPOP', '1', 'd', 'RIGHT'])).toEqual(['d', ['1']]);
    expect(w.props.slice(1)).toEqual([['RPOP k'], ['LMOVE k d LeFt RIGHT'], ['RPOPLPUSH k d'], ['LPOP k 2'], ['RPOP d 1']]);
  });
});

describe('non-blocking propagation and events', () => {
  it('propagates changes as received and no-ops not at all', () => {
    const w = world();
    const c = w.c[0]!;
    for (const argv of [
      ['RPUSH', 'l', 'a', 'b', 'c'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'n', '0', '1'], ['LREM', 'l', '0', 'zz'],
      ['LINSERT', 'l', 'BEFORE', 'zz', 'x'], ['LPUSHX', 'n', 'a'], ['LPOP', 'n'], ['LPOP', 'l', '0'], ['LMOVE', 'n', 'l', 'LEFT', 'LEFT'],
      ['LSET', 'l', '0', 'A'], ['LINSERT', 'l', 'AFTER', 'A', 'B'], ['LREM', 'l', '-1', 'c'], ['LTRIM', 'l', '1', '-1'],
      ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'], ['RPOP', 'l', '5'],
    ]) c.exec(argv);
    expect(w.props.map((b) => b.join(' | '))).toEqual([
      'RPUSH l a b c', 'LSET l 0 A', 'LINSERT l AFTER A B', 'LREM l -1 c', 'LTRIM l 1 -1', 'LMOVE l l LEFT RIGHT', 'RPOP l 5',
    ]);
    expect(w.events).toEqual([
      'rpush l', 'ltrim l', 'lset l', 'linsert l', 'lrem l', 'ltrim l', 'rpush l', 'lpop l', 'rpop l', 'del l',
    ]);
  });
});

describe('parseTimeout (getTimeoutFromObjectOrReply, seconds)', () => {
  const cases: Array<[string, number | ReplyError]> = [
    ['0', 0], ['1', 1000], ['1.5', 1500], ['+1', 1000], ['.5', 500], ['5.', 5000], ['1e-2', 10], ['0.0001', 0],
    ['-0.0001', 0], ['-0.0005', 0], ['-0', 0], ['1e-400', 0], ['0x10', 16000], ['0x.8', 500], ['0x1P-2', 250],
    ['9223372036854.775', 9223372036854775], ['-1', TIMEOUT_NEGATIVE], ['inf', TIMEOUT_NEGATIVE],
    ['-inf', TIMEOUT_NEGATIVE], ['infinity', TIMEOUT_NEGATIVE], ['1e20', TIMEOUT_NEGATIVE],
    ['9223372036854775807', TIMEOUT_NEGATIVE], ['1e400', TIMEOUT_NEGATIVE], ['1e4932', TIMEOUT_NEGATIVE],
    ['1e4933', TIMEOUT_NOT_FLOAT], ['nan', TIMEOUT_NOT_FLOAT], ['', TIMEOUT_NOT_FLOAT], ['abc', TIMEOUT_NOT_FLOAT],
    [' 1', TIMEOUT_NOT_FLOAT], ['1 ', TIMEOUT_NOT_FLOAT], ['0x', TIMEOUT_NOT_FLOAT], ['1'.repeat(5120), TIMEOUT_NOT_FLOAT],
  ];
  it.each(cases)('%s', (arg, want) => {
    if (want instanceof ReplyError) expect(() => parseTimeout(arg)).toThrow(want);
    else expect(parseTimeout(arg)).toBe(want);
  });
});
