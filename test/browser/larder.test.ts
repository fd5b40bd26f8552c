/**
 * The browser package end to end in Chromium: the page client over comlink, the worker host, the
 * OPFS log and IndexedDB snapshots, reloads, pub/sub, export/import, and several tabs sharing one
 * owner. Each test uses its own store name; the profile is persistent (as users' are).
 */
import { describe, expect, it } from 'vitest';
import { appSession, openAppPage } from './app.ts';

// page.evaluate bodies run in the page, where these exist.
declare const openLarder: (o: object) => Promise<any>;
declare const larders: Record<string, any>;

describe('@larder/browser in Chromium', () => {
  const app = appSession();

  it('runs commands with the typed API, pipelines, transactions and Redis errors', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const l = await openLarder({ name: 'basics', appendfsync: 'always' });
      const r: Record<string, unknown> = { info: l.info };
      r.set = await l.set('k', 'v', { ex: 100 });
      r.get = await l.get('k');
      r.ttl = await l.ttl('k');
      r.pipe = await l.pipeline().incr('n').incr('n').get('n').exec();
      r.multi = await l.multi().rpush('list', 'a', 'b').lrange('list', 0, -1).exec();
      r.zadd = await l.zadd('z', { score: 1.5, member: 'm' });
      r.zscore = await l.zscore('z', 'm');
      try {
        await l.lpush('k', 'x');
      } catch (e: any) {
        r.err = { name: e.name, message: e.message, prefix: e.prefix, isReplyError: e instanceof Error };
      }
      r.persistence = String(await l.call('INFO', 'persistence'));
      // Calls of one tick travel together and keep their order.
      r.burst = await Promise.all(Array.from({ length: 100 }, (_, i) => l.incr(`c${i % 3}`)));
      await l.close();
      return r;
    });
    expect(out.info).toMatchObject({ role: 'owner', storage: 'opfs+idb:basics' });
    expect(out.set).toBe('OK');
    expect(out.get).toBe('v');
    expect(out.ttl).toBe(100);
    expect(out.pipe).toEqual([1, 2, '2']);
    expect(out.multi).toEqual([2, ['a', 'b']]);
    expect(out.zscore).toBe(1.5);
    expect(out.err).toEqual({
      name: 'ReplyError',
      message: 'WRONGTYPE Operation against a key holding the wrong kind of value',
      prefix: 'WRONGTYPE',
      isReplyError: true,
    });
    expect(out.persistence).toContain('aof_enabled:1');
    expect((out.burst as number[]).slice(0, 6)).toEqual([1, 1, 1, 2, 2, 2]);
    await page.close();
  });

  it('answers a blocking command when another tab pushes, keeping the connection\'s order', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const owner = await openLarder({ name: 'blocking' });
      const follower = await openLarder({ name: 'blocking' });
      const popped = follower.blpop('queue', 5);
      // Sent after the BLPOP on the same connection: it must run after the BLPOP is answered.
      const after = follower.llen('queue');
      await new Promise((r) => setTimeout(r, 100));
      await owner.rpush('queue', 'a', 'b');
      const r = { roles: [owner.info.role, follower.info.role], popped: await popped, after: await after };
      await follower.close();
      await owner.close();
      return r;
    });
    expect(out).toEqual({ roles: ['owner', 'follower'], popped: ['queue', 'a'], after: 1 });
    await page.close();
  });

  it('keeps acknowledged writes across a reload', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    await page.evaluate(async () => {
      const l = await openLarder({ name: 'reload', appendfsync: 'always' });
      await l.hset('h', { a: '1', b: '2' });
      await l.zadd('z', { score: 2, member: 'two' }, { score: 1, member: 'one' });
      await l.set('bin', new Uint8Array([0, 255, 128]));
      await l.set('gone', 'x', { px: 1 });
    });
    await page.reload();
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction('window.larderReady === true');
    const back = await page.evaluate(async () => {
      const l = await openLarder({ name: 'reload', bytes: false });
      const r = {
        h: await l.hgetall('h'),
        z: await l.zrange('z', 0, -1, { withScores: true }),
        bin: Array.from(await l.call('GET', 'bin') as string, (c: string) => c.charCodeAt(0)),
        gone: await l.exists('gone'),
      };
      await l.close();
      return r;
    });
    expect(back.h).toEqual({ a: '1', b: '2' });
    expect(back.z).toEqual(['one', 1, 'two', 2]);
    expect(back.gone).toBe(0);
    await page.close();
  });

  it('delivers pub/sub messages and keyspace notifications to callbacks and async iterators', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const got = await page.evaluate(async () => {
      const l = await openLarder({ name: 'pubsub', notifyKeyspaceEvents: 'KEA' });
      const seen: unknown[] = [];
      const sub = l.subscribe('news', (m: unknown) => seen.push(m));
      const keys = l.psubscribe('__keyspace@0__:*');
      const it = keys[Symbol.asyncIterator]();
      await new Promise((r) => setTimeout(r, 50));
      const receivers = await l.publish('news', 'hello');
      await l.set('watched', '1');
      const first = await it.next();
      await sub.unsubscribe();
      await keys.unsubscribe();
      await l.publish('news', 'after');
      await new Promise((r) => setTimeout(r, 50));
      await l.close();
      return { seen, receivers, first: first.value };
    });
    expect(got.receivers).toBe(1);
    expect(got.seen).toEqual([{ channel: 'news', message: 'hello' }]);
    expect(got.first).toEqual({ pattern: '__keyspace@0__:*', channel: '__keyspace@0__:watched', message: 'set' });
    await page.close();
  });

  it('exports a dump.rdb and imports it into another store', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const a = await openLarder({ name: 'export-a' });
      await a.set('s', 'v');
      await a.rpush('l', '1', '2');
      // A list needs RDB 10 (quicklist 2), the lowest version that holds it, as redis-server 7.0 writes.
      const blob: Blob = await a.export();
      const head = new TextDecoder().decode(new Uint8Array(await blob.slice(0, 9).arrayBuffer()));
      await a.close();
      const b = await openLarder({ name: 'export-b', appendfsync: 'always' });
      await b.set('old', 'x');
      const n = await b.import(blob);
      const r = { head, n, s: await b.get('s'), l: await b.lrange('l', 0, -1), old: await b.exists('old') };
      await b.close();
      return r;
    });
    expect(out).toEqual({ head: 'REDIS0010', n: 2, s: 'v', l: ['1', '2'], old: 0 });
    await page.close();
  });

  it('keeps answering while export() and import() run on a large dataset; a reopen finds the import as the AOF base', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const src = await openLarder({ name: 'import-big-src' });
      const N = 200_000;
      for (let i = 0; i < N; i += 10_000) {
        await Promise.all(Array.from({ length: 10_000 }, (_, j) => src.set(`key:${i + j}`, `${i + j}:${'v'.repeat(90)}`)));
      }
      let exporting = true;
      let answeredExport = 0;
      const exported = src.export().finally(() => (exporting = false));
      while (exporting) {
        await Promise.all([src.get('key:1'), src.incr('during-export')]);
        if (exporting) answeredExport++;
      }
      const blob: Blob = await exported;
      await src.close();
      const dst = await openLarder({ name: 'import-big', appendfsync: 'always' });
      await dst.set('before', '1');
      let importing = true;
      let answered = 0;
      const imported = dst.import(blob).finally(() => (importing = false));
      // Reads and writes issued during the import are answered before it ends.
      while (importing) {
        await Promise.all([dst.get('before'), dst.incr('during')]);
        if (importing) answered++;
      }
      const n = await imported;
      await dst.set('after', '1');
      const info: string = await dst.call('INFO', 'persistence');
      await dst.close();
      const again = await openLarder({ name: 'import-big' });
      const r = {
        n, answeredDuringExport: answeredExport > 5, answeredDuringImport: answered > 5,
        // `during` is there only if an INCR ran after the swap (then it counts 1): not checked.
        size: (await again.dbsize()) - (await again.exists('during')), last: await again.get(`key:${N - 1}`), before: await again.exists('before'), after: await again.get('after'),
        base: Number(/aof_base_size:(\d+)/.exec(info)?.[1]), current: Number(/aof_current_size:(\d+)/.exec(info)?.[1]),
      };
      await again.close();
      return r;
    });
    expect(out).toMatchObject({
      n: 200_000, answeredDuringExport: true, answeredDuringImport: true, size: 200_001, last: `199999:${'v'.repeat(90)}`, before: 0, after: '1',
    });
    // The dataset is the base (~6 MB: the values compress); the incr holds only what followed (`SET after 1`).
    expect(out.base).toBeGreaterThan(4_000_000);
    expect(out.current - out.base).toBeLessThan(100);
    await page.close();
  });

  it('hands the store over when a tab of a newer build asks, follows it, and takes the store back once it is gone', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const r: Record<string, unknown> = {};
      const events: any[] = [];
      const l = await openLarder({ name: 'handover', appendfsync: 'always', onEvent: (e: any) => events.push(e) });
      await l.set('k', 'v');
      const channel = new BroadcastChannel('larder:handover');
      const heard: any[] = [];
      channel.onmessage = (e) => heard.push(e.data);
      const until = async (f: () => any): Promise<any> => {
        for (let i = 0; i < 300 && !f(); i++) await new Promise((res) => setTimeout(res, 10));
        return f();
      };
      channel.postMessage({ t: 'who' });
      const announced = await until(() => heard.find((m) => m.t === 'owner' && m.ready));
      // The worker of a newer build, played by this page: queued for the store's lock, it asks the owner to yield.
      let releaseLock!: () => void;
      const granted = new Promise<void>((held) => {
        void navigator.locks.request('larder:handover', () => {
          held();
          return new Promise<void>((res) => (releaseLock = res));
        });
      });
      channel.postMessage({ t: 'yield', to: announced.owner, from: 'newer', protocol: 999 });
      r.granted = await Promise.race([granted.then(() => true), new Promise((res) => setTimeout(() => res(false), 5000))]);
      r.roles = events.filter((e) => e.type === 'role').map((e) => e.role);
      r.mismatch = events.filter((e) => e.type === 'version-mismatch').map((e) => [e.protocol, e.other]);
      // The old worker queued for the lock again, behind the newer tab.
      r.queued = (await navigator.locks.query()).pending?.some((x) => x.name === 'larder:handover');
      channel.postMessage({ t: 'owner', owner: 'newer', ready: true, protocol: 999 });
      r.whileNewer = await l.get('k').then(() => 'served', (e: any) => e.code);
      // The newer tab goes away: the old one restores the store and serves it again.
      releaseLock();
      await until(() => events.filter((e) => e.type === 'role' && e.role === 'owner').length === 2);
      r.rolesAfter = events.filter((e) => e.type === 'role').map((e) => e.role);
      r.after = await l.get('k');
      await l.close();
      channel.close();
      return r;
    });
    expect(out).toEqual({
      granted: true, roles: ['owner', 'follower'], mismatch: [[1, 999]], queued: true, whileNewer: 'VERSION_MISMATCH',
      rolesAfter: ['owner', 'follower', 'owner'], after: 'v',
    });
    await page.close();
  });

  it('refuses a page, a follower or an owner of another build with VERSION_MISMATCH, and serves once it is gone', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const g = globalThis as any;
      const r: Record<string, unknown> = {};
      // A page client of another build opening its worker.
      const api = g.comlink.wrap(new Worker('/worker.js', { type: 'module' }));
      r.page = await api.open({ protocol: 999, name: 'versions-page', config: {}, log: 'auto', persist: false }, g.comlink.proxy(() => {}));
      // A follower of another build asking this build's owner.
      const ownerEvents: any[] = [];
      const owner = await openLarder({ name: 'versions', onEvent: (e: any) => ownerEvents.push(e) });
      await owner.set('k', 'v');
      const channel = new BroadcastChannel('larder:versions');
      const heard: any[] = [];
      channel.onmessage = (e) => heard.push(e.data);
      channel.postMessage({ t: 'who' });
      const until = async (f: () => any): Promise<any> => {
        for (let i = 0; i < 200 && !f(); i++) await new Promise((res) => setTimeout(res, 10));
        return f();
      };
      const announced = await until(() => heard.find((m) => m.t === 'owner'));
      r.announced = { protocol: announced.protocol };
      channel.postMessage({ t: 'req', to: announced.owner, from: 'old', id: 1, req: { op: 'exec', conn: 'old:1', batch: [3, 'SET', 'k', 'old'] }, protocol: 999 });
      r.ownerAnswer = await until(() => heard.find((m) => m.t === 'res'));
      channel.postMessage({ t: 'req', to: announced.owner, from: 'old', id: 2, req: { op: 'flush' }, protocol: 999 });
      await until(() => heard.find((m) => m.t === 'res' && m.id === 2));
      r.ownerEvents = ownerEvents.filter((e) => e.type === 'version-mismatch');
      r.kept = await owner.get('k');
      await owner.close();
      channel.close();
      // An owner of another build: this page holds the store's lock and answers as that owner.
      let releaseLock!: () => void;
      await new Promise<void>((held) => {
        void navigator.locks.request('larder:versions-old-owner', () => {
          held();
          return new Promise<void>((res) => (releaseLock = res));
        });
      });
      const old = new BroadcastChannel('larder:versions-old-owner');
      old.onmessage = (e) => {
        if (e.data.t === 'who') old.postMessage({ t: 'owner', owner: 'old', ready: true, protocol: 0 });
      };
      const followerEvents: any[] = [];
      const follower = await openLarder({ name: 'versions-old-owner', onEvent: (e: any) => followerEvents.push(e) });
      r.followerRole = follower.info.role;
      r.followerCall = await follower.set('k', 'new').then(() => 'served', (e: any) => `${e.code}: ${e.message}`);
      r.followerEvents = followerEvents.filter((e) => e.type === 'version-mismatch');
      // The old build's tab goes away: this tab's worker takes the store over and serves.
      old.close();
      releaseLock();
      for (let i = 0; ; i++) {
        try {
          r.afterOldOwner = await follower.set('k', 'new');
          r.roleAfter = follower.info.role;
          break;
        } catch (e: any) {
          if (i > 200) throw e;
          await new Promise((res) => setTimeout(res, 10));
        }
      }
      await follower.close();
      return r;
    });
    expect(out.page).toMatchObject({ ok: false, error: { code: 'VERSION_MISMATCH' } });
    expect(JSON.stringify(out.page)).toContain("This page's Larder client speaks protocol 999 and its worker protocol 1");
    expect(out.announced).toEqual({ protocol: 1 });
    expect(out.ownerAnswer).toMatchObject({ t: 'res', to: 'old', id: 1, ok: false, error: { code: 'VERSION_MISMATCH' } });
    expect(JSON.stringify(out.ownerAnswer)).toContain('This tab runs Larder protocol 999 and the tab that owns the store runs protocol 1');
    expect(out.kept).toBe('v');
    // Each side's pages hear of the other build once, with both versions, to prompt a reload.
    expect(out.ownerEvents).toEqual([{ type: 'version-mismatch', protocol: 1, other: 999 }]);
    expect(out.followerEvents).toEqual([{ type: 'version-mismatch', protocol: 1, other: 0 }]);
    expect(out.followerRole).toBe('follower');
    expect(out.roleAfter).toBe('owner'); // info follows the takeover
    expect(out.followerCall).toMatch(/^VERSION_MISMATCH: VERSION_MISMATCH This tab runs Larder protocol 1 and the tab that owns the store runs protocol 0/);
    expect(out.afterOldOwner).toBe('OK');
    await page.close();
  });

  it('fails to open with the owner\'s error, and leaves no worker behind', async () => {
    const page = await openAppPage(app.browser, app.served.origin);
    const out = await page.evaluate(async () => {
      const g = globalThis as any;
      let w!: Worker;
      const error = await g.openLarderWith({ name: 'bad-config', config: { 'no-such-parameter': 1 } }, () => {
        w = new Worker('/worker.js', { type: 'module' });
        return w;
      }).then(() => 'opened', (e: any) => `${e.name}: ${e.message}`);
      // A live worker answers a comlink call at once; a terminated one never does.
      const answered = await Promise.race([
        g.comlink.wrap(w).open({ protocol: 0, name: 'x', config: {}, log: 'auto', persist: false }, g.comlink.proxy(() => {})).then(() => true),
        new Promise((res) => setTimeout(() => res(false), 1000)),
      ]);
      return { error, answered };
    });
    expect(out.error).toMatch(/no-such-parameter/);
    expect(out.answered).toBe(false);
    await page.close();
  });

  it('shares one owner across tabs; a follower takes over when the owner closes', async () => {
    const tabs = await Promise.all([0, 1, 2].map(() => openAppPage(app.browser, app.served.origin)));
    const roles: string[] = [];
    for (const [i, t] of tabs.entries()) {
      roles.push(await t.evaluate(async (i) => {
        (globalThis as any).larders ??= {};
        const l = await openLarder({ name: 'tabs', appendfsync: 'always' });
        larders.l = l;
        await l.rpush('log', `tab${i}`);
        return l.info.role as string;
      }, i));
    }
    expect(roles).toEqual(['owner', 'follower', 'follower']);
    expect(await tabs[2]!.evaluate(() => larders.l.lrange('log', 0, -1))).toEqual(['tab0', 'tab1', 'tab2']);
    // Pub/sub crosses tabs: a follower subscribes, the owner publishes.
    await tabs[1]!.evaluate(() => {
      (globalThis as any).got = [];
      larders.l.subscribe('x', (m: unknown) => (globalThis as any).got.push(m));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await tabs[0]!.evaluate(() => larders.l.publish('x', 'hi'))).toBe(1);
    await tabs[1]!.waitForFunction('window.got.length === 1');
    await tabs[0]!.close();
    const after = await tabs[1]!.evaluate(async () => {
      const l = larders.l;
      for (let i = 0; ; i++) {
        try {
          await l.rpush('log', 'after');
          break;
        } catch (e: any) {
          if (e.code !== 'OWNER_LOST' || i > 50) throw e;
        }
      }
      return l.lrange('log', 0, -1);
    });
    expect(after).toEqual(['tab0', 'tab1', 'tab2', 'after']);
    await Promise.all(tabs.slice(1).map((t) => t.close()));
  });
});
