/**
 * Reading a large IndexedDB file's chunks on a helper thread, so that restore decodes one chunk
 * while the next is read.
 *
 * Why a thread: delivering an IndexedDB value to a worker costs that worker's own time (reading
 * the value's blob in and deserializing it), so requesting the next chunk before decoding the
 * current one gains nothing. Measured in Chromium 156 here: 7 records of 16 MiB with 170 ms of
 * work per chunk took 1.43 s read in the worker, 1.41 s with the next request issued ahead, and
 * 1.25 s read by a nested worker that transfers each chunk's buffer (the work alone is 1.19 s).
 *
 * The helper is a nested dedicated worker started from a Blob URL holding the small script below,
 * so no bundler has to know about a second entry. It reads at most AHEAD chunks beyond the ones
 * taken, which bounds the memory held to a few chunks. Anything that keeps it from helping (no
 * nested workers, a CSP without `worker-src blob:`, an IndexedDB error in the helper) only sends
 * the rest of the reads back to the calling thread, where errors are reported as usual.
 */

/** Chunks the helper may hold ready beyond those taken. */
const AHEAD = 2;

// Plain JavaScript in a string, not a function's source, so that no bundler or minifier rewrites
// it into something that needs helpers from its module. Protocol: { dbName, gen, count, ahead } in;
// { i, chunk } per chunk (the chunk's buffer transferred; chunk undefined when missing) or
// { error } out; any later message is a credit for one more chunk.
const HELPER = `
onmessage = (start) => {
  const { dbName, gen, count, ahead } = start.data;
  let credit = ahead;
  let wake;
  onmessage = () => { credit++; if (wake) wake(); };
  const fail = (e) => postMessage({ error: String(e) });
  const open = indexedDB.open(dbName);
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = () => fail(open.error);
  open.onsuccess = async () => {
    const db = open.result;
    db.onversionchange = () => db.close();
    try {
      for (let i = 0; i < count; i++) {
        while (credit === 0) await new Promise((r) => (wake = r));
        credit--;
        const req = db.transaction('chunks').objectStore('chunks').get([gen, i]);
        const chunk = await new Promise((res, rej) => { req.onsuccess = () => res(req.result); req.onerror = () => rej(req.error); });
        postMessage({ i, chunk }, chunk ? [chunk.buffer] : []);
      }
    } catch (e) { fail(e); }
    db.close();
  };
};`;

/** Chunks of one generation, taken in order. */
export interface ChunkSource {
  get(i: number): Promise<Uint8Array | undefined>;
  close(): void;
}

/** How reads were served, for tests and diagnostics: chunks from the helper, and from this thread. */
export const readAheadStats = { helper: 0, inThread: 0 };

let helperUrl: string | undefined;

/**
 * A source for chunks 0..count-1 of `gen` in database `dbName`, read ahead by a helper worker when
 * one can start; `inThread` reads a chunk here (the fallback, and the error path).
 */
export function readAhead(dbName: string, gen: string, count: number, inThread: (i: number) => Promise<Uint8Array | undefined>): ChunkSource {
  const here: ChunkSource = {
    get(i) {
      readAheadStats.inThread++;
      return inThread(i);
    },
    close() {},
  };
  let helper: Worker;
  try {
    helperUrl ??= URL.createObjectURL(new Blob([HELPER], { type: 'text/javascript' }));
    helper = new Worker(helperUrl);
  } catch {
    return here;
  }
  const ready = new Map<number, Uint8Array | undefined>();
  let failed = false;
  let wake: (() => void) | undefined;
  const woken = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  helper.onmessage = (e: MessageEvent<{ i: number; chunk?: Uint8Array; error?: string }>) => {
    if (e.data.error !== undefined) failed = true;
    else ready.set(e.data.i, e.data.chunk);
    woken();
  };
  helper.onerror = (e) => {
    e.preventDefault();
    failed = true;
    woken();
  };
  helper.postMessage({ dbName, gen, count, ahead: AHEAD });
  return {
    async get(i) {
      while (!ready.has(i) && !failed) await new Promise<void>((r) => (wake = r));
      if (!ready.has(i)) return here.get(i);
      const chunk = ready.get(i);
      ready.delete(i);
      helper.postMessage(0);
      readAheadStats.helper++;
      return chunk;
    },
    close() {
      helper.terminate();
    },
  };
}
