// import() and export() against a load: the same dump.rdb (BENCH_KEYS keys × BENCH_VALUE_SIZE
// random bytes from a seeded generator, written by Larder's exportRdb) loaded into a fresh engine
// (what a start does); that engine exported both ways (exportRdb in one step, exportDataset in
// snapshot slices as the packages' export() does); and the file imported into a live engine with
// AOF on over @larder/node's file storage (appendfsync everysec), which writes it as the next AOF
// base. During each, a 1 ms timer records the longest gap between its ticks: how long the engine
// went without a turn for anyone else. Median of BENCH_RUNS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, setLatin1Decoder } from '@larder/core';
import { attachPersistence, loadRdb } from '@larder/core/persistence';
import { exportDataset, exportRdb, importDataset } from '@larder/core/transfer';
import { createNodeStorage } from '@larder/node';
import { fmt, median, rng, table } from './lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_VALUE_SIZE ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

console.error(`building a dump.rdb of ${KEYS} keys × ${SIZE} random bytes ...`);
// Node's native latin1 conversion, as @larder/node installs it, for the load too.
const latin1Slice = Buffer.prototype.latin1Slice;
setLatin1Decoder((b, start, end) => latin1Slice.call(b, start, end));
const src = createEngine({ activeExpire: false });
const c = src.connect();
const bytes256 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
const random = rng(1);
for (let i = 0; i < KEYS; i++) {
  let v = '';
  for (let j = 0; j < SIZE; j++) v += bytes256[(random() * 256) | 0];
  c.exec(['SET', `key:${i}`, v]);
}
const dump = exportRdb(src);
src.close();

/** Runs `fn`, timing it and the longest gap between ticks of a 1 ms timer meanwhile (how long nothing else could run). */
async function timed(fn) {
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    gap = Math.max(gap, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(tick);
  return { value, ms, gap: Math.max(gap, performance.now() - last) };
}

async function load() {
  const e = createEngine({ activeExpire: false });
  const r = await timed(() => loadRdb(e, (async function* () {
    yield dump;
  })()));
  return { engine: e, ...r };
}

async function importInto() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-import-'));
  const storage = await createNodeStorage(dir);
  const e = createEngine({ activeExpire: false, config: { appendonly: 'yes', appendfsync: 'everysec', save: '' } });
  const p = await attachPersistence(e, storage);
  const w = e.connect();
  for (let i = 0; i < 1000; i++) w.exec(['SET', `old:${i}`, 'x']);
  const r = await timed(() => importDataset(e, dump));
  if (r.value !== KEYS) throw new Error(`imported ${r.value} keys, expected ${KEYS}`);
  await p.close();
  e.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const rows = { load: [], import: [], exportRdb: [], exportDataset: [] };
for (let r = 0; r < RUNS; r++) {
  const loaded = await load();
  rows.load.push(loaded);
  // The two exports of the loaded engine, side by side: one synchronous step, and slices.
  rows.exportRdb.push(await timed(() => exportRdb(loaded.engine)));
  rows.exportDataset.push(await timed(() => exportDataset(loaded.engine)));
  loaded.engine.close();
  rows.import.push(await importInto());
}
const ms = (xs) => median(xs.map((x) => x.ms));
const gaps = (xs) => `${median(xs.map((x) => x.gap)).toFixed(1)} ms (max ${Math.max(...xs.map((x) => x.gap)).toFixed(1)})`;
const s2 = (n) => `${(n / 1000).toFixed(2)} s`;
const file = `${fmt(KEYS)} keys × ${SIZE} B, ${(dump.length / 1e6).toFixed(1)} MB`;
console.log(`### import() and export() — \`npm run bench -- import\` (median of ${RUNS})\n`);
console.log(table(
  ['dump.rdb', 'operation', 'time', '÷ load', 'longest gap between 1 ms ticks'],
  [
    [file, 'load into a fresh engine (what a start does)', s2(ms(rows.load)), '1.00×', gaps(rows.load)],
    [file, 'importDataset into a live engine (AOF on, base written)', s2(ms(rows.import)), `${(ms(rows.import) / ms(rows.load)).toFixed(2)}×`, gaps(rows.import)],
    [file, 'exportRdb (one synchronous step)', s2(ms(rows.exportRdb)), `${(ms(rows.exportRdb) / ms(rows.load)).toFixed(2)}×`, gaps(rows.exportRdb)],
    [file, 'exportDataset (forkless snapshot in slices; export())', s2(ms(rows.exportDataset)), `${(ms(rows.exportDataset) / ms(rows.load)).toFixed(2)}×`, gaps(rows.exportDataset)],
  ],
));
