// The browser benchmark's probe worker: the package's real host (worker/host.ts, exactly what
// `@larder/browser/worker` exposes) with its `exec` timed from the inside, plus calls that cost
// nothing, so that a page → worker call's time can be split into comlink and structured clone,
// the worker's own work (engine, durability barrier, OPFS write), and the page client's share.
// The page opens Larder on this worker as on the shipped one and wraps it a second time with
// comlink to reach `stats`/`echo`/`fakeExec` (comlink matches replies by id).
import { expose } from 'comlink';
import { createEngine } from '@larder/core';
import { attachPersistence } from '@larder/core/persistence';
import { createBrowserStorage } from '@larder/browser/storage';
import { createHost } from '../../packages/browser/src/worker/host.ts';
import { commandCount } from '../../packages/browser/src/protocol.ts';
import { createMemoryStorage } from '../../packages/core/src/storage/memory.ts';

const host = createHost();
const fresh = () => ({ calls: 0, commands: 0, ms: 0, maxBatch: 0, writes: 0, writeMs: 0, writeBytes: 0, flushes: 0, flushMs: 0 });
let stats = fresh();

// OPFS's own calls, counted and timed where the storage makes them (the prototype the sync
// access handles share), so the cost of the log shows apart from the engine's.
const proto = globalThis.FileSystemSyncAccessHandle?.prototype;
if (proto) {
  const write = proto.write;
  const flush = proto.flush;
  proto.write = function (buf, opts) {
    const t0 = performance.now();
    try {
      return write.call(this, buf, opts);
    } finally {
      stats.writeMs += performance.now() - t0;
      stats.writes++;
      stats.writeBytes += buf.byteLength;
    }
  };
  proto.flush = function () {
    const t0 = performance.now();
    try {
      return flush.call(this);
    } finally {
      stats.flushMs += performance.now() - t0;
      stats.flushes++;
    }
  };
}
const OK = { s: 'OK' };

expose({
  ...host,
  async exec(conn, batch) {
    const t0 = performance.now();
    try {
      return await host.exec(conn, batch);
    } finally {
      stats.ms += performance.now() - t0;
      stats.calls++;
      stats.commands += commandCount(batch);
      stats.maxBatch = Math.max(stats.maxBatch, commandCount(batch));
    }
  },
  /** Inside-the-worker time spent in exec since the last call (and the batch shape it saw). */
  takeStats() {
    const s = stats;
    stats = fresh();
    return s;
  },
  /** A comlink round trip that does nothing: the floor of an awaited call. */
  echo: (x) => x,
  /** A batch carried both ways like exec's, answered with SET's reply and no engine at all. */
  fakeExec: (_conn, batch) => new Array(commandCount(batch)).fill(OK),
  /** The engine alone in this worker (no persistence, no messages): SETs per second, synchronously. */
  engineOnly(n, value) {
    const engine = createEngine({ config: { appendonly: 'no', save: '' } });
    const c = engine.connect({ addr: 'probe', laddr: 'probe' });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) c.exec(['SET', `key:${i % 10000}`, value]);
    const ms = performance.now() - t0;
    engine.close();
    return (n / ms) * 1000;
  },
  /**
   * A closed store's restore split in two: reading every file from OPFS and IndexedDB (timed per
   * file), then the same load as the owner's (attachPersistence) from an in-memory copy, so that
   * what remains is the engine's own work (RDB decoding, replay of the tail).
   */
  async restoreSplit(name, config) {
    const storage = await createBrowserStorage({ name });
    const files = new Map();
    const read = [];
    try {
      for (const f of await storage.list()) {
        const t0 = performance.now();
        const bytes = await storage.read(f);
        read.push({ name: f, size: bytes.length, ms: performance.now() - t0 });
        files.set(f, bytes);
      }
    } finally {
      await storage.close();
    }
    const engine = createEngine({ config: { appendonly: 'yes', save: '', ...config }, activeExpire: false });
    const lines = [];
    const t0 = performance.now();
    const p = await attachPersistence(engine, createMemoryStorage(files), { log: (l) => lines.push(l.message) });
    const loadMs = performance.now() - t0;
    const keys = engine.ks.dbs.reduce((n, db) => n + db.size, 0);
    await p.close();
    engine.close();
    return { read, loadMs, keys, log: lines.filter((l) => l.startsWith('DB loaded')) };
  },
});
