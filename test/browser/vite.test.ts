/**
 * "Shipping the worker" (packages/browser/README.md) with a real bundler: a small app built by
 * Vite's production build from the published entry points (`@larder/browser` and
 * `@larder/browser/worker`, resolved to the packages' dist as an app's would be), served as
 * static files and run in Chromium. Both forms the README gives: the app's own worker file passed
 * as `worker`, and no `worker` option (the package's worker, which Vite must find through
 * `new URL(..., import.meta.url)` inside the dependency). Each reloads the page to show the store
 * outlived it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { launchChromium, removeDir, serveDir, tmpProfile, type Chromium, type Served } from './harness.ts';

// Inside the repo, so that the app resolves @larder/browser from the workspace's node_modules.
const app = new URL(`../.tmp/vite-app-${process.pid}/`, import.meta.url).pathname;

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="./main.ts"></script>',
  'larder.worker.ts': "import '@larder/browser/worker';\n",
  'main.ts': `import { openLarder } from '@larder/browser';

const own = new URLSearchParams(location.search).has('own-worker');
// One visit: count it in the store, report what the store says, close.
(window as unknown as { visit: (name: string) => Promise<unknown> }).visit = async (name) => {
  const larder = await openLarder({
    name,
    appendfsync: 'always',
    ...(own ? { worker: () => new Worker(new URL('./larder.worker.ts', import.meta.url), { type: 'module' }) } : {}),
  });
  const visits = await larder.incr('visits');
  const storage = larder.info.storage;
  await larder.close();
  return { visits, storage };
};
`,
};

let served: Served;
let browser: Chromium;
const profile = tmpProfile();

beforeAll(async () => {
  mkdirSync(app, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(app, name), text);
  await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: join(app, 'dist'), emptyOutDir: true } });
  served = await serveDir(join(app, 'dist'));
  browser = await launchChromium(profile);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  removeDir(profile);
  rmSync(app, { recursive: true, force: true });
});

describe('an app built with Vite', () => {
  for (const [form, query] of [['its own worker file', '?own-worker'], ["the package's default worker", '']] as const) {
    it(`runs Larder with ${form}, and keeps the data across a reload`, async () => {
      const name = `vite${query.replace(/\W/g, '-')}`;
      const visit = async (): Promise<unknown> => {
        const page = await browser.newPage(`${served.origin}/${query}`);
        try {
          await page.waitForFunction('typeof window.visit === "function"');
          return await page.evaluate(`window.visit(${JSON.stringify(name)})`);
        } finally {
          await page.close();
        }
      };
      expect(await visit()).toEqual({ visits: 1, storage: `opfs+idb:${name}` });
      expect(await visit()).toEqual({ visits: 2, storage: `opfs+idb:${name}` });
      expect(browser.errors()).toEqual([]);
    });
  }
});
