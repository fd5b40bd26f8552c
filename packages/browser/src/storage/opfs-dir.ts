/**
 * A store's folder in OPFS, `larder/<name>/`, holding its append files (names with a folder,
 * `appendonlydir/x`, live in a sub-folder). Opening the folder takes a sync access handle on its
 * `.lock` file for the storage's lifetime: sync handles are exclusive across the origin, so a
 * second worker or tab opening the same store fails with LOCKED at once (and a killed tab's lock
 * is released with its process, ~40 ms). The same call proves OPFS sync handles work here, which
 * is how `log: 'auto'` decides.
 */
import { closedError, retryWhileLocked, storageError } from './errors.ts';
import { checkName } from './names.ts';
import { syncHandle, type SyncAccessHandle } from './opfs-file.ts';

/** Directory iteration, which TypeScript's DOM lib keeps in a lib we do not load. */
interface IterableDir {
  values(): AsyncIterableIterator<FileSystemHandle>;
}

const isNotFound = (e: unknown): boolean => {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'NotFoundError' || name === 'TypeMismatchError';
};

export interface OpfsDir {
  /** The file handle for `name`, or undefined when it does not exist (and `create` is false). */
  file(name: string, create: boolean): Promise<FileSystemFileHandle | undefined>;
  list(): Promise<string[]>;
  /** A closed file's bytes in chunks, through a temporary sync access handle. */
  readChunks(file: FileSystemFileHandle, name: string, chunkSize: number): AsyncGenerator<Uint8Array>;
  remove(name: string): Promise<void>;
  /** Releases the lock. */
  close(): void;
}

/** False outside secure contexts, on old browsers, and in Node (tests with fake-indexeddb). */
const hasOpfs = (): boolean => typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';

async function storesFolder(create: boolean): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('larder', { create });
}

/** How long a file of this store may stay held by a process that has died (its lock already released). */
const RELEASE_WAIT_MS = 3_000;

export async function openOpfsDir(store: string): Promise<OpfsDir> {
  let dir: FileSystemDirectoryHandle;
  let lockFile: FileSystemFileHandle;
  try {
    if (!hasOpfs()) throw new Error('navigator.storage.getDirectory is missing');
    dir = await (await storesFolder(true)).getDirectoryHandle(store, { create: true });
    lockFile = await dir.getFileHandle('.lock', { create: true });
  } catch (e) {
    throw storageError(e, `opening OPFS folder larder/${store}`, 'opfs');
  }
  const lock: SyncAccessHandle = await syncHandle(lockFile, `opening OPFS store ${store}`);
  let closed = false;
  const folders = new Map<string, FileSystemDirectoryHandle>();

  async function folderOf(folder: string | undefined, create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
    if (folder === undefined) return dir;
    let d = folders.get(folder);
    if (!d) {
      try {
        d = await dir.getDirectoryHandle(folder, { create });
      } catch (e) {
        if (!create && isNotFound(e)) return undefined;
        throw e;
      }
      folders.set(folder, d);
    }
    return d;
  }

  const live = (): void => {
    if (closed) throw closedError();
  };

  return {
    async file(name, create) {
      live();
      const { folder, base } = checkName(name);
      try {
        const d = await folderOf(folder, create);
        return await d?.getFileHandle(base, { create });
      } catch (e) {
        if (!create && isNotFound(e)) return undefined;
        throw storageError(e, `opening ${name}`, 'opfs');
      }
    },
    async list() {
      live();
      const names: string[] = [];
      try {
        for await (const entry of (dir as unknown as IterableDir).values()) {
          if (entry.name.startsWith('.')) continue;
          if (entry.kind === 'file') names.push(entry.name);
          else {
            for await (const inner of (entry as unknown as IterableDir).values()) {
              if (inner.kind === 'file' && !inner.name.startsWith('.')) names.push(`${entry.name}/${inner.name}`);
            }
          }
        }
      } catch (e) {
        throw storageError(e, `listing OPFS folder larder/${store}`, 'opfs');
      }
      return names;
    },
    async *readChunks(file, name, chunkSize) {
      // Through a sync handle, not getFile(): a tab that just died may hold a file's handle for a
      // few ms after its store lock is released, and taking the handle waits for that release, so
      // what is read is everything the dead tab wrote (getSize() of the handle, not a File snapshot).
      const h = await retryWhileLocked(() => syncHandle(file, `reading ${name}`), RELEASE_WAIT_MS);
      try {
        const size = h.getSize();
        for (let o = 0; o < size; o += chunkSize) {
          live();
          const chunk = new Uint8Array(Math.min(chunkSize, size - o));
          let n: number;
          try {
            n = h.read(chunk, { at: o });
          } catch (e) {
            throw storageError(e, `reading ${name}`, 'opfs');
          }
          yield n === chunk.length ? chunk : chunk.subarray(0, n);
        }
      } finally {
        h.close();
      }
    },
    async remove(name) {
      live();
      const { folder, base } = checkName(name);
      try {
        await (await folderOf(folder, false))?.removeEntry(base);
      } catch (e) {
        if (!isNotFound(e)) throw storageError(e, `removing ${name}`, 'opfs');
      }
    },
    close() {
      if (closed) return;
      closed = true;
      lock.close();
    },
  };
}

/**
 * Removes a store's OPFS folder; LOCKED while the store is open anywhere. The store's lock is taken
 * first: Chromium's recursive removeEntry deletes every entry that is not held before it meets one
 * that is, so removing a store another tab holds would delete its log and then fail (seen in the
 * tests). With the lock held, nothing else can be writing.
 */
export async function removeOpfsStore(store: string): Promise<void> {
  if (!hasOpfs()) return;
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await (await storesFolder(false)).getDirectoryHandle(store);
  } catch (e) {
    if (isNotFound(e)) return;
    throw storageError(e, `removing OPFS folder larder/${store}`, 'opfs');
  }
  const lock = await syncHandle(await dir.getFileHandle('.lock', { create: true }), `removing OPFS store ${store}`);
  try {
    for await (const entry of (dir as unknown as IterableDir).values()) {
      if (entry.name !== '.lock') await dir.removeEntry(entry.name, { recursive: true });
    }
  } catch (e) {
    throw storageError(e, `removing OPFS folder larder/${store}`, 'opfs');
  } finally {
    lock.close();
  }
  try {
    await (await storesFolder(false)).removeEntry(store, { recursive: true });
  } catch (e) {
    if (!isNotFound(e)) throw storageError(e, `removing OPFS folder larder/${store}`, 'opfs');
  }
}
