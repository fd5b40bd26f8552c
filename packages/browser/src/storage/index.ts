/**
 * The browser Storage (core's storage.ts contract) for a dedicated worker: append files (the AOF
 * incr segments) in OPFS through sync access handles, everything written whole (snapshots, AOF
 * bases, the manifest) in IndexedDB, and the log in IndexedDB too where OPFS sync handles are
 * missing (idb-log.ts says what that weaker log can lose).
 *
 * Routing: writeAtomic always writes IndexedDB (replacing any same-name OPFS file); openAppend
 * appends to a file IndexedDB already holds (core opens AOF bases to learn their size) and
 * otherwise creates it in the log backend; read, list and remove see both, IndexedDB first (an
 * OPFS copy of an IndexedDB name is a leftover of an interrupted writeAtomic, removed at open).
 *
 * One storage per store across the origin: in OPFS mode the store's `.lock` sync handle makes a
 * second open fail with LOCKED (opfs-dir.ts); the host's Web Lock covers the IndexedDB-only mode.
 */
import { deleteDB } from 'idb';
import { StorageError, type AppendFile, type Storage } from '@larder/core/storage';
import { closedError, codeOf, storageError } from './errors.ts';
import { CHUNK_SIZE, openIdbFiles, type IdbFiles } from './idb-files.ts';
import { openIdbAppend, type IdbAppendFile } from './idb-log.ts';
import { checkName, checkStoreName, concat } from './names.ts';
import { openOpfsDir, removeOpfsStore, type OpfsDir } from './opfs-dir.ts';
import { openOpfsAppend, type OpfsAppendFile } from './opfs-file.ts';

export interface BrowserStorageOptions {
  /** The store: OPFS folder `larder/<name>`, IndexedDB database `larder:<name>`. */
  name: string;
  /** Where append files live: 'auto' (default) is OPFS where sync access handles work, else IndexedDB. */
  log?: 'auto' | 'opfs' | 'idb';
}

export type BrowserStorage = Storage & {
  readonly logBackend: 'opfs' | 'idb';
  /**
   * Why the store's earlier data is gone, when it is known to be: the browser discarded its
   * IndexedDB database (Chromium does so with one it cannot open), or that database is new while
   * OPFS still holds the store's log. Undefined otherwise, including on a first open.
   */
  readonly dataLoss: string | undefined;
};

type Open = { kind: 'opfs'; file: OpfsAppendFile } | { kind: 'idb'; file: IdbAppendFile } | 'opening';
type Source = { kind: 'handle'; file: OpfsAppendFile } | { kind: 'idb' } | { kind: 'opfs'; handle: FileSystemFileHandle };

