/**
 * The owner: the one worker (per origin and store name) that holds the store's Web Lock, opens
 * its files, restores the dataset and runs the engine. Its connections are Redis clients: the
 * pages of its own tab and, through the channel, those of every other tab.
 *
 * A batch runs on its connection in order (connection.ts) and its replies are released together
 * once the engine's durability barrier allows (appendfsync always: after the group commit's
 * flush; every policy: after the bytes reached the OPFS file, so a killed tab loses no
 * acknowledged write).
 */
import { createEngine, errorToWire, ReplyError, setInfoFields, toWire, type Engine, type Reply, type Wire } from '@larder/core';
import { attachPersistence, loadingState, type AttachedPersistence } from '@larder/core/persistence';
import { exportDataset, importDataset } from '@larder/core/transfer';
import { createBrowserStorage, type BrowserStorage } from '../storage/index.ts';
import { retryWhileLocked } from '../storage/errors.ts';
import { batchConnection, type BatchConnection } from './connection.ts';
import { macrotask } from './macrotask.ts';
import { watchQuota, type QuotaWatch } from './quota.ts';
import { failedBatch, type Batch, type OpenParams } from '../protocol.ts';

export interface Owner {
  readonly storage: BrowserStorage;
  readonly engine: Engine;
  readonly persisted: boolean | undefined;
  exec(conn: string, batch: Batch): Promise<Wire[]>;
  /** Opens connection `conn` now (it is also opened on its first batch), with its push target. */
  connect(conn: string, onPush: ((m: Wire) => void) | undefined): void;
  disconnect(conn: string): void;
  /** Connection ids, for dropping those of tabs that went away. */
  connections(): string[];
  flush(): Promise<void>;
  exportRdb(): Promise<Uint8Array>;
  importData(bytes: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

export interface OwnerHooks {
  /** Where a connection's pub/sub messages go when it has no push target of its own (remote tabs). */
  push(conn: string, message: Wire): void;
  loading(loadedBytes: number, totalBytes: number): void;
  log(level: string, message: string): void;
}

/** A killed owner's files may stay held a little after its Web Lock is released (errors.ts). */
const LOCKED_RETRY_MS = 5_000;

export async function openOwner(params: OpenParams, hooks: OwnerHooks): Promise<Owner> {
  let persisted: boolean | undefined;
  if (params.persist) persisted = await navigator.storage?.persist?.().catch(() => false);
  const raw = await retryWhileLocked(() => createBrowserStorage({ name: params.name, log: params.log }), LOCKED_RETRY_MS);
  const quota: QuotaWatch<BrowserStorage> = watchQuota(raw);
  const storage = quota.storage;
  const engine = createEngine({ config: { appendonly: 'yes', ...params.config } });
  // Where the files are: Redis's fields say what, these say where (the log's backend may be the fallback).
  setInfoFields(engine, 'persistence', () => [
    ['larder_storage', storage.description],
    ['larder_log_backend', storage.logBackend],
    ['larder_storage_persisted', persisted === undefined ? 'unknown' : persisted ? 1 : 0],
    ['larder_quota_exceeded', quota.exceeded ? 1 : 0],
    ['larder_storage_data_loss', storage.dataLoss === undefined ? 0 : 1],
  ]);
  // Said before the load, which then starts from whatever is left (as Redis from a dir that lost files).
  if (storage.dataLoss !== undefined) hooks.log('warning', `earlier data of this store is gone: ${storage.dataLoss}`);
  const progress = setInterval(() => {
    const s = loadingState(engine);
    if (s.loading) hooks.loading(s.loadedBytes, s.totalBytes);
  }, 100);
  let persistence: AttachedPersistence;
  try {
    persistence = await attachPersistence(engine, storage, {
      schedule: macrotask,
      // Every batch passes engine.sync(), which drains: the end-of-task drain only catches writes
      // nobody waits on (active expiry), and a microtask spares each write a task (awaited set ~6%).
      drain: queueMicrotask,
      snapshot: { schedule: macrotask },
      log: ({ level, message }) => hooks.log(level, message),
    });
  } catch (e) {
    engine.close();
    await storage.close();
    throw e;
  } finally {
    clearInterval(progress);
  }

  const conns = new Map<string, BatchConnection>();
  const open = (conn: string, onPush: ((m: Wire) => void) | undefined): BatchConnection => {
    let c = conns.get(conn);
    if (c === undefined) {
      const deliver = onPush ?? ((m: Wire) => hooks.push(conn, m));
      const client = engine.connect({ addr: `tab:${conn}`, laddr: storage.description, onPush: (m) => deliver(toWire(m)) });
      c = batchConnection(engine, client);
      conns.set(conn, c);
    }
    return c;
  };

  /** MISCONF, the refusal of a write (or of an import) while persistence fails. */
  const isMisconf = (r: unknown): r is ReplyError => r instanceof ReplyError && r.prefix === 'MISCONF';
  /**
   * A refused write while the quota is exhausted says so with a stable code, not just MISCONF.
   * `full`: the quota was exhausted when the batch ran; the flush its barrier waits for may free it.
   */
  const encode = (r: Reply, full: boolean): Wire => {
    if (isMisconf(r) && (full || quota.exceeded)) return errorToWire(quota.refusal(r.message));
    return toWire(r);
  };

  let closing: Promise<void> | undefined;
  return {
    storage,
    engine,
    persisted,
    exec(conn, batch) {
      // A batch whose writes could not be made durable acknowledges none of them.
      const full = quota.exceeded;
      return open(conn, undefined).run(batch).then(
        (replies) => replies.map((r) => encode(r, full)),
        (e: unknown) => failedBatch(batch, e),
      );
    },
    connect: (conn, onPush) => void open(conn, onPush),
    disconnect(conn) {
      conns.get(conn)?.close();
      conns.delete(conn);
    },
    connections: () => [...conns.keys()],
    flush: () => persistence.aof.flush(),
    exportRdb: () => exportDataset(engine, { schedule: macrotask }),
    importData: (bytes) =>
      importDataset(engine, bytes, { schedule: macrotask }).catch((e: unknown) => {
        // Refused as writes are (MISCONF) while the quota is exhausted: the same error as theirs.
        throw e instanceof Error && isMisconf(e.cause) && quota.exceeded ? quota.refusal(e.message) : e;
      }),
    close() {
      closing ??= (async () => {
        for (const c of conns.values()) c.close();
        conns.clear();
        try {
          await persistence.close();
        } finally {
          engine.close();
          await storage.close();
        }
      })();
      return closing;
    },
  };
}
