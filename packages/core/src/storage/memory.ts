/**
 * Storage in memory, the reference adapter. Besides fast tests it models crashes: `crash()` gives
 * the files as a crash would leave them — everything `writeAtomic` finished and every flushed
 * append, plus (optionally) a torn part of what was appended but not yet flushed.
 */
import { concatBytes as concat } from '../bytes.ts';
import { StorageError, type AppendFile, type Storage } from './storage.ts';

interface MemFile {
  /** Content durable so far. */
  durable: Uint8Array;
  /** Appended but not yet flushed. */
  pending: Uint8Array[];
  open: boolean;
}

export interface MemoryStorage extends Storage {
  /**
   * The files after a simulated crash: durable content, plus the first `tornBytes` bytes of each
   * file's unflushed appends (a torn write). The original storage is left as it was.
   */
  crash(tornBytes?: number): MemoryStorage;
  /** Makes writes fail with QUOTA_EXCEEDED while `full` is true. */
  setFull(full: boolean): void;
}


export function createMemoryStorage(initial: Map<string, Uint8Array> = new Map()): MemoryStorage {
  const files = new Map<string, MemFile>();
  for (const [k, v] of initial) files.set(k, { durable: v, pending: [], open: false });
  let closed = false;
  let full = false;

  const check = (): void => {
    if (closed) throw new StorageError('CLOSED', 'storage is closed: open it again to read or write');
  };
  const checkSpace = (): void => {
    if (full) throw new StorageError('QUOTA_EXCEEDED', 'storage is full: free space, then retry the write');
  };

  const storage: MemoryStorage = {
    description: 'memory',
    async list() {
      check();
      return [...files.keys()];
    },
    async read(name) {
      check();
      const f = files.get(name);
      return f && concat([f.durable, ...f.pending]);
    },
    async size(name) {
      check();
      const f = files.get(name);
      return f && [f.durable, ...f.pending].reduce((n, part) => n + part.length, 0);
    },
    async *readChunks(name) {
      check();
      const f = files.get(name);
      if (!f) return;
      for (const part of [f.durable, ...f.pending]) if (part.length > 0) yield part;
    },
    async writeAtomic(name, data) {
      check();
      const parts: Uint8Array[] = [];
      if (data instanceof Uint8Array) parts.push(data);
      else for await (const chunk of data) parts.push(chunk);
      checkSpace();
      const f = files.get(name);
      if (f?.open) throw new StorageError('IO', `${name} is open for appending; close it before replacing it`);
      files.set(name, { durable: concat(parts), pending: [], open: false });
    },
    async openAppend(name) {
      check();
      let f = files.get(name);
      if (!f) files.set(name, (f = { durable: new Uint8Array(0), pending: [], open: false }));
      if (f.open) throw new StorageError('LOCKED', `${name} is already open for appending`);
      f.open = true;
      const file = f;
      let handleClosed = false;
      const live = (): void => {
        check();
        if (handleClosed) throw new StorageError('CLOSED', `${name}: append handle is closed`);
      };
      const handle: AppendFile = {
        get size() {
          return file.durable.length + file.pending.reduce((n, p) => n + p.length, 0);
        },
        write(bytes) {
          live();
          checkSpace();
          file.pending.push(bytes.slice());
        },
        async flush() {
          live();
          if (file.pending.length > 0) file.durable = concat([file.durable, ...file.pending]);
          file.pending = [];
        },
        async truncate(size) {
          live();
          await handle.flush();
          file.durable = file.durable.slice(0, size);
        },
        async close() {
          if (handleClosed) return;
          await handle.flush();
          handleClosed = true;
          file.open = false;
        },
      };
      return handle;
    },
    async remove(name) {
      check();
      files.delete(name);
    },
    async close() {
      closed = true;
    },
    crash(tornBytes = 0) {
      const survived = new Map<string, Uint8Array>();
      for (const [name, f] of files) {
        const torn = concat(f.pending).slice(0, tornBytes);
        survived.set(name, concat([f.durable, torn]));
      }
      return createMemoryStorage(survived);
    },
    setFull(v) {
      full = v;
    },
  };
  return storage;
}
