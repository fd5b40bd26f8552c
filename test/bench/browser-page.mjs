// The browser benchmark's page script (bundled by esbuild, served as /bench.js): Larder's page
// client on the package's worker (/worker.js) or the probe worker (/probe.js), and the IndexedDB
// peers a PWA would otherwise use (idb-keyval, localForage, Dexie), all behind one small adapter so
// that every store does the same writes and reads. Timing runs here, in the page, with
// performance.now(): nothing crosses the DevTools connection while a measurement runs.
import { wrap } from 'comlink';
import Dexie from 'dexie';
import { createStore, get as kvGet, getMany as kvGetMany, set as kvSet, setMany as kvSetMany } from 'idb-keyval';
import localforage from 'localforage';
import { openLarder } from '@larder/browser';
import { createClient, fromWire } from '@larder/core/client';
import { batchingTransport } from '../../packages/browser/src/client/transport.ts';
import { commandCount, pushCommand } from '../../packages/browser/src/protocol.ts';
import { layout, restoreBuild, restoreOpen, restoreSplit } from './browser-page-restore.mjs';

/** One 100-byte value (printable, so every store keeps it as the same string). */
const VALUE = Array.from({ length: 100 }, (_, i) => String.fromCharCode(33 + ((i * 37) % 90))).join('');
const KEYSPACE = 10_000;
const key = (i) => `key:${i % KEYSPACE}`;

/** name → { set(i), get(i), batch(op, from, n) }: `batch` is each store's way to send n at once. */
const stores = {};
const larders = {};
/** policy → the probe worker's Larder, its second comlink wrap and an adapter (see browser-probe.worker.mjs). */
const probes = {};

function larderAdapter(l) {
  return {
    set: (i) => l.set(key(i), VALUE),
    get: (i) => l.get(key(i)),
    batch(op, from, n) {
      const p = l.pipeline();
      for (let i = from; i < from + n; i++) (op === 'set' ? p.set(key(i), VALUE) : p.get(key(i)));
      return p.exec();
    },
  };
}

const each = (fn) => (op, from, n) => Promise.all(Array.from({ length: n }, (_, j) => fn(op, from + j)));

async function setup({ policies, probePolicies = [] }) {
  for (const policy of policies) {
    const l = await openLarder({ name: `bench-${policy}`, appendfsync: policy, save: '', worker: () => new Worker('/worker.js', { type: 'module' }) });
    larders[policy] = l;
    stores[`Larder (${policy})`] = larderAdapter(l);
  }
  for (const policy of probePolicies) {
    const w = new Worker('/probe.js', { type: 'module' });
    const l = await openLarder({ name: `bench-probe-${policy}`, appendfsync: policy, save: '', worker: w });
    probes[policy] = { larder: l, api: wrap(w), adapter: larderAdapter(l) };
  }
  const kv = createStore('bench-idb-keyval', 'kv');
  stores['idb-keyval'] = {
    set: (i) => kvSet(key(i), VALUE, kv),
    get: (i) => kvGet(key(i), kv),
    // setMany/getMany: one transaction for the lot, idb-keyval's own batch API.
    batch: (op, from, n) => {
      const keys = Array.from({ length: n }, (_, j) => key(from + j));
      return op === 'set' ? kvSetMany(keys.map((k) => [k, VALUE]), kv) : kvGetMany(keys, kv);
    },
  };
  const lf = localforage.createInstance({ name: 'bench-localforage', storeName: 'kv' });
  await lf.ready();
  const lfOne = (op, i) => (op === 'set' ? lf.setItem(key(i), VALUE) : lf.getItem(key(i)));
  stores.localForage = { set: (i) => lfOne('set', i), get: (i) => lfOne('get', i), batch: each(lfOne) };
  const db = new Dexie('bench-dexie');
  db.version(1).stores({ kv: '' });
  await db.open();
  stores.Dexie = {
    set: (i) => db.kv.put(VALUE, key(i)),
    get: (i) => db.kv.get(key(i)),
    // bulkPut/bulkGet: one transaction for the lot, Dexie's own batch API.
    batch: (op, from, n) => {
      const keys = Array.from({ length: n }, (_, j) => key(from + j));
      return op === 'set' ? db.kv.bulkPut(keys.map(() => VALUE), keys) : db.kv.bulkGet(keys);
    },
  };
  return Object.keys(stores);
}

const storeOf = (name) => (name.startsWith('probe-') ? probes[name.slice(6)].adapter : stores[name]);

