// ZADD and ZRANK time per operation at 10k and at 1M members: O(log n) structures stay within a
// small factor; an O(n) one would be ~100× apart.
import { createEngine } from '@larder/core';
import { opsPerSec, table } from './lib.mjs';

const OPS = 200_000;
const rows = [];
const perOp = {};
for (const size of [10_000, 1_000_000]) {
  const c = createEngine({ activeExpire: false }).connect();
  for (let i = 0; i < size; i++) c.exec(['ZADD', 'z', String((i * 2654435761) % 1e9), `m:${i}`]);
  const zadd = await opsPerSec((n) => { for (let i = 0; i < n; i++) c.exec(['ZADD', 'z', String(i * 3), `m:${(i * 7919) % size}`]); }, OPS);
  const zrank = await opsPerSec((n) => { for (let i = 0; i < n; i++) c.exec(['ZRANK', 'z', `m:${(i * 7919) % size}`]); }, OPS);
  perOp[size] = { zadd: 1e9 / zadd, zrank: 1e9 / zrank };
  rows.push([size.toLocaleString('en'), `${(1e9 / zadd).toFixed(0)} ns`, `${(1e9 / zrank).toFixed(0)} ns`]);
}
rows.push(['1M ÷ 10k', `${(perOp[1_000_000].zadd / perOp[10_000].zadd).toFixed(2)}×`, `${(perOp[1_000_000].zrank / perOp[10_000].zrank).toFixed(2)}×`]);
console.log('### Sorted set scaling: time per op (median of 5 runs)\n');
console.log(table(['members', 'ZADD', 'ZRANK'], rows));
