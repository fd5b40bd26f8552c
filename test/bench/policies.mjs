// Write throughput per appendfsync policy: redis-benchmark SET (50 clients, no pipelining) against
// `larder serve` and redis-server, both with appendonly yes, no save rules, in temp dirs.
//
// Where `perf` can count syscalls (Linux, root or perf_event_paranoid <= 1), one more run per
// server under `always` counts its fdatasync calls: how many writes each sync covers (the group
// commit), the number that decides `always` throughput. That run is not part of the medians.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, table } from './lib.mjs';
import { larderOn, redisOn, tempDir } from './persist-lib.mjs';

const N = String(process.env.BENCH_REQUESTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POLICIES = ['always', 'everysec', 'no'];

function setRate(port) {
  const out = execFileSync('redis-benchmark', ['-p', String(port), '-c', '50', '-P', '1', '-t', 'set', '-n', N, '-q', '--csv']).toString();
  const line = out.trim().split('\n').find((l) => l.startsWith('"SET"'));
  return Number(line.split(',')[1].replace(/"/g, ''));
}

const FDATASYNC = 'syscalls:sys_enter_fdatasync';
const canCount = (() => {
  try {
    execFileSync('perf', ['stat', '-x,', '-e', FDATASYNC, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Requests per fdatasync of process `pid` during one benchmark run, or undefined without perf. */
async function requestsPerSync(pid, port) {
  if (!canCount) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'larder-bench-perf-'));
  const out = join(dir, 'perf.csv');
  const perf = spawn('perf', ['stat', '-x,', '-e', FDATASYNC, '-p', String(pid), '-o', out], { stdio: 'ignore' });
  const exited = new Promise((resolve) => perf.once('exit', resolve));
  try {
    await new Promise((r) => setTimeout(r, 300)); // attached
    setRate(port);
    perf.kill('SIGINT');
    await exited;
    const row = readFileSync(out, 'latin1').split('\n').find((l) => l.includes(FDATASYNC));
    const syncs = Number(row?.split(',')[0]);
    return syncs > 0 ? Number(N) / syncs : undefined;
  } finally {
    if (perf.exitCode === null && perf.signalCode === null) perf.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const res = {};
for (const policy of POLICIES) {
  const dirs = [tempDir('aof-larder'), tempDir('aof-redis')];
  const flags = ['--appendonly', 'yes', '--appendfsync', policy];
  const larder = await larderOn(dirs[0], flags);
  const redis = await redisOn(dirs[1], flags);
  const l = [], r = [];
  let perSync;
  try {
    // Alternating, so both see the same machine conditions.
    for (let i = 0; i < RUNS; i++) {
      l.push(setRate(larder.port));
      r.push(setRate(redis.port));
    }
    if (policy === 'always') perSync = { larder: await requestsPerSync(larder.pid, larder.port), redis: await requestsPerSync(redis.pid, redis.port) };
  } finally {
    await larder.stop();
    await redis.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  res[policy] = { larder: median(l), redis: median(r), perSync };
}

const rows = POLICIES.map((p) => [p, fmt(res[p].larder), fmt(res[p].redis), `${(res[p].larder / res[p].redis).toFixed(2)}×`]);
console.log(`### SET throughput per appendfsync policy: redis-benchmark -c 50 -P 1 -t set -n ${N} (median of ${RUNS} runs, alternating)\n`);
console.log(table(['appendfsync', 'larder serve req/s', 'redis-server 7.0 req/s', 'larder ÷ redis'], rows));
console.log('');
const ratios = [
  ['Larder always ÷ redis always', `${(res.always.larder / res.always.redis).toFixed(2)}×`, '≥ 1.0'],
  ['Larder everysec ÷ Larder no', `${(res.everysec.larder / res.no.larder).toFixed(2)}×`, '≥ 0.9'],
  ['redis everysec ÷ redis no (reference)', `${(res.everysec.redis / res.no.redis).toFixed(2)}×`, '—'],
];
const per = res.always.perSync;
if (per?.larder !== undefined && per.redis !== undefined) {
  ratios.push(['writes per fdatasync under always, Larder / redis (one extra run)', `${per.larder.toFixed(1)} / ${per.redis.toFixed(1)}`, '—']);
}
console.log(table(['ratio', 'value', 'target'], ratios));
