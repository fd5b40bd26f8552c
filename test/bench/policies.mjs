// Write throughput per appendfsync policy: redis-benchmark SET (50 clients, no pipelining) against
// `larder serve` and redis-server, both with appendonly yes, no save rules, in temp dirs.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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

const res = {};
for (const policy of POLICIES) {
  const dirs = [tempDir('aof-larder'), tempDir('aof-redis')];
  const flags = ['--appendonly', 'yes', '--appendfsync', policy];
  const larder = await larderOn(dirs[0], flags);
  const redis = await redisOn(dirs[1], flags);
  const l = [], r = [];
  try {
    // Alternating, so both see the same machine conditions.
    for (let i = 0; i < RUNS; i++) {
      l.push(setRate(larder.port));
      r.push(setRate(redis.port));
    }
  } finally {
    await larder.stop();
    await redis.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  res[policy] = { larder: median(l), redis: median(r) };
}

const rows = POLICIES.map((p) => [p, fmt(res[p].larder), fmt(res[p].redis), `${(res[p].larder / res[p].redis).toFixed(2)}×`]);
console.log(`### SET throughput per appendfsync policy: redis-benchmark -c 50 -P 1 -t set -n ${N} (median of ${RUNS} runs, alternating)\n`);
console.log(table(['appendfsync', 'larder serve req/s', 'redis-server 7.0 req/s', 'larder ÷ redis'], rows));
console.log('');
console.log(table(['ratio', 'value', 'target'], [
  ['Larder always ÷ redis always', `${(res.always.larder / res.always.redis).toFixed(2)}×`, '≥ 1.0'],
  ['Larder everysec ÷ Larder no', `${(res.everysec.larder / res.no.larder).toFixed(2)}×`, '≥ 0.9'],
  ['redis everysec ÷ redis no (reference)', `${(res.everysec.redis / res.no.redis).toFixed(2)}×`, '—'],
]));
