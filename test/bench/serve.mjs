// redis-benchmark against `larder serve` and against redis-server, same machine, same run.
import { execFileSync } from 'node:child_process';
import { startLarder, startRedis } from './redis-server.mjs';
import { fmt, median, table } from './lib.mjs';

const TESTS = 'set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100';
const N = String(process.env.BENCH_REQUESTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function bench(port) {
  const out = execFileSync('redis-benchmark', ['-p', String(port), '-q', '-P', '16', '-n', N, '-t', TESTS, '--csv']).toString();
  const rates = {};
  for (const line of out.trim().split('\n').slice(1)) {
    const [name, rps] = line.split(',').map((s) => s.replace(/"/g, ''));
    rates[name] = Number(rps);
  }
  return rates;
}

const redis = await startRedis();
const larder = await startLarder();
const results = { redis: [], larder: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    // Alternate so both see the same machine conditions.
    results.redis.push(bench(redis.port));
    results.larder.push(bench(larder.port));
  }
} finally {
  redis.stop();
  larder.stop();
}

const names = Object.keys(results.redis[0]);
const rows = names.map((name) => {
  const r = median(results.redis.map((x) => x[name]));
  const l = median(results.larder.map((x) => x[name] ?? 0));
  return [name, fmt(l), fmt(r), `${(l / r).toFixed(2)}×`];
});
console.log(`### redis-benchmark -P 16 -n ${N}, 50 clients (median of ${RUNS} runs, alternating)\n`);
console.log(table(['test', 'larder serve req/s', 'redis-server 7.0 req/s', 'larder ÷ redis'], rows));
