// Chromium for the browser benchmarks, through the test harness itself (test/browser/harness.ts:
// spawn /usr/bin/chromium on a persistent profile with PLATFORM.md's flags, connectOverCDP with
// playwright-core, SIGKILL by process group). Node 20 cannot import .ts, so the harness is bundled
// once per process with esbuild (its npm imports left external) into test/.tmp/, inside the repo
// so that playwright-core and esbuild resolve from the repo's node_modules as they do for tests.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url).pathname;
const here = new URL('.', import.meta.url).pathname;
const scratch = join(root, 'test/.tmp', `bench-browser-${process.pid}`);

process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The harness module (launchChromium, buildBundles, serveDir, tmpProfile, removeDir, ...). */
export async function loadHarness() {
  mkdirSync(scratch, { recursive: true });
  const outfile = join(scratch, 'harness.mjs');
  await build({
    entryPoints: [join(root, 'test/browser/harness.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return import(pathToFileURL(outfile).href);
}

/**
 * The benchmark page's bundles: the page script (Larder's page client and the three IndexedDB
 * peers, browser-page.mjs with browser-page-restore.mjs), the package's worker as it ships, and
 * the probe worker used to split a call's or a restore's cost (browser-probe.worker.mjs).
 */
export const PAGE_BUNDLES = {
  'bench.js': join(here, 'browser-page.mjs'),
  'worker.js': join(root, 'test/browser/fixtures/worker.ts'),
  'probe.js': join(here, 'browser-probe.worker.mjs'),
};

/**
 * Launches Chromium on a fresh persistent profile and serves the bundles; `page()` opens a tab
 * with `window.bench` ready. `close()` kills the browser (and every process of its group) and
 * removes the profile, so no Chromium outlives a benchmark.
 */
export async function benchBrowser(h) {
  const dir = await h.buildBundles(PAGE_BUNDLES);
  const served = await h.serveDir(dir);
  const profile = h.tmpProfile();
  let browser;
  try {
    browser = await h.launchChromium(profile);
  } catch (e) {
    await served.close();
    throw e;
  }
  return {
    dir,
    origin: served.origin,
    browser,
    async page() {
      const p = await browser.newPage(`${served.origin}/`);
      await p.addScriptTag({ url: '/bench.js', type: 'module' });
      await p.waitForFunction('window.benchReady === true');
      return p;
    },
    async close() {
      try {
        await browser.kill();
      } finally {
        await served.close();
        h.removeDir(profile);
      }
    },
  };
}
