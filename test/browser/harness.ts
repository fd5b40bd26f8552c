/**
 * The Chromium harness: runs Debian's Chromium on a persistent profile, driven through
 * playwright-core over CDP, against pages that serve.ts bundles and serves (re-exported here).
 *
 * We spawn Chromium ourselves (rather than `chromium.launchPersistentContext`) so that a test owns
 * the real process: it can SIGKILL the whole process group (a browser crash: what survives is what
 * the platform persisted), kill one renderer (a crashed tab), and relaunch on the same profile.
 * Playwright only ever *connects*. Off-the-record profiles are never used: their OPFS is ~100x
 * slower than a real profile's (PLATFORM.md).
 *
 * A browser never outlives the process that launched it: vitest ends its test processes without
 * 'exit' handlers, so a small shell watchdog per browser SIGKILLs the browser's group once that
 * process is gone (a failing or killed test run leaves no Chromium to skew other benchmarks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium as playwright, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { descendants, familyOf, killGroup, killPid, readCmdline, waitGone } from './processes.ts';

export { buildBundles, removeDir, serveDir, tmpProfile, type Served } from './serve.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const liveBrowsers = new Set<number>();

// For plain Node scripts (benchmarks), which do run 'exit' handlers; vitest relies on the watchdog.
process.once('exit', () => {
  for (const pid of liveBrowsers) killGroup(pid);
});

/** Kills browser `pid`'s process group once this process is gone; exits by itself when the browser does. */
function watchdog(pid: number): ChildProcess {
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -0 ${pid} 2>/dev/null && kill -9 -${pid}`; // dash: no `--` after the signal
  const dog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  dog.unref();
  return dog;
}

export interface Chromium {
  readonly browser: Browser;
  /** The persistent default context (the profile's); pages opened here share its OPFS and IndexedDB. */
  readonly context: BrowserContext;
  readonly pid: number;
  readonly profileDir: string;
  /** Opens `url` in a new tab and waits for its load. */
  newPage(url: string): Promise<Page>;
  /**
   * Opens `url` in a new tab and finds its renderer: SIGKILL of `rendererPid` is that tab crashing
   * (its Web Locks and OPFS handles are freed in ~40 ms) while other tabs live on. CDP Page.crash
   * would take the whole headless browser down. Open tabs one at a time for this.
   */
  newTab(url: string): Promise<{ page: Page; rendererPid: number }>;
  /** Pids of the renderer processes (`--type=renderer`) of this browser, headless's own WebUI one included. */
  rendererPids(): Promise<number[]>;
  /** SIGKILL to the browser's process group (a crash), resolved once every process is gone. */
  kill(): Promise<void>;
  /** Graceful close (Browser.close over CDP) so the profile is written out; kills after 10 s. */
  close(): Promise<void>;
  /** A browser-level CDP session. */
  cdp(): Promise<CDPSession>;
  /** Console errors/warnings and uncaught errors of every page and worker, oldest first. */
  errors(): string[];
  /** Every console message of every page and worker, oldest first. */
  logs(): string[];
  /** Chromium's own stderr (last 64 KB), for a test that failed to launch or crashed. */
  stderr(): string;
}

/**
 * Without a spare renderer (one Chromium starts ahead for the next tab), a new tab's renderer is
 * the one process that appears when it opens, which is how `newTab` finds the pid to kill; with
 * it, the tab takes the older spare and the new process belongs to no tab (measured).
 */
const HARNESS_FLAGS = ['--disable-features=SpareRendererForSitePerProcess'];

/** Launches Chromium on `profileDir` (see the file comment) and connects Playwright to it. */
export async function launchChromium(profileDir: string, extraArgs: string[] = []): Promise<Chromium> {
  const args = [...CHROMIUM_FLAGS, ...HARNESS_FLAGS, ...extraArgs, `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'];
  // detached: its own process group, so a kill reaches the zygote and every renderer with it.
  const proc = spawn(CHROMIUM, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = proc.pid!;
  liveBrowsers.add(pid);
  const dog = watchdog(pid);
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  void exited.then(() => {
    liveBrowsers.delete(pid);
    dog.kill('SIGKILL');
  });
  let err = '';
  // Keep draining stderr for the browser's whole life: a full pipe would block Chromium.
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-65536)));

  let browser: Browser;
  try {
    const ws = await devtoolsUrl(proc, () => err);
    browser = await playwright.connectOverCDP(ws);
  } catch (e) {
    killGroup(pid);
    await exited;
    throw e;
  }
  const context = browser.contexts()[0]!;
  const logs: string[] = [];
  const errors: string[] = [];
  context.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()} (${m.location().url}:${m.location().lineNumber})`;
    logs.push(line);
    if (m.type() === 'error' || m.type() === 'warning') errors.push(line);
  });
  context.on('weberror', (e) => errors.push(`[uncaught] ${e.error().stack ?? e.error().message}`));

  const chromium: Chromium = {
    browser,
    context,
    pid,
    profileDir,
    async newPage(url) {
      const page = await context.newPage();
      page.on('crash', () => errors.push(`[crash] renderer of ${page.url()} crashed`));
      await page.goto(url);
      return page;
    },
    async newTab(url) {
      const before = await chromium.rendererPids();
      const page = await chromium.newPage(url);
      const fresh = (await chromium.rendererPids()).filter((p) => !before.includes(p));
      if (fresh.length !== 1) throw new Error(`newTab: expected one new renderer for ${url}, found ${fresh.length}`);
      return { page, rendererPid: fresh[0]! };
    },
    async rendererPids() {
      const out: number[] = [];
      for (const p of descendants(pid)) {
        if (readCmdline(p).includes('--type=renderer')) out.push(p);
      }
      return out;
    },
    async kill() {
      const family = familyOf(pid, profileDir);
      killGroup(pid);
      // Processes that left the group (none today, but zygotes may) die by pid.
      for (const p of family) killPid(p);
      await exited;
      await waitGone(family);
    },
    async close() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const family = familyOf(pid, profileDir);
      try {
        const session = await browser.newBrowserCDPSession();
        await session.send('Browser.close').catch(() => undefined);
      } catch {
        // The connection is already gone: the kill below ends it.
      }
      const timer = setTimeout(() => killGroup(pid), 10_000);
      await exited;
      clearTimeout(timer);
      await waitGone(family);
    },
    cdp: () => browser.newBrowserCDPSession(),
    errors: () => [...errors],
    logs: () => [...logs],
    stderr: () => err,
  };
  return chromium;
}

function devtoolsUrl(proc: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(new Error(`Chromium did not print its DevTools URL in 30 s:\n${stderr()}`)), 30_000);
    const onData = (): void => {
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr());
      if (m) done(() => resolveUrl(m[1]!));
    };
    const onExit = (): void => fail(new Error(`Chromium exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${stderr()}`));
    const done = (then: () => void): void => {
      clearTimeout(timer);
      proc.stderr!.off('data', onData);
      proc.off('exit', onExit);
      then();
    };
    const fail = (e: Error): void => done(() => reject(e));
    // Our listener runs after the one accumulating stderr, so stderr() already holds this chunk.
    proc.stderr!.on('data', onData);
    proc.once('exit', onExit);
  });
}

/**
 * Sends `message` to the dedicated module worker at `workerUrl` in `page` (started on first use
 * and kept running, so it can hold handles until a kill) and resolves with its reply. The worker
 * answers with `postMessage({ ok: value })` or `postMessage({ error: string })`, one reply per
 * message, in order.
 */
export async function workerCall<T = unknown>(page: Page, workerUrl: string, message: unknown): Promise<T> {
  // An expression string with the arguments inlined as JSON: test/ compiles without DOM types.
  return page.evaluate(`(${WORKER_CALL})(${JSON.stringify({ url: workerUrl, message })})`) as Promise<T>;
}

const WORKER_CALL = `(async ({ url, message }) => {
  const workers = (globalThis.__larderWorkers ??= new Map());
  let w = workers.get(url);
  if (!w) {
    const worker = new Worker(url, { type: 'module' });
    w = { worker, queue: [] };
    worker.onmessage = (e) => w.queue.shift()?.resolve(e.data);
    worker.onerror = (e) => { for (const q of w.queue.splice(0)) q.reject(new Error('worker error: ' + (e.message || 'failed to load ' + url))); };
    workers.set(url, w);
  }
  const reply = await new Promise((resolve, reject) => { w.queue.push({ resolve, reject }); w.worker.postMessage(message); });
  if (reply && typeof reply === 'object' && 'error' in reply) throw new Error(reply.error);
  return reply && typeof reply === 'object' && 'ok' in reply ? reply.ok : reply;
})`;