export async function createBrowserStorage({ name, log = 'auto' }: BrowserStorageOptions): Promise<BrowserStorage> {
  checkStoreName(name);
  let opfs: OpfsDir | undefined;
  if (log !== 'idb') {
    try {
      opfs = await openOpfsDir(name);
    } catch (e) {
      // 'auto' falls back only where OPFS is unusable, never past another tab's lock or a full disk.
      if (log === 'opfs' || codeOf(e, 'opfs') !== 'IO') throw e;
    }
  }
  let closed = false;
  /** The database connection was taken away (deleteBrowserStorage elsewhere, or the browser). */
  let lost = false;
  let files: IdbFiles | undefined;
  let dataLoss: string | undefined;
  try {
    files = await openIdbFiles(`larder:${name}`, () => void (lost = true));
    dataLoss = files.dataLoss && `the browser discarded this store's IndexedDB database (${files.dataLoss})`;
    if (opfs) {
      const inIdb = new Set(await files.list());
      const inOpfs = await opfs.list();
      for (const n of inOpfs) if (inIdb.has(n)) await opfs.remove(n).catch(() => undefined);
      if (files.created && inOpfs.length > 0) {
        // Log segments without their manifest and base cannot be replayed, and a new log must not
        // append to them: the store starts afresh, and says so.
        for (const n of inOpfs) await opfs.remove(n);
        dataLoss = `${dataLoss ?? "this store's IndexedDB database (its snapshots and AOF manifest) was missing"}; ` +
          `its AOF segments left in OPFS cannot be replayed without them and were removed: ${inOpfs.join(', ')}`;
      }
    }
  } catch (e) {
    files?.close();
    opfs?.close();
    throw e;
  }
  const idb = files;
  const appends = new Map<string, Open>();

  const isClosed = (): boolean => closed || lost;
  const check = (): void => {
    if (isClosed()) throw closedError();
  };

  /** Where `fileName`'s bytes are read from, or undefined when it does not exist. */
  async function locate(fileName: string): Promise<Source | undefined> {
    check();
    checkName(fileName);
    const open = appends.get(fileName);
    if (open !== undefined && open !== 'opening') {
      // The open handle sees every write; getFile() of a file being written may fail.
      if (open.kind === 'opfs') return { kind: 'handle', file: open.file };
      await open.file.settle();
      return { kind: 'idb' };
    }
    if (await idb.get(fileName)) return { kind: 'idb' };
    const handle = await opfs?.file(fileName, false);
    return handle && { kind: 'opfs', handle };
  }

  async function* chunksOf(fileName: string, source: Source): AsyncGenerator<Uint8Array> {
    if (source.kind === 'idb') return yield* idb.readChunks(fileName);
    if (source.kind === 'opfs') return yield* opfs!.readChunks(source.handle, fileName, CHUNK_SIZE);
    const end = source.file.size;
    for (let o = 0; o < end; o += CHUNK_SIZE) yield source.file.readAt(o, Math.min(CHUNK_SIZE, end - o));
  }

  async function openAppend(fileName: string): Promise<AppendFile> {
    const onClose = (): void => void appends.delete(fileName);
    let entry: Open;
    if (!opfs || (await idb.get(fileName))) {
      entry = { kind: 'idb', file: await openIdbAppend(idb, fileName, isClosed, onClose) };
    } else {
      const handle = (await opfs.file(fileName, true))!;
      entry = { kind: 'opfs', file: await openOpfsAppend(handle, fileName, isClosed, onClose) };
    }
    if (isClosed()) {
      await entry.file.close().catch(() => undefined);
      throw closedError();
    }
    appends.set(fileName, entry);
    return entry.file;
  }

  return {
    description: `${opfs ? 'opfs+idb' : 'idb'}:${name}`,
    logBackend: opfs ? 'opfs' : 'idb',
    dataLoss,

    async list() {
      check();
      return [...new Set([...(await idb.list()), ...((await opfs?.list()) ?? [])])];
    },

    async read(fileName) {
      const source = await locate(fileName);
      if (!source) return undefined;
      const parts: Uint8Array[] = [];
      for await (const chunk of chunksOf(fileName, source)) parts.push(chunk);
      return parts.length === 0 ? new Uint8Array(0) : concat(parts);
    },

    async *readChunks(fileName) {
      const source = await locate(fileName);
      if (source) yield* chunksOf(fileName, source);
    },

    async writeAtomic(fileName, data) {
      check();
      checkName(fileName);
      if (appends.has(fileName)) throw new StorageError('IO', `${fileName} is open for appending; close it before replacing it`);
      await idb.writeAtomic(fileName, data);
      // Best effort: IndexedDB now shadows it, and the next open removes it anyway.
      await opfs?.remove(fileName).catch(() => undefined);
    },

    async openAppend(fileName) {
      check();
      checkName(fileName);
      if (appends.has(fileName)) throw new StorageError('LOCKED', `${fileName} is already open for appending`);
      // Reserve the name now: a second openAppend racing this one must see it taken.
      appends.set(fileName, 'opening');
      try {
        return await openAppend(fileName);
      } catch (e) {
        appends.delete(fileName);
        throw e;
      }
    },

    async remove(fileName) {
      check();
      checkName(fileName);
      // OPFS cannot remove a file under an open sync handle: the handle goes first.
      const open = appends.get(fileName);
      if (open !== undefined && open !== 'opening') await open.file.close().catch(() => undefined);
      await idb.remove(fileName);
      await opfs?.remove(fileName);
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        // Every handle flushes and closes; the first failure is reported after all were tried.
        const handles = [...appends.values()].flatMap((o) => (o === 'opening' ? [] : [o.file]));
        const results = await Promise.allSettled(handles.map((f) => f.close()));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        idb.close();
        opfs?.close();
      }
    },
  };
}

/**
 * Removes a store: its OPFS folder, then its IndexedDB database. LOCKED while the store is open
 * with OPFS anywhere in the origin. An open IndexedDB-only storage is closed by the deletion
 * (its connection gives way) and fails later calls with CLOSED.
 */
export async function deleteBrowserStorage(name: string): Promise<void> {
  checkStoreName(name);
  await removeOpfsStore(name);
  await new Promise<void>((resolve, reject) => {
    deleteDB(`larder:${name}`, {
      blocked: () => reject(new StorageError('LOCKED', `deleting store ${name}: its IndexedDB database is open elsewhere`)),
    }).then(resolve, (e: unknown) => reject(storageError(e, `deleting store ${name}`, 'idb')));
  });
}
