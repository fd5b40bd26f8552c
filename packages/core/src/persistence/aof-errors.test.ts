/**
 * AOF write errors (the browser's quota case): under every policy, the callers of a batch whose
 * bytes did not reach the file see the storage error instead of a success; reads go on; writes
 * are refused with the AOF's MISCONF; the bytes stay buffered and the cron retries them; once a
 * retry succeeds, writes resume and a reload holds every write, each exactly once.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { infoString } from '../engine/info.ts';
import { show } from '../commands/testing.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { StorageError, type AppendFile, type Storage, type StorageErrorCode } from '../storage/storage.ts';
import { attachPersistence, type AttachedPersistence } from './index.ts';
import { noTimers } from './testing.ts';

const T0 = 1_795_000_000_000;
const FULL = '-MISCONF Errors writing to the AOF file: No space left on device';
const cmd = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
const latin1 = (b: Uint8Array | undefined): string => (b === undefined ? '<none>' : String.fromCharCode(...b));
const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 0));

/** Memory storage whose append files fail their next writes or flushes on demand. */
function faultyStorage(inner: MemoryStorage): Storage & { failWrites(n: number, code?: StorageErrorCode): void; failFlushes(n: number): void } {
  let writeFailures = 0;
  let flushFailures = 0;
  let code: StorageErrorCode = 'IO';
  const wrap = (f: AppendFile): AppendFile => ({
    get size() {
      return f.size;
    },
    write(bytes) {
      if (writeFailures > 0) {
        writeFailures--;
        throw new StorageError(code, 'injected write failure');
      }
      f.write(bytes);
    },
    async flush() {
      if (flushFailures > 0) {
        flushFailures--;
        throw new StorageError('IO', 'injected flush failure');
      }
      await f.flush();
    },
    truncate: (size) => f.truncate(size),
    close: () => f.close(),
  });
  return {
    ...inner,
    openAppend: async (name) => wrap(await inner.openAppend(name)),
    failWrites(n, c = 'IO') {
      writeFailures = n;
      code = c;
    },
    failFlushes(n) {
      flushFailures = n;
    },
  };
}

interface Setup {
  e: Engine;
  c: Client;
  p: AttachedPersistence;
  /** A batch: the commands run, then the host awaits the barrier. Its replies, or the barrier's error. */
  batch(...cmds: string[][]): Promise<unknown[] | { rejected: unknown }>;
  r(...argv: string[]): Promise<unknown>;
  info(field: string): string;
  /** The persistence log's messages so far. */
  logs: string[];
}

async function setup(storage: Storage, policy: string): Promise<Setup> {
  const e = createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes', appendfsync: policy } });
  const logs: string[] = [];
  const p = await attachPersistence(e, storage, { timers: noTimers, log: ({ message }) => void logs.push(message) });
  const c = e.connect();
  const batch = async (...cmds: string[][]): Promise<unknown[] | { rejected: unknown }> => {
    const replies = cmds.map((argv) => show(c.exec(argv)));
    try {
      await e.sync(false, c);
      return replies;
    } catch (err) {
      return { rejected: err };
    }
  };
  return {
    e, c, p, batch, logs,
    async r(...argv) {
      const got = await batch(argv);
      return Array.isArray(got) ? got[0] : got;
    },
    info(field) {
      return new RegExp(`^${field}:(.*)$`, 'm').exec(infoString(e, ['persistence']))?.[1]?.trim() ?? '<missing>';
    },
  };
}

/** Loads `storage` into a new engine: the dataset as [key, value] pairs. */
async function reload(storage: MemoryStorage): Promise<Array<[string, unknown]>> {
  const e = createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes' } });
  const p = await attachPersistence(e, storage, { timers: noTimers });
  const out = [...e.ks.dbs[0]!.keys].map(([k, ent]): [string, unknown] => [k, ent.value]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  await p.close();
  e.close();
  return out;
}

describe('aof_last_write_status across CONFIG SET appendonly', () => {
  it('stays err once AOF is turned off in error (writes go on), until AOF is turned on again, as Redis', async () => {
    const storage = createMemoryStorage();
    const s = await setup(storage, 'everysec');
    storage.setFull(true);
    await s.r('SET', 'a', '1');
    expect(s.info('aof_last_write_status')).toBe('err');
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'no')).toBe('+OK');
    expect(s.info('aof_last_write_status')).toBe('err');
    expect(await s.r('SET', 'b', '2')).toBe('+OK');
    storage.setFull(false);
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    expect(s.info('aof_last_write_status')).toBe('ok');
    expect(s.logs).toContain('AOF reopen, just ignore the last error.');
    await s.p.close();
  });
});

