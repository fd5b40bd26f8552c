/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH. The scenario replies were recorded from
 * redis-server 7.0.15 running the same steps (with `DEBUG SET-ACTIVE-EXPIRE 0` where keys
 * expire); the property test checks WATCH against a model of what "modified" means.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { NilArray } from '../reply/reply.ts';
import { plain, type Plain } from './testing.ts';

const OK = { s: 'OK' };
const QUEUED = { s: 'QUEUED' };
const T0 = 1_700_000_000_000;

/** Steps are [client, argv, reply], or a number: milliseconds for the clock to move. */
type Step = [string, string[], Plain] | number;

function run(steps: Step[]): void {
  let t = T0;
  const e = createEngine({ activeExpire: false, now: () => t });
  const clients = new Map<string, Client>();
  for (const step of steps) {
    if (typeof step === 'number') {
      t += step;
      continue;
    }
    const [name, argv, want] = step;
    let c = clients.get(name);
    if (!c) clients.set(name, (c = e.connect()));
    expect([name, argv, plain(c.exec(argv))]).toEqual([name, argv, want]);
  }
}

const scenarios: Array<[string, Step[]]> = [
  ['nesting, EXEC and DISCARD without MULTI, WATCH inside MULTI (errors that do not flag)', [
    ['A', ['multi'], OK],
    ['A', ['multi'], { err: 'ERR MULTI calls can not be nested' }],
    ['A', ['watch', 'a'], { err: 'ERR WATCH inside MULTI is not allowed' }],
    ['A', ['set', 'a', '1'], QUEUED],
    ['A', ['exec'], [OK]],
    ['A', ['exec'], { err: 'ERR EXEC without MULTI' }],
    ['A', ['discard'], { err: 'ERR DISCARD without MULTI' }],
  ]],
  ['a refused command makes EXEC answer EXECABORT and run nothing', [
    ['A', ['multi'], OK],
    ['A', ['nosuch'], { err: "ERR unknown command 'nosuch', with args beginning with: " }],
    ['A', ['set', 'a', '1'], QUEUED],
    ['A', ['exec'], { err: 'EXECABORT Transaction discarded because of previous errors.' }],
    ['A', ['get', 'a'], null],
    ['A', ['multi'], OK],
    ['A', ['set', 'a'], { err: "ERR wrong number of arguments for 'set' command" }],
    ['A', ['exec'], { err: 'EXECABORT Transaction discarded because of previous errors.' }],
  ]],
  ['EXEC itself refused discards with the reason', [
    ['A', ['multi'], OK],
    ['A', ['set', 'a', '1'], QUEUED],
    ['A', ['exec', 'x'], { err: "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command" }],
    ['A', ['exec'], { err: 'ERR EXEC without MULTI' }],
  ]],
  ['runtime errors stay inline', [
    ['A', ['multi'], OK],
    ['A', ['set', 'x', '1'], QUEUED],
    ['A', ['incr', 'x'], QUEUED],
    ['A', ['hset', 'x', 'f', 'v'], QUEUED],
    ['A', ['get', 'x'], QUEUED],
    ['A', ['exec'], [OK, 2, { err: 'WRONGTYPE Operation against a key holding the wrong kind of value' }, '2']],
  ]],
  ['a watched key changed by another client aborts with a nil array', [
    ['A', ['set', 'x', '1'], OK],
    ['A', ['watch', 'x'], OK],
    ['B', ['set', 'x', '2'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], 'nilarray'],
    ['A', ['watch', 'x'], OK],
    ['A', ['unwatch'], OK],
    ['B', ['set', 'x', '3'], OK],
    ['A', ['multi'], OK],
    ['A', ['get', 'x'], QUEUED],
    ['A', ['exec'], ['3']],
    ['A', ['watch', 'x'], OK],
    ['A', ['multi'], OK],
    ['A', ['discard'], OK],
    ['B', ['set', 'x', '4'], OK],
    ['A', ['multi'], OK],
    ['A', ['get', 'x'], QUEUED],
    ['A', ['exec'], ['4']],
  ]],
  ['deleting a missing key, or a flush of a missing key, is no change; a flush of an existing one is', [
    ['A', ['watch', 'y'], OK],
    ['B', ['del', 'y'], 0],
    ['B', ['flushdb'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], [{ s: 'PONG' }]],
    ['A', ['set', 'z', '1'], OK],
    ['A', ['watch', 'z'], OK],
    ['B', ['flushall'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], 'nilarray'],
  ]],
  ['a key of the same name in another db is another key', [
    ['A', ['set', 'q', '1'], OK],
    ['A', ['watch', 'q'], OK],
    ['B', ['select', '1'], OK],
    ['B', ['set', 'q', '2'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], [{ s: 'PONG' }]],
  ]],
  ['a key that expires between WATCH and EXEC aborts, even if nothing deleted it (7.0)', [
    ['A', ['set', 'x', 'foo', 'px', '100'], OK],
    ['A', ['watch', 'x'], OK],
    150,
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], 'nilarray'],
    ['A', ['set', 'x', 'foo', 'px', '100'], OK],
    ['A', ['watch', 'x'], OK],
    150,
    ['B', ['get', 'x'], null],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], 'nilarray'],
  ]],
  ['a key already expired when WATCHed: its deletion is no change, a new value is', [
    ['A', ['set', 'x', 'foo', 'px', '5'], OK],
    20,
    ['A', ['watch', 'x'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], [{ s: 'PONG' }]],
    ['A', ['set', 'x', 'foo', 'px', '5'], OK],
    20,
    ['A', ['watch', 'x'], OK],
    ['B', ['get', 'x'], null],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], [{ s: 'PONG' }]],
    ['A', ['set', 'x', 'foo', 'px', '5'], OK],
    20,
    ['A', ['watch', 'x'], OK],
    ['B', ['flushdb'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], [{ s: 'PONG' }]],
    ['A', ['set', 'x', 'foo', 'px', '5'], OK],
    20,
    ['A', ['watch', 'x'], OK],
    ['B', ['set', 'x', 'bar'], OK],
    ['A', ['multi'], OK],
    ['A', ['ping'], QUEUED],
    ['A', ['exec'], 'nilarray'],
  ]],
  ['SELECT inside MULTI applies to what follows', [
    ['A', ['multi'], OK],
    ['A', ['select', '3'], QUEUED],
    ['A', ['set', 'k', 'v'], QUEUED],
    ['A', ['exec'], [OK, OK]],
    ['A', ['get', 'k'], 'v'],
    ['A', ['select', '0'], OK],
    ['A', ['get', 'k'], null],
  ]],
];

