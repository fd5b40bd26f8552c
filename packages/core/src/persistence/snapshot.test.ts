import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine, type Engine } from '../engine/engine.ts';
import { decodeRdb } from '../rdb/decoder.ts';
import { concat } from '../rdb/encoder.ts';
import { shape } from '../rdb/testing.ts';
import { activeSnapshot, snapshotSync, startSnapshot, SnapshotAborted, type Snapshot } from './snapshot.ts';

const T0 = 1_700_000_000_000;

/** Every key of every db as `db key type value expireAt`, sorted: what a file must hold. */
function stateOf(e: Engine): string[] {
  const out: string[] = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [k, en] of db.keys) {
      const type = typeof en.value === 'string' ? 'string' : en.value.type;
      out.push(`${i} ${JSON.stringify(k)} ${type} ${JSON.stringify(shape(en.value))} ${en.expireAt}`);
    }
  });
  return out.sort();
}

/** The same for a file: also fails when a key is written twice. */
function fileState(bytes: Uint8Array): string[] {
  const { records } = decodeRdb(bytes);
  const out = records.map((r) => {
    const type = typeof r.value === 'string' ? 'string' : r.value.type;
    return `${r.db} ${JSON.stringify(r.key)} ${type} ${JSON.stringify(shape(r.value))} ${r.expireAt}`;
  });
  const seen = new Set<string>();
  for (const r of records) {
    const id = `${r.db} ${r.key}`;
    if (seen.has(id)) throw new Error(`key written twice: ${id}`);
    seen.add(id);
  }
  return out.sort();
}

async function collect(s: Snapshot): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of s.chunks) parts.push(c);
  return concat(parts);
}

/** A scheduler the test drives: slices run only when `step()` is called. */
function manualScheduler() {
  const queue: Array<() => void> = [];
  return {
    schedule: (fn: () => void) => void queue.push(fn),
    step(): boolean {
      const fn = queue.shift();
      fn?.();
      return fn !== undefined;
    },
    drain() {
      while (queue.length > 0) queue.shift()!();
    },
  };
}

function engineWith(cmds: string[][]): Engine {
  const e = createEngine({ now: () => T0, activeExpire: false });
  const c = e.connect();
  for (const argv of cmds) c.exec(argv);
  return e;
}

