/**
 * The RDB side against Redis 7.0.15's behaviour: replies and errors checked on a live server, and
 * the cases of Redis's tests/integration/rdb.tcl and tests/unit/other.tcl that apply here.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { infoString } from '../engine/info.ts';
import { show } from '../commands/testing.ts';
import { decodeRdb } from '../rdb/decoder.ts';
import { encodingOf, shape } from '../rdb/testing.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { createRdbFile, installPersistence, persistenceOf } from './rdb-file.ts';
import type { BackgroundJobs, Persistence } from './types.ts';
import type { AofLog } from './aof-load.ts';

const T0 = 1_795_000_000_000;
const MISCONF = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

interface Setup {
  e: Engine;
  c: Client;
  storage: MemoryStorage;
  p: Persistence;
  jobs: BackgroundJobs;
  /** Runs one command, awaiting it when it answers later; the reply in `show` form. */
  r(...argv: string[]): Promise<unknown>;
  /** Runs the pending snapshot slices until none is left, letting storage writes settle. */
  settle(): Promise<void>;
  /** Queued snapshot slices (they only run from `settle` or `step`). */
  step(): boolean;
  advance(ms: number): void;
  info(field: string): string;
  /** Log lines so far, as `level message`. */
  logs: string[];
}

function setup(config: Record<string, string> = {}): Setup {
  let t = T0;
  const e = createEngine({ now: () => t, activeExpire: false, config: { 'enable-debug-command': 'yes', ...config } });
  const c = e.connect();
  const storage = createMemoryStorage();
  const jobs: BackgroundJobs = { child: null };
  const queue: Array<() => void> = [];
  const logs: string[] = [];
  const log: AofLog = ({ level, message }) => void logs.push(`${level} ${message}`);
  const rdb = createRdbFile(e, storage, jobs, { schedule: (fn) => void queue.push(fn), sliceMs: 0, clock: () => 0 }, log);
  const p: Persistence = { storage, jobs, rdb, aof: undefined, log, close: async () => rdb.close() };
  installPersistence(e, p);
  const tick = () => new Promise((res) => setTimeout(res, 0));
  return {
    e, c, storage, p, jobs, logs,
    r: async (...argv) => show(await c.exec(argv)),
    async settle() {
      for (let i = 0; i < 20; i++) {
        while (queue.length > 0) queue.shift()!();
        await tick();
      }
    },
    step: () => {
      const fn = queue.shift();
      fn?.();
      return fn !== undefined;
    },
    advance: (ms) => void (t += ms),
    info: (field) => new RegExp(`\r\n${field}:([^\r]*)\r\n`).exec(infoString(e, ['persistence']))![1]!,
  };
}

async function fileKeys(storage: MemoryStorage, name = 'dump.rdb'): Promise<string[]> {
  const bytes = await storage.read(name);
  if (!bytes) return [];
  return decodeRdb(bytes).records.map((r) => `${r.db}:${r.key}`).sort();
}

