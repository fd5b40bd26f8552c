/**
 * Fast checks of the IndexedDB file layout with fake-indexeddb: chunking, the generation switch,
 * orphan cleanup and reader pins. The proof that it works in a browser (and across a killed one)
 * is test/browser/storage.test.ts, in Chromium.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { runStorageConformance } from '../../../core/src/storage/conformance.suite.ts';
import { CHUNK_SIZE, openIdbFiles, type IdbFiles } from './idb-files.ts';
import { createBrowserStorage, deleteBrowserStorage } from './index.ts';
import { concat } from './names.ts';

let dbs = 0;
const opened: IdbFiles[] = [];
const open = async (name = `t${++dbs}`): Promise<IdbFiles> => {
  const f = await openIdbFiles(name, () => {});
  opened.push(f);
  return f;
};
afterEach(() => {
  for (const f of opened.splice(0)) f.close();
});

const pattern = (n: number, seed = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

const chunkGens = async (f: IdbFiles): Promise<string[]> =>
  [...new Set((await f.db.getAllKeys('chunks')).map((k) => k[0]))].sort();

describe('IndexedDB files', () => {
  it('stores a file in 1 MiB chunks and streams it back chunk by chunk', async () => {
    const f = await open();
    const data = pattern(2 * CHUNK_SIZE + 100);
    await f.writeAtomic('dump.rdb', data);
    const rec = await f.get('dump.rdb');
    expect(rec?.lengths).toEqual([CHUNK_SIZE, CHUNK_SIZE, 100]);
    const chunks = await collect(f.readChunks('dump.rdb'));
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_SIZE, CHUNK_SIZE, 100]);
    expect(sameBytes(concat(chunks), data)).toBe(true);
  });

  it('rechunks an async iterable of odd-sized parts', async () => {
    const f = await open();
    const data = pattern(CHUNK_SIZE + 12345, 3);
    async function* parts() {
      for (let o = 0; o < data.length; o += 300_001) yield data.subarray(o, o + 300_001);
    }
    await f.writeAtomic('x.rdb', parts());
    expect((await f.get('x.rdb'))?.lengths).toEqual([CHUNK_SIZE, 12345]);
    expect(sameBytes(concat(await collect(f.readChunks('x.rdb'))), data)).toBe(true);
  });

  it('switches generations: the old chunks go, and a failed source keeps the old file whole', async () => {
    const f = await open();
    await f.writeAtomic('dump.rdb', pattern(10, 1));
    const first = (await f.get('dump.rdb'))!.gen;
    await f.writeAtomic('dump.rdb', pattern(20, 2));
    expect(await chunkGens(f)).toEqual([(await f.get('dump.rdb'))!.gen]);
    expect((await f.get('dump.rdb'))!.gen).not.toBe(first);
    const boom = new Error('snapshot failed');
    async function* failing() {
      yield pattern(CHUNK_SIZE, 5);
      throw boom;
    }
    // The source's own error passes through unchanged (it is not a storage failure).
    await expect(f.writeAtomic('dump.rdb', failing())).rejects.toBe(boom);
    expect(sameBytes(concat(await collect(f.readChunks('dump.rdb'))), pattern(20, 2))).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await chunkGens(f)).toEqual([(await f.get('dump.rdb'))!.gen]);
  });

  it('deletes chunks no record names when opened (a writeAtomic cut short by a crash)', async () => {
    const f = await open('orphans');
    await f.writeAtomic('dump.rdb', pattern(10));
    await f.db.put('chunks', pattern(5), ['staged-by-a-dead-tab', 0]);
    await f.db.put('chunks', pattern(5), ['staged-by-a-dead-tab', 1]);
    f.close();
    const g = await open('orphans');
    expect(await chunkGens(g)).toEqual([(await g.get('dump.rdb'))!.gen]);
    expect(sameBytes(concat(await collect(g.readChunks('dump.rdb'))), pattern(10))).toBe(true);
  });

  it('lets a reader finish the generation it started while the file is replaced or removed', async () => {
    const f = await open();
    const old = pattern(3 * CHUNK_SIZE, 9);
    await f.writeAtomic('dump.rdb', old);
    const reader = f.readChunks('dump.rdb');
    const first = await reader.next();
    await f.writeAtomic('dump.rdb', pattern(10, 4));
    await f.remove('dump.rdb');
    const rest = await collect({ [Symbol.asyncIterator]: () => reader });
    expect(sameBytes(concat([first.value as Uint8Array, ...rest]), old)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await chunkGens(f)).toEqual([]);
    expect(await f.list()).toEqual([]);
  });

  it('fails with CLOSED after close', async () => {
    const f = await open();
    f.close();
    await expect(f.list()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(f.writeAtomic('a', pattern(1))).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

// The whole storage in its IndexedDB-only mode (what a browser without OPFS sync handles runs).
let store = '';
let stores = 0;
runStorageConformance('browser idb (fake-indexeddb)', {
  open: async () => {
    store = `conf${++stores}`;
    await deleteBrowserStorage(store);
    return createBrowserStorage({ name: store, log: 'idb' });
  },
  reopen: () => createBrowserStorage({ name: store, log: 'idb' }),
});

describe('createBrowserStorage without OPFS (Node has no navigator.storage)', () => {
  it("falls back to the IndexedDB log under 'auto' and refuses 'opfs'", async () => {
    const s = await createBrowserStorage({ name: 'no-opfs' });
    expect(s.logBackend).toBe('idb');
    expect(s.description).toBe('idb:no-opfs');
    await s.close();
    await expect(createBrowserStorage({ name: 'no-opfs', log: 'opfs' })).rejects.toMatchObject({ code: 'IO' });
    await deleteBrowserStorage('no-opfs');
  });

  it('refuses store and file names that would not map to a folder and a key', async () => {
    await expect(createBrowserStorage({ name: 'a/b' })).rejects.toMatchObject({ code: 'IO' });
    const s = await createBrowserStorage({ name: 'names', log: 'idb' });
    await expect(s.writeAtomic('a/b/c', new Uint8Array(1))).rejects.toMatchObject({ code: 'IO' });
    await expect(s.read('.lock')).rejects.toMatchObject({ code: 'IO' });
    await s.close();
    await deleteBrowserStorage('names');
  });
});
