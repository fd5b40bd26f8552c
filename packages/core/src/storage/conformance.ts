/**
 * The storage conformance cases: the contract of storage.ts as checks, free of any test framework
 * so the same cases run under vitest (conformance.suite.ts wraps each in an `it`) and inside a
 * browser worker (test/browser/storage.test.ts), where vitest cannot reach. A failed check throws
 * an Error saying what differed.
 */
import { concatBytes } from '../bytes.ts';
import { StorageError, type Storage } from './storage.ts';

export interface ConformanceTarget {
  /** A fresh, empty storage. */
  open(): Promise<Storage>;
  /** The same files opened again (after `close()` of the previous handle). */
  reopen(): Promise<Storage>;
  /** The files as a crash right now would leave them, when the adapter can simulate one. */
  crash?(): Promise<Storage>;
}

export interface ConformanceCase {
  readonly name: string;
  /** 'crash': runs only against a target with `crash()`. */
  readonly needs?: 'crash';
  run(t: ConformanceTarget): Promise<void>;
}

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);
const text = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return concatBytes(parts);
}

/** Index of the first difference, or -1 (element-by-element equality is too slow for megabytes). */
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

/** A value for a failure message: byte arrays as their (latin1) text when short. */
function show(v: unknown): string {
  if (v instanceof Uint8Array) {
    const head = String.fromCharCode(...v.subarray(0, 64));
    return `Uint8Array(${v.length}) ${JSON.stringify(head)}${v.length > 64 ? '...' : ''}`;
  }
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return firstDifference(a, b) === -1;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return Object.is(a, b);
}

/** Throws unless `actual` equals `expected` (byte arrays and arrays by content). */
function equal(actual: unknown, expected: unknown, what: string): void {
  if (same(actual, expected)) return;
  let detail = '';
  if (actual instanceof Uint8Array && expected instanceof Uint8Array) {
    detail = ` (first difference at byte ${firstDifference(actual, expected)})`;
  }
  throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}${detail}`);
}

function ok(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

export const conformanceCases: ReadonlyArray<ConformanceCase> = [
  {
    name: 'starts empty and reads a missing file as undefined',
    async run(target) {
      const s = await target.open();
      equal(await s.list(), [], 'list() of a fresh storage');
      equal(await s.read('dump.rdb'), undefined, 'read() of a missing file');
      equal(await collect(s.readChunks('dump.rdb')), new Uint8Array(0), 'readChunks() of a missing file');
      if (s.size) equal(await s.size('dump.rdb'), undefined, 'size() of a missing file');
      // Optional and idempotent: a folder made ahead of the files written into it.
      s.ensureFolderSync?.('appendonlydir');
      s.ensureFolderSync?.('appendonlydir');
      await s.close();
    },
  },
  {
    name: 'writes whole files atomically, replaces them, and keeps them across reopen',
    async run(target) {
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
      equal((await r.list()).sort(), ['appendonly.aof.manifest', 'dump.rdb'], 'list() after reopen');
      equal(await r.read('appendonly.aof.manifest'), text('file b seq 2 type b\n'), 'the replaced manifest');
      equal(await r.read('dump.rdb'), bytes(1, 2, 3, 4, 5), 'a file written from chunks');
      await r.close();
    },
  },
  {
    name: 'appends, flushes, truncates, and keeps flushed bytes across reopen',
    async run(target) {
      const s = await target.open();
      const f = await s.openAppend('appendonly.aof.1.incr.aof');
      f.write(text('*1\r\n$4\r\nPING\r\n'));
      f.write(text('*1\r\n$4\r\nPI'));
      equal(f.size, 24, 'size after two writes');
      await f.flush();
      await f.truncate(14);
      equal(f.size, 14, 'size after truncate(14)');
      f.write(text('+'));
      await f.close();
      await s.close();
      const r = await target.reopen();
      equal(await r.read('appendonly.aof.1.incr.aof'), text('*1\r\n$4\r\nPING\r\n+'), 'the log after reopen');
      const again = await r.openAppend('appendonly.aof.1.incr.aof');
      equal(again.size, 15, 'size of the reopened log');
      again.write(text('x'));
      await again.close();
      equal(await r.read('appendonly.aof.1.incr.aof'), text('*1\r\n$4\r\nPING\r\n+x'), 'the log after another append');
      await r.close();
    },
  },
  {
    name: 'reads large files in chunks that add up to the whole',
    async run(target) {
      const s = await target.open();
      const big = new Uint8Array(3 * 1024 * 1024 + 7);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
      await s.writeAtomic('big.rdb', big);
      equal(firstDifference(await collect(s.readChunks('big.rdb')), big), -1, 'first difference of readChunks() from the written bytes');
      if (s.size) equal(await s.size('big.rdb'), big.length, 'size() of big.rdb');
      const whole = await s.read('big.rdb');
      ok(whole !== undefined, 'read() of big.rdb returned undefined');
      equal(firstDifference(whole!, big), -1, 'first difference of read() from the written bytes');
      await s.close();
    },
  },
  {
    name: 'removes files, and removing a missing one is fine',
    async run(target) {
      const s = await target.open();
      await s.writeAtomic('temp-1.rdb', bytes(1));
      await s.remove('temp-1.rdb');
      await s.remove('never-was.rdb');
      equal(await s.list(), [], 'list() after removing the only file');
      await s.close();
    },
  },
  {
    name: 'refuses a second append handle on one file with LOCKED',
    async run(target) {
      const s = await target.open();
      const f = await s.openAppend('a.aof');
      equal(await code(s.openAppend('a.aof')), 'LOCKED', 'code of a second openAppend');
      await f.close();
      const g = await s.openAppend('a.aof');
      await g.close();
      await s.close();
    },
  },
  {
    name: 'fails every call after close with CLOSED',
    async run(target) {
      const s = await target.open();
      const f = await s.openAppend('a.aof');
      await f.close();
      equal(await code(() => f.write(bytes(1))), 'CLOSED', 'write() on a closed handle');
      await s.close();
      equal(await code(s.list()), 'CLOSED', 'list() after close');
      equal(await code(s.read('a.aof')), 'CLOSED', 'read() after close');
      equal(await code(s.writeAtomic('b', bytes(1))), 'CLOSED', 'writeAtomic() after close');
      equal(await code(s.openAppend('a.aof')), 'CLOSED', 'openAppend() after close');
      equal(await code(s.remove('a.aof')), 'CLOSED', 'remove() after close');
    },
  },
  {
    name: 'keeps flushed appends and finished atomic writes through a crash',
    needs: 'crash',
    async run(target) {
      const s = await target.open();
      await s.writeAtomic('appendonly.aof.manifest', text('v1'));
      const f = await s.openAppend('log.aof');
      f.write(text('flushed;'));
      await f.flush();
      f.write(text('not flushed'));
      const after = await target.crash!();
      const log = await after.read('log.aof');
      ok(log !== undefined, 'log.aof is missing after the crash');
      // A prefix of everything written, holding at least everything flushed.
      const all = text('flushed;not flushed');
      ok(log!.length >= 8, `log.aof lost flushed bytes: ${show(log)}`);
      equal(log, all.slice(0, log!.length), 'log.aof after the crash (a prefix of what was written)');
      equal(await after.read('appendonly.aof.manifest'), text('v1'), 'the manifest after the crash');
      await after.close();
    },
  },
];
