/**
 * `larder check-aof [--fix|--truncate-to-timestamp <ts>] <manifest|file>`: redis-check-aof
 * (core's aof/check.ts) wired to the file system, with `larder check-rdb` checking RDB bases
 * and preambles, as redis-check-aof runs redis-check-rdb.
 *
 * One pass, as the C tool: `--fix` asks "Continue? [y/N]: " halfway, so the output printed up to
 * the question is written out (showPrompt) before the answer is read, and the rest after the run.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { runCheckAof } from '@larder/core/aof';
import { checkRdbBytes } from './check-rdb.ts';
import { serverLog } from './server-log.ts';

export interface CheckHost {
  /** Writes to stdout at once (the prompt must show before the answer is read). */
  write(s: string): void;
  /** One line typed on stdin, or null at end of input. */
  readLine(): string | null;
  /** A file's bytes (readBounded); `untilEof` for a file that is not a regular one. */
  read(path: string, untilEof?: (head: Uint8Array) => boolean): Uint8Array | { error: string };
  truncate(path: string, size: number): boolean;
}

/** Runs the tool; `argv[0]` is the program name for the usage line. Returns the exit code. */
export function runCheckAofCommand(argv: readonly string[], host: CheckHost): 0 | 1 {
  let written = 0;
  const flush = (stdout: string): void => {
    if (stdout.length > written) host.write(stdout.slice(written));
    written = stdout.length;
  };
  const run = runCheckAof(argv, {
    read: (path) => host.read(path),
    truncate: (path, size) => host.truncate(path, size),
    readLine: () => host.readLine(),
    showPrompt: flush,
    checkRdb: (bytes, name) => checkRdbBytes(bytes, name),
    log: serverLog,
  });
  flush(run.stdout);
  return run.exitCode;
}

/**
 * A file's bytes as the C tools see them. A regular file: its st_size bytes, as redis-check-aof
 * reads what fstat says. Anything else (a device, a pipe) has st_size 0, which redis-check-aof
 * calls empty; redis-check-rdb reads as it parses instead, so its caller passes `untilEof`, which
 * reads the first 9 bytes and goes on to the end only after an RDB signature: /dev/zero fails at
 * its signature, as there, instead of being read forever.
 */
function readBounded(path: string, untilEof?: (head: Uint8Array) => boolean): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const take = (n: number): number => {
      const b = new Uint8Array(n);
      const got = readSync(fd, b, 0, n, null);
      chunks.push(b.subarray(0, got));
      total += got;
      return got;
    };
    // A regular file is read in one piece, which is returned as it is (no copy of a large file).
    const joined = (): Uint8Array => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    if (st.isDirectory()) take(1); // throws EISDIR, which read() reports as the C tools do
    if (st.isFile()) {
      while (total < st.size && take(st.size - total) > 0);
    } else if (untilEof) {
      while (total < 9 && take(9 - total) > 0);
      if (untilEof(joined())) while (take(1 << 16) > 0);
    }
    return joined();
  } finally {
    closeSync(fd);
  }
}

/**
 * How check-rdb reads its file: a device or a pipe only past an RDB signature (the C tool reads
 * as it parses); a directory as an empty file, as fopen() opens one and its first read fails.
 */
export function readRdbFile(path: string): Uint8Array | { error: string } {
  const bytes = processHost.read(path, (head) => String.fromCharCode(...head.subarray(0, 5)) === 'REDIS');
  return !(bytes instanceof Uint8Array) && bytes.error === 'Is a directory' ? new Uint8Array(0) : bytes;
}

/** The real thing: files, stdout, and stdin read with blocking reads (as fgets). */
export const processHost: CheckHost = {
  write: (s) => void process.stdout.write(Buffer.from(s, 'latin1')),
  readLine,
  read(path, untilEof) {
    try {
      return readBounded(path, untilEof);
    } catch (e) {
      // The C tool opens a directory for reading (only reads fail) and looks at its st_size.
      const dir = (e as { code?: string }).code === 'EISDIR' ? statSync(path, { throwIfNoEntry: false }) : undefined;
      return dir ? { error: strerror(e), dirSize: dir.size } : { error: strerror(e) };
    }
  },
  truncate(path, size) {
    try {
      truncateSync(path, size);
      return true;
    } catch {
      return false;
    }
  },
};

function readLine(): string | null {
  const byte = new Uint8Array(1);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(0, byte, 0, 1, null);
    } catch (e) {
      // A non-blocking stdin (some terminals, pipes another tool opened) has nothing yet: wait.
      if ((e as { code?: string }).code !== 'EAGAIN') return line === '' ? null : line;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      continue;
    }
    if (n === 0) return line === '' ? null : line;
    line += String.fromCharCode(byte[0]!);
    if (byte[0] === 0x0a) return line;
  }
}

/** glibc's strerror text for the errno a Node fs error carries, as the C tools print it. */
export function strerror(e: unknown): string {
  const texts: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    ENAMETOOLONG: 'File name too long',
    ELOOP: 'Too many levels of symbolic links',
    EMFILE: 'Too many open files',
    EIO: 'Input/output error',
  };
  const code = (e as { code?: string }).code;
  return (code !== undefined && texts[code]) || (e instanceof Error ? e.message : String(e));
}