/**
 * ops/s of one store doing `op` ('set' | 'get') in one `mode`:
 * - awaited: one call at a time, each awaited, up to maxOps or budgetMs;
 * - inflight: n calls issued without awaiting, then all awaited;
 * - batch: groups of `size` sent at once (Larder's pipeline, the peers' bulk API or Promise.all),
 *   each group awaited, up to maxOps or budgetMs.
 */
async function measure(name, op, mode, { n = 10_000, size = 100, maxOps = 200_000, budgetMs = 1500 } = {}) {
  const s = storeOf(name);
  const t0 = performance.now();
  let done = 0;
  if (mode === 'inflight') {
    const calls = new Array(n);
    for (let i = 0; i < n; i++) calls[i] = s[op](i);
    await Promise.all(calls);
    done = n;
  } else if (mode === 'awaited') {
    while (done < maxOps && performance.now() - t0 < budgetMs) {
      for (const end = done + 32; done < end; done++) await s[op](done);
    }
  } else {
    while (done < maxOps && performance.now() - t0 < budgetMs) {
      await s.batch(op, done, size);
      done += size;
    }
  }
  return (done / (performance.now() - t0)) * 1000;
}

/** Every store holds every key, and reads give back what was written. */
async function check(name) {
  const s = storeOf(name);
  await s.batch('set', 0, KEYSPACE);
  const v = await s.get(KEYSPACE - 1);
  if (v !== VALUE) throw new Error(`${name}: read back ${JSON.stringify(v)?.slice(0, 40)}`);
}

/**
 * Where a probe call's time goes: `fn` runs `calls` times (awaited or all in flight) after the
 * worker's counters are reset; returns the page-side elapsed ms and the worker's counters.
 */
async function split(kind, { policy = 'no', calls = 2000, n = 10_000 } = {}) {
  if (kind === 'client-only' || kind === 'client-batching') return clientOnly(kind, n);
  const { api, larder: l } = probes[policy];
  const batch = [];
  for (let i = 0; i < n; i++) pushCommand(batch, ['SET', key(i), VALUE]);
  const conn = await api.connect(undefined);
  // Warm the message path up (the first calls of a round pay for JIT and scheduling).
  for (let i = 0; i < 200; i++) await api.echo(i);
  await api.takeStats();
  const t0 = performance.now();
  let ops = calls;
  if (kind === 'echo') for (let i = 0; i < calls; i++) await api.echo(i);
  else if (kind === 'awaited-set') for (let i = 0; i < calls; i++) await l.set(key(i), VALUE);
  else if (kind === 'awaited-get') for (let i = 0; i < calls; i++) await l.get(key(i));
  else if (kind === 'fake-exec-1') for (let i = 0; i < calls; i++) await api.fakeExec(conn, [3, 'SET', key(i), VALUE]);
  else if (kind === 'inflight-set') {
    ops = n;
    await Promise.all(Array.from({ length: n }, (_, i) => l.set(key(i), VALUE)));
  } else if (kind === 'inflight-get') {
    ops = n;
    await Promise.all(Array.from({ length: n }, (_, i) => l.get(key(i))));
  } else if (kind === 'fake-exec-n') {
    ops = n;
    await api.fakeExec(conn, batch);
  } else if (kind === 'engine-only') {
    return { opsPerSec: await api.engineOnly(200_000, VALUE) };
  }
  const ms = performance.now() - t0;
  await api.disconnect(conn);
  return { ops, ms, opsPerSec: (ops / ms) * 1000, worker: await api.takeStats() };
}

/**
 * The page client's own share of n calls in flight, with no worker: the typed client over a
 * transport that answers at once ('client-only'), and over the package's per-tick batching
 * transport talking to an in-page fake of the host's exec ('client-batching').
 */
async function clientOnly(kind, n) {
  const OK = { s: 'OK' };
  const transport = kind === 'client-only'
    ? { send: () => Promise.resolve(fromWire(OK)) }
    : batchingTransport({ exec: async (_conn, batch) => new Array(commandCount(batch)).fill(OK) }, Promise.resolve('fake'));
  const c = createClient(transport);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => c.set(key(i), VALUE)));
  const ms = performance.now() - t0;
  return { ops: n, ms, opsPerSec: (n / ms) * 1000, worker: { calls: 0 } };
}

async function closeAll() {
  for (const l of Object.values(larders)) await l.close();
  for (const p of Object.values(probes)) await p.larder.close();
}

/** 'owner' or 'follower': whether this tab's worker holds the store of `policy` or forwards to the tab that does. */
const role = (policy) => larders[policy].info.role;

globalThis.bench = { setup, measure, check, role, split, restoreBuild, restoreOpen, restoreSplit, layout, closeAll };
globalThis.benchReady = true;
