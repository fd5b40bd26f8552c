/**
 * The storage conformance suite: the contract of storage.ts as tests. Every adapter's test file
 * calls `runStorageConformance` with a factory; behaviour an adapter cannot show in-process (a
 * crash) is gated on what the factory provides.
 */
import { describe, expect, it } from 'vitest';
import { StorageError, type Storage } from './storage.ts';

export interface ConformanceTarget {
  /** A fresh, empty storage. */
  open(): Promise<Storage>;
  /** The same files opened again (after `close()` of the previous handle). */
  reopen(): Promise<Storage>;
  /** The files as a crash right now would leave them, when the adapter can simulate one. */
  crash?(): Promise<Storage>;
}

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);
const text = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Index of the first difference, or -1 (vitest's deep equality is too slow for megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof StorageError ? e.code : `not a StorageError: ${String(e)}`;
  }
  return undefined;
}

export function runStorageConformance(name: string, target: ConformanceTarget): void {
  describe(`storage conformance: ${name}`, () => {
    it('starts empty and reads a missing file as undefined', async () => {
      const s = await target.open();
      expect(await s.list()).toEqual([]);
      expect(await s.read('dump.rdb')).toBeUndefined();
      expect(await collect(s.readChunks('dump.rdb'))).toEqual(new Uint8Array(0));
      await s.close();
    });

    it('writes whole files atomically, replaces them, and keeps them across reopen', async () => {
      const s = await target.open();
      await s.writeAtomic('appendonly.aof.manifest', text('file a seq 1 type b\n'));
      await s.writeAtomic('appendonly.aof.manifest', text('file b seq 2 type b\n'));
      async function* chunks() {
        yield bytes(1, 2, 3);
        yield bytes(4, 5);
      }
      await s.writeAtomic('dump.rdb', chunks());
      await s.close();
      const r = await target.reopen();
      expect((await r.list()).sort()).toEqual(['appendonly.aof.manifest', 'dump.rdb']);
      expect(await r.read('appendonly.aof.manifest')).toEqual(text('file b seq 2 type b\n'));
      expect(await r.read('dump.rdb')).toEqual(bytes(1, 2, 3, 4, 5));
      await r.close();
    });

    it('appends, flushes, truncates, and keeps flushed bytes across reopen', async () => {
      const s = await target.open();
      const f = await s.openAppend('appendonly.aof.1.incr.aof');
      f.write(text('*1\r\n$4\r\nPING\r\n'));
      f.write(text('*1\r\n$4\r\nPI'));
      expect(f.size).toBe(24);
      await f.flush();
      await f.truncate(14);
      expect(f.size).toBe(14);
      f.write(text('+'));
      await f.close();
      await s.close();
      const r = await target.reopen();
      expect(await r.read('appendonly.aof.1.incr.aof')).toEqual(text('*1\r\n$4\r\nPING\r\n+'));
      const again = await r.openAppend('appendonly.aof.1.incr.aof');
      expect(again.size).toBe(15);
      again.write(text('x'));
      await again.close();
      expect(await r.read('appendonly.aof.1.incr.aof')).toEqual(text('*1\r\n$4\r\nPING\r\n+x'));
      await r.close();
    });

    it('reads large files in chunks that add up to the whole', async () => {
      const s = await target.open();
      const big = new Uint8Array(3 * 1024 * 1024 + 7);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
      await s.writeAtomic('big.rdb', big);
      expect(firstDifference(await collect(s.readChunks('big.rdb')), big)).toBe(-1);
      expect(firstDifference((await s.read('big.rdb'))!, big)).toBe(-1);
      await s.close();
    });

    it('removes files, and removing a missing one is fine', async () => {
      const s = await target.open();
      await s.writeAtomic('temp-1.rdb', bytes(1));
      await s.remove('temp-1.rdb');
      await s.remove('never-was.rdb');
      expect(await s.list()).toEqual([]);
      await s.close();
    });

    it('refuses a second append handle on one file with LOCKED', async () => {
      const s = await target.open();
      const f = await s.openAppend('a.aof');
      expect(await code(s.openAppend('a.aof'))).toBe('LOCKED');
      await f.close();
      const g = await s.openAppend('a.aof');
      await g.close();
      await s.close();
    });

    it('fails every call after close with CLOSED', async () => {
      const s = await target.open();
      const f = await s.openAppend('a.aof');
      await f.close();
      expect(await code(() => f.write(bytes(1)))).toBe('CLOSED');
      await s.close();
      expect(await code(s.list())).toBe('CLOSED');
      expect(await code(s.read('a.aof'))).toBe('CLOSED');
      expect(await code(s.writeAtomic('b', bytes(1)))).toBe('CLOSED');
      expect(await code(s.openAppend('a.aof'))).toBe('CLOSED');
      expect(await code(s.remove('a.aof'))).toBe('CLOSED');
    });

    it.runIf(target.crash !== undefined)('keeps flushed appends and finished atomic writes through a crash', async () => {
      const s = await target.open();
      await s.writeAtomic('appendonly.aof.manifest', text('v1'));
      const f = await s.openAppend('log.aof');
      f.write(text('flushed;'));
      await f.flush();
      f.write(text('not flushed'));
      const after = await target.crash!();
      const log = await after.read('log.aof');
      expect(log).toBeDefined();
      // A prefix of everything written, holding at least everything flushed.
      const all = text('flushed;not flushed');
      expect(log!.length).toBeGreaterThanOrEqual(8);
      expect(log).toEqual(all.slice(0, log!.length));
      expect(await after.read('appendonly.aof.manifest')).toEqual(text('v1'));
      await after.close();
    });
  });
}
