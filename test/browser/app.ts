/**
 * Pages running the real page client and worker (fixtures/app.ts, fixtures/worker.ts) in a real
 * Chromium on a persistent profile, for the browser package's end-to-end tests and benchmarks.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildBundles, launchChromium, removeDir, serveDir, tmpProfile, type Chromium, type Served } from './harness.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export const APP_BUNDLES = { 'app.js': fixture('app.ts'), 'worker.js': fixture('worker.ts') };

export async function serveApp(extra: Record<string, string> = {}): Promise<Served> {
  return serveDir(await buildBundles({ ...APP_BUNDLES, ...extra }));
}

/** A new tab with `window.openLarder` ready. */
export async function openAppPage(browser: Chromium, origin: string): Promise<Page> {
  const page = await browser.newPage(`${origin}/`);
  await page.addScriptTag({ url: '/app.js', type: 'module' });
  await page.waitForFunction('window.larderReady === true');
  return page;
}

export interface AppSession {
  served: Served;
  /** Replace it after killing it: relaunch on `profile`. */
  browser: Chromium;
  readonly profile: string;
}

/**
 * For a describe block: the app served and a Chromium on a fresh persistent profile, both stopped
 * and the profile removed after the block.
 */
export function appSession(): AppSession {
  const s = { profile: tmpProfile() } as AppSession;
  beforeAll(async () => {
    s.served = await serveApp();
    s.browser = await launchChromium(s.profile);
  });
  afterAll(async () => {
    await s.browser?.kill();
    await s.served?.close();
    removeDir(s.profile);
  });
  return s;
}

export { launchChromium, type Chromium, type Served };
