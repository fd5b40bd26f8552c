/**
 * Pub/sub with several clients: confirmations, messages, PUBSUB introspection, shard channels,
 * keyspace notifications end to end. Expected replies were recorded from redis-server 7.0.15
 * running the same steps; the property test checks counts and deliveries against a model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { globMatch } from '../keyspace/glob.ts';
import { plain, type Plain } from './testing.ts';

const push = (...items: Plain[]) => ({ push: items });

function subscriber(e: ReturnType<typeof createEngine>): { c: Client; got: Plain[] } {
  const got: Plain[] = [];
  return { c: e.connect({ onPush: (m) => got.push(plain(m)) }), got };
}

describe('pub/sub', () => {
  it('confirms each (un)subscription with the running count, shard channels counted apart', () => {
    const e = createEngine({ activeExpire: false });
    const { c } = subscriber(e);
    const steps: Array<[string[], Plain]> = [
      [['unsubscribe'], [push('unsubscribe', null, 0)]],
      [['punsubscribe'], [push('punsubscribe', null, 0)]],
      [['sunsubscribe'], [push('sunsubscribe', null, 0)]],
      [['subscribe', 'a', 'b', 'a'], [push('subscribe', 'a', 1), push('subscribe', 'b', 2), push('subscribe', 'a', 2)]],
      [['psubscribe', 'p*'], [push('psubscribe', 'p*', 3)]],
      [['ssubscribe', 's1', 's2'], [push('ssubscribe', 's1', 1), push('ssubscribe', 's2', 2)]],
      [['sunsubscribe', 's1'], [push('sunsubscribe', 's1', 1)]],
      [['sunsubscribe'], [push('sunsubscribe', 's2', 0)]],
      [['sunsubscribe'], [push('sunsubscribe', null, 0)]],
      [['unsubscribe', 'zz'], [push('unsubscribe', 'zz', 3)]],
      [['unsubscribe', 'a'], [push('unsubscribe', 'a', 2)]],
      [['punsubscribe'], [push('punsubscribe', 'p*', 1)]],
      [['unsubscribe'], [push('unsubscribe', 'b', 0)]],
      [['ping'], { s: 'PONG' }],
    ];
    for (const [argv, want] of steps) expect([argv, plain(c.exec(argv))]).toEqual([argv, want]);
  });

  it('delivers messages, pattern messages and shard messages to several clients', () => {
    const e = createEngine({ activeExpire: false });
    const a = subscriber(e);
    const b = subscriber(e);
    const p = e.connect();
    a.c.exec(['subscribe', 'news']);
    a.c.exec(['psubscribe', 'n*']);
    a.c.exec(['ssubscribe', 'news']);
    b.c.exec(['hello', '3']);
    b.c.exec(['psubscribe', '*']);
    expect(plain(p.exec(['publish', 'news', 'hi']))).toBe(3);
    expect(plain(p.exec(['publish', 'other', 'x']))).toBe(1);
    expect(plain(p.exec(['spublish', 'news', 'shard']))).toBe(1);
    expect(plain(p.exec(['spublish', 'nobody', 'x']))).toBe(0);
    expect(a.got).toEqual([
      push('message', 'news', 'hi'),
      push('pmessage', 'n*', 'news', 'hi'),
      push('smessage', 'news', 'shard'),
    ]);
    expect(b.got).toEqual([push('pmessage', '*', 'news', 'hi'), push('pmessage', '*', 'other', 'x')]);
  });

  it('answers PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB', () => {
    const e = createEngine({ activeExpire: false });
    const a = e.connect();
    const b = e.connect();
    a.exec(['subscribe', 'a', 'b']);
    b.exec(['subscribe', 'a']);
    a.exec(['psubscribe', 'p*']);
    b.exec(['psubscribe', 'p*', 'q*']);
    a.exec(['ssubscribe', 's1']);
    const steps: Array<[string[], Plain]> = [
      [['pubsub', 'channels'], ['a', 'b']],
      [['pubsub', 'channels', 'a*'], ['a']],
      [['pubsub', 'channels', 'a', 'b'], { err: "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP." }],
      [['pubsub', 'numsub', 'a', 'b', 'c'], ['a', 2, 'b', 1, 'c', 0]],
      [['pubsub', 'numsub'], []],
      [['pubsub', 'numpat'], 2],
      [['pubsub', 'numpat', 'x'], { err: "ERR wrong number of arguments for 'pubsub|numpat' command" }],
      [['pubsub', 'shardchannels'], ['s1']],
      [['pubsub', 'shardnumsub', 's1', 's9'], ['s1', 1, 's9', 0]],
      [['pubsub', 'foo'], { err: "ERR unknown subcommand 'foo'. Try PUBSUB HELP." }],
      [['pubsub'], { err: "ERR wrong number of arguments for 'pubsub' command" }],
    ];
    const p = e.connect();
    for (const [argv, want] of steps) expect([argv, plain(p.exec(argv))]).toEqual([argv, want]);
    expect((plain(p.exec(['pubsub', 'help'])) as Plain[])[0]).toEqual({
      s: 'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    });
  });

  it('sends keyspace notifications to subscribers once CONFIG SET enables them', () => {
    let t = 1_700_000_000_000;
    const e = createEngine({ activeExpire: false, now: () => t });
    const s = subscriber(e);
    const c = e.connect();
    s.c.exec(['psubscribe', '__key*__:*']);
    c.exec(['set', 'k', 'v']);
    expect(s.got).toEqual([]);
    expect(plain(c.exec(['config', 'set', 'notify-keyspace-events', 'KEA']))).toEqual({ s: 'OK' });
    c.exec(['set', 'k', 'v']);
    c.exec(['del', 'k']);
    c.exec(['set', 'n', '1', 'px', '10']);
    t += 20;
    c.exec(['get', 'n']);
    expect(s.got).toEqual([
      push('pmessage', '__key*__:*', '__keyspace@0__:k', 'set'),
      push('pmessage', '__key*__:*', '__keyevent@0__:set', 'k'),
      push('pmessage', '__key*__:*', '__keyspace@0__:k', 'del'),
      push('pmessage', '__key*__:*', '__keyevent@0__:del', 'k'),
      push('pmessage', '__key*__:*', '__keyspace@0__:n', 'set'),
      push('pmessage', '__key*__:*', '__keyevent@0__:set', 'n'),
      push('pmessage', '__key*__:*', '__keyspace@0__:n', 'expire'),
      push('pmessage', '__key*__:*', '__keyevent@0__:expire', 'n'),
      push('pmessage', '__key*__:*', '__keyspace@0__:n', 'expired'),
      push('pmessage', '__key*__:*', '__keyevent@0__:expired', 'n'),
    ]);
    s.got.length = 0;
    c.exec(['config', 'set', 'notify-keyspace-events', 'Eg']);
    expect(plain(c.exec(['config', 'get', 'notify-keyspace-events']))).toEqual({ map: ['notify-keyspace-events', 'gE'] });
    c.exec(['set', 'k', 'v']);
    c.exec(['del', 'k']);
    expect(s.got).toEqual([push('pmessage', '__key*__:*', '__keyevent@0__:del', 'k')]);
  });

  it('is not propagated: PUBLISH changes no data', () => {
    const e = createEngine({ activeExpire: false });
    const ops: string[][] = [];
    e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
    e.connect().exec(['publish', 'a', 'b']);
    expect(ops).toEqual([]);
  });
});

describe('pub/sub, model-based', () => {
  const name = fc.constantFrom('a', 'b', 'ab', 'ba');
  const pattern = fc.constantFrom('a*', '*b', '?', '*');
  const op = fc.oneof(
    fc.tuple(fc.constant('subscribe'), fc.nat(2), name),
    fc.tuple(fc.constant('unsubscribe'), fc.nat(2), name),
    fc.tuple(fc.constant('psubscribe'), fc.nat(2), pattern),
    fc.tuple(fc.constant('punsubscribe'), fc.nat(2), pattern),
    fc.tuple(fc.constant('publish'), fc.nat(2), name),
    fc.tuple(fc.constant('close'), fc.nat(2), fc.constant('')),
  );

  it('delivers to exactly the subscribers a model predicts, and counts them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const e = createEngine({ activeExpire: false });
        const got: string[][] = [[], [], []];
        // Messages of one PUBLISH that match several patterns come in pattern-table order, which Redis
        // leaves undefined (a hashed dict): compare each publish's messages as a set, publishes in order.
        let seq = 0;
        const tag = (json: string): string => `${String(seq).padStart(6, '0')}|${json}`;
        const mk = (i: number) => e.connect({ onPush: (m) => got[i]!.push(tag(JSON.stringify(plain(m)))) });
        const clients = [mk(0), mk(1), mk(2)];
        const observer = e.connect();
        const model = clients.map(() => ({ ch: new Set<string>(), pat: new Set<string>() }));
        const want: string[][] = [[], [], []];
        for (const [cmd, i, arg] of ops) {
          const m = model[i]!;
          if (cmd === 'close') {
            clients[i]!.close();
            clients[i] = mk(i);
            m.ch.clear();
            m.pat.clear();
          } else if (cmd === 'publish') {
            seq++;
            let n = 0;
            model.forEach((x, j) => {
              if (x.ch.has(arg)) {
                want[j]!.push(tag(JSON.stringify({ push: ['message', arg, 'm'] })));
                n++;
              }
              for (const p of x.pat) {
                if (!globMatch(p, arg)) continue;
                want[j]!.push(tag(JSON.stringify({ push: ['pmessage', p, arg, 'm'] })));
                n++;
              }
            });
            expect(observer.exec(['publish', arg, 'm'])).toBe(n);
          } else {
            const set = cmd.startsWith('p') ? m.pat : m.ch;
            if (cmd.endsWith('unsubscribe')) set.delete(arg);
            else set.add(arg);
            const r = plain(clients[i]!.exec([cmd, arg])) as Plain[];
            expect(r).toEqual([{ push: [cmd, arg, m.ch.size + m.pat.size] }]);
          }
        }
        const bySeq = (xs: string[][]) => xs.map((x) => [...x].sort());
        expect(bySeq(got)).toEqual(bySeq(want));
        const channels = new Set(model.flatMap((x) => [...x.ch]));
        expect(new Set(plain(observer.exec(['pubsub', 'channels'])) as string[])).toEqual(channels);
        const patterns = new Set(model.flatMap((x) => [...x.pat]));
        expect(plain(observer.exec(['pubsub', 'numpat']))).toBe(patterns.size);
      }),
    );
  });
});
