/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST: replies and
 * errors (checked against redis-server 7.0.15), propagation, active expiry, and a model test under
 * an injected clock.
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
const invalid = (cmd: string): string => `-ERR invalid expire time in '${cmd}' command`;

const cases: Array<[string, Step[]]> = [
  ['missing key', [
    [['EXPIRE', 'a', '10'], 0], [['TTL', 'a'], -2], [['PTTL', 'a'], -2], [['EXPIRETIME', 'a'], -2],
    [['PEXPIRETIME', 'a'], -2], [['PERSIST', 'a'], 0],
  ]],
  ['set and read a TTL', [
    [['SET', 'a', '1'], OK], [['TTL', 'a'], -1], [['PEXPIRETIME', 'a'], -1], [['EXPIRE', 'a', '10'], 1],
    [['TTL', 'a'], 10], [['PTTL', 'a'], 10000], [['EXPIRETIME', 'a'], T0 / 1000 + 10],
    [['PEXPIRETIME', 'a'], T0 + 10000], [['PEXPIRE', 'a', '1500'], 1], [['TTL', 'a'], 2],
    [['PEXPIRE', 'a', '1499'], 1], [['TTL', 'a'], 1], [['PEXPIRE', 'a', '499'], 1], [['TTL', 'a'], 0],
    [['EXPIREAT', 'a', String(T0 / 1000 + 100)], 1], [['TTL', 'a'], 100],
    [['PEXPIREAT', 'a', String(T0 + 2500)], 1], [['PTTL', 'a'], 2500], [['EXPIRETIME', 'a'], T0 / 1000 + 3],
  ]],
  ['PERSIST', [
    [['SET', 'a', '1'], OK], [['PERSIST', 'a'], 0], [['EXPIRE', 'a', '10'], 1], [['PERSIST', 'a'], 1],
    [['TTL', 'a'], -1], [['PERSIST', 'a'], 0],
  ]],
  ['a time in the past deletes', [
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '-1'], 1], [['EXISTS', 'a'], 0],
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '0'], 1], [['EXISTS', 'a'], 0],
    [['SET', 'a', '1'], OK], [['PEXPIREAT', 'a', String(T0)], 1], [['EXISTS', 'a'], 0],
    [['SET', 'a', '1'], OK], [['PEXPIREAT', 'a', String(T0 + 1)], 1], [['EXISTS', 'a'], 1],
  ]],
  ['NX and XX', [
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '10', 'XX'], 0], [['EXPIRE', 'a', '10', 'nx'], 1],
    [['EXPIRE', 'a', '20', 'NX'], 0], [['EXPIRE', 'a', '20', 'xx'], 1], [['TTL', 'a'], 20],
  ]],
  ['GT and LT treat no TTL as infinite', [
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '10', 'GT'], 0], [['TTL', 'a'], -1],
    [['EXPIRE', 'a', '100', 'LT'], 1], [['EXPIRE', 'a', '50', 'GT'], 0], [['EXPIRE', 'a', '100', 'GT'], 0],
    [['EXPIRE', 'a', '200', 'GT'], 1], [['EXPIRE', 'a', '300', 'LT'], 0], [['EXPIRE', 'a', '200', 'LT'], 0],
    [['EXPIRE', 'a', '100', 'lt'], 1], [['TTL', 'a'], 100], [['EXPIRE', 'a', '10', 'XX', 'LT'], 1],
    [['PERSIST', 'a'], 1], [['EXPIRE', 'a', '-5', 'LT'], 1], [['EXISTS', 'a'], 0],
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '-5', 'GT'], 0], [['EXPIRE', 'a', '-5', 'NX'], 1],
    [['EXISTS', 'a'], 0],
  ]],
  ['option errors come before the time argument', [
    [['SET', 'a', '1'], OK],
    [['EXPIRE', 'a', '10', 'foo'], '-ERR Unsupported option foo'],
    [['EXPIRE', 'a', 'abc', 'foo'], '-ERR Unsupported option foo'],
    // Redis formats the option with %s: a NUL ends it, and CR/LF become spaces.
    [['EXPIRE', 'a', '10', 'fo\0o'], '-ERR Unsupported option fo'],
    [['EXPIRE', 'a', '10', 'f\r\no'], '-ERR Unsupported option f  o'],
    [['EXPIRE', 'a', 'abc', 'xx'], '-ERR value is not an integer or out of range'],
    [['EXPIRE', 'a', '10', 'nx', 'xx'], '-ERR NX and XX, GT or LT options at the same time are not compatible'],
    [['EXPIRE', 'a', 'abc', 'NX', 'GT'], '-ERR NX and XX, GT or LT options at the same time are not compatible'],
    [['EXPIRE', 'nokey', '10', 'nx', 'lt'], '-ERR NX and XX, GT or LT options at the same time are not compatible'],
    [['PEXPIRE', 'a', '10', 'gt', 'LT'], '-ERR GT and LT options at the same time are not compatible'],
    [['EXPIRE', 'a', '1.5'], '-ERR value is not an integer or out of range'],
    [['TTL', 'a'], -1],
  ]],
  ['overflow', [
    [['SET', 'a', '1'], OK],
    [['EXPIRE', 'a', '9223370399119966'], invalid('expire')],
    [['EXPIRE', 'a', '9223372036854776'], invalid('expire')],
    [['EXPIRE', 'a', '10000000000000000'], invalid('expire')],
    [['EXPIRE', 'a', '-9223372036854776'], invalid('expire')],
    [['EXPIRE', 'a', '-9999999999999999'], invalid('expire')],
    [['EXPIREAT', 'a', '9223372036854776'], invalid('expireat')],
    [['PEXPIRE', 'a', '9223372036854770000'], invalid('pexpire')],
    [['EXPIRE', 'a', '9223372036854775808'], '-ERR value is not an integer or out of range'],
    [['TTL', 'a'], -1],
    [['PEXPIREAT', 'a', '9223372036854770000'], 1], [['PEXPIRETIME', 'a'], 9223372036854770000],
    [['EXPIRETIME', 'a'], 9223372036854770],
    [['PEXPIREAT', 'a', '-9223372036854770000'], 1], [['TTL', 'a'], -2],
  ]],
];