describe('snapshotSync', () => {
  it('writes every key with its TTL, in the lowest version that holds them', () => {
    const e = engineWith([
      ['SET', 's', 'v'], ['SET', 'n', '12345'], ['PEXPIREAT', 's', String(T0 + 5000)],
      ['SELECT', '3'], ['SADD', 'set', '1', '2'], ['SADD', 'strings', 'a'],
    ]);
    const bytes = concat(snapshotSync(e));
    expect(fileState(bytes)).toEqual(stateOf(e));
    const file = decodeRdb(bytes);
    expect(file.version).toBe(9); // strings and sets need nothing newer than 5.0's types
    expect(file.aux.map(([k]) => k)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
  });

  it('stamps version 10 once a value needs a 7.0 type, and aof-base 1 for an AOF base', () => {
    const e = engineWith([['RPUSH', 'l', 'a']]);
    const file = decodeRdb(concat(snapshotSync(e, { aofBase: true })));
    expect(file.version).toBe(10);
    expect(file.aux.find(([k]) => k === 'aof-base')).toEqual(['aof-base', '1']);
  });

  it('writes an empty file for an empty keyspace', () => {
    const file = decodeRdb(concat(snapshotSync(engineWith([]))));
    expect(file.records).toEqual([]);
    expect(file.version).toBe(9);
  });
});

describe('startSnapshot', () => {
  it('produces the same file as snapshotSync when nothing changes, in slices', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 300; i++) cmds.push(['SET', `k${i}`, `v${i}`]);
    cmds.push(['SELECT', '5'], ['RPUSH', 'l', 'a', 'b'], ['ZADD', 'z', '1', 'm']);
    const e = engineWith(cmds);
    const sched = manualScheduler();
    let t = 0;
    const s = startSnapshot(e, { schedule: sched.schedule, clock: () => (t += 1), sliceMs: 10 });
    expect(s.keysTotal).toBe(302);
    expect(activeSnapshot(e)).toBe(s);
    let slices = 0;
    while (sched.step()) slices++;
    expect(slices).toBeGreaterThan(10);
    await s.done;
    expect(activeSnapshot(e)).toBeUndefined();
    expect(e.ks.beforeWrite).toBeUndefined();
    expect(s.keysProcessed).toBe(302);
    expect(fileState(await collect(s))).toEqual(stateOf(e));
  });

  it('writes the value at the cut of a key changed, deleted or moved before the iterator got there', async () => {
    const e = engineWith([
      ['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['SET', 'gone', 'v'], ['SET', 'renamed', 'r'],
      ['SELECT', '1'], ['SET', 'one', '1'], ['SET', 'ttl', 't'],
    ]);
    const atCut = stateOf(e);
    const sched = manualScheduler();
    const s = startSnapshot(e, { schedule: sched.schedule });
    const c = e.connect();
    for (const argv of [
      ['SET', 'a', '2'], ['LPOP', 'l'], ['DEL', 'gone'], ['RENAME', 'renamed', 'new'], ['SET', 'fresh', 'f'],
      ['SWAPDB', '0', '1'], ['SELECT', '1'], ['SET', 'a', '3'], ['SELECT', '0'], ['FLUSHDB'],
      ['SET', 'one', 'again'], ['SELECT', '1'], ['EXPIRE', 'ttl', '100'],
    ]) c.exec(argv);
    sched.drain();
    await s.done;
    expect(fileState(await collect(s))).toEqual(atCut);
  });

  it('is a point-in-time copy under any interleaving of writes and slices', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const member = fc.constantFrom('1', '2', 'x', 'y');
    const cmd: fc.Arbitrary<string[]> = fc.oneof(
      fc.tuple(key, member).map(([k, v]) => ['SET', k, v]),
      key.map((k) => ['DEL', k]),
      fc.tuple(key, member).map(([k, v]) => ['RPUSH', `l${k}`, v]),
      key.map((k) => ['LPOP', `l${k}`]),
      fc.tuple(key, member).map(([k, m]) => ['SADD', `s${k}`, m]),
      fc.tuple(key, member).map(([k, m]) => ['SREM', `s${k}`, m]),
      fc.tuple(key, member, member).map(([k, f, v]) => ['HSET', `h${k}`, f, v]),
      fc.tuple(key, fc.integer({ min: -5, max: 5 }), member).map(([k, s, m]) => ['ZADD', `z${k}`, String(s), m]),
      fc.tuple(key, fc.integer({ min: 1, max: 1000 })).map(([k, t]) => ['EXPIRE', k, String(t)]),
      key.map((k) => ['PERSIST', k]),
      fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
      fc.tuple(key, fc.integer({ min: 0, max: 2 })).map(([k, db]) => ['MOVE', k, String(db)]),
      fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'REPLACE']),
      fc.integer({ min: 0, max: 2 }).map((db) => ['SELECT', String(db)]),
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).map(([a, b]) => ['SWAPDB', String(a), String(b)]),
      fc.constant<string[]>(['FLUSHDB']),
      fc.constant<string[]>(['FLUSHALL']),
    );
    const step = fc.oneof(cmd, fc.constant<string[]>(['@slice']));
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 60 }), fc.array(step, { maxLength: 60 }), async (before, during) => {
        const e = engineWith(before);
        const atCut = stateOf(e);
        const sched = manualScheduler();
        let t = 0;
        // Each slice writes one key: the budget is spent after the first one.
        const s = startSnapshot(e, { schedule: sched.schedule, clock: () => (t += 10), sliceMs: 5 });
        const c = e.connect();
        for (const argv of during) {
          if (argv[0] === '@slice') sched.step();
          else c.exec(argv);
        }
        sched.drain();
        await s.done;
        expect(fileState(await collect(s))).toEqual(atCut);
        expect(e.ks.beforeWrite).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('stays a point-in-time copy under every kind of write command (the choke-point contract)', async () => {
    const k = fc.constantFrom('a', 'b');
    const v = fc.constantFrom('1', '2', 'x', '10');
    const n = fc.integer({ min: -2, max: 3 }).map(String);
    const cmd: fc.Arbitrary<string[]> = fc.oneof(
      fc.tuple(k, v).map(([a, x]) => ['SET', `s${a}`, x]),
      fc.tuple(k, v).map(([a, x]) => ['APPEND', `s${a}`, x]),
      k.map((a) => ['INCR', `s${a}`]),
      fc.tuple(k, v).map(([a, x]) => ['INCRBYFLOAT', `s${a}`, x]),
      fc.tuple(k, n, v).map(([a, i, x]) => ['SETRANGE', `s${a}`, String(Math.abs(Number(i))), x]),
      fc.tuple(k, n).map(([a, i]) => ['SETBIT', `s${a}`, String(Math.abs(Number(i)) * 3), '1']),
      k.map((a) => ['GETDEL', `s${a}`]),
      fc.tuple(k, v).map(([a, x]) => ['GETSET', `s${a}`, x]),
      k.map((a) => ['GETEX', `s${a}`, 'EX', '100']),
      k.map((a) => ['GETEX', `s${a}`, 'PERSIST']),
      fc.tuple(k, v).map(([a, x]) => ['LPUSH', `l${a}`, x]),
      fc.tuple(k, n, v).map(([a, i, x]) => ['LSET', `l${a}`, i, x]),
      fc.tuple(k, v, v).map(([a, p, x]) => ['LINSERT', `l${a}`, 'BEFORE', p, x]),
      fc.tuple(k, v).map(([a, x]) => ['LREM', `l${a}`, '0', x]),
      fc.tuple(k, n, n).map(([a, i, j]) => ['LTRIM', `l${a}`, i, j]),
      fc.tuple(k, k).map(([a, b]) => ['LMOVE', `l${a}`, `l${b}`, 'LEFT', 'RIGHT']),
      k.map((a) => ['RPOP', `l${a}`]),
      fc.tuple(k, v).map(([a, x]) => ['SADD', `t${a}`, x]),
      k.map((a) => ['SPOP', `t${a}`]),
      fc.tuple(k, k, v).map(([a, b, x]) => ['SMOVE', `t${a}`, `t${b}`, x]),
      fc.tuple(k, k).map(([a, b]) => ['SINTERSTORE', `t${a}`, `t${a}`, `t${b}`]),
      fc.tuple(k, k).map(([a, b]) => ['SUNIONSTORE', `t${a}`, `t${a}`, `t${b}`]),
      fc.tuple(k, v, v).map(([a, f, x]) => ['HSET', `h${a}`, f, x]),
      fc.tuple(k, v).map(([a, f]) => ['HINCRBY', `h${a}`, f, '2']),
      fc.tuple(k, v).map(([a, f]) => ['HINCRBYFLOAT', `h${a}`, f, '1.5']),
      fc.tuple(k, v).map(([a, f]) => ['HDEL', `h${a}`, f]),
      fc.tuple(k, v, v).map(([a, f, x]) => ['HSETNX', `h${a}`, f, x]),
      fc.tuple(k, n, v).map(([a, sc, m]) => ['ZADD', `z${a}`, sc, m]),
      fc.tuple(k, v).map(([a, m]) => ['ZINCRBY', `z${a}`, '2', m]),
      fc.tuple(k, v).map(([a, m]) => ['ZREM', `z${a}`, m]),
      k.map((a) => ['ZPOPMIN', `z${a}`]),
      fc.tuple(k, k).map(([a, b]) => ['ZUNIONSTORE', `z${a}`, '2', `z${a}`, `z${b}`]),
      fc.tuple(k, n, n).map(([a, i, j]) => ['ZREMRANGEBYRANK', `z${a}`, i, j]),
      fc.tuple(fc.constantFrom('s', 'l', 't', 'h', 'z'), k).map(([t, a]) => ['EXPIRE', `${t}${a}`, '50']),
      fc.tuple(fc.constantFrom('s', 'l', 't', 'h', 'z'), k).map(([t, a]) => ['DEL', `${t}${a}`]),
      fc.tuple(fc.constantFrom('s', 'l', 't', 'h', 'z'), k, k).map(([t, a, b]) => ['RENAMENX', `${t}${a}`, `${t}${b}`]),
      fc.tuple(fc.constantFrom('s', 'l', 't', 'h', 'z'), k).map(([t, a]) => ['MOVE', `${t}${a}`, '1']),
      fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1'], ['SWAPDB', '0', '1'], ['FLUSHDB']),
    );
    const step = fc.oneof(cmd, fc.constant<string[]>(['@slice']));
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 60 }), fc.array(step, { maxLength: 80 }), async (before, during) => {
        const e = engineWith(before);
        const atCut = stateOf(e);
        const sched = manualScheduler();
        let t = 0;
        const s = startSnapshot(e, { schedule: sched.schedule, clock: () => (t += 10), sliceMs: 5 });
        const c = e.connect();
        for (const argv of during) {
          if (argv[0] === '@slice') sched.step();
          else c.exec(argv);
        }
        sched.drain();
        await s.done;
        expect(fileState(await collect(s))).toEqual(atCut);
      }),
      { numRuns: 400 },
    );
  });

  it('waits for a slow consumer past the high-water mark', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 200; i++) cmds.push(['SET', `k${i}`, 'x'.repeat(1000) + i]);
    const e = engineWith(cmds);
    const sched = manualScheduler();
    e.config.set('rdbcompression', 'no');
    const s = startSnapshot(e, { schedule: sched.schedule, highWaterMark: 4096, sliceMs: 0, clock: () => 0 });
    while (sched.step());
    // Stalled: a few KiB produced, the rest waits for the consumer.
    expect(s.keysProcessed).toBeLessThan(20);
    const it = s.chunks[Symbol.asyncIterator]();
    const parts: Uint8Array[] = [];
    for (;;) {
      while (sched.step());
      const r = await it.next();
      if (r.done) break;
      parts.push(r.value);
    }
    expect(s.keysProcessed).toBe(200);
    expect(fileState(concat(parts))).toEqual(stateOf(e));
  });

  it('abort() fails the stream and the done promise, and removes the hook', async () => {
    const e = engineWith([['SET', 'a', '1'], ['SET', 'b', '2']]);
    const sched = manualScheduler();
    const s = startSnapshot(e, { schedule: sched.schedule });
    expect(() => startSnapshot(e)).toThrow(/already running/);
    s.abort();
    expect(e.ks.beforeWrite).toBeUndefined();
    expect(activeSnapshot(e)).toBeUndefined();
    await expect(s.done).rejects.toBeInstanceOf(SnapshotAborted);
    await expect(collect(s)).rejects.toBeInstanceOf(SnapshotAborted);
    sched.drain();
    // A new snapshot can start, and sees the writes made since.
    e.connect().exec(['SET', 'c', '3']);
    const s2 = startSnapshot(e, { schedule: sched.schedule });
    sched.drain();
    expect(fileState(await collect(s2))).toEqual(stateOf(e));
  });

  it('a consumer leaving early aborts the snapshot', async () => {
    const e = engineWith([['SET', 'a', '1'], ['SET', 'b', '2']]);
    const sched = manualScheduler();
    const s = startSnapshot(e, { schedule: sched.schedule, sliceMs: 0, clock: () => 0 });
    sched.step();
    for await (const chunk of s.chunks) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await expect(s.done).rejects.toBeInstanceOf(SnapshotAborted);
    expect(e.ks.beforeWrite).toBeUndefined();
  });

  it('runs on the default scheduler', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 2000; i++) cmds.push(['HSET', `h${i % 50}`, `f${i}`, String(i)]);
    const e = engineWith(cmds);
    const s = startSnapshot(e);
    const c = e.connect();
    const atCut = stateOf(e);
    c.exec(['DEL', 'h7']);
    const bytes = await collect(s);
    await s.done;
    expect(fileState(bytes)).toEqual(atCut);
  });
});
