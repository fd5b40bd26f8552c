/**
 * The active expire cycle (Redis's expire.c activeExpireCycle, simplified): each tick walks every
 * database's `expires` map with a resumable cursor, 20 keys at a time, and repeats on a database
 * while more than 25% of the sampled keys were expired, within a time budget. Lazy expiry on access
 * (Db.lookup) covers keys the cycle has not reached yet.
 */
import type { Keyspace } from './keyspace.ts';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 0.25;
/** Redis spends up to 25% of one cron tick (at hz 10: 25 ms); we keep the same budget. */
const BUDGET_MS = 25;

export function activeExpireCycle(ks: Keyspace, now: () => number): void {
  if (!ks.expireEnabled) return;
  const start = now();
  for (const db of ks.dbs) {
    if (db.expires.size === 0) {
      // Redis resets the estimate of a db left without volatile keys (INFO keyspace avg_ttl=0).
      db.avgTtl = 0;
      continue;
    }
    for (;;) {
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      const t = now();
      let wrapped = false;
      while (sampled < KEYS_PER_LOOP && sampled < db.expires.size) {
        db.expireCursor ??= db.expires.entries();
        const next = db.expireCursor.next();
        if (next.done) {
          // At the end, go on from the start (once): stopping there would skip a tick's sample, so
          // a db of few volatile keys would see each one only every other tick.
          db.expireCursor = undefined;
          if (wrapped) break;
          wrapped = true;
          continue;
        }
        const [key, e] = next.value;
        sampled++;
        if (ks.expireIfNeeded(db, key, e)) expired++;
        else ttlSum += e.expireAt - t;
      }
      const alive = sampled - expired;
      if (alive > 0) {
        const avg = ttlSum / alive;
        db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
      }
      if (sampled === 0 || expired / sampled <= ACCEPTABLE_STALE) break;
      if (now() - start > BUDGET_MS) return;
    }
  }
}
