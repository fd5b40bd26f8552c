/**
 * Loading a multi-part AOF at startup (loadAppendOnlyFiles, aof.c): the manifest, the upgrade of a
 * pre-7.0 single-file AOF, then the base and every incr replayed as one loading session through a
 * fake client (`engine.loadingClient`), one per file as in Redis, so each file starts in db 0.
 *
 * Replayed commands run through dispatch, so they count in `dirty` as Redis's do, but nothing is
 * propagated: the AOF's listener is attached only after the load. Their replies are dropped, as
 * the fake client's are. A truncated last file is cut on storage before anything is appended.
 */
import type { Engine } from '../engine/engine.ts';
import {
  createAofReader, dbLoadedFrom, decodeManifest, encodeManifest, EMPTY_MANIFEST, judgeStep,
  manifestFileName, needsUpgrade, planAofLoad, upgradeOldAof, type AofLogLine, type AofManifest,
} from '../aof/index.ts';
import type { Storage } from '../storage/storage.ts';
import { createRdbLoader, loadingProgress, readAhead, startLoading, stopLoading } from './load.ts';
import { AofLoadError, aofStepError, missingFileError } from './load-errors.ts';

export type AofLog = (line: AofLogLine) => void;

export { AofLoadError };

export const aofPath = (dir: string, name: string): string => `${dir}/${name}`;

export async function readManifest(storage: Storage, dir: string, appendfilename: string): Promise<AofManifest> {
  const bytes = await storage.read(aofPath(dir, manifestFileName(appendfilename)));
  return bytes === undefined ? EMPTY_MANIFEST : decodeManifest(bytes);
}

/** Persists the manifest atomically (writeAtomic is Redis's temp file + fsync + rename). */
export function writeManifest(storage: Storage, dir: string, appendfilename: string, m: AofManifest): Promise<void> {
  return storage.writeAtomic(aofPath(dir, manifestFileName(appendfilename)), encodeManifest(m));
}

/** A file's size without reading it: storage.size where it has one, else an append handle's size. */
export async function fileSize(storage: Storage, name: string): Promise<number> {
  const known = await storage.size?.(name);
  if (known !== undefined) return known;
  const f = await storage.openAppend(name);
  const size = f.size;
  await f.close();
  return size;
}

/**
 * aofUpgradePrepare: an `appendfilename` in the storage root (Redis before 7.0) becomes the base
 * of a new manifest, moved into the dir. The copy is written before the manifest names it and
 * the old file removed last, so a crash at any point leaves a loadable state.
 */
export async function upgradeIfNeeded(
  storage: Storage, dir: string, appendfilename: string, m: AofManifest, log: AofLog,
): Promise<AofManifest> {
  const files = await storage.list();
  const probe = {
    oldFileExists: files.includes(appendfilename),
    dirExists: files.some((f) => f.startsWith(`${dir}/`)),
    movedFileExists: files.includes(aofPath(dir, appendfilename)),
  };
  if (!needsUpgrade(m, appendfilename, probe)) return m;
  const upgraded = upgradeOldAof(m, appendfilename);
  if (!probe.movedFileExists) await storage.writeAtomic(aofPath(dir, appendfilename), storage.readChunks(appendfilename));
  await writeManifest(storage, dir, appendfilename, upgraded);
  await storage.remove(appendfilename);
  log({ level: 'notice', message: `Successfully migrated an old-style AOF file (${appendfilename}) into the AOF directory (${dir}).` });
  return upgraded;
}

export interface AofLoadSummary {
  status: 'not-exist' | 'empty' | 'ok' | 'truncated';
  /** Size of the base file (aof_rewrite_base_size after a restart). */
  baseSize: number;
  /** Base + incrs, after any truncation (aof_current_size). */
  totalSize: number;
  /** Size of the last incr, after any truncation. */
  lastIncrSize: number;
}

/** Replays the manifest's base and incrs into the engine; throws AofLoadError where Redis exits. */
export async function loadAof(
  engine: Engine, storage: Storage, dir: string, m: AofManifest, log: AofLog,
): Promise<AofLoadSummary> {
  const present = new Set(await storage.list());
  const sizes = new Map<string, number>();
  for (const ai of m.base ? [m.base, ...m.incrs] : m.incrs) {
    const path = aofPath(dir, ai.name);
    if (present.has(path)) sizes.set(ai.name, await fileSize(storage, path));
  }
  const plan = planAofLoad(m, (name) => sizes.get(name));
  if (plan.status === 'failed') {
    for (const line of plan.log) log(line);
    const missing = [m.base, ...m.incrs].find((ai) => ai !== null && !sizes.has(ai.name));
    throw missingFileError(engine, dir, missing?.name ?? '', plan.log);
  }
  const lastIncr = m.incrs[m.incrs.length - 1];
  const summary: AofLoadSummary = {
    status: plan.status === 'load' ? 'ok' : plan.status,
    baseSize: m.base ? (sizes.get(m.base.name) ?? 0) : 0,
    totalSize: 0,
    lastIncrSize: lastIncr ? (sizes.get(lastIncr.name) ?? 0) : 0,
  };
  if (plan.status !== 'load') return summary;
  summary.totalSize = plan.totalSize;
  const loadTruncated = engine.config.value('aof-load-truncated') === 'yes';
  startLoading(engine, plan.totalSize);
  let loaded = 0;
  try {
    for (const step of plan.steps) {
      const started = engine.now();
      const client = engine.connect();
      engine.loadingClient = client;
      try {
        const reader = createAofReader({
          file: step.info.name,
          loadTruncated,
          rdb: () => createRdbLoader(engine, { aofBase: true }),
          isCommand: (argv) => engine.table.get(argv[0]!) !== undefined,
        });
        for await (const chunk of readAhead(storage.readChunks(aofPath(dir, step.info.name)))) {
          loaded += chunk.length;
          for (const argv of reader.push(chunk)) replay(engine, client, argv);
          loadingProgress(engine, loaded);
          if (reader.failed) break;
        }
        const result = reader.end();
        // A file ending inside MULTI: its queued commands never run.
        if (result.revertedMulti) client.multi = null;
        for (const line of result.log) log(line);
        const verdict = judgeStep(step, result);
        for (const line of verdict.log) log(line);
        if (verdict.fatal) {
          throw aofStepError(engine, dir, step, result, [...result.log, ...verdict.log]);
        }
        if (verdict.truncateTo !== undefined) {
          const f = await storage.openAppend(aofPath(dir, step.info.name));
          try {
            await f.truncate(verdict.truncateTo);
          } finally {
            await f.close();
          }
          summary.status = 'truncated';
          summary.totalSize -= step.size - verdict.truncateTo;
          if (step.info === lastIncr) summary.lastIncrSize = verdict.truncateTo;
          if (step.kind === 'base') summary.baseSize = verdict.truncateTo;
        }
        log({ level: 'notice', message: dbLoadedFrom(step, (engine.now() - started) / 1000) });
      } finally {
        engine.loadingClient = undefined;
        client.close();
      }
    }
  } finally {
    stopLoading(engine);
  }
  return summary;
}

/** One command through the fake client; its reply (errors included) is dropped, as Redis does. */
function replay(engine: Engine, client: ReturnType<Engine['connect']>, argv: string[]): void {
  const r = engine.execute(client, argv);
  if (r instanceof Promise) r.catch(() => {});
}
