/**
 * Test pages for the Chromium harness: esbuild bundles of TypeScript entries, served from a static
 * server on `http://localhost:PORT` (a secure context, which OPFS and Web Locks need), and the temp
 * dirs (bundles, browser profiles) they live in.
 *
 * Temp dirs carry the creating process's pid (`larder-bundle-<pid>-xxxxxx`): vitest ends its test
 * processes without running 'exit' handlers, so each process instead sweeps the dirs of processes
 * that are gone, the first time it makes one.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const TEMP = /^larder-(?:bundle|profile)-(\d+)-/;
let swept = false;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
};

function sweep(): void {
  swept = true;
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(TEMP.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function tempDir(kind: 'bundle' | 'profile'): string {
  if (!swept) sweep();
  return mkdtempSync(join(tmpdir(), `larder-${kind}-${process.pid}-`));
}

/** A fresh, empty Chromium profile dir; `removeDir` it when done (or a later process will). */
export function tmpProfile(): string {
  return tempDir('profile');
}

/** Removes a profile or bundle dir made here. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The blank page every bundle dir serves; tests drive it with `page.evaluate` or `workerCall`. */
const INDEX_HTML = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>larder test</title><body></body>\n';

const bundles = new Map<string, Promise<string>>();

/**
 * Bundles `entries` (output name → absolute path of a .ts/.js entry, e.g. `{ 'worker.js':
 * '/work/main/test/browser/fixtures/x.worker.ts' }`) into a temp dir with an `index.html`, once per
 * process per entry set. Entries ending in `.html` are copied as they are. `@larder/*` resolve to
 * their TypeScript sources through the `@larder/source` condition.
 */
export function buildBundles(entries: Record<string, string>): Promise<string> {
  const key = JSON.stringify(Object.entries(entries).sort());
  let dir = bundles.get(key);
  if (!dir) {
    dir = bundle(entries);
    bundles.set(key, dir);
    dir.catch(() => bundles.delete(key));
  }
  return dir;
}

async function bundle(entries: Record<string, string>): Promise<string> {
  const dir = tempDir('bundle');
  const scripts: Record<string, string> = {};
  for (const [out, path] of Object.entries(entries)) {
    if (path.endsWith('.html')) copyFileSync(path, join(dir, out));
    else scripts[out.replace(/\.m?js$/, '')] = path;
  }
  await writeFile(join(dir, 'index.html'), INDEX_HTML);
  if (Object.keys(scripts).length > 0) {
    await build({
      entryPoints: scripts,
      outdir: dir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      sourcemap: 'inline',
      conditions: ['@larder/source'],
      // Entries outside the repo (a benchmark's scratch file) still find the repo's packages.
      nodePaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
      logLevel: 'silent',
    });
  }
  return dir;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export interface Served {
  /** `http://localhost:PORT`: localhost, not 127.0.0.1, is what Chromium treats as a secure context. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `dir` read-only on 127.0.0.1 at a free port, without caching. */
export function serveDir(dir: string): Promise<Served> {
  const root = resolve(dir);
  const send = (res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain', csp?: string | null): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...(csp ? { 'content-security-policy': csp } : {}) });
    res.end(body);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // Chromium asks for one on every page; a 404 would show up as a console error.
      if (url.pathname === '/favicon.ico') return send(res, 204, '');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (path !== root && !path.startsWith(root + sep)) return send(res, 403, 'forbidden');
      try {
        if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
        // `?csp=<policy>` serves the file with that Content-Security-Policy.
        send(res, 200, await readFile(path), MIME[extname(path)] ?? 'application/octet-stream', url.searchParams.get('csp'));
      } catch {
        send(res, 404, `not found: ${url.pathname}`);
      }
    })();
  });
  return new Promise((resolveServed, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolveServed({
        origin: `http://localhost:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
