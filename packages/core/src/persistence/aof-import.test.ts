/**
 * The import's AOF switch (aof-import.ts): writes made while the manifest switches are held and
 * then precede the import; a failed switch changes nothing; the job slot is shared with BGSAVE and
 * BGREWRITEAOF; and, over random interleavings with a slow storage, a crash at any moment recovers
 * a state some prefix of the history explains, holding every acknowledged write.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import type { Storage } from '../storage/storage.ts';
import { exportRdb, importDataset } from '../transfer/index.ts';
import { attachPersistence } from './index.ts';
import { infoString } from '../engine/info.ts';
import { AOFRW_IN_PROGRESS } from '../reply/errors.ts';
import { Status } from '../reply/reply.ts';

function engine(config: Record<string, string> = {}): Engine {
  return createEngine({ activeExpire: false, config: { appendonly: 'yes', appendfsync: 'always', ...config } });
}

/** A dump.rdb holding `imported` = yes and the list seq = [I]. */
function importedDump(): Uint8Array {
  const src = createEngine({ activeExpire: false });
  const c = src.connect();
  c.exec(['SET', 'imported', 'yes']);
  c.exec(['RPUSH', 'seq', 'I']);
  const bytes = exportRdb(src);
  src.close();
  return bytes;
}

/**
 * `storage` whose next write of a file matching `pattern` (after `arm()`) waits for `release()`
 * or fails with `fail()`; `reached` resolves when it starts waiting.
 */
function gated(storage: MemoryStorage, pattern: RegExp) {
  let armed = false;
  let reachedGate!: () => void;
  const reached = new Promise<void>((r) => (reachedGate = r));
  let settle!: (error?: Error) => void;
  const gate = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  let openFiles = 0;
  const wrapped: Storage = {
    ...storage,
    async openAppend(name) {
      const f = await storage.openAppend(name);
      openFiles++;
      return { ...f, get size() { return f.size; }, write: (b) => f.write(b), close: () => (openFiles--, f.close()) };
    },
    async writeAtomic(name, data) {
      if (armed && pattern.test(name)) {
        armed = false;
        reachedGate();
        await gate;
      }
      return storage.writeAtomic(name, data);
    },
  };
  return {
    storage: wrapped, arm: () => (armed = true), reached, release: () => settle(), fail: (e: Error) => settle(e),
    /** Append handles opened and not closed. */
    openFiles: () => openFiles,
  };
}

/** `storage` with a random delay (0-1 ms, or none) before each asynchronous operation, files included. */
function slow(storage: MemoryStorage, random: () => number): Storage {
  const pause = async (): Promise<void> => {
    const r = random();
    if (r < 0.3) return;
    await new Promise((resolve) => setTimeout(resolve, r < 0.8 ? 0 : 1));
  };
  return {
    ...storage,
    async writeAtomic(name, data) {
      await pause();
      return storage.writeAtomic(name, data);
    },
    async openAppend(name) {
      await pause();
      const f = await storage.openAppend(name);
      return {
        get size() {
          return f.size;
        },
        write: (b) => f.write(b),
        flush: async () => (await pause(), f.flush()),
        truncate: async (n) => (await pause(), f.truncate(n)),
        close: async () => (await pause(), f.close()),
      };
    },
    async remove(name) {
      await pause();
      return storage.remove(name);
    },
  };
}

const run = (c: Client, argv: string[]): unknown => c.exec(argv);

/** An engine with AOF over a memory storage whose writes of files matching `gate` can be held (gated, armed). */
async function gatedEngine(gate: RegExp, config: Record<string, string> = {}) {
  const storage = createMemoryStorage();
  const g = gated(storage, gate);
  const e = engine(config);
  const p = await attachPersistence(e, g.storage);
  g.arm();
  return { storage, g, e, p, c: e.connect() };
}

/** What a fresh engine opening `files` (a storage, or what a crash left of one) finds: `argv`'s reply for each. */
async function reopened(files: Storage, ...queries: string[][]): Promise<unknown[]> {
  const back = engine();
  const p = await attachPersistence(back, files);
  const c = back.connect();
  const replies = queries.map((argv) => {
    const r = c.exec(argv);
    return argv[0] === 'KEYS' ? (r as string[]).sort() : r;
  });
  await p.close();
  back.close();
  return replies;
}
const list = (e: Engine, key: string): unknown => e.connect().exec(['LRANGE', key, '0', '-1']);

