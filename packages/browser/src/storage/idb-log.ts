/**
 * An append file in IndexedDB: the log backend where OPFS sync handles are missing (`log: 'idb'`,
 * or 'auto' without them), and any file written whole that is later opened for appending (core
 * opens AOF bases that way to learn their size, and truncates a torn one).
 *
 * WEAKER PROMISE than OPFS: IndexedDB has no synchronous write, so `write()` only adds the bytes
 * to an in-memory batch; one transaction per batch commits them (writes made while a transaction
 * is in flight form the next batch: group commit). A killed tab or browser loses every write whose
 * batch had not committed; `flush()` resolves once everything written before it has committed with
 * `durability: 'strict'`. So under `appendfsync always` the host must hold replies until flush,
 * and `everysec`/`no` can lose more than on OPFS.
 *
 * Bytes go to the file's generation (idb-files.ts) as chunks: the last chunk grows in place up to
 * TAIL_MAX, so a small append rewrites at most that much, then a new chunk starts. Transactions run
 * one at a time. A batch whose transaction failed (quota) is kept, in order, and retried by the
 * next write or flush, as the Node adapter does with a write the kernel refused: pending flushes
 * reject with the failure, or else the next `write` throws it (its own bytes are not taken; the
 * AOF keeps and retries them), and the file stays a prefix of what was written.
 */
import { StorageError, type AppendFile } from '@larder/core/storage';
import { closedError, handleClosedError, storageError } from './errors.ts';
import { CHUNK_SIZE, STRICT, newGen, type IdbFiles } from './idb-files.ts';
import { concat } from './names.ts';

/** The last chunk grows up to this size; an append rewrites at most this many bytes. */
export const TAIL_MAX = 64 * 1024;

export interface IdbAppendFile extends AppendFile {
  /** Resolves once every write so far has committed or failed (before a read of this file). */
  settle(): Promise<void>;
}

interface Waiter {
  upTo: number;
  resolve(): void;
  reject(e: unknown): void;
}

