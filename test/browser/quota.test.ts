/**
 * A full origin: the quota is forced small through the DevTools protocol
 * (`Storage.overrideQuotaForOrigin`), with most of it taken by another database of the same site
 * (the "ballast", as an app's other data would be). The store writes until the browser refuses.
 *
 * Checked: the refused write fails with a StorageError of code QUOTA_EXCEEDED whose message says
 * what to do; later writes are refused the same way while reads are served; no acknowledged write
 * is lost. "Space freed" here is what a user or app does about it: the site deletes other data
 * (the ballast database) and the quota is no longer exhausted. Deleting Larder keys would not free
 * anything by itself (the AOF only shrinks through a rewrite, which needs room to write the new
 * base). Then writes resume with no call from the app (the AOF retries every second), and after a
 * reload every acknowledged write is there.
 */
import { describe, expect, it } from 'vitest';
import { appSession, openAppPage, type Chromium } from './app.ts';
import { openIn } from './trial.ts';

const NAME = 'quota';
const OPTIONS = { name: NAME, appendfsync: 'always', save: '' };
const BALLAST = 4 << 20;
/** Room left for the store once the ballast is in. */
const HEADROOM = 1 << 20;

type Cdp = Awaited<ReturnType<Chromium['context']['newCDPSession']>>;
/** The origin's usage and quota as the quota manager sees them (navigator.storage.estimate() ignores the override). */
const usageAndQuota = (cdp: Cdp, origin: string) => cdp.send('Storage.getUsageAndQuota', { origin });

describe('quota: a full origin', () => {
  const app = appSession();

  it('refuses writes with QUOTA_EXCEEDED, serves reads, loses nothing, and resumes once space is freed', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    await openIn(page, OPTIONS);
    // The ballast: another IndexedDB database of this site, committed strictly.
    await page.evaluate(async (size) => {
      const db: any = await new Promise((ok, fail) => {
        const r = (globalThis as any).indexedDB.open('ballast', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('b');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const tx = db.transaction('b', 'readwrite', { durability: 'strict' });
      // Random bytes: IndexedDB compresses values, and the ballast must weigh what it says.
      const bytes = new Uint8Array(size);
      for (let o = 0; o < size; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
      tx.objectStore('b').put(bytes, 'x');
      await new Promise((ok, fail) => ((tx.oncomplete = ok), (tx.onerror = () => fail(tx.error))));
      db.close();
    }, BALLAST);
    // A page session: the browser-level one answers this method with "Internal error" in Chromium 156.
    const cdp = await app.browser.context.newCDPSession(page);
    const before = await usageAndQuota(cdp, app.served.origin);
    expect(before.usage).toBeGreaterThan(BALLAST);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.served.origin, quotaSize: before.usage + HEADROOM });
    expect(await usageAndQuota(cdp, app.served.origin)).toMatchObject({ quota: before.usage + HEADROOM, overrideActive: true });

    // Write 1 KB values, 16 in flight, until the app.browser refuses; keep every acknowledged key.
    const filled = await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      const value = 'q'.repeat(1024);
      const acked: number[] = [];
      for (let i = 0; i < 100_000; i += 16) {
        const burst = Array.from({ length: 16 }, (_, k) => l.set(`k${i + k}`, value).then(() => acked.push(i + k)));
        const out = await Promise.allSettled(burst);
        const failed = out.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) {
          const e = failed.reason;
          return { acked, sent: i + 16, error: { name: e?.name, code: e?.code, message: e?.message, isError: e instanceof Error } };
        }
      }
      return { acked, sent: 100_000, error: undefined };
    });
    console.log(`quota: ${filled.acked.length} writes acknowledged before the quota ran out; ${filled.error?.message}`);
    expect(filled.error).toMatchObject({ name: 'StorageError', code: 'QUOTA_EXCEEDED', isError: true });
    // The message says what happened and what to do.
    expect(filled.error!.message).toMatch(/quota/i);
    expect(filled.error!.message).toMatch(/free space/i);
    expect(filled.acked.length).toBeGreaterThan(100);

    // While full, for a while (the AOF retries every second meanwhile), and around a rewrite and a
    // BGSAVE, which need room too and fail or wait: reads are served and every refused write says
    // QUOTA_EXCEEDED, never a bare MISCONF.
    const full = await page.evaluate(async (acked: number[]) => {
      const l = (globalThis as any).larder;
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const attempt = (cmd: string[]) => l.call(...cmd).then(
        (r: unknown) => ({ ok: String(r) }),
        (e: any) => ({ name: e.name, code: e.code, message: e.message }),
      );
      const refusals: unknown[] = [];
      await sleep(1500);
      refusals.push(await attempt(['SET', 'while-full', 'x']));
      const jobs = [await attempt(['BGREWRITEAOF']), await attempt(['BGSAVE'])];
      for (let i = 0; i < 6; i++) {
        await sleep(250);
        refusals.push(await attempt(['SET', 'while-full', 'x']));
      }
      // An import is refused the same way, and changes nothing.
      refusals.push(await l.import('{"0":{"imported":{"type":"string","value":"x"}}}').then(
        (n: number) => ({ ok: n }),
        (e: any) => ({ name: e.name, code: e.code, message: e.message }),
      ));
      const values = await l.mget(...acked.map((i) => `k${i}`));
      return { refusals, jobs, present: values.filter((v: string | null) => v !== null).length };
    }, filled.acked);
    console.log(`quota: jobs while full ${JSON.stringify(full.jobs.map((j: any) => j.ok ?? `${j.name}: ${j.message}`))}`);
    for (const r of full.refusals) {
      expect(r).toMatchObject({ name: 'StorageError', code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/quota.*free space/is) });
    }
    expect(full.present).toBe(filled.acked.length);

    // Space freed: the site deletes its other data. Writes resume by themselves.
    await page.evaluate(() => new Promise((ok, fail) => {
      const r = (globalThis as any).indexedDB.deleteDatabase('ballast');
      r.onsuccess = ok;
      r.onerror = () => fail(r.error);
    }));
    const resumed = await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      const t0 = Date.now();
      for (;;) {
        try {
          await l.set('after', 'resumed');
          return { ms: Date.now() - t0 };
        } catch (e: any) {
          if (e.code !== 'QUOTA_EXCEEDED' || Date.now() - t0 > 10_000) return { error: `${e.name} ${e.code} ${e.message}` };
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    console.log(`quota: writes resumed ${JSON.stringify(resumed)} after the ballast was deleted`);
    expect(resumed.error, app.browser.logs().filter((x) => x.includes('larder[')).join('\n')).toBeUndefined();
    const held = await page.evaluate(async (acked: number[]) => {
      const values = await (globalThis as any).larder.mget(...acked.map((i) => `k${i}`));
      return values.filter((v: string | null) => v !== null).length;
    }, filled.acked);
    expect(held).toBe(filled.acked.length);

    // After a reload (the worker dies with the page), every acknowledged write is there.
    await page.reload();
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction('window.larderReady === true');
    await openIn(page, OPTIONS);
    const back = await page.evaluate(async (acked: number[]) => {
      const l = (globalThis as any).larder;
      const values = await l.mget(...acked.map((i) => `k${i}`));
      return { missing: acked.filter((_, j) => values[j] === null), after: await l.get('after') };
    }, filled.acked);
    expect(back).toEqual({ missing: [], after: 'resumed' });
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.served.origin });
  });
});
