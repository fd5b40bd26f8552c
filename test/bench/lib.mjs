// Shared helpers for the benchmarks: timing loops, median of runs, and result tables.
// Results are medians of several runs, reported as ratios measured side by side in one process,
// because these machines are shared and noisy (shared/PLATFORM.md).

/** Runs `fn(n)` (which performs n operations) `runs` times; returns the median ops/s. */
export async function opsPerSec(fn, n, runs = 5) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    await fn(n);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(n / dt);
  }
  return median(rates);
}

/**
 * Median ops/s of `op(i)` over `runs` runs, each stopping after `maxOps` operations or `budgetMs`,
 * whichever comes first, so a slow peer (an O(n) sorted set) still finishes in bounded time.
 * `sync` ops are called without await so the measurement does not include a promise per call.
 */
export async function rate(op, { maxOps, budgetMs = 1500, runs = 5, sync = false }) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let i = 0;
    let elapsed = 0;
    while (i < maxOps) {
      const end = Math.min(maxOps, i + 256);
      if (sync) for (; i < end; i++) op(i);
      else for (; i < end; i++) await op(i);
      elapsed = performance.now() - t0;
      if (elapsed > budgetMs) break;
    }
    rates.push((i / elapsed) * 1000);
  }
  return median(rates);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (n) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);

export function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** A seeded generator of floats in [0, 1) (mulberry32): the same data in every run. */
export function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
