// Heap bytes per key: 1M string keys with distinct 100-byte values held by Larder's engine
// (V8 heap growth after GC) against redis-server's used_memory growth for the same keys and values.
// Run with `node --expose-gc`.
import { createEngine, bytesToBinary } from '@larder/core';
import { writeFileSync, rmSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, redisCli } from './redis-server.mjs';
import { table } from './lib.mjs';

const N = Number(process.env.BENCH_KEYS ?? 1_000_000);
if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');

// Distinct values, as they would arrive off the wire (fresh flat strings), so V8 cannot share them.
const valueBytes = (i) => {
  const b = new Uint8Array(100);
  for (let j = 0; j < 100; j++) b[j] = 97 + ((i * 31 + j * 7) % 26);
  return b;
};

global.gc();
const before = process.memoryUsage().heapUsed;
const engine = createEngine({ activeExpire: false });
const c = engine.connect();
for (let i = 0; i < N; i++) c.exec(['SET', `key:${i}`, bytesToBinary(valueBytes(i))]);
global.gc();
const larderPerKey = (process.memoryUsage().heapUsed - before) / N;

// The same SETs, through redis-cli --pipe.
const redis = await startRedis();
const file = join(tmpdir(), `larder-mem-${process.pid}.resp`);
const parts = [];
for (let i = 0; i < N; i++) {
  const k = `key:${i}`;
  const v = Buffer.from(valueBytes(i)).toString('latin1');
  parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$100\r\n${v}\r\n`);
}
writeFileSync(file, parts.join(''), 'latin1');
const used = () => Number(/used_memory:(\d+)/.exec(redisCli(redis.port, 'INFO', 'memory'))[1]);
const redisBefore = used();
execSync(`redis-cli -p ${redis.port} --pipe < ${file}`, { stdio: 'ignore' });
const redisPerKey = (used() - redisBefore) / N;
redis.stop();
rmSync(file);

console.log(`### Memory per key (${N.toLocaleString('en')} string keys, 100-byte distinct values)\n`);
console.log(table(['store', 'bytes per key', 'ratio to redis-server'], [
  ['Larder (V8 heap growth after GC)', larderPerKey.toFixed(0), `${(larderPerKey / redisPerKey).toFixed(2)}×`],
  ['redis-server 7.0 (used_memory growth)', redisPerKey.toFixed(0), '1.00×'],
]));
engine.close();
