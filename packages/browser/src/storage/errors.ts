/**
 * Browser failures as core's StorageError codes. IndexedDB and OPFS report through DOMException
 * names; the mapping lives here so every module reports a full disk or a handle held by another
 * tab the same way, with the platform error kept as `cause`.
 */
import { StorageError, type StorageErrorCode } from '@larder/core/storage';

const QUOTA_HINT =
  'the browser refused the write for lack of storage quota: free space (delete old data or other ' +
  'sites\' storage) or call navigator.storage.persist() to request persistent storage, then retry';

/**
 * The code for a platform error, by its DOMException name. OPFS throws NoModificationAllowedError
 * (Chromium) or InvalidStateError (the spec's older text, Safari) for a sync access handle, or an
 * entry under one, that another worker or tab holds open. From IndexedDB, InvalidStateError means
 * a connection or transaction that is finishing: an IO failure, not a lock.
 */
export function codeOf(e: unknown, source: 'opfs' | 'idb'): StorageErrorCode {
  if (e instanceof StorageError) return e.code;
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') return 'QUOTA_EXCEEDED';
  if (name === 'NoModificationAllowedError') return 'LOCKED';
  if (name === 'InvalidStateError' && source === 'opfs') return 'LOCKED';
  return 'IO';
}

/** `e` as a StorageError about `what` ("appending to x.aof"); StorageErrors pass through. */
export function storageError(e: unknown, what: string, source: 'opfs' | 'idb'): StorageError {
  if (e instanceof StorageError) return e;
  const code = codeOf(e, source);
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const message =
    code === 'QUOTA_EXCEEDED'
      ? `${what}: ${QUOTA_HINT}`
      : code === 'LOCKED'
        ? `${what}: the file is open in another worker or tab (${detail})`
        : `${what}: ${detail}`;
  return new StorageError(code, message, { cause: e });
}

export const closedError = (): StorageError =>
  new StorageError('CLOSED', 'storage is closed: open it again to read or write');

export const handleClosedError = (name: string): StorageError =>
  new StorageError('CLOSED', `${name}: append handle is closed`);

/**
 * Runs `fn` again while it fails with LOCKED, for up to `ms`. A killed tab's OPFS handles are
 * released a little after its Web Lock and its store lock (~40 ms measured): whoever takes over
 * waits for that rather than failing.
 */
export async function retryWhileLocked<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'LOCKED' || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
