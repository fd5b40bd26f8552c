/**
 * redis-check-aof (redis-check-aof.c, 7.0.15) as a function: give it the command line and the
 * host's effects (file reads, truncation, stdin, the RDB checker, log formatting) and it returns
 * what the tool prints and its exit code. A CLI only has to wire the effects to the file system.
 *
 *   redis-check-aof [--fix|--truncate-to-timestamp <unix-ts>] <file.manifest|file.aof>
 *
 * The input is a manifest when any non-comment line (read in 1024-byte pieces) starts with "file",
 * else an RDB-preamble AOF when it is 8+ bytes starting with "REDIS", else a RESP AOF. A manifest's
 * base and incrs (never history) are checked in order, files named relative to the manifest's
 * directory; only the last one may be cut by --fix or --truncate-to-timestamp.
 */
import { fgetsEnd, NO_LINE, strtolEnd, strtolExact, strtolRange } from './clib.ts';
import { CheckExit, CheckState, type CheckAofIo, type CheckVerdict } from './check-file.ts';
import { ManifestError } from './errors.ts';
import { decodeManifest } from './manifest.ts';

export type { CheckAofIo } from './check-file.ts';

export interface CheckAofRun {
  /** Everything the tool printed, the parts already given to `showPrompt` included. */
  stdout: string;
  exitCode: 0 | 1;
}

/** The effects, plus how an interactive host shows the `--fix` question before it is answered. */
export interface CheckAofHostIo extends CheckAofIo {
  /**
   * Called with everything printed so far (ending with "Continue? [y/N]: ") just before
   * `readLine`, so a terminal sees the question first, as it would from the C tool's stdout.
   */
  showPrompt?(stdoutSoFar: string): void;
}

const PATH_MAX = 4096;

/** Runs the tool; `argv[0]` is the program name as invoked (it appears in the usage line). */
export function runCheckAof(argv: readonly string[], io: CheckAofHostIo): CheckAofRun {
  const { showPrompt, readLine } = io;
  const state: CheckState = new CheckState(
    showPrompt && readLine ? { ...io, readLine: () => (showPrompt(state.out), readLine()) } : io,
  );
  try {
    main(argv, state);
    return { stdout: state.out, exitCode: 0 };
  } catch (e) {
    if (e instanceof CheckExit) return { stdout: state.out, exitCode: e.code };
    throw e;
  }
}

function main(argv: readonly string[], state: CheckState): void {
  const usage = (): never => {
    state.print(`Usage: ${argv[0] ?? 'redis-check-aof'} [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n`);
    throw new CheckExit(1);
  };
  let filepath: string;
  let fix = false;
  if (argv.length === 2) {
    filepath = argv[1]!;
  } else if (argv.length === 3 && argv[1] === '--fix') {
    filepath = argv[2]!;
    fix = true;
  } else if (argv.length === 4 && argv[1] === '--truncate-to-timestamp') {
    state.toTimestamp = parseTimestamp(argv[2]!, state);
    filepath = argv[3]!;
  } else {
    return usage();
  }
  if (filepath.length > PATH_MAX) {
    state.print('Error: filepath is too long (exceeds PATH_MAX)\n');
    return usage();
  }
  if (isManifest(filepath, state)) return checkMultiPart(dirname(filepath), filepath, fix, state);
  state.print('Start checking Old-Style AOF\n');
  const verdict = state.checkFile(filepath, filepath, true, fix, isRdb(filepath, state));
  printVerdict(verdict, filepath, 'AOF', state);
}

