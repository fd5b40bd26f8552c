/**
 * `openLarder()`: a page's typed client for a store hosted in a Web Worker. Same methods as core's
 * client (lowercase command names, @upstash/redis-style options, `call`, `pipeline`, `multi`), plus
 * pub/sub, export/import and close. The worker (worker/host.ts) owns the files or forwards to the
 * tab that does; this side only batches calls and decodes replies, so it stays small.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { createClient, errorFromWire, importBytes, toBinary, type ImportData, type Larder, type StringsOf, type Wire } from '@larder/core/client';
import { PROTOCOL, type Appendfsync, type HostApi, type HostEvent, type OpenInfo, type Result } from '../protocol.ts';
import { createPubSub, type Message, type Subscription } from './pubsub.ts';
import { batchingTransport, type BatchingTransport } from './transport.ts';

export interface OpenLarderOptions {
  /** The store's name. Tabs that open the same name share one dataset. */
  name: string;
  /**
   * The worker to host the store in: `() => new Worker(new URL('./larder.worker.ts', import.meta.url),
   * { type: 'module' })` with a file that imports `@larder/browser/worker` (README, "Shipping the
   * worker"). Default: the package's built worker next to this module, for bundlers that follow
   * `new URL(..., import.meta.url)` inside dependencies.
   */
  worker?: Worker | (() => Worker);
  /** When writes are durable: after each flush ('always'), within a second (default), or when the browser decides. */
  appendfsync?: Appendfsync;
  /** Log writes (the AOF). Default true: without it only snapshots (`save`) persist. */
  appendonly?: boolean;
  /** Snapshot rules, `"<seconds> <changes> ..."` as Redis's `save`; `""` disables. Default Redis's. */
  save?: string;
  /** Where the log lives: OPFS (default, when available) or IndexedDB. */
  log?: 'auto' | 'opfs' | 'idb';
  /** Ask the browser to keep this site's storage under pressure (navigator.storage.persist()). */
  persist?: boolean;
  /** Return bulk strings as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
  /** Redis's notify-keyspace-events (`'KEA'`: every keyspace event), for keyspace notifications. */
  notifyKeyspaceEvents?: string;
  /** Any other redis.conf parameter (`hz`, `aof-use-rdb-preamble`, ...). The owning tab's win. */
  config?: Record<string, string | number | boolean>;
  /** Restore progress, role changes and owner takeovers. */
  onEvent?: (e: HostEvent) => void;
}

export type BrowserLarder<S = string> = Omit<Larder<S>, 'close'> & {
  /** Whether this tab's worker owns the files (else it forwards to the tab that does) and what storage they are in. */
  readonly info: OpenInfo;
  subscribe(channels: string | string[], listener?: (m: Message<S>) => void): Subscription<S>;
  psubscribe(patterns: string | string[], listener?: (m: Message<S>) => void): Subscription<S>;
  /** The dataset as a dump.rdb that redis-server loads. */
  export(): Promise<Blob>;
  /** Replaces the dataset with a dump.rdb's or a JSON export's; resolves with the number of keys. */
  import(data: ImportData): Promise<number>;
  /** Makes every acknowledged write durable now, whatever appendfsync says. */
  flush(): Promise<void>;
  /** Flushes, closes the connections and stops the worker (another tab takes the files over). */
  close(): Promise<void>;
};

/** A host result's value, or its error rebuilt with class and code. */
async function unwrap<T>(r: Promise<Result<T>>): Promise<T> {
  const x = await r;
  if (x.ok) return x.value;
  throw errorFromWire(x.error);
}

const bool = (v: unknown): string => (v === true ? 'yes' : v === false ? 'no' : String(v));

function configOf(o: OpenLarderOptions): Record<string, string> {
  const c: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.config ?? {})) c[k] = bool(v);
  if (o.appendfsync !== undefined) c.appendfsync = o.appendfsync;
  if (o.appendonly !== undefined) c.appendonly = bool(o.appendonly);
  if (o.save !== undefined) c.save = o.save;
  if (o.notifyKeyspaceEvents !== undefined) c['notify-keyspace-events'] = o.notifyKeyspaceEvents;
  return c;
}

// This file is dist/client/open.js once built; the worker entry is dist/worker/index.js.
const defaultWorker = (): Worker => new Worker(new URL('../worker/index.js', import.meta.url), { type: 'module' });

/**
 * @example
 * const larder = await openLarder({ name: 'app', appendfsync: 'always' });
 * await larder.set('draft', text, { ex: 3600 });
 * larder.subscribe('updates', ({ message }) => render(message));
 */
export async function openLarder<const O extends OpenLarderOptions>(opts: O): Promise<BrowserLarder<StringsOf<O>>> {
  type S = StringsOf<O>;
  const worker = typeof opts.worker === 'function' ? opts.worker() : (opts.worker ?? defaultWorker());
  const api: Remote<HostApi> = wrap<HostApi>(worker);
  const bytes = opts.bytes === true;
  let pubsub: ReturnType<typeof createPubSub> | undefined;
  let subConn: BatchingTransport | undefined;

  // What open() answered; a 'role' event after it (this tab's worker took the store over) updates it.
  let opened: OpenInfo | undefined;
  const onEvent = (e: HostEvent): void => {
    if (e.type === 'role' && opened) opened.role = e.role;
    if (e.type === 'owner-changed') void pubsub?.resubscribe().catch(() => {});
    opts.onEvent?.(e);
  };
  // A store that cannot open (storage refused, another build's worker) leaves no worker behind.
  const info = await unwrap(api.open(
    { protocol: PROTOCOL, name: opts.name, config: configOf(opts), log: opts.log ?? 'auto', persist: opts.persist === true },
    proxy(onEvent),
  )).catch((e: unknown) => {
    worker.terminate();
    throw e;
  });
  opened = info;
  const main = batchingTransport(api, api.connect(undefined));
  const client = createClient<S>(main, { bytes });

  const pubsubOf = (): ReturnType<typeof createPubSub> => {
    if (pubsub === undefined) {
      const ps = createPubSub((argv) => subConn!.send(argv), bytes);
      subConn = batchingTransport(api, api.connect(proxy((m: Wire) => ps.onPush(m))));
      pubsub = ps;
    }
    return pubsub;
  };
  const names = (x: string | string[]): string[] => (Array.isArray(x) ? x : [x]).map(toBinary);

  const flushOnHide = (): void => {
    if (document.visibilityState !== 'visible') void api.flush();
  };
  const onPageHide = (): void => void api.flush();
  globalThis.addEventListener?.('pagehide', onPageHide);
  globalThis.document?.addEventListener('visibilitychange', flushOnHide);

  let closing: Promise<void> | undefined;
  return Object.assign(client, {
    info,
    subscribe: (channels: string | string[], listener?: (m: Message<S>) => void) =>
      pubsubOf().subscribe<S>('channel', names(channels), listener),
    psubscribe: (patterns: string | string[], listener?: (m: Message<S>) => void) =>
      pubsubOf().subscribe<S>('pattern', names(patterns), listener),
    export: async () => new Blob([(await unwrap(api.exportRdb())) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
    import: async (data: ImportData) => unwrap(api.importData(await importBytes(data))),
    flush: () => unwrap(api.flush()),
    close() {
      closing ??= (async () => {
        main.close();
        subConn?.close();
        globalThis.removeEventListener?.('pagehide', onPageHide);
        globalThis.document?.removeEventListener('visibilitychange', flushOnHide);
        try {
          await api.flush();
          await unwrap(api.close());
        } finally {
          worker.terminate();
        }
      })();
      return closing;
    },
  }) as unknown as BrowserLarder<S>;
}
