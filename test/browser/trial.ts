/**
 * Kill trials for the browser store (crash.test.ts, fallback.test.ts): a page that appends
 * `RPUSH log <i>` continuously and tells Node what it acknowledged, then a read-back that checks the
 * recovered log against that history.
 *
 * What Node knows about the page, exactly: before sending indexes up to `end` the page awaits
 * `larderProgress(acked, end)`, so Node holds an upper bound on what was ever sent (`reserved`) and a
 * lower bound on what was acknowledged (`acked`, one burst behind at most). Both are facts whatever
 * the moment of the kill, which is all the assertions need. Randomness comes from a seeded
 * generator: a failing trial replays from the seed the test prints.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Chromium } from './harness.ts';

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `env[name]` when set (to replay a failure), else a fresh one. */
export function seedFrom(name: string): number {
  const fromEnv = process.env[name];
  return fromEnv !== undefined ? Number(fromEnv) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
}

export interface WriteLog {
  /** No index >= reserved was ever sent. */
  reserved: number;
  /** Every index < acked was acknowledged. */
  acked: number;
  /** [Date.now() when Node learned it, acked] in order. */
  ackTimes: Array<[number, number]>;
  /** A write the page saw fail (none is expected before the kill). */
  error: string | undefined;
}

/** The largest acknowledged count Node had learned before `at`. */
export function ackedBefore(log: WriteLog, at: number): number {
  let n = 0;
  for (const [t, acked] of log.ackTimes) if (t < at) n = Math.max(n, acked);
  return n;
}

/**
 * Starts the page's writer on the Larder in `window.larder`, from index `start`, in bursts of 1 to
 * `maxBurst` calls in flight (the page's calls of one tick travel as one batch). Returns at once;
 * the writer runs until the page dies or `stopWriter`.
 */
export async function startWriter(page: Page, start: number, seed: number, maxBurst = 48): Promise<WriteLog> {
  const log: WriteLog = { reserved: start, acked: start, ackTimes: [], error: undefined };
  await page.exposeFunction('larderProgress', (acked: number, reserve: number) => {
    log.acked = Math.max(log.acked, acked);
    log.ackTimes.push([Date.now(), acked]);
    log.reserved = Math.max(log.reserved, reserve);
  });
  await page.exposeFunction('larderFailed', (message: string) => void (log.error ??= message));
  await page.evaluate(({ start, seed, maxBurst }) => {
    const g = globalThis as any;
    let a = seed >>> 0;
    const rand = (): number => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    g.writerStop = false;
    g.writer = (async () => {
      let next = start;
      while (!g.writerStop) {
        const end = next + 1 + Math.floor(rand() * maxBurst);
        await g.larderProgress(next, end);
        const burst: Promise<unknown>[] = [];
        for (let i = next; i < end; i++) burst.push(g.larder.rpush('log', String(i)));
        try {
          await Promise.all(burst);
        } catch (e: any) {
          await g.larderFailed(`${e?.name} ${e?.code ?? ''} ${e?.message}`);
          return;
        }
        next = end;
      }
      await g.larderProgress(next, next);
    })();
  }, { start, seed, maxBurst });
  return log;
}

/** Stops the writer and waits for its last burst (no kill trials: the fallback's reload check). */
export async function stopWriter(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    g.writerStop = true;
    return g.writer;
  });
}

export interface Recovered {
  /** The log's length. */
  length: number;
  /** The first position i whose element is not String(i), or -1 (the log is 0, 1, ..., length-1). */
  firstBad: number;
  badValue: string | undefined;
}

/** Reads the recovered log in the page (through `window.larder`) and checks it is 0..n-1. */
export function readLog(page: Page): Promise<Recovered> {
  return page.evaluate(async () => {
    const xs: string[] = await (globalThis as any).larder.lrange('log', 0, -1);
    const firstBad = xs.findIndex((x, i) => x !== String(i));
    return { length: xs.length, firstBad, badValue: firstBad >= 0 ? xs[firstBad] : undefined };
  });
}

/** Opens the store in `window.larder` of `page` with `options` (openLarder's). */
export async function openIn(page: Page, options: Record<string, unknown>): Promise<{ role: string; storage: string; dataLoss?: string }> {
  return page.evaluate(async (o) => {
    const g = globalThis as any;
    g.larder = await g.openLarder(o);
    return g.larder.info;
  }, options);
}

/** The `INFO persistence` fields that say a background job runs (as close to the kill as we can read them). */
export async function backgroundJobs(page: Page): Promise<{ bgsave: boolean; rewrite: boolean }> {
  const info = await page.evaluate(() => (globalThis as any).larder.call('INFO', 'persistence') as Promise<string>);
  return { bgsave: /rdb_bgsave_in_progress:1/.test(info), rewrite: /aof_rewrite_in_progress:1/.test(info) };
}

/**
 * For a failed trial's message: what Chromium printed about IndexedDB or LevelDB, and the tail of
 * each IndexedDB LevelDB's own LOG in the profile (it says whether the database was recovered from
 * its log after the kill or created anew, as after Chromium deletes one it could not open).
 */
export function idbDiagnostics(browser: Chromium): string {
  const said = browser.stderr().split('\n').filter((l) => /indexeddb|leveldb|corrupt/i.test(l));
  const root = join(browser.profileDir, 'Default', 'IndexedDB');
  let dbs: string[] = [];
  try {
    dbs = readdirSync(root).filter((d) => d.endsWith('.leveldb'));
  } catch {
    // No IndexedDB folder at all: that is the diagnosis.
  }
  const logs = dbs.map((d) => {
    let log: string;
    try {
      log = readFileSync(join(root, d, 'LOG'), 'utf8').split('\n').slice(-15).join('\n');
    } catch (e) {
      log = String(e);
    }
    return `${d}/LOG:\n${log}`;
  });
  return [`chromium stderr on IndexedDB: ${said.join('\n') || '(nothing)'}`, `IndexedDB folders: ${dbs.join(', ') || '(none)'}`, ...logs].join('\n');
}
