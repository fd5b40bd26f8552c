/**
 * Random picks shared by SPOP, SRANDMEMBER and HRANDFIELD. All randomness comes from the engine's
 * `random()` so tests and replays can seed it.
 */

/** A uniform integer in [0, n). */
export function randomIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/**
 * `k` distinct slots out of [0, n) in random order: the first k steps of a Fisher-Yates shuffle
 * over a virtual identity array, so time and memory are O(k) whatever n is.
 */
export function sampleDistinct(random: () => number, n: number, k: number): number[] {
  const moved = new Map<number, number>();
  const out = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    const j = i + randomIndex(random, n - i);
    const pick = moved.get(j) ?? j;
    moved.set(j, moved.get(i) ?? i);
    out[i] = pick;
  }
  return out;
}
