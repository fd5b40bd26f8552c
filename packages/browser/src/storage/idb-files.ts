/**
 * Whole files in IndexedDB (database `larder:<name>`): snapshots, AOF bases, the manifest, and the
 * log itself when OPFS is missing (idb-log.ts appends to these records).
 *
 * Layout: `files` holds one record per name `{ name, gen, lengths, size }`; `chunks` holds the
 * bytes under `[gen, index]`, 1 MiB each when written whole, so a 100 MB snapshot streams in and
 * out one chunk per transaction and is never held twice.
 *
 * writeAtomic stages the new content under a fresh generation id that no record names, then ONE
 * transaction points the record at it and deletes the old generation's chunks. A crash before that
 * commit leaves the old record and some unreferenced chunks, which the next open deletes; after it,
 * the new file. Every transaction whose completion means durable uses `durability: 'strict'`
 * (measured in Chromium 156: staging 50 MiB strict costs what relaxed does, ~190 ms).
 *
 * Readers pin the generation they read, so a concurrent writeAtomic or remove defers deleting its
 * chunks until the last reader is done (a crash meanwhile leaves orphans for the next open).
 *
 * One writer: the host holds a Web Lock per store; two storages open on one database would each
 * delete the other's staged chunks at open.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageError } from '@larder/core/storage';
import { closedError, storageError } from './errors.ts';
import { readAhead } from './read-ahead.ts';

/**
 * Snapshot chunk size. Reading IndexedDB costs per record: a 114 MB snapshot read in 640–690 ms as
 * 1 MiB records and 330–375 ms as 16 MiB ones (Chromium 156 here), and restore time is mostly that.
 */
export const CHUNK_SIZE = 16 << 20;

export interface FileRecord {
  name: string;
  /** The generation whose chunks hold the bytes. */
  gen: string;
  /** Byte length of each chunk, in order. */
  lengths: number[];
  size: number;
}

export interface LarderDB extends DBSchema {
  files: { key: string; value: FileRecord };
  chunks: { key: [string, number]; value: Uint8Array };
}

export type Db = IDBPDatabase<LarderDB>;

export const STRICT = { durability: 'strict' } as const;

/** Every chunk key of generation `gen`. */
export const genRange = (gen: string): IDBKeyRange => IDBKeyRange.bound([gen, 0], [gen, Infinity]);

export const newGen = (): string => crypto.randomUUID();

