/**
 * An append file in OPFS (an AOF incr segment), over one FileSystemSyncAccessHandle held open
 * from openAppend to close. Sync access handles exist only in dedicated workers, and only one may
 * be open per file across the whole origin: a second one, in any worker or tab, throws
 * NoModificationAllowedError (LOCKED).
 *
 * Durability (measured in Chromium 156, PLATFORM.md): `write` hands the bytes to the browser
 * process synchronously, so they survive this tab or the whole browser being killed; `flush()`
 * makes them survive a machine crash. Each `write` costs 4–32 µs whatever its size and a flush
 * ~0.3–0.5 ms, so callers batch records into large writes and share flushes.
 */
import { StorageError, type AppendFile } from '@larder/core/storage';
import { closedError, handleClosedError, storageError } from './errors.ts';

/** What TypeScript's DOM lib lacks: the sync access handle (WebWorker lib only). */
export interface SyncAccessHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** A file handle as a dedicated worker sees it (windows lack the method). */
interface SyncFileHandle {
  createSyncAccessHandle?(): Promise<SyncAccessHandle>;
}

/** A sync access handle on `file`; LOCKED when another worker or tab holds one. */
export async function syncHandle(file: FileSystemFileHandle, what: string): Promise<SyncAccessHandle> {
  const create = (file as unknown as SyncFileHandle).createSyncAccessHandle;
  if (typeof create !== 'function') {
    throw new StorageError('IO', `${what}: OPFS sync access handles are not available here (they need a dedicated worker)`);
  }
  try {
    return await create.call(file);
  } catch (e) {
    throw storageError(e, what, 'opfs');
  }
}

export interface OpfsAppendFile extends AppendFile {
  /** The file's bytes from `at`, read through the open handle (`length` bytes at most). */
  readAt(at: number, length: number): Uint8Array;
  /** `flush()` done synchronously (core's SyncFlushable). */
  flushSync(): void;
}

export async function openOpfsAppend(
  file: FileSystemFileHandle, name: string, storageClosed: () => boolean, onClose: () => void,
): Promise<OpfsAppendFile> {
  const handle = await syncHandle(file, `opening ${name} for appending`);
  let size: number;
  try {
    size = handle.getSize();
  } catch (e) {
    handle.close();
    throw storageError(e, `opening ${name} for appending`, 'opfs');
  }
  let closed = false;

  const live = (): void => {
    if (closed) throw handleClosedError(name);
    if (storageClosed()) throw closedError();
  };

  const flushNow = (what: string): void => {
    try {
      handle.flush();
    } catch (e) {
      throw storageError(e, what, 'opfs');
    }
  };

  const appendFile: OpfsAppendFile = {
    get size() {
      return size;
    },
    write(bytes) {
      live();
      if (bytes.length === 0) return;
      const at = size;
      let n: number;
      try {
        n = handle.write(bytes, { at });
      } catch (e) {
        rollback(at);
        throw storageError(e, `appending to ${name}`, 'opfs');
      }
      if (n !== bytes.length) {
        // A short write leaves a torn record: cut it off so the file stays a prefix of what was written.
        rollback(at);
        throw new StorageError('IO', `appending to ${name}: the browser wrote ${n} of ${bytes.length} bytes`);
      }
      size = at + n;
    },
    async flush() {
      live();
      flushNow(`flushing ${name}`);
    },
    // The sync handle's flush is synchronous: the AOF's group commit (appendfsync always) calls it
    // in line, as Redis fsyncs in beforeSleep, instead of going through its async queue.
    flushSync() {
      live();
      flushNow(`flushing ${name}`);
    },
    async truncate(to) {
      live();
      if (to < size) {
        try {
          handle.truncate(to);
        } catch (e) {
          throw storageError(e, `truncating ${name}`, 'opfs');
        }
        size = to;
      }
      flushNow(`truncating ${name}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        flushNow(`closing ${name}`);
      } finally {
        handle.close();
        onClose();
      }
    },
    readAt(at, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - at)));
      try {
        const n = handle.read(out, { at });
        return n === out.length ? out : out.subarray(0, n);
      } catch (e) {
        throw storageError(e, `reading ${name}`, 'opfs');
      }
    },
  };

  function rollback(at: number): void {
    try {
      handle.truncate(at);
    } catch {
      // The write failed already; that is the error to report.
    }
  }

  return appendFile;
}
