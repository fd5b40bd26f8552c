/**
 * Why a load was refused, in one line a person can act on: the file (its storage name, e.g.
 * `appendonlydir/appendonly.aof.2.incr.aof`), the byte offset (a manifest's line), the reason and
 * what to do. Redis's own log lines say less (an AOF error names no offset, an RDB error no file),
 * so hosts print this line after them; the errors carry `file` and `offset` for hosts that show
 * them their own way (the browser worker).
 *
 * The three errors a refused load throws: AofLoadError (here), RdbError (rdb/errors.ts, `file`
 * set by the loader) and ManifestError (aof/errors.ts, `file` set by the loader). Anything else
 * thrown while reading a file gets `file` through `withFile`.
 */
import type { Engine } from '../engine/engine.ts';
import { manifestFileName, type AofLoadResult, type AofLogLine, type LoadStep } from '../aof/index.ts';

/** Where a refused load stopped and what to do about it. */
export interface LoadFailureInfo {
  /** Storage name of the file. */
  file?: string;
  /** Byte offset in `file`. */
  offset?: number;
  /** Why, in a few words. */
  reason?: string;
  /** What to do. */
  advice?: string;
  cause?: unknown;
}

/** The AOF cannot be loaded: Redis logs `log` and exits(1). `message` is Redis's last line. */
export class AofLoadError extends Error {
  override name = 'AofLoadError';
  readonly file?: string;
  readonly offset?: number;
  readonly reason?: string;
  readonly advice?: string;
  constructor(
    message: string,
    readonly log: AofLogLine[],
    info: LoadFailureInfo = {},
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    if (info.file !== undefined) this.file = info.file;
    if (info.offset !== undefined) this.offset = info.offset;
    if (info.reason !== undefined) this.reason = info.reason;
    if (info.advice !== undefined) this.advice = info.advice;
  }
}

/** `e` with `file` set (when it is an object without one), rethrown by loaders that know the file. */
export function withFile<T>(e: T, file: string): T {
  if (typeof e === 'object' && e !== null && (e as { file?: unknown }).file === undefined) (e as { file?: string }).file = file;
  return e;
}

const manifestOf = (engine: Engine, dir: string): string =>
  `${dir}/${manifestFileName(engine.config.value('appendfilename') as string)}`;

const fixAof = (manifest: string): string => `make a backup of the directory, then run: larder check-aof --fix ${manifest}`;
const checkRdb = (file: string): string => `run: larder check-rdb ${file} (to see the damage), then restore the file from a backup`;

/** A listed file is missing (the load plan's failure). */
export function missingFileError(engine: Engine, dir: string, name: string, log: AofLogLine[]): AofLoadError {
  const manifest = manifestOf(engine, dir);
  return new AofLoadError(log[log.length - 1]?.message ?? `AOF file ${name} is missing`, log, {
    file: `${dir}/${name}`,
    reason: `the manifest ${manifest} lists it, but it does not exist`,
    advice: `restore it from a backup, or remove its line from ${manifest} (losing its writes)`,
  });
}

/** A file of the AOF failed to load, or was cut short where it may not be cut. */
export function aofStepError(
  engine: Engine, dir: string, step: LoadStep, result: AofLoadResult, lines: AofLogLine[],
): AofLoadError {
  const file = `${dir}/${step.info.name}`;
  const manifest = manifestOf(engine, dir);
  const message = lines[lines.length - 1]?.message ?? 'AOF loading failed';
  const info = (offset: number | undefined, reason: string, advice: string, cause?: unknown): AofLoadError =>
    new AofLoadError(message, lines, { file, ...(offset === undefined ? {} : { offset }), reason, advice, cause });
  if (result.status === 'truncated') {
    return info(result.truncateTo, 'the file is cut short, and it is not the last file (only the last may be cut; it was left as it was)',
      `restore it from a backup (larder check-aof --fix ${manifest} cuts only the last file)`);
  }
  const at = result.failedAt;
  switch (result.error) {
    case 'eof':
      return info(at, 'the file ends inside a command (a torn tail)',
        `set aof-load-truncated yes to cut it there (losing that last command), or ${fixAof(manifest)}`);
    case 'rdb': {
      const cause = result.cause as { reason?: string; message?: string } | undefined;
      if (cause !== undefined) withFile(cause, file);
      let reason = cause?.reason ?? cause?.message ?? 'its RDB part is damaged';
      if (reason.startsWith('Short read or OOM')) reason = 'the file ends before the RDB does (cut short)';
      return info(at, `bad RDB: ${reason}`, checkRdb(file), result.cause);
    }
    case 'unknown-command':
      return info(at, message.replace(/ reading the append only file .*$/, '').toLowerCase(),
        'remove the command from the file, or load it with a server that knows it');
    default:
      return info(at, 'bad file format (not a command)', fixAof(manifest));
  }
}

/** The one line naming the file, the offset (a manifest's line), the reason and what to do. */
export function describeLoadError(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as { name?: string; file?: string; offset?: number; line?: number; reason?: string; advice?: string; message?: string };
  if (err.file === undefined) return undefined;
  const where = err.offset !== undefined ? ` at offset ${err.offset}` : err.line !== undefined ? ` at line ${err.line}` : '';
  let reason = (err.reason ?? err.message ?? 'it cannot be read').replace(/\s*Aborting now\.$/, '').replace(/\.+$/, '');
  let advice = err.advice;
  if (err.name === 'RdbError') {
    if (reason.startsWith('Short read or OOM')) reason = 'the file ends before the RDB does (cut short)';
    advice ??= checkRdb(err.file);
  }
  else if (err.name === 'ManifestError') {
    reason = `bad AOF manifest: ${reason}`;
    advice ??= `fix the line by hand or restore ${err.file} from a backup; larder check-aof ${err.file} checks it`;
  } else if (err.name !== 'AofLoadError') {
    reason = `it cannot be read (${reason})`;
    advice ??= `make it a readable file, or move it away to start without it; larder check-rdb ${err.file} checks an RDB file`;
  }
  return `Can't load ${err.file}${where}: ${reason}.${advice === undefined ? '' : ` To fix it, ${advice}.`}`;
}
