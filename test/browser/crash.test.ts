/**
 * The crash matrix: for each appendfsync policy, a page appends to a log continuously while the
 * whole browser is SIGKILLed at a random moment (some trials just after BGSAVE or BGREWRITEAOF was
 * issued), then Chromium is relaunched on the same profile and the store reopened. Trials chain:
 * each writes on from what the previous relaunch recovered, so recovery from whatever a kill left
 * (a torn incr tail, a rewrite's half-switched files) is itself crashed into.
 *
 * What must hold: the recovered log is a prefix of the history (0, 1, ..., n-1: no holes, nothing
 * never sent); under `always` it holds every acknowledged write; under `everysec` every write
 * acknowledged more than a second before the kill. A killed BROWSER is not a killed machine:
 * OPFS writes are handed to the browser process synchronously and survive it (PLATFORM.md), and
 * the host releases every reply only once its bytes are in the OPFS file, whatever the policy. So
 * under every policy a browser kill should lose nothing acknowledged; that is asserted too, and the
 * counts are printed. (What `everysec` and `no` can lose is an OS crash or power loss, which this
 * test cannot cause; the README states it.)
 *
 * Replay a failure with LARDER_CRASH_SEED=<the printed seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openAppPage, serveApp, type Chromium, type Served } from './app.ts';
import { removeDir, tmpProfile } from './harness.ts';
import { ackedBefore, backgroundJobs, idbDiagnostics, openIn, readLog, seededRandom, seedFrom, startWriter } from './trial.ts';

const TRIALS = Number(process.env.LARDER_CRASH_TRIALS ?? 10);
const PRELOAD_KEYS = 10_000;
const POLICIES = ['always', 'everysec', 'no'] as const;

const seed = seedFrom('LARDER_CRASH_SEED');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash matrix: SIGKILL of the whole browser while a page writes', () => {
  let served: Served;
  const browsers = new Set<Chromium>();
  const profiles: string[] = [];
  const summary: Record<string, unknown> = {};

  beforeAll(async () => {
    served = await serveApp();
    console.log(`crash matrix seed ${seed} (replay: LARDER_CRASH_SEED=${seed})`);
  });
  afterAll(async () => {
    for (const b of browsers) await b.kill();
    await served?.close();
    for (const p of profiles) removeDir(p);
    console.log(`crash matrix (seed ${seed}): ${JSON.stringify(summary)}`);
  });

  async function launch(profile: string): Promise<Chromium> {
    const b = await launchChromium(profile);
    browsers.add(b);
    return b;
  }

  for (const [p, policy] of POLICIES.entries()) {
    it(`recovers a prefix holding every acknowledged write (appendfsync ${policy})`, async () => {
      const rand = seededRandom(seed + p);
      const profile = tmpProfile();
      profiles.push(profile);
      // Small rewrite thresholds: automatic rewrites happen (and get killed) too.
      const options = {
        name: `crash-${policy}`,
        appendfsync: policy,
        config: { 'auto-aof-rewrite-min-size': '1mb', 'auto-aof-rewrite-percentage': '100' },
      };
      let browser = await launch(profile);
      let page = await openAppPage(browser, served.origin);
      await openIn(page, options);
      // A dataset big enough that BGSAVE and BGREWRITEAOF take a while to write (random hex values:
      // repeated ones would shrink to nothing under the RDB's LZF).
      await page.evaluate(async (n) => {
        const l = (globalThis as any).larder;
        const value = (): string => Array.from(crypto.getRandomValues(new Uint8Array(50)), (b) => b.toString(16).padStart(2, '0')).join('');
        for (let i = 0; i < n; i += 1000) {
          await Promise.all(Array.from({ length: 1000 }, (_, j) => l.set(`key:${i + j}`, value())));
        }
      }, PRELOAD_KEYS);

      const stats = { trials: 0, acked: 0, recovered: 0, lost: 0, unackedRecovered: 0, maxLost: 0, inBgsave: 0, inRewrite: 0, discardedByBrowser: 0, restoreMs: [] as number[] };
      let recovered = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const log = await startWriter(page, recovered, Math.floor(rand() * 2 ** 32));
        const delay = 100 + Math.floor(rand() * 1100);
        // A third of the trials each: no job, BGSAVE, BGREWRITEAOF (automatic rewrites happen on top).
        const bg = (['none', 'bgsave', 'bgrewriteaof'] as const)[trial % 3]!;
        // The background job starts just before the kill: 0-150 ms ahead of it.
        const lead = bg === 'none' ? 0 : Math.floor(rand() * 150);
        await sleep(delay - lead);
        if (bg !== 'none') await page.evaluate((cmd) => void (globalThis as any).larder.call(cmd).catch(() => {}), bg.toUpperCase());
        await sleep(lead);
        const idle = { bgsave: false, rewrite: false };
        // Not waiting long for it: the kill is what matters; a late answer (or its failure) is dropped.
        const jobs = await Promise.race([backgroundJobs(page).catch(() => idle), sleep(500).then(() => idle)]);
        const killedAt = Date.now();
        await browser.kill();
        browsers.delete(browser);

        const t0 = Date.now();
        browser = await launch(profile);
        page = await openAppPage(browser, served.origin);
        const info = await openIn(page, options);
        stats.restoreMs.push(Date.now() - t0);
        const got = await readLog(page);
        const where = `${policy} trial ${trial} (seed ${seed}, kill after ${delay} ms, ${bg}, ` +
          `acked ${log.acked}, reserved ${log.reserved}, recovered before ${recovered}, now ${got.length}); ` +
          `errors: ${browser.errors().join(' | ')}`;

        expect(log.error, where).toBeUndefined();
        if (info.dataLoss !== undefined) {
          // Chromium deleted the IndexedDB database it could not open (its own report, see
          // dataloss.test.ts), and the log segments went with it: said, not judged as Larder's.
          console.log(`${where}: THE BROWSER DISCARDED THE DATABASE: ${info.dataLoss}\n${idbDiagnostics(browser)}`);
          stats.discardedByBrowser++;
          expect(got.length, where).toBe(0);
          recovered = 0;
          continue;
        }
        // A prefix of the history: 0, 1, ..., n-1 with nothing out of place, and never past what was sent.
        expect({ firstBad: got.firstBad, badValue: got.badValue }, where).toEqual({ firstBad: -1, badValue: undefined });
        expect(got.length, where).toBeLessThanOrEqual(log.reserved);
        if (policy === 'everysec') expect(got.length, where).toBeGreaterThanOrEqual(ackedBefore(log, killedAt - 1000));
        // Every policy: replies leave once the bytes are in the OPFS file, which a browser kill keeps.
        if (got.length < log.acked) console.log(`${policy} trial ${trial} lost writes:\n${idbDiagnostics(browser)}`);
        expect(got.length, where).toBeGreaterThanOrEqual(log.acked);

        stats.trials++;
        stats.acked += log.acked - recovered;
        stats.recovered += got.length - recovered;
        const lost = Math.max(0, log.acked - got.length);
        stats.lost += lost;
        stats.maxLost = Math.max(stats.maxLost, lost);
        stats.unackedRecovered += Math.max(0, got.length - log.acked);
        if (jobs.bgsave) stats.inBgsave++;
        if (jobs.rewrite) stats.inRewrite++;
        recovered = got.length;
      }
      await browser.kill();
      browsers.delete(browser);
      summary[policy] = { ...stats, restoreMs: `${Math.min(...stats.restoreMs)}-${Math.max(...stats.restoreMs)}` };
      console.log(`crash ${policy}: ${JSON.stringify(summary[policy])}`);
    }, 170_000);
  }
});
