/**
 * What the AOF code says when something is wrong, in Redis 7.0.15's exact words (aof.c,
 * redis-check-aof.c): the manifest parser's fatal errors, the loader's log lines, and the
 * checker's messages. Log lines are given as Redis passes them to serverLog, so a host that
 * prefixes them with `pid:role date level` reproduces Redis's log byte for byte.
 */

/** Manifest reasons (aofLoadManifestFromFile). */
export const MANIFEST_EMPTY = 'Found an empty AOF manifest';
export const MANIFEST_LINE_TOO_LONG = 'The AOF manifest file contains too long line';
export const MANIFEST_INVALID = 'Invalid AOF manifest file format';
export const MANIFEST_PATH = "File can't be a path, just a filename";
export const MANIFEST_DUP_BASE = 'Found duplicate base file information';
export const MANIFEST_NON_MONOTONIC = 'Found a non-monotonic sequence number';
export const MANIFEST_UNKNOWN_TYPE = 'Unknown AOF file type';

/**
 * A manifest Redis would refuse: it logs `logMessages` and exits(1). `line` and `text` (the line
 * number counted as Redis counts fgets calls, and the trimmed line) are there when Redis names them.
 */
export class ManifestError extends Error {
  override name = 'ManifestError';
  readonly code = 'CORRUPT' as const;
  /** The manifest's storage name (`appendonlydir/appendonly.aof.manifest`), once the loader knows it. */
  file?: string;
  /** A manifest error has no byte offset: `line` is its position. */
  readonly offset = undefined;
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly text?: string,
  ) {
    super(line === undefined ? reason : `${reason} (manifest line ${line})`);
  }

  /** The serverLog messages Redis writes for this error, in order. */
  get logMessages(): string[] {
    const out = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
    if (this.line !== undefined) {
      out.push(`Reading the manifest file, at line ${this.line}\n`, `>>> '${this.text ?? ''}'\n`);
    }
    out.push(`${this.reason}\n`);
    return out;
  }
}

/** Loader log lines (loadSingleAppendOnlyFile, loadAppendOnlyFiles). */
export const READING_RDB_PREAMBLE = 'Reading RDB preamble from AOF file...';
export const READING_RDB_BASE = 'Reading RDB base file on AOF loading...';
export const READING_AOF_TAIL = 'Reading the remaining AOF tail...';
export const TRUNCATED_NOT_LAST = 'Fatal error: the truncated file is not the last file';

export const rdbPreambleError = (file: string): string =>
  `Error reading the RDB preamble of the AOF file ${file}, AOF loading aborted`;
export const rdbBaseError = (file: string): string => `Error reading the RDB base file ${file}, AOF loading aborted`;
export const unknownCommand = (name: string, file: string): string =>
  `Unknown command '${name}' reading the append only file ${file}`;
export const revertMulti = (file: string): string => `Revert incomplete MULTI/EXEC transaction in AOF file ${file}`;
export const unrecoverableRead = (file: string, reason: string): string =>
  `Unrecoverable error reading the append only file ${file}: ${reason}`;
export const shortRead = (file: string): string => `!!! Warning: short read while loading the AOF file ${file}!!!`;
export const truncatingAt = (file: string, offset: number): string =>
  `!!! Truncating the AOF ${file} at offset ${offset} !!!`;
export const loadedAnyway = (file: string): string =>
  `AOF ${file} loaded anyway because aof-load-truncated is enabled`;
export const unexpectedEof = (file: string): string =>
  `Unexpected end of file reading the append only file ${file}. You can: ` +
  '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
  "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.";
export const badFormat = (file: string): string =>
  `Bad file format reading the append only file ${file}: ` +
  'make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>';
export const cannotStat = (file: string, reason: string): string =>
  `Unable to obtain the AOF file ${file} length. stat: ${reason}`;

/** strerror(ENOENT), which Redis prints for a missing file (and, stale, for a NUL after `*`). */
export const ENOENT_TEXT = 'No such file or directory';