describe.each(['always', 'everysec', 'no'])('a full storage under appendfsync %s', (policy) => {
  it('fails the batch, refuses writes, serves reads, and loses nothing once space is freed', async () => {
    const storage = createMemoryStorage();
    const s = await setup(storage, policy);
    expect(await s.r('SET', 'a', '1')).toBe('+OK');
    storage.setFull(true);
    // Two writes and a read in one batch: none of its replies may be released as a success.
    const failed = await s.batch(['SET', 'b', '2'], ['INCR', 'n'], ['GET', 'a']);
    expect(failed).toEqual({ rejected: expect.objectContaining({ code: 'QUOTA_EXCEEDED' }) });
    expect(s.info('aof_last_write_status')).toBe('err');
    expect(await s.r('SET', 'c', '3')).toBe(FULL);
    expect(await s.r('GET', 'a')).toBe('1');
    // Applied in memory, as Redis does: only the acknowledgement was withheld.
    expect(await s.batch(['GET', 'b'], ['GET', 'n'])).toEqual(['2', '1']);
    // Retries fail while the storage is full.
    s.e.cron();
    await tick();
    expect(await s.r('SET', 'c', '3')).toBe(FULL);
    storage.setFull(false);
    s.e.cron();
    await tick();
    expect(s.info('aof_last_write_status')).toBe('ok');
    expect(await s.r('SET', 'c', '3')).toBe('+OK');
    expect(await s.r('INCR', 'n')).toBe(2);
    if (policy === 'always') {
      // Everything acknowledged is durable already, and so are the writes of the failed batch.
      expect(await reload(storage.crash())).toEqual([['a', '1'], ['b', '2'], ['c', '3'], ['n', '2']]);
    }
    await s.p.close();
    expect(await reload(storage.crash())).toEqual([['a', '1'], ['b', '2'], ['c', '3'], ['n', '2']]);
    expect(latin1(await storage.read('appendonlydir/appendonly.aof.1.incr.aof'))).toBe(
      cmd('SELECT', '0') + cmd('SET', 'a', '1') + cmd('SET', 'b', '2') + cmd('INCR', 'n') + cmd('SET', 'c', '3') + cmd('INCR', 'n'),
    );
  });

  it('refuses the replies of each client whose own units failed, a served blocked client too, and of no one else', async () => {
    const storage = createMemoryStorage();
    const s = await setup(storage, policy);
    /** A host for `c`: the reply, released after the barrier for `c`, or the barrier's error. */
    const host = (c: Client) => async (...argv: string[]): Promise<unknown> => {
      const reply = show(await c.exec(argv));
      try {
        await s.e.sync(false, c);
        return reply;
      } catch (err) {
        return { rejected: err };
      }
    };
    const [popper, pusher, reader] = [s.e.connect(), s.e.connect(), s.e.connect()];
    expect(await host(reader)('SET', 'a', '1')).toBe('+OK');
    const popped = host(popper)('BLPOP', 'q', '0');
    storage.setFull(true);
    // The push serves the blocked pop in the same turn: two units, neither reaches the file.
    const pushed = host(pusher)('RPUSH', 'q', 'x');
    const rejected = { rejected: expect.objectContaining({ code: 'QUOTA_EXCEEDED' }) };
    expect(await pushed).toEqual(rejected);
    // Its barrier comes after the pusher's was refused: the pop is the popper's own unit all the same.
    expect(await popped).toEqual(rejected);
    // The reader's own write is in the file: it reads on.
    expect(await host(reader)('GET', 'a')).toBe('1');
    // Told once: the popper's next read goes on too.
    expect(await host(popper)('LLEN', 'q')).toBe(0);
    storage.setFull(false);
    s.e.cron();
    await tick();
    await s.p.close();
    expect(await reload(storage.crash())).toEqual([['a', '1']]);
  });

  it('an I/O error on write: the same, with its strerror, and the retried bytes land once', async () => {
    const inner = createMemoryStorage();
    const storage = faultyStorage(inner);
    const s = await setup(storage, policy);
    await s.r('RPUSH', 'l', 'x');
    storage.failWrites(3);
    expect(await s.batch(['RPUSH', 'l', 'y'])).toEqual({ rejected: expect.objectContaining({ code: 'IO' }) });
    expect(await s.r('RPUSH', 'l', 'z')).toBe('-MISCONF Errors writing to the AOF file: Input/output error');
    expect(await s.r('LRANGE', 'l', '0', '-1')).toEqual(['x', 'y']);
    for (let i = 0; i < 3; i++) {
      s.e.cron();
      await tick();
    }
    expect(s.info('aof_last_write_status')).toBe('ok');
    expect(await s.r('RPUSH', 'l', 'z')).toBe(3);
    await s.p.close();
    expect(latin1(await inner.read('appendonlydir/appendonly.aof.1.incr.aof'))).toBe(
      cmd('SELECT', '0') + cmd('RPUSH', 'l', 'x') + cmd('RPUSH', 'l', 'y') + cmd('RPUSH', 'l', 'z'),
    );
  });

  it('BGREWRITEAOF does not cut while the buffer cannot reach the old incr', async () => {
    const storage = createMemoryStorage();
    const s = await setup(storage, policy);
    await s.r('INCR', 'n');
    storage.setFull(true);
    expect(await s.batch(['INCR', 'n'])).toEqual({ rejected: expect.objectContaining({ code: 'QUOTA_EXCEEDED' }) });
    expect(await s.r('BGREWRITEAOF')).toBe(
      "-ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
    );
    storage.setFull(false);
    s.e.cron();
    await tick();
    expect(await s.r('BGREWRITEAOF')).toBe('+Background append only file rewriting started');
    await s.p.aof.rewriting;
    await s.p.close();
    // The INCR that failed is counted once: in the incr before the cut, so in the new base.
    expect(await reload(storage.crash())).toEqual([['n', '2']]);
  });
});

describe('a failed flush under appendfsync always', () => {
  it('fails the batch whose writes it did not make durable, then recovers through the cron', async () => {
    const inner = createMemoryStorage();
    const storage = faultyStorage(inner);
    const s = await setup(storage, 'always');
    storage.failFlushes(1);
    expect(await s.batch(['SET', 'k', 'v'])).toEqual({ rejected: expect.objectContaining({ message: 'injected flush failure' }) });
    expect(s.info('aof_last_write_status')).toBe('err');
    expect(await s.r('GET', 'k')).toBe('v');
    s.e.cron();
    await tick();
    expect(s.info('aof_last_write_status')).toBe('ok');
    expect(await reload(inner.crash())).toEqual([['k', 'v']]);
    expect(await s.r('SET', 'k', 'w')).toBe('+OK');
    await s.p.close();
  });
});
