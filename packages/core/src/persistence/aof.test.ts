/**
 * The AOF side against memory storage: the files Redis 7.0.15 writes (names, manifests, bytes),
 * the fsync policies and the group-commit barrier, write errors (MISCONF), rewrites, turning AOF
 * on at runtime, and the applicable cases of aof.tcl / aof-multi-part.tcl.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { infoString } from '../engine/info.ts';
import { show } from '../commands/testing.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { attachPersistence, type AttachedPersistence, type AttachOptions } from './index.ts';
import { fakeTimers, type FakeTimers } from './testing.ts';

const T0 = 1_795_000_000_000;
const latin1 = (b: Uint8Array | undefined): string => (b === undefined ? '<none>' : String.fromCharCode(...b));
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';


interface Setup {
  e: Engine;
  c: Client;
  p: AttachedPersistence;
  storage: MemoryStorage;
  timers: FakeTimers;
  /** Runs a command, then awaits the durability barrier as a host does before replying. */
  r(...argv: string[]): Promise<unknown>;
  file(name: string): Promise<string>;
  info(field: string): string;
  /** Lets queued snapshot slices, storage writes and flushes settle. */
  settle(): Promise<void>;
}

const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 0));

async function setup(storage = createMemoryStorage(), config: Record<string, string> = {}, opts: AttachOptions = {}): Promise<Setup> {
  const e = createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes', ...config } });
  const timers = fakeTimers();
  const p = await attachPersistence(e, storage, { timers, snapshot: { sliceMs: 1 }, ...opts });
  const c = e.connect();
  return {
    e, c, p, storage, timers,
    async r(...argv) {
      const reply = await c.exec(argv);
      await e.sync(false, c);
      return show(reply);
    },
    file: async (name) => latin1(await storage.read(`appendonlydir/${name}`)),
    info(field) {
      const m = new RegExp(`^${field}:(.*)$`, 'm').exec(infoString(e, ['persistence']));
      return m?.[1]?.trim() ?? '<missing>';
    },
    async settle() {
      for (let i = 0; i < 30; i++) {
        await p.aof.rewriting;
        await tick();
      }
    },
  };
}

/** The dataset as plain data, for comparing engines. */
function dump(e: Engine): Array<[number, string, string, number]> {
  const out: Array<[number, string, string, number]> = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [k, ent] of db.keys) {
      const v = ent.value;
      out.push([i, k, typeof v === 'string' ? v : JSON.stringify([...(v as Iterable<unknown>)]), ent.expireAt]);
    }
  });
  return out.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

const cmd = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

