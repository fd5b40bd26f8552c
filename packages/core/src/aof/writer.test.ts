import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PropagatedOp } from '../engine/propagate.ts';
import { encodeCommand } from '../resp/writer.ts';
import { createAofWriter, timestampAnnotation } from './writer.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const cmd = (...argv: string[]): string => argv.reduce((s, a) => `${s}$${a.length}\r\n${a}\r\n`, `*${argv.length}\r\n`);
const select = (db: number): string => cmd('SELECT', String(db));

describe('AOF writer', () => {
  it.each<[string, [number, string[]][], string]>([
    ['a SELECT before the first command', [[0, ['SET', 'foo', 'bar']]], select(0) + cmd('SET', 'foo', 'bar')],
    ['no SELECT while the db stays', [[0, ['set', 'a', '1']], [0, ['incr', 'a']]], select(0) + cmd('set', 'a', '1') + cmd('incr', 'a')],
    ['a SELECT when the db changes', [[0, ['del', 'a']], [12, ['del', 'b']]], select(0) + cmd('del', 'a') + select(12) + cmd('del', 'b')],
    [
      'no SELECT for db -1, MULTI then SELECT inside',
      [[-1, ['MULTI']], [3, ['SET', 'a', '1']], [3, ['INCR', 'a']], [-1, ['EXEC']]],
      cmd('MULTI') + select(3) + cmd('SET', 'a', '1') + cmd('INCR', 'a') + cmd('EXEC'),
    ],
    ['binary and empty arguments as they are', [[0, ['SET', '\x00\xff\r\n', '']]], select(0) + cmd('SET', '\x00\xff\r\n', '')],
  ])('%s', (_what, ops, expected) => {
    const w = createAofWriter();
    for (const [db, argv] of ops) w.feed(db, argv, 0);
    expect(text(w.view())).toBe(expected);
  });

  it('writes a propagation unit as given', () => {
    const w = createAofWriter();
    const unit: PropagatedOp[] = [
      { db: -1, argv: ['MULTI'] },
      { db: 1, argv: ['SREM', 's', 'x'] },
      { db: -1, argv: ['EXEC'] },
    ];
    w.append(unit, 0);
    expect(text(w.take())).toBe(cmd('MULTI') + select(1) + cmd('SREM', 's', 'x') + cmd('EXEC'));
    expect(w.length).toBe(0);
    expect(w.selectedDb).toBe(1);
  });

  it('selects again after a new incr file starts', () => {
    const w = createAofWriter();
    w.feed(0, ['PING'], 0);
    w.clear();
    w.resetSelectedDb();
    w.feed(0, ['PING'], 0);
    expect(text(w.view())).toBe(select(0) + cmd('PING'));
  });

  it('annotates the first command of each new second, before its SELECT', () => {
    const w = createAofWriter({ timestamps: true });
    w.feed(0, ['set', 'a', '1'], 1700000000);
    w.feed(0, ['set', 'b', '1'], 1700000000);
    w.feed(2, ['set', 'c', '1'], 1700000001);
    w.feed(2, ['set', 'd', '1'], 1699999999);
    expect(text(w.view())).toBe(
      '#TS:1700000000\r\n' + select(0) + cmd('set', 'a', '1') + cmd('set', 'b', '1') +
        '#TS:1700000001\r\n' + select(2) + cmd('set', 'c', '1') + cmd('set', 'd', '1'),
    );
    expect(timestampAnnotation(5)).toBe('#TS:5\r\n');
  });

  it('writes no annotation when timestamps are off, or in the second a base was written', () => {
    const off = createAofWriter();
    off.feed(0, ['PING'], 1700000000);
    expect(text(off.view())).toBe(select(0) + cmd('PING'));
    const w = createAofWriter({ timestamps: true });
    w.lastTimestamp = 1700000000;
    w.feed(0, ['PING'], 1700000000);
    expect(text(w.view())).toBe(select(0) + cmd('PING'));
  });

  it('grows past its initial buffer', () => {
    const w = createAofWriter({ initialSize: 16 });
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 3; i++) w.feed(i, ['SET', `k${i}`, big], 0);
    expect(text(w.view())).toBe([0, 1, 2].map((i) => select(i) + cmd('SET', `k${i}`, big)).join(''));
  });

  it('reproduces the incr files redis-server 7.0.15 wrote (resp-ts fixtures)', () => {
    const expected = JSON.parse(readFileSync(new URL('resp-ts/expected.json', fixtures), 'utf8')) as { files: Record<string, string[][]> };
    const raw = readFileSync(new URL('resp-ts/appendonly.aof.1.incr.aof', fixtures), 'latin1');
    const base = readFileSync(new URL('resp-ts/appendonly.aof.1.base.aof', fixtures), 'latin1');
    const w = createAofWriter({ timestamps: true });
    // The base, written at startup, set the annotation clock.
    w.lastTimestamp = Number(/^#TS:(\d+)\r\n$/.exec(base)![1]);
    let now = w.lastTimestamp;
    let db = -1;
    let p = 0;
    for (const argv of expected.files['appendonly.aof.1.incr.aof']!) {
      if (raw.startsWith('#TS:', p)) {
        const eol = raw.indexOf('\r\n', p);
        now = Number(raw.slice(p + 4, eol));
        p = eol + 2;
      }
      p += encodeCommand(argv).length;
      if (argv[0] === 'SELECT') db = Number(argv[1]);
      else w.feed(argv[0] === 'MULTI' || argv[0] === 'EXEC' ? -1 : db, argv, now);
    }
    expect(text(w.take())).toBe(raw);

    // BGREWRITEAOF: a new incr file, which starts with a SELECT.
    w.resetSelectedDb();
    w.feed(0, ['set', 'after', 'rewrite'], now);
    expect(text(w.take())).toBe(readFileSync(new URL('resp-ts-rewritten/appendonly.aof.2.incr.aof', fixtures), 'latin1'));
  });
});