describe('SAVE / BGSAVE / LASTSAVE', () => {
  it('SAVE writes dump.rdb with all the types, resets dirty and LASTSAVE', async () => {
    const s = setup();
    await s.r('RPUSH', 'l', 'a');
    await s.r('SET', 'empty', '');
    await s.r('ZADD', 'z', '1', 'm');
    expect(s.info('rdb_changes_since_last_save')).toBe('3');
    s.advance(5000);
    expect(await s.r('SAVE')).toBe('+OK');
    expect(await fileKeys(s.storage)).toEqual(['0:empty', '0:l', '0:z']);
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
    expect(await s.r('LASTSAVE')).toBe(Math.floor((T0 + 5000) / 1000));
    expect(s.info('rdb_saves')).toBe('1');
    expect(s.info('rdb_last_bgsave_status')).toBe('ok');
  });

  it('BGSAVE answers as Redis and accounts when done, keeping the writes made meanwhile', async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) await s.r('SET', `k${i}`, 'v');
    expect(await s.r('BGSAVE')).toBe('+Background saving started');
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
    expect(s.info('current_save_keys_total')).toBe('5');
    expect(await s.r('BGSAVE')).toBe('-ERR Background save already in progress');
    expect(await s.r('SAVE')).toBe('-ERR Background save already in progress');
    expect(await s.r('BGSAVE', 'SCHEDULE')).toBe('-ERR Background save already in progress');
    expect(await s.r('BGSAVE', 'NOW')).toBe('-ERR syntax error');
    expect(await s.r('BGSAVE', 'SCHEDULE', 'x')).toBe('-ERR syntax error');
    await s.r('SET', 'during', 'bgsave');
    await s.r('DEL', 'k0');
    s.advance(2500);
    await s.settle();
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    expect(s.info('current_save_keys_total')).toBe('0');
    expect(s.info('rdb_changes_since_last_save')).toBe('2');
    expect(s.info('rdb_last_bgsave_time_sec')).toBe('2');
    expect(s.info('rdb_saves')).toBe('1');
    expect(await fileKeys(s.storage)).toEqual(['0:k0', '0:k1', '0:k2', '0:k3', '0:k4']);
  });

  it('BGSAVE while an AOF rewrite runs is refused or scheduled, and the cron starts it later', async () => {
    const s = setup();
    await s.r('SET', 'a', '1');
    s.jobs.child = 'aof';
    expect(await s.r('BGSAVE')).toBe(
      "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    );
    expect(await s.r('BGSAVE', 'schedule')).toBe('+Background saving scheduled');
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    s.jobs.child = null;
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
    await s.settle();
    expect(await fileKeys(s.storage)).toEqual(['0:a']);
  });

  it('BGSAVE inside MULTI is scheduled (server.in_exec)', async () => {
    const s = setup();
    await s.r('MULTI');
    await s.r('BGSAVE');
    expect(await s.r('EXEC')).toEqual(['+Background saving scheduled']);
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
  });

  it('SAVE is refused inside MULTI (no_multi)', async () => {
    const s = setup();
    await s.r('MULTI');
    expect(await s.r('SAVE')).toBe('-ERR Command not allowed inside a transaction');
  });

  it('bgsave resets the change counter', async () => {
    const s = setup();
    await s.r('SET', 'a', '1');
    await s.r('BGSAVE');
    await s.settle();
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
  });

  it('BGSAVE writes the dataset as of its start while writes go on (forkless)', async () => {
    const s = setup();
    for (let i = 0; i < 50; i++) await s.r('RPUSH', `l${i}`, 'x', 'y');
    await s.r('BGSAVE');
    for (let i = 0; i < 50; i += 2) {
      s.step();
      await s.r('DEL', `l${i}`);
      await s.r('SET', `new${i}`, 'v');
      await s.r('RPUSH', `l${i + 1}`, 'z');
    }
    await s.settle();
    const bytes = (await s.storage.read('dump.rdb'))!;
    const records = decodeRdb(bytes).records;
    expect(records.length).toBe(50);
    for (const r of records) expect([...(r.value as Iterable<string>)]).toEqual(['x', 'y']);
  });
});

