/**
 * The harness's own smoke test, and the platform fact the browser storage rests on: bytes a
 * dedicated worker wrote to OPFS through a sync access handle survive SIGKILL of the whole browser
 * (flushed ones certainly; PLATFORM.md measured unflushed ones surviving too), with the handle still
 * open at the kill and no stale lock after the relaunch.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundles, launchChromium, removeDir, serveDir, tmpProfile, workerCall, type Chromium, type Served } from './harness.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('Chromium harness', () => {
  let served: Served | undefined;
  let browser: Chromium | undefined;
  const profile = tmpProfile();

  afterAll(async () => {
    await browser?.kill();
    await served?.close();
    removeDir(profile);
  });

  it('keeps OPFS writes of a killed browser, with no stale handle after relaunch', async () => {
    const dir = await buildBundles({ 'opfs-smoke.js': fixture('opfs-smoke.worker.ts') });
    served = await serveDir(dir);
    browser = await launchChromium(profile);
    let page = await browser.newPage(`${served.origin}/`);
    expect(await page.evaluate('window.isSecureContext')).toBe(true);
    expect((await browser.rendererPids()).length).toBeGreaterThan(0);

    const worker = `${served.origin}/opfs-smoke.js`;
    expect(await workerCall(page, worker, { op: 'append', file: 'smoke.log', text: 'flushed;', flush: true })).toBe(8);
    expect(await workerCall(page, worker, { op: 'append', file: 'smoke.log', text: 'unflushed', flush: false })).toBe(17);

    const pid = browser.pid;
    await browser.kill();
    expect(() => process.kill(pid, 0)).toThrow();

    browser = await launchChromium(profile);
    page = await browser.newPage(`${served.origin}/`);
    // Opening a read-write sync handle again proves the killed browser left no lock behind.
    const back = await workerCall<string>(page, worker, { op: 'read', file: 'smoke.log' });
    expect(back.startsWith('flushed;'), `read back ${JSON.stringify(back)}`).toBe(true);
    expect('flushed;unflushed'.startsWith(back)).toBe(true);
    expect(browser.errors()).toEqual([]);
  });

  it('finds a tab\'s renderer: killing it crashes that tab only', async () => {
    browser ??= await launchChromium(profile);
    const a = await browser.newTab(`${served!.origin}/?a`);
    const b = await browser.newTab(`${served!.origin}/?b`);
    expect(a.rendererPid).not.toBe(b.rendererPid);
    const crashed: string[] = [];
    a.page.on('crash', () => crashed.push('a'));
    b.page.on('crash', () => crashed.push('b'));
    process.kill(a.rendererPid, 'SIGKILL');
    await expect.poll(() => crashed).toEqual(['a']);
    expect(await b.page.evaluate('1 + 1')).toBe(2);
    await browser.close();
    browser = undefined;
  });
});