describe('transactions', () => {
  for (const [name, steps] of scenarios) it(name, () => run(steps));

  it('EXEC propagates its writes as one unit: wrapped in MULTI/EXEC when more than one', () => {
    const e = createEngine({ activeExpire: false });
    const units: string[][][] = [];
    e.propagation.listen((ops) => units.push(ops.map((o) => o.argv)));
    const c = e.connect();
    for (const argv of [['multi'], ['set', 'a', '1'], ['incr', 'a'], ['get', 'a'], ['exec']]) c.exec(argv);
    for (const argv of [['multi'], ['set', 'b', '1'], ['get', 'b'], ['exec']]) c.exec(argv);
    for (const argv of [['multi'], ['get', 'b'], ['exec']]) c.exec(argv);
    expect(units).toEqual([
      [['MULTI'], ['set', 'a', '1'], ['incr', 'a'], ['EXEC']],
      [['set', 'b', '1']],
    ]);
  });

  it('counts EXEC and each queued command in commandstats', () => {
    const e = createEngine({ activeExpire: false });
    const c = e.connect();
    for (const argv of [['multi'], ['set', 'a', '1'], ['get', 'a'], ['exec']]) c.exec(argv);
    const calls = (n: string) => e.stats.commands.get(n)?.calls;
    expect([calls('multi'), calls('set'), calls('get'), calls('exec')]).toEqual([1, 1, 1, 1]);
  });
});

describe('WATCH, model-based', () => {
  const KEYS = ['k1', 'k2', 'k3'];
  const key = fc.constantFrom(...KEYS);
  /** What another client does between WATCH and EXEC. */
  const otherOp = fc.oneof(
    fc.record({ op: fc.constant('set' as const), key, value: fc.constantFrom('1', '2', '3') }),
    fc.record({ op: fc.constant('del' as const), key }),
    fc.record({ op: fc.constant('get' as const), key }),
  );
  const queued = fc.oneof(
    fc.tuple(fc.constant('set'), key, fc.constantFrom('a', 'b')),
    fc.tuple(fc.constant('get'), key),
    fc.tuple(fc.constant('del'), key),
  );

  const snapshot = (e: Engine) => KEYS.map((k) => e.ks.dbs[0]!.keys.get(k)?.value ?? null);

  it('EXEC aborts exactly when another client modified a watched key, and else runs the queue', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 3 }),
        fc.array(key, { maxLength: 3 }),
        fc.array(otherOp, { maxLength: 6 }),
        fc.array(queued, { minLength: 1, maxLength: 4 }),
        (initial, watched, others, txn) => {
          const e = createEngine({ activeExpire: false });
          const a = e.connect();
          const b = e.connect();
          for (const k of initial) a.exec(['set', k, '0']);
          const exists = new Set(initial);
          let dirty = false;
          if (watched.length > 0) a.exec(['watch', ...watched]);
          a.exec(['multi']);
          for (const argv of txn) a.exec([...argv]);
          for (const o of others) {
            // The model: SET always modifies (even to the same value); DEL only an existing key.
            if (o.op === 'set') {
              b.exec(['set', o.key, o.value]);
              if (watched.includes(o.key)) dirty = true;
              exists.add(o.key);
            } else if (o.op === 'del') {
              b.exec(['del', o.key]);
              if (watched.includes(o.key) && exists.has(o.key)) dirty = true;
              exists.delete(o.key);
            } else {
              b.exec(['get', o.key]);
            }
          }
          const before = snapshot(e);
          const reply = a.exec(['exec']);
          if (dirty) {
            expect(reply).toBeInstanceOf(NilArray);
            expect(snapshot(e)).toEqual(before);
          } else {
            // Same effect as running the queue directly on a copy of the state.
            const ref = createEngine({ activeExpire: false });
            const r = ref.connect();
            KEYS.forEach((k, i) => {
              if (before[i] !== null) r.exec(['set', k, before[i] as string]);
            });
            const direct = txn.map((argv) => plain(r.exec([...argv])));
            expect(plain(reply)).toEqual(direct);
            expect(snapshot(e)).toEqual(snapshot(ref));
          }
          expect(a.watched.size).toBe(0);
          expect(a.multi).toBe(null);
        },
      ),
    );
  });
});
