/**
 * An import's switch (importDataset, transfer/import.ts): the dataset of a scratch engine becomes
 * the live one, and the AOF's base at the same time, without logging a write per key.
 *
 * 1. The scratch dataset is written as the next base file, in snapshot slices, while the live
 *    engine goes on serving and logging to the current incr (no manifest lists the file yet).
 * 2. On the file queue: the next incr is created empty (unlisted too), the buffer goes to the
 *    current incr, which is then detached, and one manifest listing the new base and the new incr
 *    (every older file history) is persisted. Writes made meanwhile wait in the buffer: their
 *    barriers wait for a file, so none is acknowledged.
 * 3. Once that manifest is durable, in one synchronous turn: the buffer is dropped, the dataset
 *    swapped in, the new incr attached. The dropped writes ran before the import, which replaces
 *    everything they did, so their barriers may now resolve: the order the files show (those
 *    writes, the import, what follows) is the order clients saw.
 *
 * A crash before the manifest switch recovers the state before the import, and nothing after the
 * cut was acknowledged; after it, the import and whatever followed. If the switch fails, the old
 * incr is attached again (the waiting writes reach it as usual), the two unlisted files are removed
 * and the import rejects, leaving the live dataset as it was.
 *
 * It takes the background-job slot (Redis's child) for the whole time, waiting for a running
 * BGSAVE or rewrite to end first, so no rewrite cuts across it; INFO shows it as a rewrite in
 * progress. A kill (CONFIG SET appendonly no, SHUTDOWN, close) before the switch makes it reject;
 * one while the manifest is being written lets the switch complete (the files then hold the
 * import, and so does the dataset) and closes the new incr instead of appending to it.
 */
import type { Engine } from '../engine/engine.ts';
import { finishRewrite, newBaseFile, startRewrite } from '../aof/index.ts';
import type { AofContext, RewriteJob } from './aof-context.ts';
import { writeManifest } from './aof-load.ts';
import { baseChunks, type Rewriter } from './aof-rewrite.ts';
import { counting } from './aof-base.ts';
import { startSnapshot } from './snapshot.ts';
import type { WritePath } from './aof-write.ts';

/** How often a waiting import looks whether the background-job slot is free. */
const POLL_MS = 10;

/** The import was stopped: the AOF was turned off, or persistence closed. */
const interrupted = (): Error => new Error('the import was interrupted: the AOF was turned off or the store closed');

/**
 * Swaps `scratch`'s dataset in through `swap` (which moves the keys) once the AOF's files say the
 * same. With AOF off it swaps at once; while AOF waits for its first rewrite, it swaps and leaves
 * the rewrite to capture the result.
 */
export async function replaceDataset(
  ctx: AofContext, wp: WritePath, rw: Rewriter, scratch: Engine, swap: () => void,
): Promise<void> {
  const { jobs } = ctx;
  while (ctx.state !== 'off' && jobs.child !== null) await new Promise<void>((r) => ctx.timers.setTimeout(r, POLL_MS));
  if (ctx.state !== 'on') {
    swap();
    if (ctx.state === 'wait-rewrite') rw.scheduled = true;
    return;
  }

  const preamble = ctx.cfg('aof-use-rdb-preamble') === 'yes';
  const snap = startSnapshot(scratch, { ...ctx.snapshot, aofBase: true });
  const job: RewriteJob = { snap, done: Promise.resolve(), aborted: false };
  ctx.rewrite = job;
  jobs.child = 'aof';
  const baseName = newBaseFile(ctx.manifest, ctx.name, preamble).name;
  let incrName: string | undefined;
  let switched = false;
  try {
    let bytes = 0;
    await ctx.storage.writeAtomic(ctx.path(baseName), counting(baseChunks(ctx, snap, preamble), (n) => (bytes += n)));
    if (job.aborted) throw interrupted();
    await ctx.enqueue(async () => {
      if (job.aborted) throw interrupted();
      const begun = startRewrite(ctx.manifest, 'on', ctx.name);
      const done = finishRewrite(begun.manifest, 'on', ctx.name, preamble);
      if (done.base !== baseName) throw new Error(`AOF base name changed during the import (${baseName} → ${done.base})`);
      incrName = begun.open!;
      const f = await ctx.storage.openAppend(ctx.path(incrName));
      let old;
      try {
        if (f.size > 0) await f.truncate(0);
        if (job.aborted) throw interrupted();
        // The cut: what is buffered belongs to the dataset before the import.
        if (!wp.drain()) throw wp.error ?? new Error('the AOF has no file to write to');
        old = wp.detach();
        await writeManifest(ctx.storage, ctx.dir, ctx.name, done.manifest);
      } catch (e) {
        // Killed meanwhile (AOF off, closing): nobody appends any more, so the files are closed.
        if (old !== undefined && !job.aborted) wp.attach(old);
        else await old?.close().catch(() => {});
        await f.close().catch(() => {});
        throw e;
      }
      wp.discard();
      ctx.writer.resetSelectedDb();
      // The files hold the import now, killed meanwhile or not: so does the dataset.
      swap();
      switched = true;
      ctx.manifest = done.manifest;
      ctx.currentSize = ctx.baseSize = bytes;
      if (job.aborted) await f.close().catch(() => {});
      else wp.attach(f);
      await old?.close().catch(() => {});
      // Left listed as history when it fails; the next rewrite's clean-up removes them.
      await rw.deleteHistory().catch(() => {});
    });
  } catch (e) {
    if (switched) throw e;
    snap.abort();
    // Unlisted leftovers (a later rewrite would reuse, and overwrite, these names anyway).
    for (const name of [baseName, incrName]) if (name !== undefined) await ctx.storage.remove(ctx.path(name)).catch(() => {});
    throw job.aborted ? interrupted() : e;
  } finally {
    if (ctx.rewrite === job) {
      ctx.rewrite = undefined;
      if (jobs.child === 'aof') jobs.child = null;
    }
  }
}