describe('EXPIRE family', () => {
  it.each(cases)('%s', (_name, steps) => {
    const { c } = setup();
    check(c, steps);
  });

  it('propagates as PEXPIREAT with the absolute time, options kept; past times as DEL', () => {
    const { e, c, ops } = setup();
    const abs = String(T0 + 10_000);
    const script: string[][] = [
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '10'], ['expire', 'a', '10', 'xx'], ['PEXPIRE', 'a', '20000', 'GT'],
      ['PEXPIRE', 'a', '20000', 'GT'], ['EXPIREAT', 'a', String(T0 / 1000 + 10)], ['pexpireat', 'a', '0100', 'lt'],
      ['pexpireat', 'a', String(T0 + 9000), 'lt'],
      ['EXPIREAT', 'a', '9223372036854775'],
      ['EXPIRE', 'a', '5', 'GT'], ['EXPIRE', 'nokey', '5'], ['EXPIRE', 'a', 'x'],
      ['PERSIST', 'a'], ['PERSIST', 'a'], ['EXPIRE', 'a', '-1'],
    ];
    for (const argv of script) c.exec(argv);
    e.config.set('lazyfree-lazy-expire', 'yes');
    c.exec(['SET', 'b', '1']);
    c.exec(['PEXPIRE', 'b', '-100']);
    expect(ops.map((op) => op.slice(1))).toEqual([
      ['SET', 'a', '1'],
      ['PEXPIREAT', 'a', abs], ['PEXPIREAT', 'a', abs, 'xx'], ['PEXPIREAT', 'a', String(T0 + 20_000), 'GT'],
      ['PEXPIREAT', 'a', abs], ['pexpireat', 'a', String(T0 + 9000), 'lt'],
      ['PEXPIREAT', 'a', '9223372036854775000'],
      ['PERSIST', 'a'], ['DEL', 'a'],
      ['SET', 'b', '1'], ['UNLINK', 'b'],
    ]);
  });

  it('sends expire, persist and del events', () => {
    const { c, events } = setup();
    check(c, [
      [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '10'], 1], [['EXPIRE', 'a', '5', 'GT'], 0],
      [['PERSIST', 'a'], 1], [['PEXPIRE', 'a', '0'], 1],
    ]);
    expect(events).toEqual(['0 set a', '0 expire a', '0 persist a', '0 del a']);
  });

  it('while loading, a time in the past is stored, not applied', () => {
    const { e, c } = setup();
    c.exec(['SET', 'a', '1']);
    e.ks.expireEnabled = false;
    expect(c.exec(['PEXPIREAT', 'a', String(T0 - 5)])).toBe(1);
    expect(c.exec(['PEXPIRETIME', 'a'])).toBe(T0 - 5);
    e.ks.expireEnabled = true;
    expect(c.exec(['EXISTS', 'a'])).toBe(0);
  });

  it('active expiry deletes keys nobody reads, propagating DEL and notifying', () => {
    let t = T0;
    const e = createEngine({ now: () => t, activeExpire: false });
    const c = e.connect();
    const ops: string[][] = [];
    e.propagation.listen((b) => ops.push(...b.map((o) => o.argv)));
    for (let i = 0; i < 100; i++) {
      c.exec(['SET', `k${i}`, 'v']);
      if (i % 2 === 0) c.exec(['PEXPIRE', `k${i}`, String(100 + i)]);
    }
    ops.length = 0;
    t += 120;
    e.cron();
    // Keys 0..18 are past their time, the cycle keeps going while most of a sample expired.
    const db = e.ks.dbs[0]!;
    expect(db.size).toBeLessThan(100);
    for (let round = 0; round < 20; round++) e.cron();
    expect(db.size).toBe(100 - 10);
    expect(db.expires.size).toBe(40);
    expect(e.stats.expiredKeys).toBe(10);
    expect(ops.map((o) => o.join(' ')).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `DEL k${i * 2}`).sort(),
    );
    t += 1000;
    for (let round = 0; round < 20; round++) e.cron();
    expect(db.size).toBe(50);
    expect(c.exec(['KEYS', '*'])).toHaveLength(50);
  });

  it('matches a model of TTLs under a moving clock', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const flag = fc.constantFrom<string[]>([], ['NX'], ['XX'], ['GT'], ['LT'], ['XX', 'GT'], ['XX', 'LT']);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key }),
      fc.record({ kind: fc.constant('del' as const), key }),
      fc.record({ kind: fc.constant('persist' as const), key }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({
        kind: fc.constant('expire' as const),
        cmd: fc.constantFrom('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT'),
        key, flags: flag, amount: fc.integer({ min: -3000, max: 6000 }),
      }),
      fc.record({ kind: fc.constant('ttl' as const), cmd: fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME'), key }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let t = T0;
        const e = createEngine({ now: () => t, activeExpire: false });
        const c = e.connect();
        /** key → expireAt (-1 none) */
        const model = new Map<string, number>();
        const live = (k: string): number | undefined => {
          const at = model.get(k);
          if (at !== undefined && at !== -1 && t > at) model.delete(k);
          return model.get(k);
        };
        for (const o of ops) {
          switch (o.kind) {
            case 'set':
              c.exec(['SET', o.key, 'v']);
              model.set(o.key, -1);
              break;
            case 'del': {
              const want = live(o.key) === undefined ? 0 : 1;
              model.delete(o.key);
              expect(c.exec(['DEL', o.key])).toBe(want);
              break;
            }
            case 'persist': {
              const at = live(o.key);
              const want = at !== undefined && at !== -1 ? 1 : 0;
              if (want) model.set(o.key, -1);
              expect(c.exec(['PERSIST', o.key])).toBe(want);
              break;
            }
            case 'advance':
              t += o.ms;
              break;
            case 'expire': {
              const secs = o.cmd === 'EXPIRE' || o.cmd === 'EXPIREAT';
              const base = o.cmd === 'EXPIREAT' ? Math.floor(t / 1000) : o.cmd === 'PEXPIREAT' ? t : 0;
              const arg = base + (secs ? Math.trunc(o.amount / 1000) : o.amount);
              const when = o.cmd.endsWith('AT') ? (secs ? arg * 1000 : arg) : t + (secs ? arg * 1000 : arg);
              const cur = live(o.key);
              let want = 0;
              if (cur !== undefined) {
                const f = o.flags;
                const blocked =
                  (f.includes('NX') && cur !== -1) || (f.includes('XX') && cur === -1) ||
                  (f.includes('GT') && (cur === -1 || when <= cur)) ||
                  (f.includes('LT') && cur !== -1 && when >= cur);
                if (!blocked) {
                  want = 1;
                  if (when <= t) model.delete(o.key);
                  else model.set(o.key, when);
                }
              }
              expect(c.exec([o.cmd, o.key, String(arg), ...o.flags])).toBe(want);
              break;
            }
            case 'ttl': {
              const at = live(o.key);
              let want: number;
              if (at === undefined) want = -2;
              else if (at === -1) want = -1;
              else {
                const ms = o.cmd.startsWith('P');
                const v = Math.max(0, o.cmd.endsWith('TIME') ? at : at - t);
                want = ms ? v : Math.floor((v + 500) / 1000);
              }
              expect(c.exec([o.cmd, o.key])).toBe(want);
              break;
            }
          }
        }
        const keys = [...model.keys()].filter((k) => live(k) !== undefined).sort();
        expect((show(c.exec(['KEYS', '*'])) as string[]).sort()).toEqual(keys);
      }),
      { numRuns: 300 },
    );
  });
});