describe('server start with appendonly yes', () => {
  it('creates base 1 (empty RDB with aof-base) and incr 1, as redis-server 7.0.15 does', async () => {
    const s = await setup();
    const files = (await s.storage.list()).sort();
    expect(files).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb',
      'appendonlydir/appendonly.aof.1.incr.aof',
      MANIFEST,
    ]);
    expect(await s.file('appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(await s.file('appendonly.aof.1.base.rdb')).toMatch(/^REDIS0009.*aof-base/s);
    expect(s.info('aof_enabled')).toBe('1');
    // Checked on redis-server 7.0.15: the base created at start counts in neither size.
    await s.r('SET', 'a', '1');
    expect(s.info('aof_current_size')).toBe(String(cmd('SELECT', '0').length + cmd('SET', 'a', '1').length));
    expect(s.info('aof_base_size')).toBe('0');
    await s.p.close();
  });

  it('with aof-use-rdb-preamble no the base is an empty RESP file', async () => {
    const s = await setup(undefined, { 'aof-use-rdb-preamble': 'no' });
    expect(await s.file('appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(await s.file('appendonly.aof.1.base.aof')).toBe('');
    await s.p.close();
  });

  it('appends propagated commands with SELECT, and replays them after a restart', async () => {
    const s = await setup();
    await s.r('SET', 'a', '1');
    await s.r('RPUSH', 'l', 'x', 'y');
    await s.r('SELECT', '3');
    await s.r('SET', 'b', '2');
    await s.r('EXPIRE', 'b', '100');
    await s.p.close();
    expect(await s.file('appendonly.aof.1.incr.aof')).toBe(
      cmd('SELECT', '0') + cmd('SET', 'a', '1') + cmd('RPUSH', 'l', 'x', 'y') + cmd('SELECT', '3') +
        cmd('SET', 'b', '2') + cmd('PEXPIREAT', 'b', String(T0 + 100_000)),
    );
    const s2 = await setup(s.storage.crash());
    expect(dump(s2.e)).toEqual(dump(s.e));
    expect(s2.info('rdb_changes_since_last_save')).toBe('5');
    expect(s2.info('aof_current_size')).toBe(String(
      (await s.storage.read('appendonlydir/appendonly.aof.1.base.rdb'))!.length +
      (await s.storage.read('appendonlydir/appendonly.aof.1.incr.aof'))!.length,
    ));
    expect(s2.info('aof_base_size')).toBe(String((await s.storage.read('appendonlydir/appendonly.aof.1.base.rdb'))!.length));
    await s2.p.close();
  });

  it('starts empty with appendonly yes even when dump.rdb exists (§3.1)', async () => {
    const s = await setup(undefined, { appendonly: 'no' });
    await s.r('SET', 'k', 'v');
    await s.r('SAVE');
    await s.p.close();
    const s2 = await setup(s.storage.crash());
    expect(dump(s2.e)).toEqual([]);
    await s2.p.close();
    const s3 = await setup(s.storage.crash(), { appendonly: 'no' });
    expect(dump(s3.e)).toEqual(dump(s.e));
    await s3.p.close();
  });
});

describe('fsync policies', () => {
  it('always: a barrier covers every write so far with one flush, and nothing pending gives undefined', async () => {
    const s = await setup(undefined, { appendfsync: 'always' });
    expect(s.e.sync()).toBeUndefined();
    s.c.exec(['SET', 'a', '1']);
    const b1 = s.e.sync();
    s.c.exec(['SET', 'b', '2']);
    const b2 = s.e.sync();
    expect(b1).toBeInstanceOf(Promise);
    expect(b2).toBeInstanceOf(Promise);
    // Not durable before the flush runs.
    expect(dump(await setup(s.storage.crash()).then((x) => x.e))).toEqual([]);
    // b1's group took both writes: once it settles, nothing is pending.
    await b1;
    expect(s.e.sync()).toBeUndefined();
    await b2;
    s.c.exec(['GET', 'a']);
    expect(s.e.sync()).toBeUndefined();
    const after = await setup(s.storage.crash());
    expect(dump(after.e)).toEqual(dump(s.e));
    await s.p.close();
  });

  it('everysec: flushed by the timer, not before; no barrier', async () => {
    const s = await setup(undefined, { appendfsync: 'everysec' });
    s.c.exec(['SET', 'a', '1']);
    expect(s.e.sync()).toBeUndefined();
    expect(s.timers.pending).toBe(1);
    expect(dump((await setup(s.storage.crash())).e)).toEqual([]);
    s.timers.fire();
    await tick();
    expect(dump((await setup(s.storage.crash())).e)).toEqual(dump(s.e));
    await s.p.close();
  });

  it('no: never flushed until close', async () => {
    const s = await setup(undefined, { appendfsync: 'no' });
    s.c.exec(['SET', 'a', '1']);
    expect(s.e.sync()).toBeUndefined();
    expect(s.timers.pending).toBe(0);
    expect(dump((await setup(s.storage.crash())).e)).toEqual([]);
    await s.p.close();
    expect(dump((await setup(s.storage.crash())).e)).toEqual(dump(s.e));
  });

  it('hands a write no barrier took to the file through `drain` (default: `schedule`)', async () => {
    // Called unbound, as a browser's queueMicrotask demands (it throws "Illegal invocation" otherwise).
    const unbound = function (this: unknown, fn: () => void): void {
      if (this !== undefined) throw new TypeError('Illegal invocation');
      queueMicrotask(fn);
    };
    for (const drain of [undefined, unbound]) {
      const tasks: Array<() => void> = [];
      const s = await setup(undefined, { appendfsync: 'no' }, { schedule: (fn) => void tasks.push(fn), ...(drain ? { drain } : {}) });
      const incr = (): Promise<string> => s.file('appendonly.aof.1.incr.aof');
      s.c.exec(['SET', 'a', '1']);
      await Promise.resolve();
      // A microtask drain is done by now; the default waits for the scheduled task.
      expect(await incr()).toBe(drain ? cmd('SELECT', '0') + cmd('SET', 'a', '1') : '');
      expect(tasks.length).toBe(drain ? 0 : 1);
      for (const fn of tasks.splice(0)) fn();
      expect(await incr()).toBe(cmd('SELECT', '0') + cmd('SET', 'a', '1'));
      await s.p.close();
    }
  });

  it('CONFIG SET appendfsync takes effect for the next write', async () => {
    const s = await setup(undefined, { appendfsync: 'no' });
    await s.r('CONFIG', 'SET', 'appendfsync', 'always');
    s.c.exec(['SET', 'a', '1']);
    await s.e.sync();
    expect(dump((await setup(s.storage.crash())).e)).toEqual(dump(s.e));
    await s.r('CONFIG', 'SET', 'appendfsync', 'no');
    s.c.exec(['SET', 'b', '2']);
    expect(s.e.sync()).toBeUndefined();
    await s.p.close();
  });
});

describe('write errors', () => {
  it('a failed write refuses writes with the AOF MISCONF until a retry succeeds', async () => {
    const s = await setup(undefined, { appendfsync: 'always' });
    await s.r('SET', 'a', '1');
    s.storage.setFull(true);
    s.c.exec(['SET', 'b', '2']);
    await expect(s.e.sync(false, s.c)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(s.info('aof_last_write_status')).toBe('err');
    expect(await s.r('SET', 'c', '3')).toBe('-MISCONF Errors writing to the AOF file: No space left on device');
    expect(await s.r('PING')).toBe('-MISCONF Errors writing to the AOF file: No space left on device');
    expect(await s.r('GET', 'a')).toBe('1');
    s.storage.setFull(false);
    s.e.cron();
    await tick();
    expect(s.info('aof_last_write_status')).toBe('ok');
    expect(await s.r('SET', 'c', '3')).toBe('+OK');
    const after = await setup(s.storage.crash());
    // The write that failed stayed in the buffer and reached the file on the retry.
    expect(dump(after.e)).toEqual(dump(s.e));
    await s.p.close();
  });
});

describe('BGREWRITEAOF', () => {
  it('rotates base and incr with Redis sequence numbers and deletes history', async () => {
    const s = await setup();
    await s.r('SET', 'a', '1');
    await s.r('HSET', 'h', 'f', 'v');
    expect(await s.r('BGREWRITEAOF')).toBe('+Background append only file rewriting started');
    expect(await s.r('BGREWRITEAOF')).toBe('-ERR Background append only file rewriting already in progress');
    expect(await s.r('BGSAVE')).toBe(
      "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    );
    await s.r('SET', 'during', 'x');
    await s.r('DEL', 'a');
    await s.settle();
    expect(await s.file('appendonly.aof.manifest')).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect((await s.storage.list()).sort()).toEqual([
      'appendonlydir/appendonly.aof.2.base.rdb',
      'appendonlydir/appendonly.aof.2.incr.aof',
      MANIFEST,
    ]);
    expect(await s.file('appendonly.aof.2.incr.aof')).toBe(cmd('SELECT', '0') + cmd('SET', 'during', 'x') + cmd('DEL', 'a'));
    expect(s.info('aof_rewrites')).toBe('1');
    expect(s.info('aof_last_bgrewrite_status')).toBe('ok');
    await s.r('SET', 'after', 'y');
    await s.p.close();
    const s2 = await setup(s.storage.crash());
    expect(dump(s2.e)).toEqual(dump(s.e));
    await s2.p.close();
  });

  it('with aof-use-rdb-preamble no writes a RESP base', async () => {
    const s = await setup(undefined, { 'aof-use-rdb-preamble': 'no' });
    await s.r('SET', 'a', '1');
    await s.r('RPUSH', 'l', ...Array.from({ length: 70 }, (_, i) => String(i)));
    await s.r('ZADD', 'z', '1.5', 'm', 'inf', 'n');
    await s.r('ZADD', 'y', '10000000', 'a', '0.1', 'b', '1e-7', 'c');
    await s.r('SADD', 's', 'x');
    await s.r('HSET', 'h', 'f', 'v');
    await s.r('PEXPIRE', 'a', '5000');
    await s.r('BGREWRITEAOF');
    await s.settle();
    const base = await s.file('appendonly.aof.2.base.aof');
    expect(base.startsWith(cmd('SELECT', '0'))).toBe(true);
    expect(base).toContain(cmd('SET', 'a', '1') + cmd('PEXPIREAT', 'a', String(T0 + 5000)));
    expect(base).toContain(cmd('ZADD', 'z', '1.5', 'm', 'inf', 'n'));
    // 7.0.15 writes scores with %.17g (checked against its rewrite).
    expect(base).toContain(cmd('ZADD', 'y', '9.9999999999999995e-08', 'c', '0.10000000000000001', 'b', '10000000', 'a'));
    expect(base).toContain(cmd('RPUSH', 'l', ...Array.from({ length: 64 }, (_, i) => String(i))));
    expect(base).toContain(cmd('RPUSH', 'l', ...Array.from({ length: 6 }, (_, i) => String(64 + i))));
    expect(base).toContain(cmd('HMSET', 'h', 'f', 'v'));
    await s.p.close();
    const s2 = await setup(s.storage.crash(), { 'aof-use-rdb-preamble': 'no' });
    expect(dump(s2.e)).toEqual(dump(s.e));
    await s2.p.close();
  });

  it('counts the keys of an RDB base in rdb_last_load_keys_loaded at the next start, as Redis', async () => {
    const s = await setup();
    for (let i = 0; i < 6; i++) await s.r('SET', `k${i}`, 'v');
    await s.r('BGREWRITEAOF');
    await s.settle();
    await s.r('SET', 'after', 'v');
    await s.p.close();
    const s2 = await setup(s.storage.crash());
    // The base's 6 keys; the seventh came from the incr (a replayed command, not a loaded key).
    expect([s2.info('rdb_last_load_keys_loaded'), String(s2.e.ks.dbs[0]!.size)]).toEqual(['6', '7']);
    await s2.p.close();
  });

  it('with AOF off, retires every incr (base only), as Redis after CONFIG SET appendonly no', async () => {
    const s = await setup();
    await s.r('SET', 'a', '1');
    await s.r('CONFIG', 'SET', 'appendonly', 'no');
    expect(s.info('aof_enabled')).toBe('0');
    await s.r('SET', 'b', '2');
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await s.file('appendonly.aof.manifest')).toBe('file appendonly.aof.2.base.rdb seq 2 type b\n');
    await s.p.close();
  });

  it('aof-disable-auto-gc yes keeps history, newest first (aof-multi-part.tcl)', async () => {
    const s = await setup(undefined, { 'aof-disable-auto-gc': 'yes' });
    await s.r('SET', 'a', '1');
    await s.r('BGREWRITEAOF');
    await s.settle();
    await s.r('SET', 'b', '1');
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await s.file('appendonly.aof.manifest')).toBe(
      'file appendonly.aof.3.base.rdb seq 3 type b\n' +
        'file appendonly.aof.2.incr.aof seq 2 type h\n' +
        'file appendonly.aof.2.base.rdb seq 2 type h\n' +
        'file appendonly.aof.1.incr.aof seq 1 type h\n' +
        'file appendonly.aof.1.base.rdb seq 1 type h\n' +
        'file appendonly.aof.3.incr.aof seq 3 type i\n',
    );
    await s.p.close();
  });

  it('is scheduled inside MULTI and while a BGSAVE runs, then started by the cron', async () => {
    const s = await setup();
    await s.r('SET', 'a', '1');
    await s.r('MULTI');
    await s.r('BGREWRITEAOF');
    expect(await s.r('EXEC')).toEqual(['+Background append only file rewriting scheduled']);
    expect(s.info('aof_rewrite_scheduled')).toBe('1');
    s.e.cron();
    expect(s.info('aof_rewrite_in_progress')).toBe('1');
    await s.settle();
    expect(s.info('aof_rewrite_scheduled')).toBe('0');
    expect(await s.file('appendonly.aof.manifest')).toContain('appendonly.aof.2.base.rdb');
    await s.p.close();
  });
});

describe('CONFIG SET appendonly yes at runtime', () => {
  it('writes a base of the current data and starts an incr, keeping writes made meanwhile', async () => {
    const s = await setup(undefined, { appendonly: 'no' });
    await s.r('SET', 'a', '1');
    expect((await s.storage.list()).filter((f) => f.startsWith('appendonlydir/'))).toEqual([]);
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    expect(s.info('aof_enabled')).toBe('1');
    expect(s.info('aof_rewrite_in_progress')).toBe('1');
    await s.r('SET', 'b', '2');
    await s.settle();
    expect(await s.file('appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(await s.file('appendonly.aof.1.incr.aof')).toBe(cmd('SELECT', '0') + cmd('SET', 'b', '2'));
    await s.r('SET', 'c', '3');
    await s.p.close();
    const s2 = await setup(s.storage.crash());
    expect(dump(s2.e)).toEqual(dump(s.e));
    await s2.p.close();
  });

  it('SHUTDOWN refuses while the initial AOF is being written, unless FORCE', async () => {
    const s = await setup(undefined, { appendonly: 'no', save: '' });
    s.e.onShutdown = () => {};
    await s.r('SET', 'a', '1');
    await s.r('CONFIG', 'SET', 'appendonly', 'yes');
    expect(await s.r('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    await s.settle();
    expect(await s.r('SHUTDOWN')).toBe('+OK');
  });
});

describe('loading (aof.tcl)', () => {
  const start = async (files: Record<string, string>, config: Record<string, string> = {}) => {
    const bytes = new Map<string, Uint8Array>();
    for (const [k, v] of Object.entries(files)) bytes.set(k, Uint8Array.from(v, (ch) => ch.charCodeAt(0)));
    const logs: string[] = [];
    const storage = createMemoryStorage(bytes);
    const attempt = setup(storage, config, { log: (l) => void logs.push(l.message) });
    return { storage, attempt, logs };
  };
  const manifest = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';

  it('Unfinished MULTI: Server should start if load-truncated is yes', async () => {
    const { attempt, storage } = await start({
      [MANIFEST]: manifest,
      'appendonlydir/appendonly.aof.1.base.aof': '',
      'appendonlydir/appendonly.aof.1.incr.aof': cmd('SET', 'foo', 'hello') + cmd('MULTI') + cmd('SET', 'bar', 'x'),
    });
    const s = await attempt;
    expect(await s.r('GET', 'foo')).toBe('hello');
    expect(await s.r('EXISTS', 'bar')).toBe(0);
    expect(latin1(await storage.read('appendonlydir/appendonly.aof.1.incr.aof'))).toBe(cmd('SET', 'foo', 'hello'));
    await s.r('SET', 'x', 'y');
    await s.p.close();
    expect(latin1(await storage.read('appendonlydir/appendonly.aof.1.incr.aof'))).toBe(
      cmd('SET', 'foo', 'hello') + cmd('SELECT', '0') + cmd('SET', 'x', 'y'),
    );
  });

  it('Short read: truncated and appended to with load-truncated yes, fatal with no', async () => {
    const tail = cmd('SET', 'foo', 'hello') + cmd('SET', 'bar', 'world').slice(0, 10);
    const ok = await start({ [MANIFEST]: manifest, 'appendonlydir/appendonly.aof.1.base.aof': '', 'appendonlydir/appendonly.aof.1.incr.aof': tail });
    const s = await ok.attempt;
    expect(await s.r('GET', 'foo')).toBe('hello');
    expect(ok.logs).toContain('!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 33 !!!');
    await s.p.close();
    const bad = await start(
      { [MANIFEST]: manifest, 'appendonlydir/appendonly.aof.1.base.aof': '', 'appendonlydir/appendonly.aof.1.incr.aof': tail },
      { 'aof-load-truncated': 'no' },
    );
    await expect(bad.attempt).rejects.toMatchObject({ name: 'AofLoadError' });
  });

  it('Bad format and unknown commands are fatal; a missing listed file too', async () => {
    const bad = await start({ [MANIFEST]: manifest, 'appendonlydir/appendonly.aof.1.base.aof': '', 'appendonlydir/appendonly.aof.1.incr.aof': 'garbage\r\n' });
    await expect(bad.attempt).rejects.toThrow(/Bad file format reading the append only file appendonly.aof.1.incr.aof/);
    const unknown = await start({ [MANIFEST]: manifest, 'appendonlydir/appendonly.aof.1.base.aof': '', 'appendonlydir/appendonly.aof.1.incr.aof': cmd('NOSUCH', 'x') });
    await expect(unknown.attempt).rejects.toThrow(/Unknown command 'NOSUCH'/);
    const missing = await start({ [MANIFEST]: manifest, 'appendonlydir/appendonly.aof.1.base.aof': '' });
    await expect(missing.attempt).rejects.toThrow(/appendonly.aof.1.incr.aof length/);
  });

  it('AOF+EXPIRE: an expire in the past is kept while loading, the key expires after', async () => {
    const { attempt } = await start({
      [MANIFEST]: manifest,
      'appendonlydir/appendonly.aof.1.base.aof': '',
      'appendonlydir/appendonly.aof.1.incr.aof': cmd('RPUSH', 'list', 'foo') + cmd('PEXPIREAT', 'list', '1000') + cmd('RPUSH', 'list', 'bar'),
    });
    const s = await attempt;
    expect(await s.r('LLEN', 'list')).toBe(0);
    await s.p.close();
  });

  it('upgrades an old single-file AOF into the dir', async () => {
    const { attempt, storage } = await start({ 'appendonly.aof': cmd('SET', 'k', 'old') });
    const s = await attempt;
    expect(await s.r('GET', 'k')).toBe('old');
    expect(latin1(await storage.read(MANIFEST))).toBe(
      'file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(await storage.read('appendonly.aof')).toBeUndefined();
    await s.p.close();
  });
});

describe('crash recovery (property)', () => {
  const key = fc.constantFrom('a', 'b', 'c');
  const op = fc.oneof(
    fc.tuple(fc.constant('SET'), key, fc.string({ maxLength: 3 })),
    fc.tuple(fc.constant('RPUSH'), key, fc.string({ maxLength: 3 })),
    fc.tuple(fc.constant('DEL'), key),
    fc.tuple(fc.constant('INCR'), key),
    fc.tuple(fc.constant('SELECT'), fc.constantFrom('0', '1')),
    fc.tuple(fc.constant('BGREWRITEAOF')),
  );

  it('with appendfsync always the recovered state is the acknowledged one, whatever is torn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.nat(200), fc.boolean(), async (ops, torn, preamble) => {
        const s = await setup(undefined, { appendfsync: 'always', 'aof-use-rdb-preamble': preamble ? 'yes' : 'no' });
        let acked = dump(s.e);
        for (const argv of ops) {
          await s.r(...argv);
          acked = dump(s.e);
          if (argv[0] === 'BGREWRITEAOF') await s.settle();
        }
        const crashed = s.storage.crash(torn);
        const s2 = await setup(crashed, { 'aof-use-rdb-preamble': preamble ? 'yes' : 'no' });
        expect(dump(s2.e)).toEqual(acked);
        await s2.p.close();
        await s.p.close();
      }),
      { numRuns: 60 },
    );
  });

  it('with appendfsync no the recovered state is a prefix of the history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 20 }), fc.nat(20), fc.nat(300), async (ops, cut, torn) => {
        const s = await setup(undefined, { appendfsync: 'no' });
        const states = [dump(s.e)];
        const crashAt = Math.min(cut, ops.length);
        let crashed: MemoryStorage | undefined;
        for (let i = 0; i < ops.length; i++) {
          if (i === crashAt) crashed = s.storage.crash(torn);
          await s.r(...ops[i]!);
          if (ops[i]![0] === 'BGREWRITEAOF') await s.settle();
          states.push(dump(s.e));
        }
        crashed ??= s.storage.crash(torn);
        const s2 = await setup(crashed);
        const got = dump(s2.e);
        expect(states.slice(0, crashAt + 1).some((st) => JSON.stringify(st) === JSON.stringify(got))).toBe(true);
        await s2.p.close();
        await s.p.close();
      }),
      { numRuns: 60 },
    );
  });
});
