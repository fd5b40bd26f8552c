/**
 * An append file on disk (an AOF incr segment). `write` hands its bytes to the kernel before it
 * returns (write(2)), so they survive the process being killed; the AOF already batches a whole
 * group of commands into one `write` call (the batch a host releases replies for), as Redis writes
 * its aof_buf once per event-loop iteration.
 *
 * A write the kernel refuses (ENOSPC...) throws and leaves the file as it was: a short write is
 * cut back with ftruncate(2) (as Redis does after a short AOF write), so the caller keeps the
 * bytes and writes them again later. Should the cut fail too, the file refuses every write until
 * a later attempt at the cut succeeds: it never grows past a torn record.
 *
 * Durability: `flush()` resolves after fdatasync(2) of everything written before it. fdatasync,
 * not fsync, because it persists the data and the metadata needed to read it back (the size)
 * without forcing a journal commit for timestamps, as Redis does for the AOF on Linux. It runs
 * on libuv's thread pool, so the event loop keeps serving while the disk works. Concurrent
 * flushes share syncs: at most one runs and one waits, and the waiting one covers every caller
 * that arrived meanwhile (group commit at the file level). `flushSync()` syncs on the calling
 * thread instead, for the AOF's `always` group commit, which (like Redis in beforeSleep) wants the
 * loop blocked meanwhile so that every request arriving during the sync joins the next group.
 */
import { closeSync, fdatasync, fdatasyncSync, fstatSync, fsync, ftruncate, ftruncateSync, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { StorageError, type AppendFile } from '@larder/core/storage';
import { errnoOf, storageError } from './fs-util.ts';

const datasyncFd = promisify(fdatasync);
const fsyncFd = promisify(fsync);
const truncateFd = promisify(ftruncate);

export interface NodeAppendFile extends AppendFile {
  /** fdatasync(2) on this thread: every byte written so far is durable when it returns. */
  flushSync(): void;
  /** Nothing is buffered here: every write is in the kernel when it returns (kept for reads' sake). */
  writeOut(): void;
  /** True when this call created the file (its directory entry then needs an fsync). */
  readonly created: boolean;
}

export function openAppendFile(path: string, name: string, storageClosed: () => boolean, onClose: () => void): NodeAppendFile {
  let fd: number;
  let created = true;
  try {
    try {
      fd = openSync(path, 'ax');
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw e;
      created = false;
      fd = openSync(path, 'a');
    }
  } catch (e) {
    throw storageError(e, `opening ${name} for appending`);
  }
  /** Bytes in the file, every one of them handed to the kernel. */
  let written = fstatSync(fd).size;
  let synced = written;
  /** A short write left bytes past `written` that ftruncate could not remove yet. */
  let torn = false;
  let closed = false;
  let closing: Promise<void> | undefined;
  let inflight: Promise<void> | undefined;
  let inflightUpTo = 0;
  let queued: Promise<void> | undefined;

  const live = (): void => {
    if (closed || closing) throw new StorageError('CLOSED', `${name}: append handle is closed`);
    if (storageClosed()) throw new StorageError('CLOSED', 'storage is closed: open it again to read or write');
  };

  /** Cuts the file back to `written` bytes after a short write. */
  function untear(): void {
    if (!torn) return;
    try {
      ftruncateSync(fd, written);
    } catch (e) {
      throw storageError(e, `cutting a short write off ${name}`, closed);
    }
    torn = false;
  }

  function datasync(): Promise<void> {
    const upTo = written;
    const p = datasyncFd(fd)
      .then(
        () => void (synced = Math.max(synced, upTo)),
        (e: unknown) => Promise.reject(storageError(e, `flushing ${name}`, closed)),
      )
      .finally(() => {
        if (inflight === p) inflight = undefined;
      });
    inflight = p;
    inflightUpTo = upTo;
    return p;
  }

  function sync(): Promise<void> {
    if (queued) return queued;
    if (inflight) {
      if (inflightUpTo >= written) return inflight;
      const next = inflight.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        queued = undefined;
        return datasync();
      });
      return (queued = next);
    }
    return synced >= written ? Promise.resolve() : datasync();
  }

  const handle: NodeAppendFile = {
    created,
    get size() {
      return written;
    },
    write(bytes) {
      live();
      untear();
      let off = 0;
      try {
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (off > 0) {
          torn = true;
          try {
            untear();
          } catch {
            // Stays torn: the next write or flush tries the cut again first.
          }
        }
        throw storageError(e, `appending to ${name}`, closed);
      }
      written += bytes.length;
    },
    flushSync() {
      live();
      untear();
      if (synced >= written) return;
      const upTo = written;
      try {
        fdatasyncSync(fd);
      } catch (e) {
        throw storageError(e, `flushing ${name}`, closed);
      }
      if (upTo > synced) synced = upTo;
    },
    async flush() {
      live();
      untear();
      await sync();
    },
    async truncate(size) {
      live();
      untear();
      if (size < written) {
        try {
          await truncateFd(fd, size);
          written = size;
          synced = Math.min(synced, size);
          // fsync, not fdatasync: the new size is the whole point of the call.
          await fsyncFd(fd);
          synced = written;
        } catch (e) {
          throw storageError(e, `truncating ${name}`, closed);
        }
      } else {
        await sync();
      }
    },
    close() {
      if (closed) return Promise.resolve();
      closing ??= (async () => {
        try {
          untear();
          await sync();
          if (queued) await queued;
        } finally {
          closed = true;
          closeSync(fd);
          onClose();
        }
      })();
      return closing;
    },
    writeOut() {},
  };
  return handle;
}