export async function openIdbAppend(
  files: IdbFiles, name: string, storageClosed: () => boolean, onClose: () => void,
): Promise<IdbAppendFile> {
  const { db } = files;
  let rec = await files.get(name);
  if (!rec) {
    rec = { name, gen: newGen(), lengths: [], size: 0 };
    try {
      await db.put('files', rec);
    } catch (e) {
      throw storageError(e, `creating ${name}`, 'idb');
    }
  }
  const gen = rec.gen;
  let lengths = rec.lengths;
  /** The last chunk's bytes when it is shorter than TAIL_MAX and known; loaded on demand. */
  let tail: Uint8Array | undefined;
  let committed = rec.size;
  let size = rec.size;
  let batch: Uint8Array[] = [];
  let pumping: Promise<void> | undefined;
  let truncating = false;
  /** After a failed commit (its batch back at the head of `batch`): no retry until a write or flush. */
  let paused = false;
  /** That failure, when no flush has reported it. */
  let unreported: StorageError | undefined;
  let lastFailure: StorageError | undefined;
  let waiters: Waiter[] = [];
  let closed = false;

  const live = (): void => {
    if (closed) throw handleClosedError(name);
    if (storageClosed()) throw closedError();
  };

  /** A write or flush: retry a failed batch now. */
  const resume = (): void => {
    paused = false;
    kick();
  };

  const kick = (): void => {
    if (pumping || truncating || paused || batch.length === 0) return;
    pumping = pump().finally(() => {
      pumping = undefined;
      // Writes made after the loop's last look at the batch (while its promise settled).
      kick();
    });
  };

  async function pump(): Promise<void> {
    // Let the rest of this task's writes join the batch.
    await null;
    while (batch.length > 0) {
      const data = concat(batch);
      batch = [];
      try {
        await commit(data);
      } catch (e) {
        batch.unshift(data);
        paused = true;
        const failure = (lastFailure = storageError(e, `appending to ${name}`, 'idb'));
        unreported = waiters.length > 0 ? undefined : failure;
        for (const w of waiters.splice(0)) w.reject(failure);
        return;
      }
      lastFailure = undefined;
      committed += data.length;
      release();
    }
  }

  const release = (): void => {
    waiters = waiters.filter((w) => (w.upTo <= committed ? void w.resolve() : true));
  };

  /** Appends `data` in one strict transaction; the in-memory view changes only once it commits. */
  async function commit(data: Uint8Array): Promise<void> {
    const tx = db.transaction(['files', 'chunks'], 'readwrite', STRICT);
    const chunks = tx.objectStore('chunks');
    const work = (async () => {
      const ls = [...lengths];
      let t = tail;
      let pos = 0;
      const puts: Promise<unknown>[] = [];
      const last = ls.length - 1;
      if (last >= 0 && ls[last]! < TAIL_MAX) {
        t ??= (await chunks.get([gen, last]))?.slice(0, ls[last]);
        if (!t || t.length !== ls[last]) throw new StorageError('CORRUPT', `${name}: its last chunk is missing or short`);
        const take = Math.min(TAIL_MAX - t.length, data.length);
        t = concat([t, data.slice(0, take)]);
        puts.push(chunks.put(t, [gen, last]));
        ls[last] = t.length;
        pos = take;
      }
      while (pos < data.length) {
        // slice, not subarray: IndexedDB would store a view's whole underlying buffer.
        t = data.slice(pos, pos + CHUNK_SIZE);
        puts.push(chunks.put(t, [gen, ls.length]));
        ls.push(t.length);
        pos += t.length;
      }
      puts.push(tx.objectStore('files').put({ name, gen, lengths: ls, size: committed + data.length }));
      await Promise.all(puts);
      return { ls, t: t && t.length < TAIL_MAX ? t : undefined };
    })();
    const [done] = await Promise.all([work, tx.done]);
    lengths = done.ls;
    tail = done.t;
  }

  /** Waits for the batches in hand to commit or fail (no retry of a failed one). */
  const settle = async (): Promise<void> => {
    kick();
    while (pumping) await pumping;
  };

  const appendFile: IdbAppendFile = {
    get size() {
      return size;
    },
    write(bytes) {
      live();
      const failed = unreported;
      unreported = undefined;
      if (failed) {
        resume();
        throw failed;
      }
      if (bytes.length === 0) return;
      batch.push(bytes.slice());
      size += bytes.length;
      resume();
    },
    flush() {
      try {
        live();
      } catch (e) {
        return Promise.reject(e);
      }
      // This flush reports the outcome of the retry itself.
      unreported = undefined;
      if (committed >= size) return Promise.resolve();
      const upTo = size;
      const p = new Promise<void>((resolve, reject) => waiters.push({ upTo, resolve, reject }));
      resume();
      return p;
    },
    async truncate(to) {
      await appendFile.flush();
      if (to >= committed) return;
      truncating = true;
      try {
        await cut(to);
      } catch (e) {
        // Nothing changed: the view is updated only after the cut commits.
        throw storageError(e, `truncating ${name}`, 'idb');
      } finally {
        truncating = false;
      }
      // Writes made while the cut ran follow the new end, and so do flushes waiting for them.
      size = to + batch.reduce((n, b) => n + b.length, 0);
      for (const w of waiters) w.upTo = Math.min(w.upTo, size);
      release();
      kick();
    },
    async close() {
      if (closed) return;
      try {
        paused = false;
        await settle();
        // Still failing: the retained bytes are lost with the handle.
        if (paused && lastFailure) throw lastFailure;
      } finally {
        closed = true;
        onClose();
      }
    },
    settle,
  };

  /** Cuts the file to `to` (< committed) in one strict transaction. */
  async function cut(to: number): Promise<void> {
    let i = 0;
    let start = 0;
    while (start + lengths[i]! <= to) start += lengths[i++]!;
    const keep = to - start;
    const tx = db.transaction(['files', 'chunks'], 'readwrite', STRICT);
    const chunks = tx.objectStore('chunks');
    const ls = lengths.slice(0, keep > 0 ? i + 1 : i);
    const work = (async () => {
      if (keep > 0) {
        const chunk = await chunks.get([gen, i]);
        if (!chunk || chunk.length < keep) throw new StorageError('CORRUPT', `${name}: chunk ${i} is missing or short`);
        await chunks.put(chunk.slice(0, keep), [gen, i]);
        ls[i] = keep;
      }
      await chunks.delete(IDBKeyRange.bound([gen, ls.length], [gen, Infinity]));
      await tx.objectStore('files').put({ name, gen, lengths: ls, size: to });
    })();
    await Promise.all([work, tx.done]);
    lengths = ls;
    tail = undefined;
    committed = to;
  }

  return appendFile;
}
