/**
 * The IndexedDB log (`log: 'idb'`), the path taken where OPFS sync access handles are missing:
 * writes survive a reload, the store says where it keeps its data, nothing lands in OPFS, and a
 * SIGKILL of the whole browser under `appendfsync always` loses no acknowledged write (replies
 * wait for the batch's strict IndexedDB commit). Trials chain as in crash.test.ts.
 *
 * Replay a failing kill trial with LARDER_FALLBACK_SEED=<the printed seed>; LARDER_FALLBACK_TRIALS
 * runs more trials than the 3 of CI.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, openAppPage, launchChromium } from './app.ts';
import { idbDiagnostics, openIn, readLog, seededRandom, seedFrom, startWriter } from './trial.ts';

const KILL_TRIALS = Number(process.env.LARDER_FALLBACK_TRIALS ?? 3);
const seed = seedFrom('LARDER_FALLBACK_SEED');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The names under the page's OPFS `larder/` folder (the OPFS storage's stores). */
const opfsStores = (page: Page): Promise<string[]> =>
  page.evaluate(async () => {
    const root: any = await (globalThis as any).navigator.storage.getDirectory();
    let dir: any;
    try {
      dir = await root.getDirectoryHandle('larder');
    } catch {
      return [];
    }
    const names: string[] = [];
    for await (const entry of dir.values()) names.push(entry.name);
    return names;
  });

describe('fallback: the log in IndexedDB', () => {
  const app = appSession();

  it('keeps writes across a reload and says its storage is idb:<name>', async () => {
    // always: a reload right after the last reply must find it (everysec's pagehide flush races the unload).
    const options = { name: 'fallback', log: 'idb', appendfsync: 'always' };
    const page = await openAppPage(app.browser, app.served.origin);
    expect(await openIn(page, options)).toMatchObject({ role: 'owner', storage: 'idb:fallback' });
    await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      await l.hset('h', { a: '1', b: '2' });
      await l.zadd('z', { score: 2, member: 'two' }, { score: 1, member: 'one' });
      await l.set('ttl', 'x', { ex: 1000 });
      await Promise.all(Array.from({ length: 500 }, (_, i) => l.rpush('list', String(i))));
    });
    // A reload without close(): the page and its worker go away as a navigation takes them.
    await page.reload();
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction('window.larderReady === true');
    expect(await openIn(page, options)).toMatchObject({ role: 'owner', storage: 'idb:fallback' });
    const back = await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      return {
        h: await l.hgetall('h'),
        z: await l.zrange('z', 0, -1, { withScores: true }),
        ttl: await l.ttl('ttl'),
        list: await l.llen('list'),
        last: await l.lindex('list', -1),
      };
    });
    expect(back.h).toEqual({ a: '1', b: '2' });
    expect(back.z).toEqual(['one', 1, 'two', 2]);
    expect(back.ttl).toBeGreaterThan(990);
    expect(back).toMatchObject({ list: 500, last: '499' });
    // The log really is in IndexedDB: the store has no OPFS folder.
    expect(await opfsStores(page)).not.toContain('fallback');
    await page.close();
  });

  it('says in INFO persistence that the log is in IndexedDB', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    await openIn(page, { name: 'fallback-info', log: 'idb' });
    const info: string = await page.evaluate(() => (globalThis as any).larder.call('INFO', 'persistence'));
    await page.close();
    expect(info).toMatch(/\r\nlarder_storage:idb:fallback-info\r\n/);
    expect(info).toMatch(/\r\nlarder_log_backend:idb\r\n/);
  });

  it('loses no acknowledged write when the app.browser is killed (appendfsync always)', async () => {
    console.log(`fallback kill trials seed ${seed} (replay: LARDER_FALLBACK_SEED=${seed})`);
    const rand = seededRandom(seed);
    const options = { name: 'fallback-kill', log: 'idb', appendfsync: 'always' };
    let page = await openAppPage(app.browser, app.served.origin);
    await openIn(page, options);
    let recovered = 0;
    const stats = { trials: 0, acked: 0, recovered: 0, lost: 0, discardedByBrowser: 0 };
    for (let trial = 0; trial < KILL_TRIALS; trial++) {
      const log = await startWriter(page, recovered, Math.floor(rand() * 2 ** 32));
      const delay = 200 + Math.floor(rand() * 1000);
      await sleep(delay);
      await app.browser.kill();
      app.browser = await launchChromium(app.profile);
      page = await openAppPage(app.browser, app.served.origin);
      const info = await openIn(page, options);
      expect(info).toMatchObject({ storage: 'idb:fallback-kill' });
      const got = await readLog(page);
      const where = `trial ${trial} (seed ${seed}, kill after ${delay} ms, acked ${log.acked}, reserved ${log.reserved}, ` +
        `recovered before ${recovered}, now ${got.length}); errors: ${app.browser.errors().join(' | ')}`;
      expect(log.error, where).toBeUndefined();
      if (info.dataLoss !== undefined) {
        // Chromium deleted the database it could not open (its own report, see dataloss.test.ts):
        // no page code keeps data through that, so the trial says so instead of judging Larder.
        console.log(`fallback ${where}: THE BROWSER DISCARDED THE DATABASE: ${info.dataLoss}\n${idbDiagnostics(app.browser)}`);
        stats.discardedByBrowser++;
        expect(got.length, where).toBe(0);
        recovered = 0;
        continue;
      }
      expect({ firstBad: got.firstBad, badValue: got.badValue }, where).toEqual({ firstBad: -1, badValue: undefined });
      expect(got.length, where).toBeLessThanOrEqual(log.reserved);
      // A loss says what IndexedDB did about it (logged only then: the LOG files are long).
      if (got.length < log.acked) console.log(`fallback trial ${trial} lost writes:\n${idbDiagnostics(app.browser)}`);
      expect(got.length, where).toBeGreaterThanOrEqual(log.acked);
      stats.trials++;
      stats.acked += log.acked - recovered;
      stats.recovered += got.length - recovered;
      stats.lost += Math.max(0, log.acked - got.length);
      recovered = got.length;
    }
    console.log(`fallback kill (idb log, always): ${JSON.stringify(stats)}`);
    expect(await opfsStores(page)).not.toContain('fallback-kill');
  });
});
