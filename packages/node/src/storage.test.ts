import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@larder/core/storage';
import { runStorageConformance } from '../../core/src/storage/conformance.suite.ts';
import { createNodeStorage } from './storage.ts';
import { storageError } from './fs-util.ts';

const base = mkdtempSync(join(tmpdir(), 'larder-node-storage-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(base, `d${++dirs}`);
const text = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

let current = '';
runStorageConformance('node', {
  open: () => createNodeStorage((current = freshDir())),
  reopen: () => createNodeStorage(current),
});

describe('node storage', () => {
  it('lays files out as a Redis dir, with one folder level', async () => {
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    await s.writeAtomic('dump.rdb', text('REDIS0010'));
    await s.writeAtomic('appendonlydir/appendonly.aof.manifest', text('file appendonly.aof.1.incr.aof seq 1 type i\n'));
    const f = await s.openAppend('appendonlydir/appendonly.aof.1.incr.aof');
    f.write(text('*1\r\n$4\r\nPING\r\n'));
    await f.flush();
    expect(readFileSync(join(dir, 'appendonlydir/appendonly.aof.1.incr.aof'), 'latin1')).toBe('*1\r\n$4\r\nPING\r\n');
    expect(readFileSync(join(dir, 'dump.rdb'), 'latin1')).toBe('REDIS0010');
    expect((await s.list()).sort()).toEqual([
      'appendonlydir/appendonly.aof.1.incr.aof',
      'appendonlydir/appendonly.aof.manifest',
      'dump.rdb',
    ]);
    // The lock is there while open, hidden from list(), and gone after close.
    expect(readFileSync(join(dir, 'larder.lock'), 'latin1')).toBe(`${process.pid}\n`);
    await s.close();
    expect(existsSync(join(dir, 'larder.lock'))).toBe(false);
  });

  it('hands appends to the kernel before write returns, without a flush (a killed process keeps them)', async () => {
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    const f = await s.openAppend('a.aof');
    f.write(text('abc'));
    expect(readFileSync(join(dir, 'a.aof'), 'latin1')).toBe('abc');
    f.write(text('def'));
    expect(readFileSync(join(dir, 'a.aof'), 'latin1')).toBe('abcdef');
    expect(await s.read('a.aof')).toEqual(text('abcdef'));
    await s.close();
  });

  it('shares syncs between concurrent flushes and keeps every byte', async () => {
    const s = await createNodeStorage(freshDir());
    const f = await s.openAppend('a.aof');
    const flushes: Promise<void>[] = [];
    let expected = '';
    for (let i = 0; i < 200; i++) {
      const rec = `rec ${i};`;
      expected += rec;
      f.write(text(rec));
      if (i % 3 === 0) flushes.push(f.flush());
    }
    await Promise.all(flushes);
    expect(f.size).toBe(expected.length);
    await f.close();
    expect(new TextDecoder().decode(await s.read('a.aof'))).toBe(expected);
    await s.close();
  });

  it('writes large chunked snapshots whole', async () => {
    const s = await createNodeStorage(freshDir());
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) parts.push(new Uint8Array(5000 + i * 997).fill(i));
    parts.push(new Uint8Array(700_000).fill(7));
    async function* gen() {
      for (const p of parts) yield p;
    }
    await s.writeAtomic('dump.rdb', gen());
    const got = (await s.read('dump.rdb'))!;
    const want = Buffer.concat(parts);
    expect(got.length).toBe(want.length);
    expect(Buffer.from(got).equals(want)).toBe(true);
    await s.close();
  });

  it('leaves the old file and no temporary when the data source fails', async () => {
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    await s.writeAtomic('dump.rdb', text('old'));
    async function* failing() {
      yield text('new...');
      throw new Error('snapshot aborted');
    }
    await expect(s.writeAtomic('dump.rdb', failing())).rejects.toThrow('snapshot aborted');
    expect(await s.read('dump.rdb')).toEqual(text('old'));
    expect(readdirSync(dir).sort()).toEqual(['dump.rdb', 'larder.lock']);
    await s.close();
  });

  it('removes temporaries a crash left, and never lists them', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'appendonlydir'), { recursive: true });
    writeFileSync(join(dir, 'temp-dump.rdb-999999-3'), 'torn');
    writeFileSync(join(dir, 'appendonlydir', 'temp-appendonly.aof.manifest-999999-1'), 'torn');
    writeFileSync(join(dir, 'temp-1.rdb'), 'a file of the user');
    const s = await createNodeStorage(dir);
    expect((await s.list()).sort()).toEqual(['temp-1.rdb']);
    expect(readdirSync(join(dir, 'appendonlydir'))).toEqual([]);
    await s.close();
  });

  it('refuses names that leave the directory, nest deeper or touch the lock', async () => {
    const s = await createNodeStorage(freshDir());
    for (const name of ['../x', 'a/b/c', '/etc/passwd', '', 'a//b', 'larder.lock', 'a\\b', 'temp-x-1-2']) {
      await expect(s.read(name), name).rejects.toMatchObject({ code: 'IO' });
    }
    await s.close();
  });

  it('refuses a second storage on one directory in the same process with LOCKED', async () => {
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    await expect(createNodeStorage(dir)).rejects.toMatchObject({ code: 'LOCKED' });
    await s.close();
    const again = await createNodeStorage(dir);
    await again.close();
  });

  it('takes over a stale lock: a dead pid, or its own pid from an earlier life', async () => {
    for (const pid of [2 ** 22 + 12345, process.pid]) {
      const dir = freshDir();
      mkdirSync(dir);
      writeFileSync(join(dir, 'larder.lock'), `${pid}\n`);
      const s: Storage = await createNodeStorage(dir);
      expect(readFileSync(join(dir, 'larder.lock'), 'latin1')).toBe(`${process.pid}\n`);
      await s.close();
    }
  });

  it('does not take over a lock it cannot read a pid from', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'larder.lock'), 'garbage');
    await expect(createNodeStorage(dir)).rejects.toMatchObject({ code: 'LOCKED' });
    expect(readFileSync(join(dir, 'larder.lock'), 'latin1')).toBe('garbage');
  });

  it('maps errno codes to storage error codes', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(storageError(err('ENOSPC'), 'writing x')).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storageError(err('EDQUOT'), 'writing x')).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storageError(err('EBADF'), 'writing x', true)).toMatchObject({ code: 'CLOSED' });
    expect(storageError(err('EBADF'), 'writing x')).toMatchObject({ code: 'IO' });
    const io = storageError(err('EIO'), 'writing x') as Error;
    expect(io).toMatchObject({ code: 'IO', message: 'writing x: EIO: failed' });
    expect(io.cause).toMatchObject({ code: 'EIO' });
    const other = new Error('not from fs');
    expect(storageError(other, 'writing x')).toBe(other);
  });

  it.runIf(existsSync('/dev/full'))('reports a full disk as QUOTA_EXCEEDED on write, taking none of the bytes', async () => {
    // /dev/full fails every write with ENOSPC: a real errno from the kernel, not a mock.
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/full', join(dir, 'full.aof'));
    const f = await s.openAppend('full.aof');
    expect(() => f.write(text('data'))).toThrow(expect.objectContaining({ code: 'QUOTA_EXCEEDED' }));
    expect(f.size).toBe(0);
    // The caller keeps the bytes (the AOF's buffer) and writes them again; a flush has nothing to retry.
    expect(() => f.write(text('data'))).toThrow(expect.objectContaining({ code: 'QUOTA_EXCEEDED' }));
    expect(f.size).toBe(0);
    await f.close().catch(() => {});
    await s.close();
  });
});
