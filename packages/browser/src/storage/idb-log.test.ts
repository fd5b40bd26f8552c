/**
 * Fast checks of the IndexedDB append file with fake-indexeddb: batching, the growing tail chunk,
 * truncation, appending to a file written whole, and a failed commit making the file fail. Chromium
 * runs the real thing in test/browser/storage.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, openIdbFiles, type IdbFiles } from './idb-files.ts';
import { openIdbAppend, TAIL_MAX } from './idb-log.ts';
import { concat } from './names.ts';

let dbs = 0;
const opened: IdbFiles[] = [];
const open = async (): Promise<IdbFiles> => {
  const f = await openIdbFiles(`log${++dbs}`, () => {});
  opened.push(f);
  return f;
};
afterEach(() => {
  for (const f of opened.splice(0)) f.close();
});

const pattern = (n: number, seed = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 255);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

async function contents(f: IdbFiles, name: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of f.readChunks(name)) parts.push(c);
  return concat(parts);
}

const noop = (): void => {};

describe('IndexedDB append file', () => {
  it('commits the writes of one task in one transaction, growing the tail chunk up to TAIL_MAX', async () => {
    const f = await open();
    const log = await openIdbAppend(f, 'a.incr.aof', () => false, noop);
    const puts: string[] = [];
    const tx = f.db.transaction.bind(f.db);
    f.db.transaction = ((...args: Parameters<typeof tx>) => (puts.push(String(args[0])), tx(...args))) as typeof tx;
    const all: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      const rec = pattern(100, i);
      all.push(rec);
      log.write(rec);
    }
    expect(log.size).toBe(100_000);
    await log.flush();
    expect(puts).toHaveLength(1);
    // A batch goes in whole chunks of up to 1 MiB.
    expect((await f.get('a.incr.aof'))?.lengths).toEqual([100_000]);
    // Small appends after it start a tail chunk, which grows up to TAIL_MAX before the next starts.
    for (const n of [10, TAIL_MAX - 20, 30]) {
      all.push(pattern(n, n));
      log.write(pattern(n, n));
      await log.flush();
    }
    expect((await f.get('a.incr.aof'))?.lengths).toEqual([100_000, TAIL_MAX, 20]);
    await log.close();
    expect(sameBytes(await contents(f, 'a.incr.aof'), concat(all))).toBe(true);
  });

  it('truncates inside a chunk and at a chunk boundary, then appends after the cut', async () => {
    const f = await open();
    const log = await openIdbAppend(f, 'b.aof', () => false, noop);
    const data = pattern(TAIL_MAX + 5000);
    log.write(data);
    await log.flush();
    log.write(pattern(500, 1));
    await log.truncate(data.length + 100);
    expect(log.size).toBe(data.length + 100);
    expect((await f.get('b.aof'))?.lengths).toEqual([data.length, 100]);
    await log.truncate(data.length);
    expect((await f.get('b.aof'))?.lengths).toEqual([data.length]);
    await log.truncate(10);
    log.write(pattern(3, 7));
    await log.close();
    expect(sameBytes(await contents(f, 'b.aof'), concat([data.slice(0, 10), pattern(3, 7)]))).toBe(true);
    expect((await f.db.getAllKeys('chunks')).length).toBe(1);
  });

  it('appends to a file written whole (an AOF base opened for its size)', async () => {
    const f = await open();
    const base = pattern(CHUNK_SIZE + 10);
    await f.writeAtomic('x.base.aof', base);
    const log = await openIdbAppend(f, 'x.base.aof', () => false, noop);
    expect(log.size).toBe(CHUNK_SIZE + 10);
    log.write(pattern(5, 1));
    await log.close();
    expect((await f.get('x.base.aof'))?.lengths).toEqual([CHUNK_SIZE, 15]);
    expect(sameBytes(await contents(f, 'x.base.aof'), concat([base, pattern(5, 1)]))).toBe(true);
    // Reopened, it loads the tail chunk it has not seen before growing it.
    const again = await openIdbAppend(f, 'x.base.aof', () => false, noop);
    again.write(pattern(5, 2));
    await again.close();
    expect(sameBytes(await contents(f, 'x.base.aof'), concat([base, pattern(5, 1), pattern(5, 2)]))).toBe(true);
  });

  it('keeps a batch whose commit failed and retries it with the next write or flush', async () => {
    const f = await open();
    const log = await openIdbAppend(f, 'c.aof', () => false, noop);
    const tx = f.db.transaction.bind(f.db);
    let refuse = 0;
    f.db.transaction = ((...args: Parameters<typeof tx>) => {
      if (refuse-- > 0) throw new DOMException('quota', 'QuotaExceededError');
      return tx(...args);
    }) as typeof tx;
    log.write(pattern(10, 1));
    await log.flush();
    // A flush reports the failure; the batch stays, in order.
    refuse = 1;
    log.write(pattern(10, 2));
    await expect(log.flush()).rejects.toMatchObject({ name: 'StorageError', code: 'QUOTA_EXCEEDED' });
    expect(log.size).toBe(20);
    // Without a flush waiting, the next write reports it and does not take its own bytes.
    refuse = 1;
    log.write(pattern(10, 3));
    await log.settle();
    expect(() => log.write(pattern(10, 4))).toThrow(expect.objectContaining({ code: 'QUOTA_EXCEEDED' }));
    expect(log.size).toBe(30);
    // That write started the retry; with room again, everything lands in order.
    await log.flush();
    log.write(pattern(10, 5));
    await log.close();
    expect(sameBytes(await contents(f, 'c.aof'), concat([pattern(10, 1), pattern(10, 2), pattern(10, 3), pattern(10, 5)]))).toBe(true);
  });

  it('rejects close when the retained batch still cannot commit', async () => {
    const f = await open();
    const log = await openIdbAppend(f, 'e.aof', () => false, noop);
    f.db.close();
    log.write(pattern(10));
    await expect(log.close()).rejects.toMatchObject({ code: 'IO' });
    await expect(log.flush()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('fails with CLOSED once the handle or the storage is closed', async () => {
    const f = await open();
    let storageClosed = false;
    const log = await openIdbAppend(f, 'd.aof', () => storageClosed, noop);
    storageClosed = true;
    expect(() => log.write(pattern(1))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    storageClosed = false;
    await log.close();
    expect(() => log.write(pattern(1))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});
