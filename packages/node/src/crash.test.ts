/**
 * Crash tests with real processes: a child writes through the node storage and is killed with
 * SIGKILL at a moment fast-check picks. A kill loses the process, not the kernel, so this checks
 * what the process controls: a flush resolves only once its bytes are in the file, appends land
 * in order with nothing torn but the tail, and an atomic replace shows the old file or the new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeStorage } from './storage.ts';
import { recordsStream, snapshot, snapshotVersion } from '../test-support/records.ts';

const support = (file: string): string => fileURLToPath(new URL(`../test-support/${file}`, import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'larder-node-crash-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(base, `d${++dirs}`);

interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching. */
  waitFor(re: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

function child(script: string, ...args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', support('register.mjs'), support(script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: Array<[RegExp, (line: string) => void]> = [];
  let partial = '';
  proc.stdout!.setEncoding('latin1');
  proc.stdout!.on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const [re, resolve] of waiters) if (re.test(line)) resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => re.test(l));
        if (seen !== undefined) return resolve(seen);
        waiters.push([re, resolve]);
        void exited.then(() => reject(new Error(`child exited without printing ${re}: ${lines.join(' | ')}`)));
      }),
  };
}

async function killAfter(c: Child, ms: number): Promise<void> {
  await c.waitFor(/^ready$/);
  await new Promise((r) => setTimeout(r, ms));
  c.proc.kill('SIGKILL');
  await c.exited;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

describe('node storage under SIGKILL', () => {
  // The first child transpiles the sources into the loader's cache; later ones start fast.
  beforeAll(async () => {
    const c = child('lock-child.ts', freshDir());
    await c.waitFor(/^locked/);
    c.proc.stdin!.end();
    await c.exited;
  }, 60_000);

  it('keeps every flushed append, and the log is a prefix of what was written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 2 ** 31 }), async (delay, seed) => {
        const dir = freshDir();
        const c = child('append-child.ts', dir, String(seed));
        await killAfter(c, delay);
        const flushed = Math.max(0, ...c.lines.filter((l) => l.startsWith('flushed ')).map((l) => Number(l.slice(8))));
        // Reopening takes over the dead child's lock.
        const s = await createNodeStorage(dir);
        const log = (await s.read('log.aof')) ?? new Uint8Array(0);
        await s.close();
        expect(log.length).toBeGreaterThanOrEqual(flushed);
        expect(sameBytes(log, recordsStream(log.length).subarray(0, log.length))).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('leaves the old snapshot or the new one, never a mix', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 400 }), async (delay) => {
        const dir = freshDir();
        const first = await createNodeStorage(dir);
        await first.writeAtomic('dump.rdb', snapshot(1));
        await first.close();
        const c = child('atomic-child.ts', dir, '2');
        await killAfter(c, delay);
        const done = Math.max(1, ...c.lines.filter((l) => l.startsWith('done ')).map((l) => Number(l.slice(5))));
        const s = await createNodeStorage(dir);
        const version = snapshotVersion((await s.read('dump.rdb'))!);
        // The last finished version, or the one being written if its rename got through.
        expect([done, done + 1]).toContain(version);
        // A temporary the kill left behind is gone after reopening.
        expect(await s.list()).toEqual(['dump.rdb']);
        await s.close();
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('node storage lock across processes', () => {
  it('refuses a directory another process holds, naming its pid, until that process dies', async () => {
    const dir = freshDir();
    const holder = child('lock-child.ts', dir);
    const pid = Number((await holder.waitFor(/^locked /)).slice(7));
    expect(pid).toBe(holder.proc.pid);
    const refusal = createNodeStorage(dir);
    await expect(refusal).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(refusal).rejects.toThrow(`locked by pid ${pid}`);
    holder.proc.kill('SIGKILL');
    await holder.exited;
    const s = await createNodeStorage(dir);
    await s.close();
  }, 30_000);

  it('makes a second process fail with LOCKED while this one holds the directory', async () => {
    const dir = freshDir();
    const s = await createNodeStorage(dir);
    const other = child('lock-child.ts', dir);
    expect(await other.exited).toBe(3);
    expect(other.lines[0]).toMatch(new RegExp(`^refused LOCKED .*locked by pid ${process.pid}`));
    await s.close();
    // Released on close: the other process gets it now, and releases it on a clean exit.
    const next = child('lock-child.ts', dir);
    await next.waitFor(/^locked /);
    next.proc.stdin!.end();
    expect(await next.exited).toBe(0);
    const again = await createNodeStorage(dir);
    await again.close();
  }, 30_000);
});
