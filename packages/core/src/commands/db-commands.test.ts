/**
 * FLUSHDB, FLUSHALL, SWAPDB, DBSIZE, RANDOMKEY, KEYS, SCAN. Replies and error texts checked
 * against redis-server 7.0.15, including which WATCHers a flush or swap invalidates.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { replay, setup, show, T0, type Step } from './testing.ts';

function check(c: Client, steps: Step[]): void {
  const { got, want } = replay(c, steps);
  expect(got).toEqual(want);
}

const OK = '+OK';
const SYNTAX = '-ERR syntax error';

const cases: Array<[string, Step[]]> = [
  ['FLUSHDB and FLUSHALL options', [
    [['FLUSHDB', 'x'], SYNTAX], [['FLUSHDB', 'async', 'sync'], SYNTAX], [['FLUSHALL', 'foo'], SYNTAX],
    [['FLUSHDB', 'ASYNC'], OK], [['flushdb', 'sync'], OK], [['FLUSHALL'], OK], [['FLUSHALL', 'Async'], OK],
  ]],
  ['FLUSHDB empties the selected db only, FLUSHALL all', [
    [['SET', 'a', '1'], OK], [['SET', 'b', '1'], OK], [['@db', '1'], null], [['SET', 'a', '1'], OK],
    [['FLUSHDB'], OK], [['DBSIZE'], 0], [['@db', '0'], null], [['DBSIZE'], 2],
    [['@db', '1'], null], [['SET', 'c', '1'], OK], [['FLUSHALL'], OK], [['DBSIZE'], 0],
    [['@db', '0'], null], [['DBSIZE'], 0], [['SET', 'a', '2'], OK], [['GET', 'a'], '2'],
  ]],
  ['SWAPDB errors', [
    [['SWAPDB', '0', 'x'], '-ERR invalid second DB index'], [['SWAPDB', 'x', '0'], '-ERR invalid first DB index'],
    [['SWAPDB', '99999999999', '0'], '-ERR invalid first DB index'], [['SWAPDB', '0', '16'], '-ERR DB index is out of range'],
    [['SWAPDB', '-1', '0'], '-ERR DB index is out of range'], [['SWAPDB', '0', '0'], OK],
  ]],
  ['SWAPDB', [
    [['SET', 'a', '0'], OK], [['@db', '1'], null], [['SET', 'a', '1'], OK], [['SET', 'b', '1'], OK],
    [['SWAPDB', '1', '0'], OK], [['GET', 'a'], '0'], [['DBSIZE'], 1], [['@db', '0'], null],
    [['GET', 'a'], '1'], [['DBSIZE'], 2],
  ]],
  ['KEYS', [
    [['KEYS', '*'], []], [['SET', 'foo', '1'], OK], [['SET', 'fob', '1'], OK], [['SET', 'bar', '1'], OK],
    [['SET', '', 'empty'], OK], [['KEYS', 'fo?'], ['foo', 'fob']], [['KEYS', 'f[o]o'], ['foo']],
    [['KEYS', '*'], ['foo', 'fob', 'bar', '']], [['KEYS', '**'], ['foo', 'fob', 'bar']], [['KEYS', 'x*'], []],
  ]],
  ['SCAN argument errors', [
    [['SCAN', 'x'], '-ERR invalid cursor'], [['SCAN', '0', 'COUNT', '0'], SYNTAX], [['SCAN', '0', 'foo'], SYNTAX],
    [['SCAN', '0', 'MATCH'], SYNTAX], [['SCAN', '0', 'TYPE'], SYNTAX],
    [['SCAN', '18446744073709551616'], '-ERR invalid cursor'], [['SCAN', '0', 'COUNT', 'x'], '-ERR value is not an integer or out of range'],
  ]],
  ['SCAN with MATCH and TYPE', [
    [['SET', 'foo', '1'], OK], [['SET', 'bar', '1'], OK], [['SCAN', '0'], ['0', ['foo', 'bar']]],
    [['SCAN', '0', 'MATCH', 'f*'], ['0', ['foo']]], [['SCAN', '0', 'TYPE', 'STRING'], ['0', ['foo', 'bar']]],
    [['SCAN', '0', 'TYPE', 'list'], ['0', []]], [['SCAN', '0', 'TYPE', 'nosuchtype'], ['0', []]],
    [['SCAN', '0', 'MATCH', 'b*', 'TYPE', 'string', 'COUNT', '100'], ['0', ['bar']]],
  ]],
  ['DBSIZE and RANDOMKEY on an empty db', [[['DBSIZE'], 0], [['RANDOMKEY'], null]]],
];

describe('db commands', () => {
  it.each(cases)('%s', (_name, steps) => {
    const { c } = setup();
    check(c, steps);
  });

  it('FLUSHDB/FLUSHALL always propagate, count dirty as Redis, and send no events', () => {
    const { e, c, ops, events } = setup();
    const d0 = e.dirty;
    c.exec(['FLUSHDB']);
    c.exec(['flushall', 'async']);
    expect(e.dirty).toBe(d0); // checked on 7.0.15: flushing nothing changes nothing
    for (const k of ['a', 'b', 'c']) c.exec(['SET', k, '1']);
    c.dbIndex = 2;
    c.exec(['SET', 'a', '1']);
    const d1 = e.dirty;
    c.exec(['FLUSHDB']);
    expect(e.dirty).toBe(d1 + 1);
    c.exec(['FLUSHALL']);
    expect(e.dirty).toBe(d1 + 1 + 3);
    expect(ops.filter((o) => o[1]!.toLowerCase().startsWith('flush'))).toEqual([
      ['0', 'FLUSHDB'], ['0', 'flushall', 'async'], ['2', 'FLUSHDB'], ['2', 'FLUSHALL'],
    ]);
    expect(events.filter((ev) => !ev.includes(' set '))).toEqual([]);
  });

  it('FLUSHDB replaces the Db object, leaving the old map to a snapshot', () => {
    const { e, c } = setup();
    c.exec(['SET', 'a', '1']);
    const old = e.ks.dbs[0]!;
    c.exec(['FLUSHDB']);
    expect(e.ks.dbs[0]).not.toBe(old);
    expect(old.keys.size).toBe(1);
    c.exec(['SET', 'a', '1']);
    const before = e.ks.dbs[1]!;
    c.exec(['SWAPDB', '0', '1']);
    expect(e.ks.dbs[1]!.keys.get('a')).toBeDefined();
    expect(e.ks.dbs[0]).toBe(before);
  });

  it('FLUSH and SWAPDB invalidate WATCHers of keys that exist in either db only', () => {
    const { e, c } = setup();
    const w = e.connect();
    const watch = (db: number, key: string) => {
      w.dbIndex = db;
      e.watch(w, key);
    };
    const dirtyAfter = (run: () => void): boolean => {
      e.unwatchAll(w);
      run();
      return w.dirtyCas;
    };
    expect(dirtyAfter(() => { watch(0, 'x'); c.exec(['FLUSHDB']); })).toBe(false);
    c.exec(['SET', 'x', '1']);
    expect(dirtyAfter(() => { watch(0, 'x'); c.exec(['FLUSHALL']); })).toBe(true);
    c.dbIndex = 1;
    c.exec(['SET', 'y', '1']);
    c.dbIndex = 0;
    expect(dirtyAfter(() => { watch(0, 'y'); c.exec(['SWAPDB', '0', '1']); })).toBe(true);
    expect(dirtyAfter(() => { watch(1, 'y'); c.exec(['SWAPDB', '0', '1']); })).toBe(true);
    expect(dirtyAfter(() => { watch(0, 'zz'); c.exec(['SWAPDB', '0', '1']); })).toBe(false);
    expect(dirtyAfter(() => { watch(0, 'y'); c.exec(['SWAPDB', '0', '0']); })).toBe(false);
  });

  it('SWAPDB propagates, even of a db with itself, and serves clients blocked on the new keys', async () => {
    const { e, c, ops } = setup();
    const b = e.connect();
    b.dbIndex = 0;
    const reply = e.blocking.block(b, ['k'], 0, () => (b.db.lookup('k') ? 'served' : undefined), null);
    c.dbIndex = 1;
    c.exec(['SET', 'k', 'v']);
    c.exec(['SWAPDB', '0', '0']);
    c.exec(['SWAPDB', '1', '0']);
    await expect(reply).resolves.toBe('served');
    expect(ops.slice(1)).toEqual([['1', 'SWAPDB', '0', '0'], ['1', 'SWAPDB', '1', '0']]);
  });

  it('SWAPDB serves a BLPOP waiting on a key the swap brings in', async () => {
    const { e, c, ops } = setup();
    const b = e.connect();
    const popped = b.exec(['BLPOP', 'q', '0']);
    c.dbIndex = 1;
    c.exec(['RPUSH', 'q', 'x']);
    c.exec(['SWAPDB', '0', '1']);
    await expect(popped).resolves.toEqual(['q', 'x']);
    expect(ops).toEqual([['1', 'RPUSH', 'q', 'x'], ['1', 'SWAPDB', '0', '1'], ['0', 'LPOP', 'q']]);
  });

  it('KEYS skips expired keys without deleting them; SCAN deletes them', () => {
    let t = T0;
    const e = createEngine({ now: () => t, activeExpire: false });
    const c = e.connect();
    c.exec(['SET', 'a', '1']);
    c.exec(['SET', 'b', '1']);
    c.exec(['PEXPIRE', 'b', '5']);
    t += 6;
    expect(c.exec(['KEYS', '*'])).toEqual(['a']);
    expect(c.exec(['DBSIZE'])).toBe(2);
    expect(show(c.exec(['SCAN', '0']))).toEqual(['0', ['a']]);
    expect(c.exec(['DBSIZE'])).toBe(1);
    // As in 7.0: TYPE's lookup expires the key first, and then it reads as "none".
    c.exec(['SET', 'b', '1']);
    c.exec(['PEXPIRE', 'b', '5']);
    t += 6;
    expect(show(c.exec(['SCAN', '0', 'TYPE', 'none']))).toEqual(['0', ['b']]);
    expect(c.exec(['DBSIZE'])).toBe(1);
  });

  it('RANDOMKEY returns every key eventually, and skips (deleting) expired ones', () => {
    let t = T0;
    let i = 0;
    const draws = [0, 0.3, 0.6, 0.9, 0.99];
    const e = createEngine({ now: () => t, activeExpire: false, random: () => draws[i++ % draws.length]! });
    const c = e.connect();
    for (const k of ['a', 'b', 'c']) c.exec(['SET', k, '1']);
    const seen = new Set<unknown>();
    for (let n = 0; n < 10; n++) seen.add(c.exec(['RANDOMKEY']));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    c.exec(['SET', 'd', '1']);
    for (let n = 0; n < 10; n++) seen.add(c.exec(['RANDOMKEY']));
    expect(seen.has('d')).toBe(true);
    for (const k of ['a', 'b', 'c', 'd']) c.exec(['PEXPIRE', k, '1']);
    t += 2;
    const ops: string[][] = [];
    e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
    expect(c.exec(['RANDOMKEY'])).toBe(null);
    expect(c.exec(['DBSIZE'])).toBe(0);
    // Each expiry is logged on its own, as Redis 7.0.15's AOF shows: RANDOMKEY touches arbitrary
    // keys, so what it propagates is not wrapped in MULTI/EXEC (an MGET's expiries would be).
    expect(ops.map((o) => o.join(' ')).sort()).toEqual(['DEL a', 'DEL b', 'DEL c', 'DEL d']);
  });

  it('SCAN returns every key present for the whole scan, despite adds and deletes', () => {
    const step = fc.record({
      count: fc.integer({ min: 1, max: 15 }),
      add: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
      del: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 120 }),
        fc.array(step, { minLength: 1, maxLength: 200 }),
        (initial, steps) => {
          const e = createEngine({ now: () => T0, activeExpire: false });
          const c = e.connect();
          const everPresent = new Set<string>();
          for (const n of initial) {
            c.exec(['SET', `k${n}`, '1']);
            everPresent.add(`k${n}`);
          }
          const deleted = new Set<string>();
          const returned = new Set<string>();
          let cursor = '0';
          for (let s = 0; ; s++) {
            const st = steps[s % steps.length]!;
            const [next, keys] = c.exec(['SCAN', cursor, 'COUNT', String(st.count)]) as [string, string[]];
            for (const k of keys) returned.add(k);
            cursor = next;
            if (cursor === '0') break;
            for (const n of st.add) {
              c.exec(['SET', `k${n}`, '1']);
              everPresent.add(`k${n}`);
            }
            for (const n of st.del) if (c.exec(['DEL', `k${n}`]) === 1) deleted.add(`k${n}`);
          }
          for (const n of initial) if (!deleted.has(`k${n}`)) expect(returned.has(`k${n}`)).toBe(true);
          for (const k of returned) expect(everPresent.has(k)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
