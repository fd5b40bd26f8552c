/**
 * What the file-system storage shares: the errno → StorageError mapping, the name rules that
 * turn storage names into paths under the directory, directory fsync, and writeAtomic's helpers.
 */
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { StorageError, type StorageErrorCode } from '@larder/core/storage';

/** The lock file (lock.ts); never listed, never writable through the storage. */
export const LOCK_NAME = 'larder.lock';

/** writeAtomic's temporary files: `temp-<name>-<pid>-<n>`, next to the target. */
export const tempName = (base: string, n: number): string => `temp-${base}-${process.pid}-${n}`;
const TEMP = /^temp-.+-\d+-\d+$/;

/** Files the storage keeps for itself: hidden from `list()`. */
export const isPrivate = (base: string): boolean => TEMP.test(base) || base.startsWith(LOCK_NAME);

export const errnoOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The StorageError for a failed file-system call: ENOSPC and EDQUOT are QUOTA_EXCEEDED, EBADF on a
 * handle already closed is CLOSED, anything else IO, with the Node error as `cause`. Errors that
 * did not come from the file system (a snapshot's chunk source failing) pass through unchanged.
 */
export function storageError(e: unknown, doing: string, closed = false): unknown {
  if (e instanceof StorageError) return e;
  const errno = errnoOf(e);
  if (errno === undefined || !errno.startsWith('E')) return e;
  let code: StorageErrorCode = 'IO';
  if (errno === 'ENOSPC' || errno === 'EDQUOT') code = 'QUOTA_EXCEEDED';
  else if (errno === 'EBADF' && closed) code = 'CLOSED';
  const why = e instanceof Error ? e.message : errno;
  const advice = code === 'QUOTA_EXCEEDED' ? ' (free disk space, then retry)' : '';
  return new StorageError(code, `${doing}: ${why}${advice}`, { cause: e });
}

/**
 * A storage name's path under `root`. Names are Redis's file names, optionally under one folder
 * (`appendonlydir/appendonly.aof.1.incr.aof`); anything that could leave the directory, nest
 * deeper or touch the lock is refused.
 */
export function pathOf(root: string, name: string): { path: string; folder: string; base: string } {
  const parts = name.split('/');
  const ok =
    parts.length <= 2 &&
    parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\') && !p.includes('\0')) &&
    !isPrivate(parts[parts.length - 1]!) &&
    parts[0] !== LOCK_NAME;
  if (!ok) throw new StorageError('IO', `invalid storage file name '${name}': use a file name, optionally under one folder`);
  const base = parts[parts.length - 1]!;
  const folder = parts.length === 2 ? join(root, parts[0]!) : root;
  return { path: join(folder, base), folder, base };
}

/** The folder part of a name, or undefined for a top-level name. */
export const folderOf = (name: string): string | undefined => {
  const slash = name.indexOf('/');
  return slash < 0 ? undefined : name.slice(0, slash);
};

/**
 * fsync of a directory: makes the entries created, renamed or removed in it durable. A rename or
 * a new file is a change to the directory, not to the file; without this, after a power loss the
 * directory may still show the old entry (or no entry for a new file) even though the file's own
 * data was synced. Like Redis's fsyncFileDir, EINVAL and EBADF are ignored: some file systems
 * (and platforms) do not support syncing a directory, and there is nothing better to do there.
 * Windows cannot open a directory as a file at all; NTFS journals the rename itself.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (sep === '\\') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    const errno = errnoOf(e);
    if (errno !== 'EINVAL' && errno !== 'EBADF') throw e;
  } finally {
    await handle.close();
  }
}

/** Chunks given to writeAtomic are gathered up to this size per write(2). */
const WRITE_BATCH = 256 * 1024;

/** Writes the data at the handle's position, batching small chunks into fewer write calls. */
export async function writeAll(handle: FileHandle, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  if (data instanceof Uint8Array) return writeFully(handle, data);
  const batch = new Uint8Array(WRITE_BATCH);
  let len = 0;
  for await (const chunk of data) {
    if (len + chunk.length > WRITE_BATCH && len > 0) {
      await writeFully(handle, batch.subarray(0, len));
      len = 0;
    }
    if (chunk.length >= WRITE_BATCH) await writeFully(handle, chunk);
    else {
      batch.set(chunk, len);
      len += chunk.length;
    }
  }
  if (len > 0) await writeFully(handle, batch.subarray(0, len));
}

async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length; ) {
    off += (await handle.write(bytes, off, bytes.length - off, null)).bytesWritten;
  }
}

/** Removes writeAtomic leftovers in the root and its folders. */
export async function removeTemps(root: string): Promise<void> {
  try {
    for (const entry of await readdir(root, { withFileTypes: true })) {
      const path = join(root, entry.name);
      if (entry.isFile() && isTemp(entry.name)) await rm(path, { force: true });
      else if (entry.isDirectory()) {
        for (const inner of await readdir(path)) if (isTemp(inner)) await rm(join(path, inner), { force: true });
      }
    }
  } catch (e) {
    throw storageError(e, `cleaning ${root}`);
  }
}

const isTemp = (base: string): boolean => isPrivate(base) && base.startsWith('temp-');
