/**
 * The worker host: what a page's dedicated worker exposes over comlink (HostApi). It decides this
 * worker's role and routes each page call:
 *
 * - It asks for the store's Web Lock. The worker that gets it is the owner (owner.ts): it opens the
 *   files, restores and serves. Web Locks are released by the browser when a worker's tab closes or
 *   its renderer dies, so the next worker waiting for the lock takes over, restores from the files
 *   (everything acknowledged is in them) and announces itself. Two owners never run at once: the
 *   lock is released only after the owner has closed its files, or with its dead process.
 * - Every other worker is a follower: its pages' calls go to the owner over a BroadcastChannel
 *   (remote.ts), and pub/sub messages come back the same way.
 *
 * Each worker also holds a liveness lock of its own, which the owner polls to close connections
 * left behind by tabs that went away.
 *
 * After a deploy, tabs of two builds share the store. A follower of a newer build asks an older
 * owner to yield (remote.ts): the owner then closes its files as on close, releases the lock (the
 * newer tab, queued for it, takes over) and queues for the lock again as a follower, whose calls
 * fail with VERSION_MISMATCH until its tab reloads.
 */
import { errorToWire, type Wire } from '@larder/core/client';
import {
  channelName, clientMismatch, failedBatch, ownerLock, PROTOCOL, versionMismatch, workerLock, type ChannelMessage, type HostApi, type HostEvent, type OpenInfo, type OpenParams,
  type Request, type Result,
} from '../protocol.ts';
import { openOwner, type Owner } from './owner.ts';
import { createRemote, type Remote } from './remote.ts';

const SWEEP_MS = 2_000;

