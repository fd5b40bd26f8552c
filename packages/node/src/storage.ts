/**
 * The file-system Storage (packages/core/src/storage/storage.ts): the directory *is* a Redis
 * `dir`. `dump.rdb`, `appendonlydir/appendonly.aof.manifest` and the AOF segments sit where
 * redis-server would put them, so redis-check-aof, redis-check-rdb and redis-server itself can
 * read them, and Larder can start from a directory Redis wrote.
 *
 * `writeAtomic` is Redis's own recipe for dump.rdb and the manifest: write a temporary file in
 * the same folder, fsync it, rename(2) it over the target (atomic on POSIX: readers and crashes
 * see the old file or the new), then fsync the folder so the rename itself is durable.
 */
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setLatin1Decoder } from '@larder/core';
import { StorageError, type Storage } from '@larder/core/storage';
import { openAppendFile, type NodeAppendFile } from './append-file.ts';
import { errnoOf, folderOf, fsyncDir, isPrivate, pathOf, removeTemps, storageError, tempName, writeAll } from './fs-util.ts';
import { lockDir, type DirLock } from './lock.ts';

export interface NodeStorageOptions {
  /** Take `larder.lock` so that no second process (or storage) writes the directory. Default true. */
  lock?: boolean;
  /** Size of the chunks `readChunks` yields. Default 1 MiB. */
  readChunkSize?: number;
}

let temps = 0;

const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

/** Opens (creating if needed) the directory `dir` as a Storage. Fails with LOCKED if it is in use. */
export async function createNodeStorage(dir: string, opts: NodeStorageOptions = {}): Promise<Storage> {
  // Node's native latin1 conversion for core's byte strings: loading an RDB goes ~25% faster.
  setLatin1Decoder((b, start, end) => latin1Slice.call(b, start, end));
  const root = resolve(dir);
  const chunkSize = opts.readChunkSize ?? 1 << 20;
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw storageError(e, `creating ${root}`);
  }
  const lock: DirLock | undefined = opts.lock === false ? undefined : lockDir(root);
  // Holding the lock, any temporary file here is a leftover of a crashed writeAtomic.
  if (lock) {
    try {
      await removeTemps(root);
    } catch (e) {
      lock.release();
      throw e;
    }
  }
  const appends = new Map<string, NodeAppendFile>();
  const folders = new Set<string>();
  let closed = false;

  const check = (): void => {
    if (closed) throw new StorageError('CLOSED', 'storage is closed: open it again to read or write');
  };

  /** Creates the name's folder on first use; a new folder is an entry of the root to sync. */
  async function ensureFolder(name: string): Promise<void> {
    const folder = folderOf(name);
    if (folder === undefined || folders.has(folder)) return;
    try {
      await mkdir(join(root, folder));
      await fsyncDir(root);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw storageError(e, `creating ${folder}`);
    }
    folders.add(folder);
  }

  const storage: Storage = {
    description: `node:${root}`,

    ensureFolderSync(name) {
      check();
      try {
        mkdirSync(join(root, name));
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST') throw storageError(e, `creating ${name}`);
      }
    },

    async list() {
      check();
      const names: string[] = [];
      try {
        for (const entry of await readdir(root, { withFileTypes: true })) {
          if (entry.isFile() && !isPrivate(entry.name)) names.push(entry.name);
          else if (entry.isDirectory()) {
            for (const inner of await readdir(join(root, entry.name), { withFileTypes: true })) {
              if (inner.isFile() && !isPrivate(inner.name)) names.push(`${entry.name}/${inner.name}`);
            }
          }
        }
      } catch (e) {
        throw storageError(e, `listing ${root}`);
      }
      return names;
    },

    async read(name) {
      check();
      const { path } = pathOf(root, name);
      appends.get(name)?.writeOut();
      try {
        const b = await readFile(path);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        if (errnoOf(e) === 'ENOENT') return undefined;
        throw storageError(e, `reading ${name}`);
      }
    },

    async size(name) {
      check();
      appends.get(name)?.writeOut();
      try {
        return (await stat(pathOf(root, name).path)).size;
      } catch (e) {
        if (errnoOf(e) === 'ENOENT') return undefined;
        throw storageError(e, `reading ${name}`);
      }
    },

    async *readChunks(name) {
      check();
      const { path } = pathOf(root, name);
      appends.get(name)?.writeOut();
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (e) {
        if (errnoOf(e) === 'ENOENT') return;
        throw storageError(e, `reading ${name}`);
      }
      try {
        for (;;) {
          const chunk = new Uint8Array(chunkSize);
          let n: number;
          try {
            n = (await handle.read(chunk, 0, chunkSize, null)).bytesRead;
          } catch (e) {
            throw storageError(e, `reading ${name}`);
          }
          if (n === 0) return;
          yield n === chunkSize ? chunk : chunk.slice(0, n);
        }
      } finally {
        await handle.close();
      }
    },

    async writeAtomic(name, data) {
      check();
      const { path, folder, base } = pathOf(root, name);
      if (appends.has(name)) throw new StorageError('IO', `${name} is open for appending; close it before replacing it`);
      await ensureFolder(name);
      const temp = join(folder, tempName(base, ++temps));
      let handle: FileHandle | undefined;
      try {
        handle = await open(temp, 'w');
        await writeAll(handle, data);
        // The content must be on disk before the rename can make it visible under `name`.
        await handle.sync();
        await handle.close();
        handle = undefined;
        await rename(temp, path);
        await fsyncDir(folder);
      } catch (e) {
        await handle?.close().catch(() => undefined);
        await rm(temp, { force: true }).catch(() => undefined);
        throw storageError(e, `writing ${name}`);
      }
    },

    async openAppend(name) {
      check();
      const { path, folder } = pathOf(root, name);
      if (appends.has(name)) throw new StorageError('LOCKED', `${name} is already open for appending`);
      await ensureFolder(name);
      const file = openAppendFile(path, name, () => closed, () => appends.delete(name));
      appends.set(name, file);
      if (file.created) {
        try {
          await fsyncDir(folder);
        } catch (e) {
          await file.close();
          throw storageError(e, `creating ${name}`);
        }
      }
      return file;
    },

    async remove(name) {
      check();
      const { path } = pathOf(root, name);
      try {
        await rm(path, { force: true });
      } catch (e) {
        throw storageError(e, `removing ${name}`);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        // Every handle flushes and closes; the first failure is reported after all were tried.
        const results = await Promise.allSettled([...appends.values()].map((f) => f.close()));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        lock?.release();
      }
    },
  };
  return storage;
}
