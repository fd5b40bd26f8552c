// BGSAVE of 1M keys under a continuous write load, in larder serve and in redis-server side by side.
// A probe client sends PING every ~1 ms and records each reply's latency and the gap between
// consecutive replies, before the BGSAVE (same load, no snapshot) and while it runs; a second
// client sends BGSAVE and polls INFO persistence until rdb_bgsave_in_progress is 0 again.
//
// That TCP probe cannot resolve a 5 ms stall on a busy two-core machine (its gaps reach 15-20 ms
// with no snapshot at all), so the stall is also measured in process (`--inprocess`, a child
// process): an engine loaded with the same dump.rdb through attachPersistence, a write loop of
// SETs on the same keys (100 per event-loop turn, as a server handles a batch of reads), and
//  - the snapshotter's slices timed one by one: the time from a slice's start to its yield, which
//    is exactly the stall a snapshot adds to the event loop (its scheduler is wrapped to time it);
//  - perf_hooks.monitorEventLoopDelay (1 ms resolution): max and p99 of the event loop's delay
//    over a window without BGSAVE and over the BGSAVE, so GC and the write loop's own turns show.
// BENCH_SLICE_MS overrides the snapshotter's time budget per slice (default 2 ms) for this part.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, table } from './lib.mjs';
import { cli, info, larderOn, populateRandom, quantile, redisOn, respClient, tempDir } from './persist-lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_VALUE_SIZE ?? 100);
const BEFORE_MS = Number(process.env.BENCH_BEFORE_MS ?? 3000);
// redis-benchmark's -r keys are key:<12 digits>: the dataset uses the same names, so the load overwrites it.
const keyOf = (i) => `key:${String(i).padStart(12, '0')}`;

if (process.argv[2] === '--inprocess') {
  process.stdout.write(JSON.stringify(await inProcess(process.argv[3], Number(process.argv[4]), Number(process.argv[5]))));
  process.exit(0);
}

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

/**
 * Child mode: loads `dir`'s dump.rdb into an in-process engine, runs the write loop, and measures
 * the event loop's delay for BEFORE_MS without a snapshot, then during a BGSAVE, with every
 * snapshot slice timed. Returns the numbers as JSON-able data.
 */
async function inProcess(dir, keys, size) {
  const { monitorEventLoopDelay, PerformanceObserver } = await import('node:perf_hooks');
  const { createEngine } = await import('@larder/core');
  const { attachPersistence } = await import('@larder/core/persistence');
  const { createNodeStorage } = await import('@larder/node');
  /** [start, end] of each slice. */
  const slices = [];
  // The snapshotter's scheduler, wrapped: each call of `fn` is one slice, start to yield. (Not the
  // thread's on-CPU time from /proc/thread-self/schedstat: a running thread reading its own sees
  // a value last updated at a scheduler tick, 4 ms here, which an earlier version reported as
  // slices of 4.0 ms.)
  const schedule = (fn) => setImmediate(() => {
    const t = performance.now();
    fn();
    slices.push([t, performance.now()]);
  });
  // GC pauses stop the event loop whatever runs; they are counted apart from the slices' own work.
  const gcs = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration, e.detail?.kind]);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const gcWithin = (from, to) => {
    let sum = 0;
    let max = 0;
    let kind;
    for (const [a, b, k] of gcs) {
      const o = Math.min(b, to) - Math.max(a, from);
      if (o > 0) {
        sum += o;
        if (o > max) [max, kind] = [o, k];
      }
    }
    return { sum, max, kind };
  };
  const engine = createEngine({ config: { dir, save: '' } });
  const persistence = await attachPersistence(engine, await createNodeStorage(dir), { snapshot: { schedule, ...(process.env.BENCH_SLICE_MS ? { sliceMs: Number(process.env.BENCH_SLICE_MS) } : {}) } });
  const c = engine.connect({ addr: 'bench', laddr: 'bench' });
  const loaded = Number(c.exec(['DBSIZE']));
  if (loaded !== keys) throw new Error(`in-process engine loaded ${loaded} keys, expected ${keys}`);

  // Deterministic keys and values: 256 random 100-byte values, keys drawn by an LCG.
  const values = Array.from({ length: 256 }, (_, i) => String.fromCharCode(...Array.from({ length: size }, (_, j) => (i * 131 + j * 71) & 0xff)));
  let seed = 12345;
  let writes = 0;
  let on = true;
  const PER_TURN = 100;
  const writeLoop = () => {
    if (!on) return;
    for (let i = 0; i < PER_TURN; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      c.exec(['SET', keyOf(seed % keys), values[seed & 255]]);
    }
    writes += PER_TURN;
    setImmediate(writeLoop);
  };
  setImmediate(writeLoop);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  await sleep(500);

  let bgsaveCallMs = 0;
  // A reply's text: a bulk string as is, a status's or INFO's verbatim text from its object.
  const text = (r) => (typeof r === 'string' ? r : String(r?.text ?? r?.value ?? r));
  const measure = async (during) => {
    const h = monitorEventLoopDelay({ resolution: 1 });
    const w0 = writes;
    const t0 = performance.now();
    h.enable();
    if (during) {
      const tb = performance.now();
      const reply = text(c.exec(['BGSAVE']));
      bgsaveCallMs = performance.now() - tb;
      if (!reply.startsWith('Background saving started')) throw new Error(`BGSAVE: ${reply}`);
      slices.length = 0;
      while (persistence.jobs.child !== null) await sleep(10);
    } else {
      await sleep(BEFORE_MS);
    }
    h.disable();
    const t1 = performance.now();
    const ms = t1 - t0;
    await sleep(50); // lets the GC observer deliver the window's last entries
    const gc = gcWithin(t0, t1);
    const out = { ms, writesPerSec: ((writes - w0) / ms) * 1000, delayMaxMs: h.max / 1e6, delayP99Ms: h.percentile(99) / 1e6, gcMaxMs: gc.max, gcMaxKind: gc.kind, gcMs: gc.sum };
    if (during) {
      const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
      const wall = slices.map(([a, b]) => b - a);
      // A slice's own time: its wall time less the GC pauses inside it.
      const own = slices.map(([a, b]) => b - a - gcWithin(a, b).sum);
      Object.assign(out, {
        slices: slices.length,
        sliceMaxMs: Math.max(...wall),
        sliceP99Ms: q(wall, 0.99),
        slicesOver5: wall.filter((x) => x > 5).length,
        ownMaxMs: Math.max(...own),
        ownP99Ms: q(own, 0.99),
        ownOver5: own.filter((x) => x > 5).length,
        bgsaveCallMs,
        status: text(c.exec(['INFO', 'persistence'])).match(/rdb_last_bgsave_status:(\w+)/)?.[1],
      });
    }
    return out;
  };
  const before = await measure(false);
  const during = await measure(true);
  on = false;
  gcObserver.disconnect();
  await persistence.close();
  return { before, during };
}