export function createHost(): HostApi {
  const self = Math.random().toString(36).slice(2, 10);
  let params: OpenParams;
  let emit: (e: HostEvent) => void = () => {};
  let channel: BroadcastChannel;
  let remote: Remote;
  /** Set while this worker owns the store (it resolves once restored). */
  let owning: Promise<Owner> | undefined;
  let release: (() => void) | undefined;
  /** A newer build asked this owner to hand the store over. */
  let yielding = false;
  let releaseLiveness: (() => void) | undefined;
  let closed = false;
  let nextConn = 1;
  /** This tab's connections and where their pushes go. */
  const local = new Map<string, ((m: Wire) => void) | undefined>();
  /** Workers of another build already reported to this tab's pages (version-mismatch). */
  const mismatched = new Set<string>();
  const reportMismatch = (worker: string, other: number | null | undefined): void => {
    if (mismatched.has(worker)) return;
    mismatched.add(worker);
    emit({ type: 'version-mismatch', protocol: PROTOCOL, other: other ?? null });
  };

  const post = (m: ChannelMessage): void => channel.postMessage(m);
  const settle = <T>(p: Promise<T>): Promise<Result<T>> =>
    p.then((value) => ({ ok: true, value }), (e: unknown) => ({ ok: false, error: errorToWire(e) }));

  async function serve(req: Request): Promise<unknown> {
    const owner = await owning!;
    switch (req.op) {
      case 'exec':
        return owner.exec(req.conn, req.batch);
      case 'disconnect':
        return owner.disconnect(req.conn);
      case 'flush':
        return owner.flush();
      case 'export':
        return owner.exportRdb();
      case 'import':
        return owner.importData(req.bytes);
    }
  }

  /** A page call: served here when this worker owns the store, else forwarded. */
  const route = (req: Request): Promise<unknown> => (owning ? serve(req) : remote.request(req));

  function onMessage(m: ChannelMessage): void {
    if (owning) {
      if (m.t === 'who') void owning.then(() => post({ t: 'owner', owner: self, ready: true, protocol: PROTOCOL }), () => {});
      else if (m.t === 'yield' && m.to === self && typeof m.protocol === 'number' && m.protocol > PROTOCOL && !yielding) {
        reportMismatch(m.from, m.protocol);
        yielding = true;
        release?.();
      }
      else if (m.t === 'req' && m.to === self) {
        let served: Promise<unknown>;
        if (m.protocol === PROTOCOL) served = serve(m.req);
        else {
          // A follower of another build: its request may not mean what this build reads.
          reportMismatch(m.from, m.protocol);
          served = Promise.reject(versionMismatch(m.protocol, PROTOCOL));
        }
        served.then(
          (value) => post({ t: 'res', to: m.from, id: m.id, ok: true, value }),
          (e: unknown) => post({ t: 'res', to: m.from, id: m.id, ok: false, error: errorToWire(e) }),
        );
      }
      return;
    }
    if (m.t === 'push') local.get(m.conn)?.(m.message);
    else if (m.t === 'loading') emit({ type: 'loading', loadedBytes: m.loadedBytes, totalBytes: m.totalBytes, perc: m.perc });
    else if (remote.receive(m) && m.t === 'owner') emit({ type: 'owner-changed', owner: m.owner });
  }

  /** Runs while this worker holds the owner lock; resolves (releasing it) after the files are closed. */
  async function own(): Promise<void> {
    if (closed) return;
    const hadOwner = remote.owner !== undefined;
    remote.receive({ t: 'owner', owner: self, ready: false, protocol: PROTOCOL });
    post({ t: 'owner', owner: self, ready: false, protocol: PROTOCOL });
    owning = openOwner(params, {
      push: (conn, message) => post({ t: 'push', conn, message }),
      loading: (loadedBytes, totalBytes) => {
        const perc = totalBytes > 0 ? (loadedBytes / totalBytes) * 100 : 0;
        emit({ type: 'loading', loadedBytes, totalBytes, perc });
        post({ t: 'loading', loadedBytes, totalBytes, perc });
      },
      log: (level, message) => (level === 'warning' ? console.warn : console.info)(`larder[${params.name}]: ${message}`),
    });
    const owner = await owning;
    for (const [conn, onPush] of local) owner.connect(conn, onPush);
    emit({ type: 'role', role: 'owner' });
    if (hadOwner) emit({ type: 'owner-changed', owner: self });
    emit({ type: 'ready' });
    post({ t: 'owner', owner: self, ready: true, protocol: PROTOCOL });
    const sweep = setInterval(() => void dropDeparted(owner), SWEEP_MS);
    if (!yielding) await new Promise<void>((resolve) => (release = resolve));
    clearInterval(sweep);
    await owner.close();
    if (closed) return;
    // Handed over to a newer build: follow it, and take the store again if its tabs all go away.
    owning = undefined;
    release = undefined;
    yielding = false;
    // Calls now wait for the new owner's announcement (and get its VERSION_MISMATCH).
    remote.abandon('CLOSED This tab handed the store over to a tab of a newer build.');
    emit({ type: 'role', role: 'follower' });
    void navigator.locks.request(ownerLock(params.name), owned);
  }

  /** `own`, as a lock callback: what stops the store from opening is logged. */
  const owned = (): Promise<void> => own().catch((e: unknown) => console.error(`larder[${params.name}]:`, e));

  /** Closes the connections of tabs whose worker no longer holds its liveness lock. */
  async function dropDeparted(owner: Owner): Promise<void> {
    const held = new Set((await navigator.locks.query()).held?.map((l) => l.name));
    for (const conn of owner.connections()) {
      const worker = conn.slice(0, conn.indexOf(':'));
      if (worker !== self && !held.has(workerLock(params.name, worker))) owner.disconnect(conn);
    }
  }

  async function open(p: OpenParams, onEvent: (e: HostEvent) => void): Promise<OpenInfo> {
    if (p.protocol !== PROTOCOL) throw clientMismatch(p.protocol);
    params = p;
    emit = onEvent;
    channel = new BroadcastChannel(channelName(p.name));
    channel.onmessage = (ev: MessageEvent<ChannelMessage>) => onMessage(ev.data);
    remote = createRemote(post, self, reportMismatch);
    void navigator.locks.request(workerLock(p.name, self), () => new Promise<void>((r) => (releaseLiveness = r)));
    // Own the store at once if nobody does; otherwise follow, and queue for the lock to take over.
    const first = await new Promise<boolean>((decided) => {
      void navigator.locks.request(ownerLock(p.name), { ifAvailable: true }, (lock) => {
        decided(lock !== null);
        return lock === null ? undefined : owned();
      });
    });
    if (!first) {
      emit({ type: 'role', role: 'follower' });
      post({ t: 'who' });
      void navigator.locks.request(ownerLock(p.name), owned);
      return { role: 'follower', storage: undefined, persisted: undefined, dataLoss: undefined };
    }
    const owner = await owning!;
    return { role: 'owner', storage: owner.storage.description, persisted: owner.persisted, dataLoss: owner.storage.dataLoss };
  }

  async function close(): Promise<void> {
    closed = true;
    for (const conn of local.keys()) await route({ op: 'disconnect', conn }).catch(() => {});
    local.clear();
    remote.abandon('CLOSED The store was closed.');
    release?.();
    releaseLiveness?.();
    channel.close();
  }

  return {
    open: (p, onEvent) => settle(open(p, onEvent)),
    async connect(onPush) {
      const conn = `${self}:${nextConn++}`;
      local.set(conn, onPush);
      if (owning) (await owning).connect(conn, onPush);
      return conn;
    },
    // A batch that fails as a whole (the owner went away) fails each of its commands.
    exec: (conn, batch) =>
      (route({ op: 'exec', conn, batch }) as Promise<Wire[]>).catch((e: unknown) => failedBatch(batch, e)),
    disconnect(conn) {
      local.delete(conn);
      return settle(route({ op: 'disconnect', conn }).then(() => {}));
    },
    flush: () => settle(route({ op: 'flush' }).then(() => {})),
    exportRdb: () => settle(route({ op: 'export' }) as Promise<Uint8Array>),
    importData: (bytes) => settle(route({ op: 'import', bytes }) as Promise<number>),
    close: () => settle(close()),
  };
}
