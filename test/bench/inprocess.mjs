// In-process throughput: Larder's engine called directly (sync `client.exec(argv)`), Larder's typed
// async API (`await larder.set(...)`), and ioredis-mock doing the same operations, in one process.
// Keyspace: 1M string keys prefilled; sorted set of 1M members for ZADD / ZRANGE / ZRANK.
import { createEngine, createLarder } from '@larder/core';
import RedisMock from 'ioredis-mock';
import { fmt, rate, rng, table } from './lib.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const MOCK_OPS = Number(process.env.BENCH_MOCK_OPS ?? 200_000);

const value = 'x'.repeat(100);
const engine = createEngine({ activeExpire: false });
const raw = engine.connect();
const typed = createLarder({ engine });
const mock = new RedisMock();

console.error(`prefilling ${KEYS} keys and a ${KEYS}-member sorted set ...`);
const r = rng(1);
for (let i = 0; i < KEYS; i++) raw.exec(['SET', `key:${i}`, value]);
for (let i = 0; i < KEYS; i++) raw.exec(['ZADD', 'bigz', String(r() * 1e9), `m:${i}`]);
const MOCK_KEYS = Math.min(KEYS, Number(process.env.BENCH_MOCK_KEYS ?? 100_000));
console.error(`prefilling ioredis-mock with ${MOCK_KEYS} keys and a ${MOCK_KEYS}-member sorted set ...`);
for (let i = 0; i < MOCK_KEYS; i++) await mock.set(`key:${i}`, value);
for (let i = 0; i < MOCK_KEYS; i += 1000) {
  const args = [];
  for (let j = i; j < i + 1000; j++) args.push(r() * 1e9, `m:${j}`);
  await mock.zadd('bigz', ...args);
}

// Each workload: [name, raw(i), typed(i) → Promise, mock(i) → Promise]
const k = (i) => `key:${i % KEYS}`;
const workloads = [
  ['SET', (i) => raw.exec(['SET', k(i), value]), (i) => typed.set(k(i), value), (i) => mock.set(k(i), value)],
  ['GET', (i) => raw.exec(['GET', k(i)]), (i) => typed.get(k(i)), (i) => mock.get(k(i))],
  ['INCR', () => raw.exec(['INCR', 'counter']), () => typed.incr('counter'), () => mock.incr('counter')],
  ['HSET', (i) => raw.exec(['HSET', 'h', `f${i & 1023}`, value]), (i) => typed.hset('h', { [`f${i & 1023}`]: value }), (i) => mock.hset('h', `f${i & 1023}`, value)],
  ['LPUSH+RPOP', (i) => (raw.exec(['LPUSH', 'l', value]), raw.exec(['RPOP', 'l'])), async () => (await typed.lpush('l', value), typed.rpop('l')), async () => (await mock.lpush('l', value), mock.rpop('l'))],
  ['SADD', (i) => raw.exec(['SADD', 's', `m${i & 4095}`]), (i) => typed.sadd('s', `m${i & 4095}`), (i) => mock.sadd('s', `m${i & 4095}`)],
  ['ZADD (1M)', (i) => raw.exec(['ZADD', 'bigz', String(i), `m:${i % KEYS}`]), (i) => typed.zadd('bigz', { score: i, member: `m:${i % KEYS}` }), (i) => mock.zadd('bigz', i, `m:${i % MOCK_KEYS}`)],
  ['ZRANGE 0 9 (1M)', () => raw.exec(['ZRANGE', 'bigz', '0', '9']), () => typed.zrange('bigz', 0, 9), () => mock.zrange('bigz', 0, 9)],
  ['ZRANK (1M)', (i) => raw.exec(['ZRANK', 'bigz', `m:${(i * 7919) % KEYS}`]), (i) => typed.zrank('bigz', `m:${(i * 7919) % KEYS}`), (i) => mock.zrank('bigz', `m:${(i * 7919) % MOCK_KEYS}`)],
];

const rows = [];
for (const [name, fRaw, fTyped, fMock] of workloads) {
  const rawRate = await rate(fRaw, { maxOps: OPS, sync: true });
  const typedRate = await rate(fTyped, { maxOps: OPS });
  const mockRate = await rate(fMock, { maxOps: MOCK_OPS, runs: 3 });
  rows.push([name, fmt(rawRate), fmt(typedRate), fmt(mockRate), `${(rawRate / mockRate).toFixed(1)}×`, `${(typedRate / mockRate).toFixed(1)}×`]);
  console.error(`${name}: raw ${fmt(rawRate)}/s typed ${fmt(typedRate)}/s ioredis-mock ${fmt(mockRate)}/s`);
}

console.log(`### In-process ops/s (${KEYS.toLocaleString('en')} keys, 1 client, median of 5 runs of up to ${OPS.toLocaleString('en')} ops or 1.5 s)\n`);
console.log(table(['command', 'Larder engine (sync exec)', 'Larder typed API (await)', `ioredis-mock (await; ${MOCK_KEYS.toLocaleString('en')} keys)`, 'engine ÷ mock', 'typed ÷ mock'], rows));
engine.close();
process.exit(0);
