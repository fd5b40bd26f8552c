// The browser benchmark's restore part, page side (bundled into /bench.js with browser-page.mjs):
// builds the store (import of redis-server's dump.rdb, BGREWRITEAOF so that the RDB base lands in
// IndexedDB, an INCR tail in OPFS), opens it on a fresh page, shows where its files are, and asks
// the probe worker to split a restore into reading and loading.
import { wrap } from 'comlink';
import { openLarder } from '@larder/browser';

/** INFO persistence of a Larder, as an object. */
async function info(l) {
  const out = {};
  for (const line of String(await l.call('INFO', 'persistence')).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

const RESTORE_CONFIG = { 'auto-aof-rewrite-percentage': 0, 'aof-use-rdb-preamble': 'yes' };

/**
 * Builds the restore benchmark's store `name`: imports /dump.rdb (redis-server's), rewrites the
 * AOF so that its RDB base lands in IndexedDB, then appends `tail` (INCR keys) in batches with
 * appendfsync no, and closes. Returns the timings and what INFO persistence said.
 */
export async function restoreBuild(name, tail) {
  const t = {};
  let t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch('/dump.rdb')).arrayBuffer());
  t.fetchMs = performance.now() - t0;
  const l = await openLarder({ name, appendfsync: 'no', save: '', config: RESTORE_CONFIG, worker: () => new Worker('/worker.js', { type: 'module' }) });
  t0 = performance.now();
  t.imported = await l.import(bytes);
  t.importMs = performance.now() - t0;
  t0 = performance.now();
  await l.call('BGREWRITEAOF');
  for (;;) {
    const p = await info(l);
    if (p.aof_rewrite_in_progress === '0' && p.aof_rewrite_scheduled === '0') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.rewriteMs = performance.now() - t0;
  t.afterRewrite = await info(l);
  t0 = performance.now();
  for (let i = 0; i < tail.length; i += 1000) await Promise.all(tail.slice(i, i + 1000).map((k) => l.incr(k)));
  t.tailMs = performance.now() - t0;
  t.afterTail = await info(l);
  t.dbsize = await l.dbsize();
  await l.close();
  return t;
}

/** Time from openLarder() to ready for store `name` on this (fresh) page, then DBSIZE and close. */
export async function restoreOpen(name, workerUrl = '/worker.js') {
  const events = [];
  const t0 = performance.now();
  const l = await openLarder({
    name, appendfsync: 'no', save: '', config: RESTORE_CONFIG,
    worker: () => new Worker(workerUrl, { type: 'module' }),
    onEvent: (e) => events.push([Math.round(performance.now() - t0), e.type]),
  });
  const ms = performance.now() - t0;
  const dbsize = await l.dbsize();
  const persistence = await info(l);
  await l.close();
  return { ms, dbsize, role: l.info.role, storage: l.info.storage, events: events.filter((e) => e[1] !== 'loading'), loadingEvents: events.length, persistence };
}

/** The probe worker's split of a restore (browser-probe.worker.mjs `restoreSplit`); the store must be closed. */
export async function restoreSplit(name) {
  const w = new Worker('/probe.js', { type: 'module' });
  try {
    return await wrap(w).restoreSplit(name, Object.fromEntries(Object.entries(RESTORE_CONFIG).map(([k, v]) => [k, String(v)])));
  } finally {
    w.terminate();
  }
}

/** What store `name` holds and where: IndexedDB file records and OPFS files (call while closed). */
export async function layout(name) {
  const idb = await new Promise((resolve, reject) => {
    const req = indexedDB.open(`larder:${name}`);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const all = db.transaction('files').objectStore('files').getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result.map((r) => ({ name: r.name, size: r.size, chunks: r.lengths.length })));
      };
      all.onerror = () => reject(all.error);
    };
  });
  const opfs = [];
  const walk = async (dir, prefix) => {
    for await (const [n, h] of dir.entries()) {
      if (h.kind === 'directory') await walk(h, `${prefix}${n}/`);
      else opfs.push({ name: `${prefix}${n}`, size: (await h.getFile()).size });
    }
  };
  const root = await navigator.storage.getDirectory();
  await walk(await (await root.getDirectoryHandle('larder')).getDirectoryHandle(name), '');
  return { idb, opfs };
}
