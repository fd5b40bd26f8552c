/**
 * How the manifest changes over an AOF's life (aof.c): file naming, a rewrite's start and finish,
 * history garbage collection, server start, and the upgrade of a pre-7.0 single-file AOF. Pure
 * transitions: each takes a manifest and returns a new one plus the file names the storage layer
 * must create, rename or delete; persisting the result (temp file, flush, atomic rename) is the
 * caller's job. Sequence numbers come from the manifest's counters exactly as Redis hands them out,
 * so a store and a redis-server sharing a directory agree on every name.
 */
import type { AofInfo, AofManifest } from './manifest.ts';

/** server.aof_state: off, on, or enabled at runtime and waiting for its first rewrite. */
export type AofState = 'off' | 'on' | 'wait-rewrite';

export const manifestFileName = (appendfilename: string): string => `${appendfilename}.manifest`;
export const tempManifestFileName = (appendfilename: string): string => `temp-${appendfilename}.manifest`;
/** Where writes accumulate while AOF is enabled and waiting for its first rewrite (WAIT_REWRITE). */
export const tempIncrFileName = (appendfilename: string): string => `temp-${appendfilename}.incr`;
export const baseFileName = (appendfilename: string, seq: number, rdbPreamble: boolean): string =>
  `${appendfilename}.${seq}.base.${rdbPreamble ? 'rdb' : 'aof'}`;
export const incrFileName = (appendfilename: string, seq: number): string => `${appendfilename}.${seq}.incr.aof`;

/** The files replayed at load, in order: the base, then every incr (never history). */
export function filesToLoad(m: AofManifest): AofInfo[] {
  return m.base ? [m.base, ...m.incrs] : [...m.incrs];
}

/** Name, in the new manifest, of the file just added. */
export interface Named {
  manifest: AofManifest;
  name: string;
}

/** getNewBaseFileNameAndMarkPreAsHistory: a new base with the next seq; the old one becomes history. */
export function newBaseFile(m: AofManifest, appendfilename: string, rdbPreamble: boolean): Named {
  const seq = m.baseSeq + 1;
  const name = baseFileName(appendfilename, seq, rdbPreamble);
  const history = m.base ? [{ ...m.base, type: 'h' as const }, ...m.history] : m.history;
  return { manifest: { ...m, base: { name, seq, type: 'b' }, history, baseSeq: seq }, name };
}

/** getNewIncrAofName: a new incr with the next seq, appended to the incr list. */
export function newIncrFile(m: AofManifest, appendfilename: string): Named {
  const seq = m.incrSeq + 1;
  const name = incrFileName(appendfilename, seq);
  return { manifest: { ...m, incrs: [...m.incrs, { name, seq, type: 'i' }], incrSeq: seq }, name };
}

/** getLastIncrAofName: the incr being appended to, created when there is none. */
export function lastIncrFile(m: AofManifest, appendfilename: string): Named {
  const last = m.incrs[m.incrs.length - 1];
  return last ? { manifest: m, name: last.name } : newIncrFile(m, appendfilename);
}

/**
 * markRewrittenIncrAofAsHistory: after a rewrite every incr the new base covers becomes history,
 * ahead of the older history. With AOF on (or waiting for its first rewrite) the last incr is the one being
 * written and stays; with AOF off they all go.
 */
export function markRewrittenIncrsAsHistory(m: AofManifest, state: AofState): AofManifest {
  if (m.incrs.length === 0) return m;
  const keep = state === 'off' ? 0 : 1;
  // Redis walks the list from the tail and prepends each file: the retired block keeps its order.
  const retired = m.incrs.slice(0, m.incrs.length - keep).map((ai) => ({ ...ai, type: 'h' as const }));
  const history = [...retired, ...m.history];
  return { ...m, incrs: m.incrs.slice(m.incrs.length - keep), history };
}

/**
 * aofDelHistoryFiles: the history files to delete and the manifest without them. Redis skips this
 * (and the manifest write) when aof-disable-auto-gc is yes or there is no history.
 */
export function withoutHistory(m: AofManifest): { manifest: AofManifest; removed: string[] } {
  return { manifest: { ...m, history: [] }, removed: m.history.map((ai) => ai.name) };
}

