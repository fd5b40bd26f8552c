/**
 * Loading a multi-part AOF (loadAppendOnlyFiles, aof.c): which files to read, in which order, and
 * what one file's result means for the whole load. The base, then every incr, as one loading
 * session; history is never read. A file listed but missing fails the load before anything is
 * read; a truncated file is accepted only when it is the last one.
 *
 * Unlike Redis, nothing here asks to cut a file that is not the last: Redis 7.0.15 truncates it on
 * disk and then refuses to start, we only refuse, leaving the files as they were.
 */
import { cannotStat, ENOENT_TEXT, TRUNCATED_NOT_LAST } from './errors.ts';
import type { AofLoadResult, AofLogLine } from './loader.ts';
import type { AofInfo, AofManifest } from './manifest.ts';

export interface LoadStep {
  info: AofInfo;
  kind: 'base' | 'incr';
  /** The last file of the sequence: the only one a short read may truncate. */
  last: boolean;
  size: number;
}

export type LoadPlan =
  /** Neither base nor incr: start empty (Redis never falls back to the RDB then). */
  | { status: 'not-exist' }
  /** Every listed file is empty. */
  | { status: 'empty' }
  /** A listed file is missing: refuse to start. */
  | { status: 'failed'; log: AofLogLine[] }
  | { status: 'load'; steps: LoadStep[]; totalSize: number; baseSize: number };

/** `sizeOf(name)` is the file's size, or undefined when it does not exist. */
export function planAofLoad(m: AofManifest, sizeOf: (name: string) => number | undefined): LoadPlan {
  const infos = m.base ? [m.base, ...m.incrs] : [...m.incrs];
  if (infos.length === 0) return { status: 'not-exist' };
  const steps: LoadStep[] = [];
  let totalSize = 0;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    const size = sizeOf(info.name);
    if (size === undefined) {
      return { status: 'failed', log: [{ level: 'warning', message: cannotStat(info.name, ENOENT_TEXT) }] };
    }
    totalSize += size;
    steps.push({ info, kind: info === m.base ? 'base' : 'incr', last: i === infos.length - 1, size });
  }
  if (totalSize === 0) return { status: 'empty' };
  return { status: 'load', steps, totalSize, baseSize: m.base ? steps[0]!.size : 0 };
}

/** What one file's result means for the load. */
export interface StepVerdict {
  /** Stop and refuse to start. */
  fatal: boolean;
  /** Cut the file to this size before appending to it (only ever the last file). */
  truncateTo?: number;
  /** Redis's extra log lines for this verdict. */
  log: AofLogLine[];
}

export function judgeStep(step: LoadStep, result: AofLoadResult): StepVerdict {
  if (result.status === 'failed') return { fatal: true, log: [] };
  if (result.status === 'truncated') {
    if (!step.last) return { fatal: true, log: [{ level: 'warning', message: TRUNCATED_NOT_LAST }] };
    return { fatal: false, truncateTo: result.truncateTo!, log: [] };
  }
  return { fatal: false, log: [] };
}

/** The notice after a file loads ("DB loaded from base file x: 0.001 seconds"). */
export function dbLoadedFrom(step: LoadStep, seconds: number): string {
  return `DB loaded from ${step.kind} file ${step.info.name}: ${seconds.toFixed(3)} seconds`;
}
