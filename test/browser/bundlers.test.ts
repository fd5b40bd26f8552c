/**
 * "Shipping the worker" (packages/browser/README.md) with real bundlers: one small app built by
 * Vite's and by webpack's production builds from the published entry points (`@larder/browser`
 * and `@larder/browser/worker`, resolved to the packages' dist as an app's would be), served as
 * static files and run in Chromium. Both forms the README gives: the app's own worker file passed
 * as `worker`, and no `worker` option (the package's worker, which the bundler must find through
 * `new URL(..., import.meta.url)` inside the dependency). Each visit reloads the page, so the
 * second shows the store outlived the first.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';
import { launchChromium, removeDir, serveDir, tmpProfile, type Chromium, type Served } from './harness.ts';

// Inside the repo, so that the app resolves @larder/browser from the workspace's node_modules.
const apps = new URL(`../.tmp/bundler-apps-${process.pid}/`, import.meta.url).pathname;

const MAIN = `import { openLarder } from '@larder/browser';

const own = new URLSearchParams(location.search).has('own-worker');
// One visit: count it in the store, report what the store says, close.
window.visit = async (name) => {
  const larder = await openLarder({
    name,
    appendfsync: 'always',
    ...(own ? { worker: () => new Worker(new URL('./larder.worker.js', import.meta.url), { type: 'module' }) } : {}),
  });
  const visits = await larder.incr('visits');
  const storage = larder.info.storage;
  await larder.close();
  return { visits, storage };
};
`;
const page = (script: string): string => `<!doctype html><meta charset="utf-8"><title>app</title>${script}`;

/** Each bundler: builds the app in `dir` (main.js, larder.worker.js) and returns its output folder. */
const BUNDLERS: Record<string, (dir: string) => Promise<string>> = {
  async vite(dir) {
    writeFileSync(join(dir, 'index.html'), page('<script type="module" src="./main.js"></script>'));
    await viteBuild({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
    return join(dir, 'dist');
  },
  async webpack(dir) {
    const out = join(dir, 'dist');
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: out, filename: 'main.js' }, performance: { hints: false } },
        (err, s) => (err || !s ? reject(err ?? new Error('webpack: no stats')) : resolve(s))));
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    writeFileSync(join(out, 'index.html'), page('<script src="./main.js"></script>'));
    return out;
  },
};

let browser: Chromium;
const profile = tmpProfile();
const served = new Map<string, Served>();

beforeAll(async () => {
  for (const [name, build] of Object.entries(BUNDLERS)) {
    const dir = join(apps, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.js'), MAIN);
    writeFileSync(join(dir, 'larder.worker.js'), "import '@larder/browser/worker';\n");
    served.set(name, await serveDir(await build(dir)));
  }
  browser = await launchChromium(profile);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of served.values()) await s.close();
  removeDir(profile);
  rmSync(apps, { recursive: true, force: true });
});

for (const bundler of Object.keys(BUNDLERS)) {
  describe(`an app built with ${bundler}`, () => {
    for (const [form, query] of [['its own worker file', '?own-worker'], ["the package's default worker", '']] as const) {
      it(`runs Larder with ${form}, and keeps the data across a reload`, async () => {
        const name = `${bundler}${query.replace(/\W/g, '-')}`;
        const visit = async (): Promise<unknown> => {
          const p = await browser.newPage(`${served.get(bundler)!.origin}/${query}`);
          try {
            await p.waitForFunction('typeof window.visit === "function"');
            return await p.evaluate(`window.visit(${JSON.stringify(name)})`);
          } finally {
            await p.close();
          }
        };
        expect(await visit()).toEqual({ visits: 1, storage: `opfs+idb:${name}` });
        expect(await visit()).toEqual({ visits: 2, storage: `opfs+idb:${name}` });
        expect(browser.errors()).toEqual([]);
      });
    }
  });
}