export interface IdbFiles {
  readonly db: Db;
  /** The database did not exist and was created by this open. */
  readonly created: boolean;
  /**
   * Set when the browser says it discarded the database's previous contents: Chromium deletes an
   * IndexedDB database it cannot open (corruption) and reports `dataLoss: 'total'` on the upgrade
   * that recreates it. Its message, or 'total'.
   */
  readonly dataLoss: string | undefined;
  list(): Promise<string[]>;
  get(name: string): Promise<FileRecord | undefined>;
  readChunks(name: string): AsyncGenerator<Uint8Array>;
  writeAtomic(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  remove(name: string): Promise<void>;
  close(): void;
}

/** Opens (creating) the database and deletes chunks no record names (crashed writeAtomics). */
export async function openIdbFiles(dbName: string, onTerminated: () => void): Promise<IdbFiles> {
  let db: Db;
  let created = false;
  let dataLoss: string | undefined;
  try {
    db = await openDB<LarderDB>(dbName, 1, {
      upgrade(d, oldVersion, _newVersion, _tx, event) {
        created = oldVersion === 0;
        // Chromium's IDBVersionChangeEvent.dataLoss ('none' | 'total'); other browsers have none.
        const loss = event as unknown as { dataLoss?: string; dataLossMessage?: string };
        if (loss.dataLoss !== undefined && loss.dataLoss !== 'none') dataLoss = loss.dataLossMessage || loss.dataLoss;
        d.createObjectStore('files', { keyPath: 'name' });
        d.createObjectStore('chunks');
      },
      // deleteBrowserStorage (or a newer schema) elsewhere: let it proceed; this storage is done.
      blocking() {
        db.close();
        onTerminated();
      },
      terminated: onTerminated,
    });
    await deleteOrphans(db);
  } catch (e) {
    throw storageError(e, `opening IndexedDB database ${dbName}`, 'idb');
  }
  let closed = false;
  const live = (): void => {
    if (closed) throw closedError();
  };
  const pins = new Map<string, number>();
  const doomed = new Set<string>();

  /** Deletes `gen`'s chunks in the caller's transaction unless a reader holds it; then its last reader does. */
  const retire = async (chunks: { delete(range: IDBKeyRange): Promise<void> }, gen: string): Promise<void> => {
    if (pins.has(gen)) doomed.add(gen);
    else await chunks.delete(genRange(gen));
  };
  const get = async (name: string): Promise<FileRecord | undefined> => {
    live();
    try {
      return await db.get('files', name);
    } catch (e) {
      throw storageError(e, `reading ${name}`, 'idb');
    }
  };
  const unpin = (gen: string): void => {
    const n = pins.get(gen)! - 1;
    if (n > 0) return void pins.set(gen, n);
    pins.delete(gen);
    if (doomed.delete(gen) && !closed) void db.delete('chunks', genRange(gen)).catch(() => undefined);
  };

  return {
    db,
    created,
    dataLoss,
    async list() {
      live();
      try {
        return await db.getAllKeys('files');
      } catch (e) {
        throw storageError(e, 'listing files', 'idb');
      }
    },
    get,
    async *readChunks(name) {
      const rec = await get(name);
      if (!rec) return;
      pins.set(rec.gen, (pins.get(rec.gen) ?? 0) + 1);
      const inThread = async (i: number): Promise<Uint8Array | undefined> => {
        try {
          return await db.get('chunks', [rec.gen, i]);
        } catch (e) {
          throw storageError(e, `reading ${name}`, 'idb');
        }
      };
      // A file of several snapshot-sized chunks is read ahead on a helper thread while it is decoded.
      const source = rec.size > CHUNK_SIZE ? readAhead(dbName, rec.gen, rec.lengths.length, inThread) : undefined;
      try {
        for (let i = 0; i < rec.lengths.length; i++) {
          live();
          let chunk = await (source ? source.get(i) : inThread(i));
          if (!chunk) throw new StorageError('CORRUPT', `${name}: chunk ${i} of generation ${rec.gen} is missing`);
          // An append file's tail chunk may have grown since the record was read: keep the snapshot.
          if (chunk.length > rec.lengths[i]!) chunk = chunk.subarray(0, rec.lengths[i]);
          if (chunk.length > 0) yield chunk;
        }
      } finally {
        source?.close();
        unpin(rec.gen);
      }
    },
    async writeAtomic(name, data) {
      live();
      const gen = newGen();
      const lengths: number[] = [];
      let size = 0;
      try {
        for await (const chunk of rechunk(data)) {
          live();
          const tx = db.transaction('chunks', 'readwrite', STRICT);
          await Promise.all([tx.store.put(chunk, [gen, lengths.length]), tx.done]).catch((e: unknown) => {
            throw storageError(e, `writing ${name}`, 'idb');
          });
          lengths.push(chunk.length);
          size += chunk.length;
        }
        live();
        const tx = db.transaction(['files', 'chunks'], 'readwrite', STRICT);
        const files = tx.objectStore('files');
        const switched = (async () => {
          const old = await files.get(name);
          await files.put({ name, gen, lengths, size });
          if (old) await retire(tx.objectStore('chunks'), old.gen);
        })();
        await Promise.all([switched, tx.done]).catch((e: unknown) => {
          throw storageError(e, `writing ${name}`, 'idb');
        });
      } catch (e) {
        // Best effort; the next open deletes whatever is left (no record names this generation).
        if (!closed) void db.delete('chunks', genRange(gen)).catch(() => undefined);
        throw e;
      }
    },
    async remove(name) {
      live();
      const tx = db.transaction(['files', 'chunks'], 'readwrite', STRICT);
      const removed = (async () => {
        const old = await tx.objectStore('files').get(name);
        if (!old) return;
        await tx.objectStore('files').delete(name);
        await retire(tx.objectStore('chunks'), old.gen);
      })();
      await Promise.all([removed, tx.done]).catch((e: unknown) => {
        throw storageError(e, `removing ${name}`, 'idb');
      });
    },
    close() {
      closed = true;
      db.close();
    },
  };
}

/** `data` as chunks of CHUNK_SIZE bytes (the last shorter), each its own exact buffer. */
async function* rechunk(data: Uint8Array | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    // slice, not subarray: IndexedDB would store a view's whole underlying buffer.
    for (let o = 0; o < data.length; o += CHUNK_SIZE) yield data.slice(o, o + CHUNK_SIZE);
    return;
  }
  let buf = new Uint8Array(CHUNK_SIZE);
  let len = 0;
  for await (const part of data) {
    let o = 0;
    while (o < part.length) {
      const n = Math.min(CHUNK_SIZE - len, part.length - o);
      buf.set(part.subarray(o, o + n), len);
      len += n;
      o += n;
      if (len === CHUNK_SIZE) {
        yield buf;
        buf = new Uint8Array(CHUNK_SIZE);
        len = 0;
      }
    }
  }
  if (len > 0) yield buf.slice(0, len);
}

/** Deletes the chunks of every generation no file record names (one transaction at open). */
async function deleteOrphans(db: Db): Promise<void> {
  const tx = db.transaction(['files', 'chunks'], 'readwrite', STRICT);
  const work = (async () => {
    const live = new Set((await tx.objectStore('files').getAll()).map((r) => r.gen));
    const chunks = tx.objectStore('chunks');
    let cursor = await chunks.openKeyCursor();
    while (cursor) {
      const gen = cursor.key[0];
      if (!live.has(gen)) await chunks.delete(genRange(gen));
      // Skip the rest of this generation.
      cursor = await cursor.continue([gen, Infinity]);
    }
  })();
  await Promise.all([work, tx.done]);
}
