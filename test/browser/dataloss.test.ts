/**
 * When the store's IndexedDB database is gone, the store says so instead of passing an empty
 * dataset off as its data: Chromium deletes a database it finds corrupt when opening it and
 * reports `dataLoss` on the upgrade that recreates it; a database deleted by hand while OPFS
 * still holds the store's log leaves segments that cannot be replayed, which are removed so the
 * new log never appends to them. Either way `info.dataLoss`, INFO persistence and a warning say
 * what happened, and the store works afresh.
 *
 * The first case is how it happens after crashes: a torn tail of LevelDB's log (what a write cut
 * short by SIGKILL leaves) is dropped at the next open, but LevelDB reuses that log and appends
 * after the torn bytes; after the next kill the open meets them mid-log (checksum mismatch) and
 * Chromium deletes the database (Chromium 156 here). The test asserts what Larder owes whatever
 * Chromium does: the data is there, or the store says it is gone.
 */
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, launchChromium, openAppPage } from './app.ts';
import { openIn } from './trial.ts';

/** Writes `n` keys and closes the store in `page`. */
const fill = (page: Page, n: number): Promise<void> =>
  page.evaluate(async (n) => {
    const l = (globalThis as any).larder;
    for (let i = 0; i < n; i++) await l.set(`k${i}`, 'v');
    await l.close();
  }, n);

/** DBSIZE and the INFO field, then a write read back. */
const state = (page: Page): Promise<{ keys: number; field: string | undefined; works: string | null }> =>
  page.evaluate(async () => {
    const l = (globalThis as any).larder;
    const info: string = await l.call('INFO', 'persistence');
    await l.set('after', 'yes');
    return { keys: await l.dbsize(), field: /larder_storage_data_loss:(\d)/.exec(info)?.[1], works: await l.get('after') };
  });

describe('data loss: the IndexedDB database is gone', () => {
  const app = appSession();

  it('never passes off an empty store after a torn IndexedDB log and two kills', async () => {
    const options = { name: 'torn', log: 'idb', appendfsync: 'always' };
    let page = await openAppPage(app.browser, app.served.origin);
    await openIn(page, options);
    await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      for (let i = 0; i < 200; i++) await l.rpush('log', 'x'.repeat(1000));
    });
    await app.browser.kill();
    const root = join(app.profile, 'Default', 'IndexedDB');
    const dir = join(root, readdirSync(root).find((d) => d.endsWith('.indexeddb.leveldb'))!);
    const log = join(dir, readdirSync(dir).find((f) => f.endsWith('.log'))!);
    truncateSync(log, statSync(log).size - 3000);
    app.browser = await launchChromium(app.profile);
    page = await openAppPage(app.browser, app.served.origin);
    expect((await openIn(page, options)).dataLoss).toBeUndefined();
    // The torn transaction (the last push) is gone; LevelDB recovered the rest.
    const before: number = await page.evaluate(() => (globalThis as any).larder.llen('log'));
    expect(before).toBeGreaterThan(150);
    await page.evaluate(async () => {
      const l = (globalThis as any).larder;
      for (let i = 0; i < 50; i++) await l.rpush('log', 'y');
    });
    await app.browser.kill();
    app.browser = await launchChromium(app.profile);
    page = await openAppPage(app.browser, app.served.origin);
    const info = await openIn(page, options);
    const after: number = await page.evaluate(() => (globalThis as any).larder.llen('log'));
    console.log(`torn LevelDB log, two kills: ${before} + 50 pushes acknowledged, ${after} recovered; dataLoss: ${info.dataLoss}`);
    if (info.dataLoss === undefined) expect(after).toBe(before + 50);
    else expect(info.dataLoss).toMatch(/the browser discarded this store's IndexedDB database \(.*corrupt.*\)/);
    await page.close();
  });

  it('says so when Chromium discards a corrupt database (IndexedDB log)', async () => {
    const options = { name: 'corrupt', log: 'idb', appendfsync: 'always' };
    let page = await openAppPage(app.browser, app.served.origin);
    expect((await openIn(page, options)).dataLoss).toBeUndefined();
    await fill(page, 50);
    await app.browser.close();
    // Damage LevelDB's log the way a torn write would: Chromium then fails the open with a checksum
    // mismatch, deletes the database and recreates it.
    const root = join(app.profile, 'Default', 'IndexedDB');
    const dir = join(root, readdirSync(root).find((d) => d.endsWith('.indexeddb.leveldb'))!);
    const log = readdirSync(dir).find((f) => f.endsWith('.log'))!;
    const bytes = readFileSync(join(dir, log));
    for (let i = 0; i < bytes.length; i += 7) bytes[i]! ^= 0x5a;
    writeFileSync(join(dir, log), bytes);
    app.browser = await launchChromium(app.profile);
    page = await openAppPage(app.browser, app.served.origin);
    const info = await openIn(page, options);
    expect(info.dataLoss).toMatch(/the browser discarded this store's IndexedDB database \(.*corrupt.*\)/);
    // The load found nothing, the store says why, and it works afresh.
    expect(await state(page)).toEqual({ keys: 1, field: '1', works: 'yes' });
    expect(app.browser.logs().some((l) => l.includes('earlier data of this store is gone'))).toBe(true);
    await page.close();
  });

  it('removes the OPFS log left without its database, and says so', async () => {
    const options = { name: 'orphans', appendfsync: 'always' };
    const page = await openAppPage(app.browser, app.served.origin);
    expect(await openIn(page, options)).toMatchObject({ storage: 'opfs+idb:orphans', dataLoss: undefined });
    await fill(page, 20);
    await page.evaluate(() => new Promise((ok, fail) => {
      const r = (globalThis as any).indexedDB.deleteDatabase('larder:orphans');
      r.onsuccess = ok;
      r.onerror = () => fail(r.error);
    }));
    const info = await openIn(page, options);
    expect(info.dataLoss).toMatch(/IndexedDB database .* was missing; .* removed: appendonlydir\/appendonly\.aof\.1\.incr\.aof/);
    expect(await state(page)).toEqual({ keys: 1, field: '1', works: 'yes' });
    // Afresh for good: the next open finds its own data and no loss.
    await page.evaluate(() => (globalThis as any).larder.close());
    expect((await openIn(page, options)).dataLoss).toBeUndefined();
    expect(await page.evaluate(() => (globalThis as any).larder.get('after'))).toBe('yes');
    await page.close();
  });
});