function checkMultiPart(dir: string, manifestPath: string, fix: boolean, state: CheckState): void {
  state.print('Start checking Multi Part AOF\n');
  const bytes = state.io.read(manifestPath);
  if (!(bytes instanceof Uint8Array)) {
    logLine(state, `Fatal error: can't open the AOF manifest file ${manifestPath} for reading: ${bytes.error}`);
    throw new CheckExit(1);
  }
  let manifest;
  try {
    manifest = decodeManifest(bytes);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    for (const message of e.logMessages) logLine(state, message);
    throw new CheckExit(1);
  }
  const total = (manifest.base ? 1 : 0) + manifest.incrs.length;
  let n = 0;
  if (manifest.base) {
    const name = manifest.base.name;
    const path = `${dir}/${name}`;
    const preamble = isRdb(path, state);
    state.print(`Start to check BASE AOF (${preamble ? 'RDB' : 'RESP'} format).\n`);
    printVerdict(state.checkFile(name, path, ++n === total, fix, preamble), name, 'BASE AOF', state);
  }
  if (manifest.incrs.length > 0) {
    state.print('Start to check INCR files.\n');
    for (const incr of manifest.incrs) {
      const path = `${dir}/${incr.name}`;
      printVerdict(state.checkFile(incr.name, path, ++n === total, fix, false), incr.name, 'INCR AOF', state);
    }
  }
  state.print('All AOF files and manifest are valid\n');
}

function printVerdict(v: CheckVerdict, name: string, kind: string, state: CheckState): void {
  if (v === 'ok') state.print(`${kind} ${name} is valid\n`);
  else if (v === 'empty') state.print(`${kind} ${name} is empty\n`);
  else if (v === 'timestamp-truncated') {
    state.print(`Successfully truncated AOF ${name} to timestamp ${state.toTimestamp}\n`);
  } else state.print(`Successfully truncated AOF ${name}\n`);
}

/** strtoll over the whole argument; junk after the number or overflow is refused. */
function parseTimestamp(arg: string, state: CheckState): bigint {
  const bytes = new Uint8Array(arg.length + 1);
  for (let i = 0; i < arg.length; i++) bytes[i] = arg.charCodeAt(i) & 0xff;
  const ts = BigInt(strtolExact(bytes, 0, bytes.length));
  if (strtolRange || bytes[strtolEnd] !== 0) {
    state.print('Invalid timestamp, aborting...\n');
    throw new CheckExit(1);
  }
  return ts;
}

/** fileIsManifest: some line that is not a comment starts with "file". */
function isManifest(path: string, state: CheckState): boolean {
  const data = open(path, state);
  if (typeof data === 'number') {
    // A directory: size 0 (as in /proc) is an empty file, not read; else the first fgets fails.
    if (data === 0) return false;
    state.print(`Cannot read file: ${path}\n`);
    throw new CheckExit(1);
  }
  let p = 0;
  for (;;) {
    const end = fgetsEnd(data, p, data.length, 1025, true);
    if (end === NO_LINE) return false;
    if (data[p] !== 0x23 && end - p >= 4 && data[p] === 0x66 && data[p + 1] === 0x69 && data[p + 2] === 0x6c && data[p + 3] === 0x65) {
      return true;
    }
    p = end;
  }
}

/** fileIsRDB: at least 8 bytes, starting with "REDIS". A directory is not (its fread fails). */
function isRdb(path: string, state: CheckState): boolean {
  const data = open(path, state);
  return typeof data !== 'number' && data.length >= 8 && data[0] === 0x52 && data[1] === 0x45 && data[2] === 0x44 && data[3] === 0x49 && data[4] === 0x53;
}

/**
 * fopen(path, "r") for the input probes: the bytes, or a directory's st_size (it opens; only the
 * check's fopen(path, "r+") refuses it, with ", aborting..."). Exits when it cannot be opened.
 */
function open(path: string, state: CheckState): Uint8Array | number {
  const data = state.io.read(path);
  if (data instanceof Uint8Array) return data;
  if (data.dirSize !== undefined) return data.dirSize;
  state.print(`Cannot open file ${path}: ${data.error}\n`);
  throw new CheckExit(1);
}

function logLine(state: CheckState, message: string): void {
  state.print(state.io.log ? state.io.log(message) : `${message}\n`);
}

/** POSIX dirname(): the path without its last component ("." when there is none). */
export function dirname(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  const slash = path.lastIndexOf('/', end - 1);
  if (slash < 0) return '.';
  let stop = slash;
  while (stop > 0 && path[stop - 1] === '/') stop--;
  return stop === 0 ? '/' : path.slice(0, stop);
}
