/**
 * The storage contract: the only way core persists anything. Every platform adapter (memory, Node
 * files, OPFS + IndexedDB, Durable Object SQLite, Deno) implements it, and one conformance suite
 * (conformance.ts) runs against each.
 *
 * Storage is a flat namespace of named files using Redis's own names (`dump.rdb`,
 * `appendonly.aof.1.base.rdb`, `appendonly.aof.1.incr.aof`, `appendonly.aof.manifest`), so a Node
 * directory *is* a Redis `dir` and other platforms can route names by kind (log segments to OPFS,
 * snapshots to IndexedDB).
 *
 * Durability promises, which persistence relies on:
 * - `writeAtomic` replaces a file whole: after a crash a reader sees the old content or the new,
 *   never a mix or a torn file. It is durable when its promise resolves. Writing the manifest
 *   with it is how a rewrite switches base + segments atomically.
 * - `AppendFile.write` hands the bytes to the platform before it returns where the platform
 *   allows (Node: write(2); OPFS: the sync access handle), so they survive this process being
 *   killed. Only bytes written before a resolved `flush()` survive a machine crash. After any crash
 *   an append file holds a prefix of what was written, at least everything flushed. (The memory
 *   storage's `crash()` models the machine crash.)
 * - Errors are `StorageError`s with a stable `code`; a failed call changes nothing it did not
 *   promise to (a failed `writeAtomic` leaves the old file).
 */

export type StorageErrorCode =
  /** The storage (or the file handle) was closed. */
  | 'CLOSED'
  /** Another process, tab or worker owns the files. */
  | 'LOCKED'
  /** The platform refused the write for lack of space. Reads still work. */
  | 'QUOTA_EXCEEDED'
  /** Bytes on storage are not what they should be. */
  | 'CORRUPT'
  /** Any other platform failure (EIO, a browser's UnknownError...). */
  | 'IO';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface AppendFile {
  /** Bytes in the file, written ones included. */
  readonly size: number;
  /** Appends at the end, handing the bytes to the platform (see the promises above). */
  write(bytes: Uint8Array): void;
  /** Makes every byte written so far durable (fsync, FileSystemSyncAccessHandle.flush). */
  flush(): Promise<void>;
  /** Cuts the file to `size` bytes (repairing a torn tail); durable when it resolves. */
  truncate(size: number): Promise<void>;
  /** Flushes and releases the handle. */
  close(): Promise<void>;
}

export interface Storage {
  /** For messages and INFO: `node:/var/lib/larder`, `memory`, `opfs+idb:app`. */
  readonly description: string;
  /** Names of the files present, in no particular order. */
  list(): Promise<string[]>;
  /** A file's whole content, or undefined if it does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
  /** A file's content in chunks, for files too large to hold twice (snapshots, logs). */
  readChunks(name: string): AsyncIterable<Uint8Array>;
  /** A file's size, or undefined if it does not exist. Optional: a load uses it for INFO's loading progress. */
  size?(name: string): Promise<number | undefined>;
  /**
   * Creates the folder `name` if missing, synchronously; throws a StorageError when it cannot.
   * Optional: with it, CONFIG SET appendonly yes and BGREWRITEAOF refuse at once, as Redis's
   * dirCreateIfMissing before a rewrite, instead of failing in the background.
   */
  ensureFolderSync?(name: string): void;
  /** Creates or replaces `name` whole and atomically (see the promises above). */
  writeAtomic(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** Opens `name` for appending, creating it empty if missing. One open handle per file. */
  openAppend(name: string): Promise<AppendFile>;
  /** Removes `name`; no error if it does not exist. */
  remove(name: string): Promise<void>;
  /** Releases everything; later calls fail with code CLOSED. */
  close(): Promise<void>;
}