describe('the import switch', () => {
  it('holds writes made while the manifest switches, which then precede the import', async () => {
    const { storage, g, e, p, c } = await gatedEngine(/manifest$/, { appendfsync: 'everysec' });
    run(c, ['SET', 'before', '1']);
    await e.sync(false, c);

    const importing = importDataset(e, importedDump());
    await g.reached;
    // The cut is made: this write runs on the old dataset, and is not acknowledged yet.
    expect(run(c, ['SET', 'during', '1'])).toBeDefined();
    let acked = false;
    const barrier = e.sync(false, c)!.then(() => (acked = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(acked).toBe(false);
    expect(run(c, ['GET', 'imported'])).toBe(null);

    g.release();
    expect(await importing).toBe(2);
    await barrier;
    // It ran before the import, which replaced everything.
    expect(run(c, ['GET', 'during'])).toBe(null);
    run(c, ['SET', 'after', '1']);
    await e.sync(false, c);
    await p.close();

    expect(await reopened(storage, ['KEYS', '*'])).toEqual([['after', 'imported', 'seq']]);
    e.close();
  });

  it('changes nothing when the manifest cannot be switched: the writes made meanwhile reach the old incr', async () => {
    const { storage, g, e, p, c } = await gatedEngine(/manifest$/);
    run(c, ['SET', 'before', '1']);
    await e.sync(false, c);
    const before = await storage.list();

    const importing = importDataset(e, importedDump());
    await g.reached;
    run(c, ['SET', 'during', '1']);
    const barrier = e.sync(false, c);
    g.fail(new Error('disk on fire'));
    await expect(importing).rejects.toThrow(/^cannot import: the AOF could not take the new dataset: disk on fire$/);
    await barrier;
    expect(run(c, ['MGET', 'before', 'during', 'imported'])).toEqual(['1', '1', null]);
    // The unlisted base and incr are gone.
    expect((await storage.list()).sort()).toEqual(before.sort());

    expect(await reopened(storage.crash(), ['MGET', 'before', 'during', 'imported'])).toEqual([['1', '1', null]]);
    await p.close();
    e.close();
  });

  it('waits for a running rewrite, shows as one in INFO, and keeps BGREWRITEAOF out meanwhile', async () => {
    // The rewrite writes base 2; the import, after it, base 3.
    const { storage, g, e, p, c } = await gatedEngine(/aof\.3\.base/);
    for (let i = 0; i < 2000; i++) run(c, ['SET', `k${i}`, 'x'.repeat(50)]);
    expect(run(c, ['BGREWRITEAOF'])).toEqual(new Status('Background append only file rewriting started'));
    const importing = importDataset(e, importedDump());
    await g.reached;
    expect(infoString(e, ['persistence'])).toMatch(/aof_rewrite_in_progress:1/);
    expect(infoString(e, ['persistence'])).toMatch(/aof_rewrites:1\r/);
    expect(run(c, ['BGREWRITEAOF'])).toEqual(AOFRW_IN_PROGRESS);
    g.release();
    expect(await importing).toBe(2);
    expect(infoString(e, ['persistence'])).toMatch(/aof_rewrite_in_progress:0/);
    await p.close();
    expect(await reopened(storage.crash(), ['KEYS', '*'])).toEqual([['imported', 'seq']]);
    e.close();
  });

  it('rejects, changing nothing, when AOF is turned off meanwhile', async () => {
    const { g, e, p, c } = await gatedEngine(/base/);
    run(c, ['SET', 'keep', '1']);
    const importing = importDataset(e, importedDump());
    await g.reached;
    run(c, ['CONFIG', 'SET', 'appendonly', 'no']);
    g.release();
    await expect(importing).rejects.toThrow(/the import was interrupted: the AOF was turned off or the store closed/);
    expect(run(c, ['DBSIZE'])).toBe(1);
    await p.close();
    e.close();
  });

  it('leaves the imported keys to every later snapshot (its epochs are not ahead of the engine\'s)', async () => {
    const storage = createMemoryStorage();
    const first = engine();
    await (await attachPersistence(first, storage)).close();
    first.close();
    // Reopened: no snapshot has run in this engine, while the import's base is a snapshot of its own.
    const e = engine();
    const p = await attachPersistence(e, storage);
    expect(await importDataset(e, importedDump())).toBe(2);
    const c = e.connect();
    run(c, ['SET', 'after', '1']);
    await e.sync(false, c);
    expect(run(c, ['BGREWRITEAOF'])).toEqual(new Status('Background append only file rewriting started'));
    await p.aof.rewriting;
    await p.close();
    expect(await reopened(storage.crash(), ['KEYS', '*'])).toEqual([['after', 'imported', 'seq']]);
    e.close();
  });

  it('completes a switch AOF was turned off during, and closes its files', async () => {
    const { g, e, p, c } = await gatedEngine(/manifest$/);
    const importing = importDataset(e, importedDump());
    await g.reached;
    run(c, ['CONFIG', 'SET', 'appendonly', 'no']);
    g.release();
    expect(await importing).toBe(2);
    expect(run(c, ['GET', 'imported'])).toBe('yes');
    await new Promise((r) => setTimeout(r, 5));
    expect(g.openFiles()).toBe(0);
    await p.close();
    e.close();
  });

  it('completes a switch the store was closed during, leaving no file open', async () => {
    const { storage, g, e, p, c } = await gatedEngine(/manifest$/);
    run(c, ['SET', 'old', '1']);
    const importing = importDataset(e, importedDump());
    await g.reached;
    const closing = p.close();
    g.release();
    expect(await importing).toBe(2);
    await closing;
    expect(g.openFiles()).toBe(0);
    expect(await reopened(storage, ['KEYS', '*'])).toEqual([['imported', 'seq']]);
    e.close();
  });
});

describe('a crash at any moment of an import under writes (appendfsync always)', () => {
  it('recovers the history before the import, or the import and what followed, with every acknowledged write', async () => {
    const dump = importedDump();
    const seen = { imported: 0, before: 0, ackedAfterSwap: 0 };
    for (let trial = 0; trial < 80; trial++) {
      let seed = 1 + trial * 7919;
      const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
      const storage = createMemoryStorage();
      const e = engine();
      const p = await attachPersistence(e, slow(storage, random));
      const c = e.connect();
      const importAt = 1 + Math.floor(random() * 10);
      const crashAfterMs = random() * 25;
      let importAcked = false;
      /** Pushes acknowledged, and whether each ran after the swap. */
      const acked: number[] = [];
      const afterSwap = new Set<number>();
      let crashed: MemoryStorage | undefined;
      let crashedAcked: number[] = [];
      let crashedImportAcked = false;
      const crash = setTimeout(() => {
        crashed = storage.crash();
        crashedAcked = [...acked];
        crashedImportAcked = importAcked;
      }, crashAfterMs);
      let importing: Promise<unknown> | undefined;
      // Pipelines of 1-4 pushes, each acknowledged by one barrier, so that several can run in the
      // moments an import's switch takes.
      for (let i = 1; crashed === undefined && i < 400; ) {
        const batch: number[] = [];
        for (let n = 1 + Math.floor(random() * 4); n > 0; n--, i++) {
          if (i === importAt) importing = importDataset(e, dump).then(() => (importAcked = true));
          run(c, ['RPUSH', 'seq', String(i)]);
          if (e.ks.dbs[0]!.keys.has('imported')) afterSwap.add(i);
          batch.push(i);
        }
        await e.sync(false, c);
        acked.push(...batch);
      }
      clearTimeout(crash);
      await importing?.catch(() => {});
      crashed ??= storage.crash();
      await p.close();
      e.close();

      const back = engine();
      const p2 = await attachPersistence(back, crashed);
      const imported = back.connect().exec(['GET', 'imported']) === 'yes';
      const seq = list(back, 'seq') as string[];
      const context = `trial ${trial}: import at ${importAt}, crash after ${crashAfterMs.toFixed(1)} ms, seq ${seq.join(',')}`;
      if (crashedImportAcked) expect(imported, context).toBe(true);
      seen[imported ? 'imported' : 'before']++;
      if (crashedAcked.some((n) => afterSwap.has(n))) seen.ackedAfterSwap++;
      if (imported) {
        // The import, then a contiguous run of the pushes made after it.
        expect(seq[0], context).toBe('I');
        const after = seq.slice(1).map(Number);
        if (after.length > 0) expect(after[0], context).toBe(Math.min(...afterSwap));
        after.forEach((n, j) => expect(afterSwap.has(n) && (j === 0 || n === after[j - 1]! + 1), context).toBe(true));
        for (const n of crashedAcked) if (afterSwap.has(n)) expect(after, context).toContain(n);
      } else {
        // Nothing of the import, nor of what followed it, and a prefix of the pushes.
        seq.forEach((n, j) => expect(n, context).toBe(String(j + 1)));
        for (const n of crashedAcked) expect(afterSwap.has(n), context).toBe(false);
        expect(seq.length, context).toBeGreaterThanOrEqual(crashedAcked.length);
      }
      await p2.close();
      back.close();
    }
    console.log(`import crash trials: ${JSON.stringify(seen)}`);
    // The trials cover both outcomes, and crashes after writes the import's switch held.
    expect(seen.imported).toBeGreaterThan(8);
    expect(seen.before).toBeGreaterThan(8);
    expect(seen.ackedAfterSwap).toBeGreaterThan(8);
  });
});