/**
 * openNewIncrAofForAppend, at the start of a rewrite (after the old incr got its last bytes; the
 * writer must start the new file with a SELECT). On: a new incr, persisted before the switch. Waiting
 * for the first rewrite: the temp incr, manifest untouched. Off: nothing.
 *
 * If the rewrite then fails, nothing is undone: when on, the new incr stays listed (failed rewrites
 * pile up incrs, which the next success retires together); when waiting, the temp incr is deleted
 * ("Removing the temp incr aof file") and the rewrite rescheduled.
 */
export function startRewrite(
  m: AofManifest,
  state: AofState,
  appendfilename: string,
): { manifest: AofManifest; open: string | null; persist: boolean } {
  if (state === 'off') return { manifest: m, open: null, persist: false };
  if (state === 'wait-rewrite') return { manifest: m, open: tempIncrFileName(appendfilename), persist: false };
  const { manifest, name } = newIncrFile(m, appendfilename);
  return { manifest, open: name, persist: true };
}

/** What backgroundRewriteDoneHandler does with the files once the snapshot is written. */
export interface RewriteDone {
  /** To persist; then (unless aof-disable-auto-gc) apply withoutHistory and persist again. */
  manifest: AofManifest;
  /** Rename the temp rewrite output (`temp-rewriteaof-bg-<pid>.aof`) to this. */
  base: string;
  /** Waiting for the first rewrite: rename tempIncrFileName() to this. */
  incr: string | null;
}

/**
 * backgroundRewriteDoneHandler on success: new base (old base to history), the temp incr of a
 * first rewrite renamed into the list, and the incrs the base covers retired to history. The state
 * is the one during the rewrite; afterwards a waiting AOF is on.
 */
export function finishRewrite(m: AofManifest, state: AofState, appendfilename: string, rdbPreamble: boolean): RewriteDone {
  const withBase = newBaseFile(m, appendfilename, rdbPreamble);
  let manifest = withBase.manifest;
  let incr: string | null = null;
  if (state === 'wait-rewrite') {
    const added = newIncrFile(manifest, appendfilename);
    manifest = added.manifest;
    incr = added.name;
  }
  return { manifest: markRewrittenIncrsAsHistory(manifest, state), base: withBase.name, incr };
}

/** What aofOpenIfNeededOnServerStart does when AOF is on after loading. */
export interface ServerStart {
  /** To persist before appending. */
  manifest: AofManifest;
  /** Set when the manifest had neither base nor incr: write an empty snapshot under this name first. */
  createBase: string | null;
  /** The incr to append to (created if missing, opened for append otherwise). */
  incr: string;
  /** True when the incr is new ("Creating AOF incr file"), false when reopened ("Opening ..."). */
  newIncr: boolean;
}

export function openOnServerStart(m: AofManifest, appendfilename: string, rdbPreamble: boolean): ServerStart {
  let manifest = m;
  let createBase: string | null = null;
  if (!m.base && m.incrs.length === 0) {
    const added = newBaseFile(m, appendfilename, rdbPreamble);
    manifest = added.manifest;
    createBase = added.name;
  }
  const newIncr = manifest.incrs.length === 0;
  const last = lastIncrFile(manifest, appendfilename);
  return { manifest: last.manifest, createBase, incr: last.name, newIncr };
}

/** What the loader sees on disk for the upgrade check (paths relative to the server's dir). */
export interface UpgradeProbe {
  /** `<dir>/<appendfilename>` exists: an AOF written by Redis before 7.0. */
  oldFileExists: boolean;
  /** `<dir>/<appenddirname>` exists. */
  dirExists: boolean;
  /** `<appenddirname>/<appendfilename>` exists. */
  movedFileExists: boolean;
}

/** loadAppendOnlyFiles's upgrade condition: an old single-file AOF still to move into the dir. */
export function needsUpgrade(m: AofManifest, appendfilename: string, probe: UpgradeProbe): boolean {
  if (!probe.oldFileExists) return false;
  if (!probe.dirExists) return true;
  if (!m.base && m.incrs.length === 0) return true;
  return m.base !== null && m.incrs.length === 0 && m.base.name === appendfilename && !probe.movedFileExists;
}

/**
 * aofUpgradePrepare: the old file becomes the base (seq 1) under its own name. Persist the manifest,
 * then move the file into the dir ("Successfully migrated an old-style AOF file (%s) into the AOF
 * directory (%s)."); the incr list, empty, gets its first file at server start.
 */
export function upgradeOldAof(m: AofManifest, appendfilename: string): AofManifest {
  return { ...m, base: { name: appendfilename, seq: 1, type: 'b' }, baseSeq: 1 };
}
