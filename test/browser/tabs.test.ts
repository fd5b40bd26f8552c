/**
 * One writer across tabs, under a crash: three tabs write through the owner (the first tab's
 * worker), the owner tab's renderer is SIGKILLed by pid mid-stream, a follower takes over.
 *
 * Checked, not assumed:
 * - no acknowledged write is lost (a call rejected with OWNER_LOST is not acknowledged; the
 *   writers retry it, which SADD makes safe), and nothing never sent appears;
 * - never two owners: a surviving tab samples `navigator.locks.query()` every few ms and at no
 *   sample is the owner lock (protocol.ts ownerLock) held twice; the holders seen form one handover,
 *   old owner → new owner, and the new holder appears only after the kill;
 * - owner tenures do not overlap: the pages' `onEvent` role events say which tab became owner
 *   when, and the new owner's tenure starts after the old owner was killed;
 * - pub/sub published by the new owner reaches the other tab (subscriptions are resubscribed on
 *   owner-changed).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appSession, openAppPage } from './app.ts';
import { ownerLock } from '../../packages/browser/src/protocol.ts';

const NAME = 'tabs-crash';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TabLog {
  acked: number;
  reserved: number;
  retries: number;
  error: string | undefined;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('tabs: the owner tab crashes mid-stream', () => {
  const app = appSession();

  /** A tab with its renderer's pid (the one new renderer around its creation). */
  async function openTab(): Promise<{ page: Page; pid: number }> {
    const before = new Set(await app.browser.rendererPids());
    const page = await openAppPage(app.browser, app.served.origin);
    const fresh = (await app.browser.rendererPids()).filter((p) => !before.has(p));
    expect(fresh, 'each tab has a renderer process of its own').toHaveLength(1);
    return { page, pid: fresh[0]! };
  }

  /** Opens the store in `window.larder`, recording role events with their time. */
  function openStore(page: Page): Promise<string> {
    return page.evaluate(async (name) => {
      const g = globalThis as any;
      g.events = [];
      g.larder = await g.openLarder({
        name,
        appendfsync: 'always',
        onEvent: (e: { type: string }) => g.events.push({ ...e, at: Date.now() }),
      });
      return g.larder.info.role as string;
    }, NAME);
  }

  /**
   * Tab `t` writes SADD tab<t> <i> in bursts of 8, telling Node before each burst what it has
   * acknowledged and how far it will send. OWNER_LOST: the burst is retried (SADD is idempotent).
   */
  async function startWriting(page: Page, t: number): Promise<TabLog> {
    const log: TabLog = { acked: 0, reserved: 0, retries: 0, error: undefined };
    await page.exposeFunction('tabProgress', (acked: number, reserved: number, retries: number) => {
      log.acked = Math.max(log.acked, acked);
      log.reserved = Math.max(log.reserved, reserved);
      log.retries = retries;
    });
    await page.exposeFunction('tabFailed', (m: string) => void (log.error ??= m));
    await page.evaluate((t) => {
      const g = globalThis as any;
      g.stop = false;
      g.writer = (async () => {
        let next = 0;
        let retries = 0;
        while (!g.stop) {
          const end = next + 8;
          await g.tabProgress(next, end, retries);
          for (;;) {
            try {
              await Promise.all(Array.from({ length: end - next }, (_, k) => g.larder.sadd(`tab${t}`, String(next + k))));
              break;
            } catch (e: any) {
              if (e?.code !== 'OWNER_LOST') return g.tabFailed(`${e?.name} ${e?.code} ${e?.message}`);
              retries++;
            }
          }
          next = end;
        }
        await g.tabProgress(next, next, retries);
      })();
    }, t);
    return log;
  }

  it('keeps every acknowledged write, never has two owners, and hands pub/sub over', async () => {
    const tabs = [await openTab(), await openTab(), await openTab()];
    expect(new Set(tabs.map((t) => t.pid)).size).toBe(3);
    const roles: string[] = [];
    for (const t of tabs) roles.push(await openStore(t.page));
    expect(roles).toEqual(['owner', 'follower', 'follower']);

    // The watcher: the last tab (a follower, it survives) samples the lock manager every ~2 ms.
    const watcher = tabs[2]!.page;
    await watcher.evaluate((lockName) => {
      const g = globalThis as any;
      g.locks = { samples: 0, violations: [] as unknown[], holders: [] as Array<[number, string | null]> };
      g.watching = (async () => {
        let last: string | null | undefined;
        while (!g.stopWatching) {
          const held = ((await (globalThis as any).navigator.locks.query()).held ?? []).filter((l: any) => l.name === lockName);
          g.locks.samples++;
          if (held.length > 1) g.locks.violations.push({ at: Date.now(), held });
          const holder = held[0]?.clientId ?? null;
          if (holder !== last) g.locks.holders.push([Date.now(), holder]);
          last = holder;
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
    }, ownerLock(NAME));

    // Both followers subscribe; after the takeover the new owner publishes to the other one.
    for (const t of tabs.slice(1)) {
      await t.page.evaluate(() => {
        const g = globalThis as any;
        g.news = [];
        g.larder.subscribe('news', (m: unknown) => g.news.push(m));
      });
    }

    const logs = await Promise.all(tabs.map((t, i) => startWriting(t.page, i)));
    await until('every tab to write', () => logs.every((l) => l.acked >= 200));
    const killedAt = Date.now();
    process.kill(tabs[0]!.pid, 'SIGKILL');
    const ackedAtKill = logs.map((l) => l.acked);
    // The survivors write on through the takeover.
    await until('the survivors to write after the takeover', () => logs.slice(1).every((l, i) => l.acked >= ackedAtKill[i + 1]! + 300), 30_000);
    for (const t of tabs.slice(1)) await t.page.evaluate(() => ((globalThis as any).stop = true, (globalThis as any).writer));

    const survivors = tabs.slice(1).map((t) => t.page);
    const events = await Promise.all(survivors.map((p) => p.evaluate(() => (globalThis as any).events as Array<{ type: string; role?: string; at: number }>)));
    const newOwners = events.flatMap((ev, i) => ev.filter((e) => e.type === 'role' && e.role === 'owner').map((e) => ({ tab: i + 1, at: e.at })));
    expect(newOwners, 'exactly one survivor took over').toHaveLength(1);
    const owner = survivors[newOwners[0]!.tab - 1]!;
    const other = survivors[2 - newOwners[0]!.tab]!;
    // Its tenure starts after the old owner's ended (the old one ended with its process).
    expect(newOwners[0]!.at).toBeGreaterThanOrEqual(killedAt);

    // Pub/sub across the takeover: once both subscribers are back, the new owner publishes.
    await until('both subscriptions to move to the new owner', async () =>
      (await owner.evaluate(() => (globalThis as any).larder.call('PUBSUB', 'NUMSUB', 'news')))[1] === 2);
    expect(await owner.evaluate(() => (globalThis as any).larder.publish('news', 'after-takeover'))).toBe(2);
    await other.waitForFunction('window.news.some((m) => m.message === "after-takeover")', undefined, { timeout: 5000 });
    await owner.waitForFunction('window.news.some((m) => m.message === "after-takeover")', undefined, { timeout: 5000 });

    await watcher.evaluate(() => ((globalThis as any).stopWatching = true, (globalThis as any).watching));
    const locks = await watcher.evaluate(() => (globalThis as any).locks as { samples: number; violations: unknown[]; holders: Array<[number, string | null]> });
    console.log(`tabs: ${JSON.stringify({ logs, lockSamples: locks.samples, holders: locks.holders, killedAt, newOwner: newOwners[0] })}`);
    expect(locks.violations).toEqual([]);
    expect(locks.samples).toBeGreaterThan(100);
    // One handover: the old owner, maybe a gap with no holder, the new owner; no one else, no return.
    const holders = locks.holders.filter(([, h]) => h !== null);
    expect(holders).toHaveLength(2);
    expect(holders[1]![0]).toBeGreaterThanOrEqual(killedAt);

    // Nothing acknowledged lost, nothing never sent, in any tab's set.
    const sets = await owner.evaluate(() => Promise.all([0, 1, 2].map((t) => (globalThis as any).larder.smembers(`tab${t}`) as Promise<string[]>)));
    for (const [t, log] of logs.entries()) {
      expect(log.error, `tab ${t}`).toBeUndefined();
      const got = new Set(sets[t]!.map(Number));
      const missing = Array.from({ length: log.acked }, (_, i) => i).filter((i) => !got.has(i));
      expect(missing, `tab ${t}: acknowledged writes missing`).toEqual([]);
      expect([...got].filter((i) => !(i >= 0 && i < log.reserved)), `tab ${t}: never sent`).toEqual([]);
    }
    expect(app.browser.errors().filter((e) => !e.includes('[crash]'))).toEqual([]);
  });
});
