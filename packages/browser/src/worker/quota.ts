/**
 * Knows when the origin's quota is exhausted. Wraps a Storage so that a QUOTA_EXCEEDED failure of
 * a log write, a flush, opening a log file or a snapshot sets `exceeded`, and the next successful
 * flush of the log clears it.
 * While it is set, the owner answers refused writes (the AOF's MISCONF) with a StorageError of code
 * QUOTA_EXCEEDED that says what to do; reads go on. The AOF keeps the unwritten bytes and retries
 * every second, so writes resume by themselves once space is freed.
 */
import { StorageError, type AppendFile, type Storage } from '@larder/core/storage';

export interface QuotaWatch<S extends Storage = Storage> {
  /** The wrapped storage (the inner one's own properties read through). */
  readonly storage: S;
  readonly exceeded: boolean;
  /** The error a write (or an import) refused with `misconf` gets while the quota is exhausted. */
  refusal(misconf: string): StorageError;
}

export function watchQuota<S extends Storage>(inner: S): QuotaWatch<S> {
  let exceeded = false;
  const guard = <T>(fn: () => T): T => {
    try {
      const r = fn();
      if (r instanceof Promise) return r.catch(noteAndRethrow) as T;
      return r;
    } catch (e) {
      return noteAndRethrow(e);
    }
  };
  const noteAndRethrow = (e: unknown): never => {
    if (e instanceof StorageError && e.code === 'QUOTA_EXCEEDED') exceeded = true;
    throw e;
  };
  const wrapFile = (f: AppendFile & { flushSync?(): void }): AppendFile => {
    const wrapped: AppendFile & { flushSync?(): void } = {
      get size() {
        return f.size;
      },
      write: (bytes) => guard(() => f.write(bytes)),
      // Cleared by a flush, not a write: the AOF lifts its MISCONF only once a flush succeeds.
      flush: () => guard(() => f.flush()).then(() => void (exceeded = false)),
      truncate: (n) => guard(() => f.truncate(n)),
      close: () => f.close(),
    };
    const sync = f.flushSync?.bind(f);
    if (sync) {
      wrapped.flushSync = () => {
        guard(sync);
        exceeded = false;
      };
    }
    return wrapped;
  };
  const storage = Object.create(inner) as S;
  Object.assign(storage, {
    writeAtomic: (name: string, data: Parameters<Storage['writeAtomic']>[1]) => guard(() => inner.writeAtomic(name, data)),
    // Opening a file can be refused for quota too (a rewrite's next incr, reopening the last one).
    openAppend: async (name: string) => wrapFile(await guard(() => inner.openAppend(name))),
  });
  return {
    storage,
    get exceeded() {
      return exceeded;
    },
    refusal: (misconf) =>
      new StorageError(
        'QUOTA_EXCEEDED',
        `QUOTA_EXCEEDED The browser's storage quota for this site is exhausted, so writes are refused ` +
          `(reads still work and every acknowledged write is kept). Free space (delete data, or clear other ` +
          `storage of this site) or request persistent storage; writes resume by themselves. (${misconf})`,
      ),
  };
}
