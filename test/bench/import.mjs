// import() against a load: the same dump.rdb (BENCH_KEYS keys × BENCH_VALUE_SIZE random bytes,
// written by Larder's exportRdb) loaded into a fresh engine (what a start does), and imported into
// a live engine with AOF on over @larder/node's file storage (appendfsync everysec), which writes
// it as the next AOF base. While importing, a 1 ms timer records the longest gap between its
// ticks: how long the engine went without a turn for anyone else. Median of BENCH_RUNS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, setLatin1Decoder } from '@larder/core';
import { attachPersistence, loadRdb } from '@larder/core/persistence';
import { exportRdb, importDataset } from '@larder/core/transfer';
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

async function load() {
  const e = createEngine({ activeExpire: false });
  const t0 = performance.now();
  await loadRdb(e, (async function* () {
    yield dump;
  })());
  const ms = performance.now() - t0;
  e.close();
  return ms;
}

async function importInto() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-import-'));
  const storage = await createNodeStorage(dir);
  const e = createEngine({ activeExpire: false, config: { appendonly: 'yes', appendfsync: 'everysec', save: '' } });
  const p = await attachPersistence(e, storage);
  const w = e.connect();
  for (let i = 0; i < 1000; i++) w.exec(['SET', `old:${i}`, 'x']);
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    gap = Math.max(gap, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  const n = await importDataset(e, dump);
  const ms = performance.now() - t0;
  clearInterval(tick);
  gap = Math.max(gap, performance.now() - last);
  if (n !== KEYS) throw new Error(`imported ${n} keys, expected ${KEYS}`);
  await p.close();
  e.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, gap };
}

const loads = [];
const imports = [];
for (let r = 0; r < RUNS; r++) {
  loads.push(await load());
  imports.push(await importInto());
}
const loadMs = median(loads);
const importMs = median(imports.map((x) => x.ms));
console.log(`### import() against a load — \`npm run bench -- import\`\n`);
console.log(table(
  ['dump.rdb', 'load into a fresh engine', 'import() into a live engine (AOF on, base written)', 'import ÷ load', 'longest gap between 1 ms ticks during import()'],
  [[`${fmt(KEYS)} keys × ${SIZE} B, ${(dump.length / 1e6).toFixed(1)} MB`, `${(loadMs / 1000).toFixed(2)} s`, `${(importMs / 1000).toFixed(2)} s`, `${(importMs / loadMs).toFixed(2)}×`, `${median(imports.map((x) => x.gap)).toFixed(1)} ms (max ${Math.max(...imports.map((x) => x.gap)).toFixed(1)})`]],
));