let larder, redis, larderResave, redisResaved, inproc;
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
  const d = work('bgsave-inprocess');
  cpSync(join(data, 'dump.rdb'), join(d, 'dump.rdb'));
  const self = new URL(import.meta.url).pathname;
  // V8's default young generation, and a smaller one: scavenge pauses scale with it.
  inproc = ['', '--max-semi-space-size=4'].map((flag) => [flag, JSON.parse(execFileSync(process.execPath,
    ['--max-old-space-size=8192', ...(flag ? [flag] : []), self, '--inprocess', d, String(KEYS), String(SIZE)],
    { stdio: ['ignore', 'pipe', 'inherit'] }).toString())]);
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
console.log('');
console.log(`In process (the same ${fmt(KEYS)} keys loaded from the dump.rdb; a write loop of 100 SETs per event-loop turn; BGSAVE through the engine):\n`);
const ims = (x) => (x === undefined ? '—' : `${x.toFixed(2)} ms`);
const rows = inproc.flatMap(([flag, { before: b, during: d }]) => {
  const node = flag ? `node ${flag}` : 'node';
  return [
    [`${node}: write loop, no BGSAVE`, ims(b.delayMaxMs), ims(b.delayP99Ms), ims(b.gcMaxMs), '—', '—', '—', '—', '—', fmt(b.writesPerSec), `${(b.ms / 1000).toFixed(2)} s`],
    [`${node}: write loop + BGSAVE (${d.status})`, ims(d.delayMaxMs), ims(d.delayP99Ms), ims(d.gcMaxMs), fmt(d.slices), `${ims(d.sliceMaxMs)} / ${ims(d.sliceP99Ms)}`,
      String(d.slicesOver5), `${ims(d.ownMaxMs)} / ${ims(d.ownP99Ms)}`, String(d.ownOver5), fmt(d.writesPerSec), `${(d.ms / 1000).toFixed(2)} s`],
  ];
});
console.log(table(['window', 'event-loop delay max', 'event-loop delay p99', 'longest GC pause', 'slices', 'slice wall time: max / p99', 'slices > 5 ms wall', "slice's own work, less GC: max / p99", 'own work > 5 ms', 'SETs/s', 'duration'], rows));
const d = inproc[0][1].during;
console.log(`\nBGSAVE's cut (the command itself): ${ims(d.bgsaveCallMs)}. A slice is the snapshotter's work between two yields; its wall time`);
console.log("includes GC pauses that fell inside it and any time the OS ran something else; 'own work' is the wall time less those GC pauses.");
