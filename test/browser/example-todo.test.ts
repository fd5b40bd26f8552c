/**
 * examples/todo-pwa, built by Vite as its README says and driven through its UI in Chromium, the way
 * a user would: two tabs editing one list (each re-rendered by keyspace notifications), undo within
 * the TTL, a reload, a killed browser, the server gone (the service worker serves the app, the store
 * needs no network), and the backup: the downloaded dump.rdb loads in redis-server, and a dump.rdb
 * written by redis-server restores into the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../support/resp-client.ts';
import { startRedis } from '../support/redis-server.ts';
import { launchChromium, removeDir, serveDir, tmpProfile, type Chromium, type Served } from './harness.ts';

const app = fileURLToPath(new URL('../../examples/todo-pwa/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'larder-todo-'));
const profile = tmpProfile();
let browser: Chromium;
let served: Served;

beforeAll(async () => {
  await viteBuild({ root: app, logLevel: 'silent', build: { outDir: join(scratch, 'dist'), emptyOutDir: true } });
  served = await serveDir(join(scratch, 'dist'));
  browser = await launchChromium(profile);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  removeDir(profile);
  rmSync(scratch, { recursive: true, force: true });
});

async function openApp(): Promise<Page> {
  const page = await browser.newPage(`${served.origin}/`);
  await page.waitForSelector('body[data-ready]');
  return page;
}

/** The list as the page shows it: title, and ✓ for done. */
const shown = (page: Page): Promise<string[]> =>
  page.$$eval('#list li', (lis) => lis.map((li) => `${li.querySelector('span')!.textContent}${li.querySelector('input')!.checked ? ' ✓' : ''}`));

/** Waits until `page` shows `expected` (other tabs update when their notification arrives). */
async function expectShown(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(expected);
}

async function addTodo(page: Page, title: string): Promise<void> {
  await page.fill('#title', title);
  await page.press('#title', 'Enter');
  await page.waitForFunction((t) => [...document.querySelectorAll('#list span')].some((s) => s.textContent === t), title);
}

const row = (title: string): string => `#list li:has(span:text-is("${title}"))`;

describe('examples/todo-pwa in Chromium', () => {
  it('keeps two tabs in step, undoes a delete, hands the store over when its tab closes, and survives a killed browser', async () => {
    const a = await openApp();
    expect(await a.textContent('#status')).toMatch(/^This tab holds the store \(opfs\+idb:todos/);
    for (const t of ['Buy milk', 'Call mum', 'File taxes']) await addTodo(a, t);

    const b = await openApp();
    expect(await b.textContent('#status')).toMatch(/^Another tab holds the store/);
    await expectShown(b, ['Buy milk', 'Call mum', 'File taxes']);

    // A change in either tab shows in the other.
    await b.check(`${row('Call mum')} input`);
    await expectShown(a, ['Buy milk', 'Call mum ✓', 'File taxes']);
    await addTodo(b, 'Water plants');
    await expectShown(a, ['Buy milk', 'Call mum ✓', 'File taxes', 'Water plants']);

    // Delete, then undo within the TTL; a second delete stays deleted.
    await a.click(`${row('Buy milk')} .delete`);
    await expectShown(b, ['Call mum ✓', 'File taxes', 'Water plants']);
    await a.waitForSelector('#undo', { state: 'visible' });
    await a.click('#undo button');
    await expectShown(b, ['Buy milk', 'Call mum ✓', 'File taxes', 'Water plants']);
    await a.click(`${row('File taxes')} .delete`);
    await expectShown(b, ['Buy milk', 'Call mum ✓', 'Water plants']);
    await b.click('#clear');
    await expectShown(a, ['Buy milk', 'Water plants']);
    expect(await a.textContent('#count')).toBe('2 left');

    // The tab holding the store closes: the other takes it over and goes on.
    await a.close();
    await b.waitForFunction(() => document.querySelector('#status')!.textContent!.startsWith('This tab holds the store'));
    await addTodo(b, 'Walk dog');
    await b.reload();
    await b.waitForSelector('body[data-ready]');
    await expectShown(b, ['Buy milk', 'Water plants', 'Walk dog']);

    // appendfsync always: what the page showed was on disk before it showed it.
    await browser.kill();
    browser = await launchChromium(profile);
    const c = await openApp();
    await expectShown(c, ['Buy milk', 'Water plants', 'Walk dog']);
    expect(browser.errors()).toEqual([]);
    await c.close();
  });

  it('works with the server gone: the service worker serves the app, the store needs no network', async () => {
    const page = await openApp();
    // The service worker controls pages after its first load; this one has loaded through it.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    await served.close();
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    await expectShown(page, ['Buy milk', 'Water plants', 'Walk dog']);
    await addTodo(page, 'Offline todo');
    await expectShown(page, ['Buy milk', 'Water plants', 'Walk dog', 'Offline todo']);
    await page.close();
    served = await serveDir(join(scratch, 'dist')); // for what follows: a new origin, a new store
  });

  it('downloads a dump.rdb that redis-server loads, and restores one that redis-server wrote', async () => {
    const page = await openApp();
    for (const t of ['Backup me', 'And me']) await addTodo(page, t);
    await page.check(`${row('And me')} input`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#backup')]);
    expect(download.suggestedFilename()).toBe('dump.rdb');
    const dir = mkdtempSync(join(scratch, 'redis-'));
    await download.saveAs(join(dir, 'dump.rdb'));
    const redis = await startRedis(['--dir', dir]);
    const r = await RespClient.connect(redis.port);
    try {
      expect(await r.call(['ZRANGE', 'todos', '0', '-1'])).toEqual({ t: 'array', v: [{ t: 'bulk', v: '1' }, { t: 'bulk', v: '2' }] });
      expect(await r.call(['HGET', 'todo:2', 'done'])).toEqual({ t: 'bulk', v: '1' });

      // Now the other way: redis-server writes the list, the app restores it from the file.
      await r.pipeline([
        ['FLUSHALL'],
        ['HSET', 'todo:7', 'title', 'From redis-server', 'done', '0'],
        ['HSET', 'todo:9', 'title', 'Done in redis', 'done', '1'],
        ['ZADD', 'todos', '7', '7', '9', '9'],
        ['SET', 'todo:seq', '9'],
        ['SAVE'],
      ]);
    } finally {
      r.close();
      await redis.stop(); // the dir stays: stop() removes only its own temp dir
    }
    const other = await openApp(); // a second tab sees the restore too
    await page.setInputFiles('#restore', join(dir, 'dump.rdb'));
    await expectShown(page, ['From redis-server', 'Done in redis ✓']);
    await expectShown(other, ['From redis-server', 'Done in redis ✓']);
    await addTodo(other, 'After the restore'); // ids go on from redis-server's counter
    await expectShown(page, ['From redis-server', 'Done in redis ✓', 'After the restore']);
    expect(await page.evaluate(() => document.querySelector('#list li:last-child')!.getAttribute('data-id'))).toBe('10');
    expect(browser.errors()).toEqual([]);
    await other.close();
    await page.close();
  });
});
