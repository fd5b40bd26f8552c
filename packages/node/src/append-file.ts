/**
 * An append file on disk (an AOF incr segment). `write` hands its bytes to the kernel before it
 * returns (write(2)), so they survive the process being killed; the AOF already batches a whole
 * group of commands into one `write` call (the batch a host releases replies for), as Redis writes
 * its aof_buf once per event-loop iteration. A write the kernel refuses stays buffered here and is
 * retried by the next write or flush, so the file remains a prefix of what was written.
 *
 * Durability: `flush()` resolves after fdatasync(2) of everything written before it. fdatasync,
 * not fsync, because it persists the data and the metadata needed to read it back (the size)
 * without forcing a journal commit for timestamps, as Redis does for the AOF on Linux. It runs
 * on libuv's thread pool, so the event loop keeps serving while the disk works. Concurrent
 * flushes share syncs: at most one runs and one waits, and the waiting one covers every caller
 * that arrived meanwhile (group commit at the file level).
 */
import { closeSync, fdatasync, fstatSync, fsync, ftruncate, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { StorageError, type AppendFile } from '@larder/core/storage';
import { errnoOf, storageError } from './fs-util.ts';

const datasyncFd = promisify(fdatasync);
const fsyncFd = promisify(fsync);
const truncateFd = promisify(ftruncate);

export interface NodeAppendFile extends AppendFile {
  /** Hands buffered bytes to the kernel now (before a read of the same file). */
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
  /** Bytes handed to the kernel: the file's size. */
  let written = fstatSync(fd).size;
  let synced = written;
  let buf = new Uint8Array(64 * 1024);
  let len = 0;
  /** A write the kernel refused: reported by the next write or flush, then retried. */
  let failure: unknown;
  let closed = false;
  let closing: Promise<void> | undefined;
  let inflight: Promise<void> | undefined;
  let inflightUpTo = 0;
  let queued: Promise<void> | undefined;

  const live = (): void => {
    if (closed || closing) throw new StorageError('CLOSED', `${name}: append handle is closed`);
    if (storageClosed()) throw new StorageError('CLOSED', 'storage is closed: open it again to read or write');
  };

  function writeOut(): void {
    let off = 0;
    try {
      while (off < len) {
        const n = writeSync(fd, buf, off, len - off);
        off += n;
        written += n;
      }
      len = 0;
      failure = undefined;
    } catch (e) {
      // Keep what the kernel did not take; the file stays a prefix of what was written.
      buf.copyWithin(0, off, len);
      len -= off;
      throw (failure = storageError(e, `appending to ${name}`, closed));
    }
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
      return written + len;
    },
    write(bytes) {
      live();
      if (failure !== undefined) writeOut();
      if (len + bytes.length > buf.length) {
        const grown = new Uint8Array(Math.max(len + bytes.length, buf.length * 2));
        grown.set(buf.subarray(0, len));
        buf = grown;
      }
      buf.set(bytes, len);
      len += bytes.length;
      writeOut();
    },
    async flush() {
      live();
      writeOut();
      await sync();
    },
    async truncate(size) {
      live();
      writeOut();
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
          writeOut();
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
    writeOut() {
      if (!closed && len > 0) writeOut();
    },
  };
  return handle;
}
