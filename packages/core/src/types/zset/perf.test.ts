/**
 * A timing check of the ordered index through the command layer: ZADD and ZRANK per call on a
 * sorted set of 1M members must stay within 3x of the same calls on 10k members. An O(n) step
 * (a sorted array's insert, a linear rank) would make them ~100x slower; O(log n) costs a level
 * more. To compare algorithms rather than the memory hierarchy, both sizes are asked about the
 * same number of distinct members (ZRANK over 1000 of them, ZADD of new members at one score),
 * and since this runs beside other work, rounds alternate between the sizes and each figure is
 * the best of its rounds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../../engine/engine.ts';
import type { Client } from '../../engine/client.ts';

const QUERIES = 10_000;
const WORKING_SET = 1_000;
const ROUNDS = 9;

interface Bench {
  c: Client;
  asked: string[];
  score: string;
  best: { zadd: number; zrank: number };
}

function build(size: number, perm: number[]): Bench {
  const c = createEngine({ activeExpire: false }).connect();
  for (let i = 0; i < size; i += 1000) {
    const argv = ['zadd', 'z'];
    for (let j = i; j < Math.min(size, i + 1000); j++) argv.push(String(perm[j % perm.length]! + j), `member:${j}`);
    c.exec(argv);
  }
  const asked = Array.from({ length: QUERIES }, (_, i) => `member:${(perm[i % WORKING_SET]! * 7919) % size}`);
  return { c, asked, score: String(size), best: { zadd: Infinity, zrank: Infinity } };
}

function round(b: Bench, r: number): void {
  const { c, asked } = b;
  const fresh = Array.from({ length: QUERIES }, (_, i) => `new:${r}:${i}`);
  let t = performance.now();
  for (let i = 0; i < QUERIES; i++) c.exec(['zrank', 'z', asked[i]!]);
  b.best.zrank = Math.min(b.best.zrank, (performance.now() - t) / QUERIES);
  t = performance.now();
  for (let i = 0; i < QUERIES; i++) c.exec(['zadd', 'z', b.score, fresh[i]!]);
  b.best.zadd = Math.min(b.best.zadd, (performance.now() - t) / QUERIES);
}

describe('sorted set scaling', () => {
  it('ZADD and ZRANK at 1M members are within 3x of 10k members', () => {
    const [perm] = fc.sample(fc.array(fc.nat(2_000_000), { minLength: 100_000, maxLength: 100_000 }), { seed: 42, numRuns: 1 });
    const small = build(10_000, perm!);
    const large = build(1_000_000, perm!);
    round(small, -1); // warm up the JIT
    for (let r = 0; r < ROUNDS; r++) {
      round(small, r);
      round(large, r);
    }
    const detail = JSON.stringify({ small: small.best, large: large.best });
    expect(large.best.zadd / small.best.zadd, detail).toBeLessThan(3);
    expect(large.best.zrank / small.best.zrank, detail).toBeLessThan(3);
  }, 120_000);
});
