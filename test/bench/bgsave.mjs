// BGSAVE of 1M keys under a continuous write load, in larder serve and in redis-server side by side.
// A probe client sends PING every ~1 ms and records each reply's latency and the gap between
// consecutive replies, before the BGSAVE (same load, no snapshot) and while it runs; a second
// client sends BGSAVE and polls INFO persistence until rdb_bgsave_in_progress is 0 again.
import { spawn } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, table } from './lib.mjs';
import { cli, info, larderOn, populateRandom, quantile, redisOn, respClient, tempDir } from './persist-lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_VALUE_SIZE ?? 100);
const BEFORE_MS = Number(process.env.BENCH_BEFORE_MS ?? 3000);
// redis-benchmark's -r keys are key:<12 digits>: the dataset uses the same names, so the load overwrites it.
const keyOf = (i) => `key:${String(i).padStart(12, '0')}`;

const cleanup = [];
const work = (tag) => {
  const d = tempDir(tag);
  cleanup.push(d);
  return d;
};

/** PINGs every ~1 ms until stopped; returns [sentAt, repliedAt] pairs (ms). */
function startProbe(client) {
  const samples = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = performance.now();
      await client.send(['PING']);
      samples.push([t, performance.now()]);
      const wait = t + 1 - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
  })();
  return { samples, stop: async () => { on = false; await loop; } };
}

function window(samples, from, to) {
  const s = samples.filter(([, at]) => at >= from && at <= to);
  let maxGap = 0;
  for (let i = 1; i < s.length; i++) maxGap = Math.max(maxGap, s[i][1] - s[i - 1][1]);
  const lat = s.map(([t, at]) => at - t);
  return { n: s.length, maxGap, p99: quantile(lat, 0.99), max: Math.max(...lat) };
}

async function run(kind, dataDir) {
  const dir = work(`bgsave-${kind}`);
  cpSync(join(dataDir, 'dump.rdb'), join(dir, 'dump.rdb'));
  const server = kind === 'larder' ? await larderOn(dir) : await redisOn(dir);
  const load = spawn('redis-benchmark', ['-p', String(server.port), '-c', '10', '-t', 'set', '-n', '1000000000', '-r', String(KEYS), '-d', String(SIZE), '-q'],
    { stdio: 'ignore' });
  const probeClient = await respClient(server.port);
  const ctl = await respClient(server.port);
  try {
    await new Promise((r) => setTimeout(r, 1000)); // let the load reach its pace
    const probe = startProbe(probeClient);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, BEFORE_MS));
    const tSave = performance.now();
    const reply = await ctl.send(['BGSAVE']);
    if (!reply.startsWith('+Background saving started')) throw new Error(`${kind} BGSAVE: ${reply}`);
    let tDone;
    for (;;) {
      const p = await ctl.send(['INFO', 'persistence']);
      if (/rdb_bgsave_in_progress:0/.test(p)) {
        tDone = performance.now();
        if (!/rdb_last_bgsave_status:ok/.test(p)) throw new Error(`${kind} BGSAVE failed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await probe.stop();
    const stats = kind === 'redis' ? info(server.port, 'stats') : {};
    return {
      before: window(probe.samples, t0, tSave),
      during: window(probe.samples, tSave, tDone),
      durationMs: tDone - tSave,
      forkUsec: stats.latest_fork_usec,
      size: statSync(join(dir, 'dump.rdb')).size,
      dir,
    };
  } finally {
    load.kill('SIGKILL');
    probeClient.close();
    ctl.close();
    await server.stop();
  }
}

/** Size of redis-server's own dump.rdb of the data in `dir`'s dump.rdb (load, then SAVE). */
async function redisResave(dir) {
  const d = work('resave');
  cpSync(join(dir, 'dump.rdb'), join(d, 'dump.rdb'));
  const r = await redisOn(d);
  try {
    const keys = cli(r.port, 'DBSIZE');
    cli(r.port, 'SAVE');
    return { size: statSync(join(d, 'dump.rdb')).size, keys };
  } finally {
    await r.stop();
  }
}

let larder, redis, larderResave, redisResaved;
try {
  const data = work('bgsave-data');
  const r = await redisOn(data);
  try {
    await populateRandom(r.port, KEYS, SIZE, keyOf);
    cli(r.port, 'SAVE');
  } finally {
    await r.stop();
  }
  larder = await run('larder', data);
  redis = await run('redis', data);
  larderResave = await redisResave(larder.dir);
  redisResaved = await redisResave(redis.dir);
} finally {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const ms = (x) => `${x.toFixed(1)} ms`;
const row = (name, x) => [name, ms(x.before.maxGap), ms(x.during.maxGap), ms(x.before.p99), ms(x.during.p99), ms(x.during.max),
  `${(x.durationMs / 1000).toFixed(2)} s`, fmt(x.during.n), x.forkUsec === undefined ? '—' : `${(Number(x.forkUsec) / 1000).toFixed(1)} ms`];
console.log(`### BGSAVE of ${fmt(KEYS)} keys × ${SIZE} B under redis-benchmark -c 10 -t set -r ${fmt(KEYS)} -d ${SIZE} (one run each)\n`);
console.log(table(['server', 'max reply gap before', 'max reply gap during', 'PING p99 before', 'PING p99 during', 'PING max during', 'BGSAVE duration', 'PINGs during', 'fork (latest_fork_usec)'],
  [row('larder serve', larder), row('redis-server 7.0', redis)]));
console.log('');
console.log(table(['snapshot', 'bytes', "redis-server's SAVE of the same data", 'ratio'], [
  ["Larder's BGSAVE dump.rdb", mb(larder.size), `${mb(larderResave.size)} (${larderResave.keys} keys)`, `${(larder.size / larderResave.size).toFixed(3)}×`],
  ["redis-server's BGSAVE dump.rdb (reference)", mb(redis.size), `${mb(redisResaved.size)} (${redisResaved.keys} keys)`, `${(redis.size / redisResaved.size).toFixed(3)}×`],
]));
