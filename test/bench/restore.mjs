// Restore time: redis-server's startup load of a dataset against Larder's load of the same files.
// redis-server's time is the one it logs ("DB loaded from disk: X seconds"); Larder's is the time
// of attachPersistence() (the @larder/core/persistence load over @larder/node's file storage) in a
// fresh Node process, so neither includes process start-up. Process start → PING is shown too.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, table } from './lib.mjs';
import { appendonlyOn, cli, larderOn, populateRandom, redisLoadSeconds, redisOn, tempDir } from './persist-lib.mjs';

if (process.argv[2] === '--load') {
  // Child mode: load argv[3] (appendonly argv[4]) and print ms and key count as JSON.
  const { createEngine } = await import('@larder/core');
  const { attachPersistence } = await import('@larder/core/persistence');
  const { createNodeStorage } = await import('@larder/node');
  const engine = createEngine({ config: { dir: process.argv[3], appendonly: process.argv[4], save: '' }, activeExpire: false });
  const storage = await createNodeStorage(process.argv[3]);
  const t0 = performance.now();
  const p = await attachPersistence(engine, storage);
  const ms = performance.now() - t0;
  const c = engine.connect({ addr: 'bench', laddr: 'bench' });
  const keys = await c.exec(['DBSIZE']);
  process.stdout.write(JSON.stringify({ ms, keys: Number(keys), source: p.loaded.source }));
  process.exit(0);
}

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_VALUE_SIZE ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TAIL = Number(process.env.BENCH_AOF_TAIL ?? 100_000);
const self = new URL(import.meta.url).pathname;

function larderLoad(dir, appendonly) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', self, '--load', dir, appendonly], { stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString());
}

const cleanup = [];
const work = (tag) => {
  const d = tempDir(tag);
  cleanup.push(d);
  return d;
};
/** A fresh copy of `files` (names in `src`) in a new dir, so no run sees another's leftovers. */
function copyOf(src, files) {
  const d = work('copy');
  for (const f of files) cpSync(join(src, f), join(d, f), { recursive: true });
  return d;
}

/** Builds one dump.rdb in redis-server; returns its dir. */
async function redisDataset(kind) {
  const dir = work(`rdb-${kind}`);
  const r = await redisOn(dir, ['--enable-debug-command', 'yes']);
  try {
    // DEBUG POPULATE's values are "value:<n>" padded with zero bytes: very compressible.
    if (kind === 'compressible') cli(r.port, 'DEBUG', 'POPULATE', String(KEYS), 'key', String(SIZE));
    else await populateRandom(r.port, KEYS, SIZE);
    if (Number(cli(r.port, 'DBSIZE')) !== KEYS) throw new Error(`populate fell short: ${cli(r.port, 'DBSIZE')}`);
    cli(r.port, 'SAVE');
  } finally {
    await r.stop();
  }
  return dir;
}

/** Larder's own dump.rdb of the data in `src`: loaded by larder serve, then SAVE. */
async function larderDump(src) {
  const dir = copyOf(src, ['dump.rdb']);
  const l = await larderOn(dir);
  try {
    cli(l.port, 'SAVE');
  } finally {
    await l.stop();
  }
  return dir;
}

/** appendonlydir with an RDB-preamble base (redis-server's rewrite of `src`) plus TAIL INCRs. */
async function aofDataset(src) {
  const dir = copyOf(src, ['dump.rdb']);
  const r = await redisOn(dir, ['--aof-use-rdb-preamble', 'yes']);
  try {
    await appendonlyOn(r.port);
    execFileSync('redis-benchmark', ['-p', String(r.port), '-q', '-t', 'incr', '-n', String(TAIL), '-r', '100000', '-P', '16']);
    cli(r.port, 'SHUTDOWN', 'NOSAVE'); // flushes and fsyncs the AOF
  } catch (e) {
    await r.stop();
    throw e;
  }
  await new Promise((res) => setTimeout(res, 200));
  await r.stop();
  rmSync(join(dir, 'dump.rdb'));
  return dir;
}

async function compare(label, src, files, appendonly) {
  const rl = [], rs = [], ll = [], ls = [];
  let keys = 0;
  for (let i = 0; i < RUNS; i++) {
    const rd = copyOf(src, files);
    const r = await redisOn(rd, ['--appendonly', appendonly]);
    rs.push(r.startMs);
    keys = Number(cli(r.port, 'DBSIZE'));
    await r.stop();
    rl.push(redisLoadSeconds(rd) * 1000);
    const l = larderLoad(copyOf(src, files), appendonly);
    if (l.keys !== keys) throw new Error(`${label}: larder loaded ${l.keys} keys, redis ${keys}`);
    ll.push(l.ms);
    const s = await larderOn(copyOf(src, files), ['--appendonly', appendonly]);
    ls.push(s.startMs);
    await s.stop();
  }
  const size = files.reduce((n, f) => n + du(join(src, f)), 0);
  const [L, R] = [median(ll), median(rl)];
  return [label, `${(size / 1e6).toFixed(1)} MB`, fmt(keys), `${(L / 1000).toFixed(2)} s`, `${(R / 1000).toFixed(2)} s`, `${(L / R).toFixed(2)}×`,
    `${(median(ls) / 1000).toFixed(2)} s`, `${(median(rs) / 1000).toFixed(2)} s`];
}

const du = (p) => Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]);

const rows = [];
try {
  const random = await redisDataset('random');
  rows.push(await compare('redis dump.rdb, random values', random, ['dump.rdb'], 'no'));
  const compressible = await redisDataset('compressible');
  rows.push(await compare('redis dump.rdb, compressible values', compressible, ['dump.rdb'], 'no'));
  rows.push(await compare("Larder's dump.rdb, random values", await larderDump(random), ['dump.rdb'], 'no'));
  rows.push(await compare("Larder's dump.rdb, compressible values", await larderDump(compressible), ['dump.rdb'], 'no'));
  rows.push(await compare(`AOF: RDB preamble + ${fmt(TAIL)} INCR tail, random values`, await aofDataset(random), ['appendonlydir'], 'yes'));
} finally {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
}

console.log(`### Restore of ${fmt(KEYS)} keys × ${SIZE}-byte values (median of ${RUNS} runs)\n`);
console.log(table(['file loaded', 'size', 'keys', 'Larder load', 'redis-server load', 'Larder ÷ redis', 'larder serve start → PING', 'redis-server start → PING'], rows));