describe('failures and MISCONF', () => {
  it('failed bgsave prevents writes until a BGSAVE succeeds', async () => {
    const s = setup();
    await s.r('SET', 'x', '1');
    s.storage.setFull(true);
    expect(await s.r('BGSAVE')).toBe('+Background saving started');
    await s.settle();
    expect(s.info('rdb_last_bgsave_status')).toBe('err');
    expect(await s.r('SET', 'x', '2')).toBe(MISCONF);
    expect(await s.r('PING')).toBe(MISCONF);
    expect(await s.r('GET', 'x')).toBe('1');
    expect(await s.r('MULTI')).toBe('+OK');
    expect(await s.r('SET', 'x', '3')).toBe(MISCONF);
    expect(await s.r('EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.');
    // A write already queued when the error appears fails EXEC itself.
    s.storage.setFull(false);
    await s.r('BGSAVE');
    await s.settle();
    expect(s.info('rdb_last_bgsave_status')).toBe('ok');
    await s.r('MULTI');
    await s.r('SET', 'x', '4');
    s.storage.setFull(true);
    await s.e.connect().exec(['BGSAVE']);
    await s.settle();
    expect(await s.r('EXEC')).toBe(`-EXECABORT Transaction discarded because of: ${MISCONF.slice(1)}`);
    s.storage.setFull(false);
    await s.r('BGSAVE');
    await s.settle();
    expect(await s.r('SET', 'x', '5')).toBe('+OK');
  });

  it('writes go on after a failed save without save rules or with stop-writes-on-bgsave-error no', async () => {
    const s = setup();
    s.storage.setFull(true);
    await s.r('BGSAVE');
    await s.settle();
    await s.r('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
    expect(await s.r('SET', 'x', '1')).toBe('+OK');
    await s.r('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes');
    expect(await s.r('SET', 'x', '1')).toBe(MISCONF);
    await s.r('CONFIG', 'SET', 'save', '');
    expect(await s.r('SET', 'x', '1')).toBe('+OK');
  });

  it('a failed SAVE answers -ERR and leaves dirty and LASTSAVE alone', async () => {
    const s = setup();
    await s.r('SET', 'x', '1');
    const last = await s.r('LASTSAVE');
    s.advance(3000);
    s.storage.setFull(true);
    expect(await s.r('SAVE')).toBe('-ERR');
    expect(s.info('rdb_changes_since_last_save')).toBe('1');
    expect(await s.r('LASTSAVE')).toBe(last);
  });
});

describe('log lines (what redis-server logs for the same saves)', () => {
  it('logs each save, its failure and its cause, and a shutdown refused for it', async () => {
    const s = setup();
    await s.r('SET', 'x', '1');
    await s.r('SAVE');
    await s.r('BGSAVE');
    await s.settle();
    expect(s.logs.splice(0)).toEqual([
      'notice DB saved on disk',
      'notice Background saving started',
      'notice DB saved on disk',
      'notice Background saving terminated with success',
    ]);
    s.storage.setFull(true);
    await s.r('SAVE');
    await s.r('BGSAVE');
    await s.settle();
    expect(s.logs.splice(0)).toEqual([
      'warning Write error saving DB on disk: No space left on device',
      'notice Background saving started',
      'warning Write error saving DB on disk: No space left on device',
      'warning Background saving error',
    ]);
    // "Check logs", SHUTDOWN says: they now say why.
    expect(await s.r('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    expect(s.logs.splice(0)).toEqual([
      'warning User requested shutdown...',
      'notice Saving the final RDB snapshot before exiting.',
      'warning Write error saving DB on disk: No space left on device',
      "warning Error trying to save the DB, can't exit.",
    ]);
    // A BGSAVE killed by FLUSHALL is no error.
    s.storage.setFull(false);
    await s.r('BGSAVE');
    await s.r('FLUSHALL');
    await s.settle();
    expect(s.logs.filter((l) => l.startsWith('warning'))).toEqual([]);
  });
});

describe('FLUSHALL', () => {
  it('should not reset the dirty counter if we disable save', async () => {
    const s = setup({ save: '' });
    await s.r('SET', 'key', 'value');
    await s.r('FLUSHALL');
    expect(Number(s.info('rdb_changes_since_last_save'))).toBeGreaterThan(0);
  });

  it('should reset the dirty counter to 0 if we enable save', async () => {
    const s = setup();
    await s.r('SET', 'key', 'value');
    await s.r('FLUSHALL');
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
    await s.settle();
    expect(await fileKeys(s.storage)).toEqual([]);
    expect(await s.storage.read('dump.rdb')).toBeDefined();
  });

  it('FLUSHALL and bgsave', async () => {
    const s = setup();
    await s.r('SET', 'x', 'y');
    await s.r('BGSAVE');
    await s.r('SET', 'x', 'y');
    await s.r('MULTI');
    await s.r('FLUSHALL');
    await s.r('EXEC');
    await s.settle();
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
  });

  it('aborts a running bgsave, which is no error', async () => {
    const s = setup({ save: '' });
    for (let i = 0; i < 1000; i++) await s.r('SET', `k${i}`, 'v');
    await s.r('BGSAVE');
    s.step();
    await s.r('FLUSHALL');
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    await s.settle();
    expect(Number(s.info('rdb_changes_since_last_save'))).toBeGreaterThan(999);
    expect(s.info('rdb_last_bgsave_status')).toBe('ok');
    expect(await s.storage.read('dump.rdb')).toBeUndefined();
    expect(await s.r('SET', 'x', 'y')).toBe('+OK');
  });
});

describe('save rules', () => {
  it('the cron starts a BGSAVE once changes and seconds are both past a rule', async () => {
    const s = setup({ save: '10 2 100 1' });
    await s.r('SET', 'a', '1');
    s.advance(11_000);
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('0'); // 1 change: neither rule yet
    await s.r('SET', 'b', '1');
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
    await s.settle();
    expect(await fileKeys(s.storage)).toEqual(['0:a', '0:b']);
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
  });

  it('after a failure the cron retries only once 5 seconds passed', async () => {
    const s = setup({ save: '1 1' });
    await s.r('SET', 'a', '1');
    s.storage.setFull(true);
    s.advance(2000);
    s.e.cron();
    await s.settle();
    expect(s.info('rdb_last_bgsave_status')).toBe('err');
    s.storage.setFull(false);
    s.advance(3000);
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    s.advance(3000);
    s.e.cron();
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
    await s.settle();
    expect(s.info('rdb_last_bgsave_status')).toBe('ok');
  });
});

describe('DEBUG RELOAD', () => {
  it('BGSAVE then DEBUG RELOAD keeps the data', async () => {
    const s = setup();
    await s.r('FLUSHALL');
    await s.r('SAVE');
    await s.r('SET', 'x', '10');
    await s.r('BGSAVE');
    await s.settle();
    expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
    expect(await s.r('GET', 'x')).toBe('10');
  });

  it('keeps every type, encoding and TTL, and drops expired keys', async () => {
    const s = setup();
    await s.r('SET', 'str', 'v', 'EX', '1000');
    await s.r('SET', 'gone', 'v', 'PX', '10');
    await s.r('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await s.r('RPUSH', 'l', 'a', 'b');
    await s.r('SADD', 'iset', '1', '2');
    await s.r('HSET', 'h', 'f', 'v');
    await s.r('ZADD', 'z', '2.5', 'm');
    await s.r('SELECT', '9');
    await s.r('SET', 'db9', 'x');
    await s.r('SELECT', '0');
    s.advance(100);
    expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
    expect(await s.r('DBSIZE')).toBe(5);
    expect(await s.r('EXISTS', 'gone')).toBe(0);
    const ttl = (await s.r('TTL', 'str')) as number;
    expect(ttl > 900 && ttl <= 1000).toBe(true);
    expect(await s.r('LRANGE', 'l', '0', '-1')).toEqual(['a', 'b']);
    expect(await s.r('OBJECT', 'ENCODING', 'iset')).toBe('intset');
    expect(await s.r('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    expect(await s.r('ZSCORE', 'z', 'm')).toBe('2.5');
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
    // The file holds the expired key (Redis writes what the keyspace holds); loading dropped it.
    expect(await fileKeys(s.storage)).toEqual(['0:gone', '0:h', '0:iset', '0:l', '0:str', '0:z', '9:db9']);
  });

  it('NOSAVE loads the file on disk; NOFLUSH MERGE adds it to the data', async () => {
    const s = setup();
    await s.r('SET', 'saved', '1');
    await s.r('SAVE');
    await s.r('SET', 'unsaved', '2');
    await s.r('SET', 'saved', 'changed');
    expect(await s.r('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).toBe('+OK');
    expect(await s.r('MGET', 'saved', 'unsaved')).toEqual(['1', '2']);
    expect(await s.r('DEBUG', 'RELOAD', 'nosave')).toBe('+OK');
    expect(await s.r('MGET', 'saved', 'unsaved')).toEqual(['1', null]);
    expect(await s.r('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH')).toBe('-ERR Error trying to load the RDB dump');
    expect(await s.r('DEBUG', 'RELOAD', 'foo')).toBe('-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
    await s.storage.remove('dump.rdb');
    expect(await s.r('DEBUG', 'RELOAD', 'NOSAVE')).toBe('-ERR Error trying to load the RDB dump');
  });

  it('answers -ERR when the save fails', async () => {
    const s = setup();
    await s.r('SET', 'x', '1');
    s.storage.setFull(true);
    expect(await s.r('DEBUG', 'RELOAD')).toBe('-ERR');
    expect(await s.r('GET', 'x')).toBe('1');
  });

  it('works on an engine without persistence (an in-memory dump.rdb)', async () => {
    const e = createEngine({ activeExpire: false, config: { 'enable-debug-command': 'yes' } });
    const c = e.connect();
    c.exec(['SET', 'k', 'v']);
    expect(show(await c.exec(['DEBUG', 'RELOAD']))).toBe('+OK');
    expect(c.exec(['GET', 'k'])).toBe('v');
    expect(show(await c.exec(['SAVE']))).toBe('+OK');
    expect(show(c.exec(['BGSAVE']))).toBe('+Background saving started');
    expect(persistenceOf(e)).toBe(e.persistence);
  });
});

/** Every key with its value, encoding and TTL: what DEBUG DIGEST stands for in Redis's tests. */
function dataOf(e: Engine): string[] {
  const out: string[] = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [k, en] of db.keys) out.push(`${i} ${JSON.stringify(k)} ${JSON.stringify(shape(en.value))} ${encodingOf(en.value)} ${en.expireAt}`);
  });
  return out.sort();
}

describe('other.tcl / rdb.tcl ports', () => {
  it('Check consistency of different data types after a reload', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    const el = fc.oneof(fc.integer({ min: -1000, max: 100000 }).map(String), fc.string({ maxLength: 80 }));
    const cmd = fc.oneof(
      fc.tuple(key, el).map(([k, v]) => ['SET', k, v]),
      fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 300 })).map(([k, v]) => ['RPUSH', `l${k}`, ...v]),
      fc.tuple(key, fc.array(el, { minLength: 1, maxLength: 600 })).map(([k, v]) => ['SADD', `s${k}`, ...v]),
      fc.tuple(key, fc.array(fc.tuple(el, el), { minLength: 1, maxLength: 300 })).map(([k, v]) => ['HSET', `h${k}`, ...v.flat()]),
      fc.tuple(key, fc.array(fc.tuple(fc.double({ noNaN: true }), el), { minLength: 1, maxLength: 200 }))
        .map(([k, v]) => ['ZADD', `z${k}`, ...v.flatMap(([sc, m]) => [String(sc), m])]),
      fc.tuple(key, fc.integer({ min: 10, max: 10000 })).map(([k, t]) => ['EXPIRE', k, String(t)]),
      fc.integer({ min: 0, max: 15 }).map((db) => ['SELECT', String(db)]),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { maxLength: 30 }), async (cmds) => {
        const s = setup();
        for (const argv of cmds) await s.r(...argv);
        const before = dataOf(s.e);
        expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
        expect(dataOf(s.e)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('Test RDB load info', async () => {
    const s = setup();
    for (let i = 0; i < 1000; i++) await s.r('SET', `k${i}`, 'v');
    await s.r('DEBUG', 'RELOAD');
    expect([s.info('rdb_last_load_keys_expired'), s.info('rdb_last_load_keys_loaded')]).toEqual(['0', '1000']);
    await s.r('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    for (let i = 0; i < 1024; i++) await s.r('SET', `e${i}`, 'v', 'PX', '10');
    s.advance(20);
    await s.r('DEBUG', 'RELOAD');
    expect([s.info('rdb_last_load_keys_expired'), s.info('rdb_last_load_keys_loaded')]).toEqual(['1024', '1000']);
  });
});

describe('INFO persistence', () => {
  it('keeps Redis 7.0\'s field order', async () => {
    const s = setup();
    const names = infoString(s.e, ['persistence']).split('\r\n').slice(1, -1).map((l) => l.split(':')[0]);
    expect(names).toEqual([
      'loading', 'async_loading', 'current_cow_peak', 'current_cow_size', 'current_cow_size_age', 'current_fork_perc',
      'current_save_keys_processed', 'current_save_keys_total', 'rdb_changes_since_last_save', 'rdb_bgsave_in_progress',
      'rdb_last_save_time', 'rdb_last_bgsave_status', 'rdb_last_bgsave_time_sec', 'rdb_current_bgsave_time_sec', 'rdb_saves',
      'rdb_last_cow_size', 'rdb_last_load_keys_expired', 'rdb_last_load_keys_loaded', 'aof_enabled', 'aof_rewrite_in_progress',
      'aof_rewrite_scheduled', 'aof_last_rewrite_time_sec', 'aof_current_rewrite_time_sec', 'aof_last_bgrewrite_status',
      'aof_rewrites', 'aof_rewrites_consecutive_failures', 'aof_last_write_status', 'aof_last_cow_size',
      'module_fork_in_progress', 'module_fork_last_cow_size',
    ]);
  });

  it('shows the progress of a running BGSAVE', async () => {
    const s = setup();
    for (let i = 0; i < 4; i++) await s.r('SET', `k${i}`, 'v');
    await s.r('BGSAVE');
    s.advance(1500);
    s.step();
    expect(s.info('current_save_keys_processed')).toBe('1');
    expect(s.info('current_fork_perc')).toBe('25.00');
    expect(s.info('rdb_current_bgsave_time_sec')).toBe('1');
    await s.settle();
    expect(s.info('rdb_current_bgsave_time_sec')).toBe('-1');
  });
});
