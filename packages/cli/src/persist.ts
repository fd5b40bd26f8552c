/**
 * Persistence for `larder serve` and the shell: the engine's `dir` opened as a Node storage, the
 * dataset loaded as redis-server loads it at startup, Redis's shutdown on SHUTDOWN and on signals.
 *
 * A load failure is fatal, as in redis-server: its log lines are printed and the process exits 1.
 */
import { resolve } from 'node:path';
import type { Engine } from '@larder/core';
import { attachPersistence, AofLoadError, describeLoadError, type AttachedPersistence } from '@larder/core/persistence';
import type { Storage } from '@larder/core/storage';
import { createNodeStorage } from '@larder/node';

/** Redis's log levels as its log lines mark them. */
const MARK: Record<string, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };

export type LogFn = (message: string, mark?: string) => void;

/** For the shell and export, whose stdout carries data: only warnings, on stderr. */
export const warningsToStderr: LogFn = (message, mark) => {
  if (mark === '#') process.stderr.write(`# ${message}\n`);
};

export interface OpenedDir {
  storage: Storage;
  persistence: AttachedPersistence;
  /** Persistence closed, then the storage (its lock released). */
  close(): Promise<void>;
}

/** The config value for `dir`: absolute, as redis-server's CONFIG GET dir answers after its chdir. */
export const absoluteDir = (dir: string | undefined): string => resolve(dir ?? '.');

/**
 * Opens `engine`'s dir and loads it. Returns undefined after logging Redis's fatal lines when the
 * directory cannot be opened or its data loaded.
 */
export async function openDir(engine: Engine, log: LogFn): Promise<OpenedDir | undefined> {
  const dir = engine.config.value('dir') as string;
  let storage: Storage;
  try {
    storage = await createNodeStorage(dir);
  } catch (e) {
    log(`Can't chdir to '${dir}': ${e instanceof Error ? e.message : String(e)}`, '#');
    return undefined;
  }
  try {
    const persistence = await attachPersistence(engine, storage, {
      log: (line) => log(line.message, MARK[line.level] ?? '*'),
    });
    return {
      storage,
      persistence,
      async close() {
        try {
          await persistence.close();
        } finally {
          await storage.close();
        }
      },
    };
  } catch (e) {
    await storage.close();
    logLoadFailure(e, log);
    return undefined;
  }
}

/** Redis's fatal lines for a refused load, then Larder's line naming the file, offset and remedy. */
function logLoadFailure(e: unknown, log: LogFn): void {
  redisFailureLines(e, log);
  const line = describeLoadError(e);
  if (line !== undefined) log(line, '#');
}

const SHORT_READ = 'Short read or OOM loading DB. Unrecoverable error, aborting now.';

function redisFailureLines(e: unknown, log: LogFn): void {
  if (e instanceof AofLoadError) {
    // Its lines were logged as they happened, but the fatal one may only be in the error.
    const last = e.log[e.log.length - 1];
    if (last === undefined || last.message !== e.message) log(e.message, '#');
    return;
  }
  const err = e as { name?: string; reason?: string; offset?: number; message?: string; logMessages?: string[] };
  if (err.name === 'RdbError') {
    // rdb.c: the checksum and short-read paths log their own line before rdbReportError's.
    const reason = err.reason ?? err.message ?? '';
    let internal = reason;
    if (reason.startsWith('Wrong RDB checksum')) {
      log(reason, '#');
      internal = 'RDB CRC error';
    } else if (reason === SHORT_READ) {
      log(SHORT_READ, '#');
      internal = 'Unexpected EOF reading RDB file';
    }
    log(`Internal error in RDB reading offset ${err.offset ?? 0}, function at rdb.c:0 -> ${internal}`, '#');
    log('Terminating server after rdb file reading failure.', '#');
    return;
  }
  if (err.name === 'ManifestError') {
    for (const m of err.logMessages ?? [err.message ?? String(e)]) {
      const text = m.replace(/^\n+|\n+$/g, '');
      if (text !== '') log(text, '#');
    }
    return;
  }
  log(`Fatal error loading the DB: ${err.message ?? String(e)}. Exiting.`, '#');
}

/**
 * Redis's shutdown (prepareForShutdown with no flags), as SIGTERM/SIGINT start it: SHUTDOWN run
 * by an internal client, which saves when save rules exist, flushes the AOF and then calls
 * `engine.onShutdown`. Resolves with the error text when the shutdown was refused.
 */
export async function shutdown(engine: Engine): Promise<string | undefined> {
  const c = engine.connect({ addr: 'shutdown', laddr: 'shutdown' });
  try {
    const r = await c.exec(['SHUTDOWN']);
    return r instanceof Error ? r.message : undefined;
  } finally {
    c.close();
  }
}
