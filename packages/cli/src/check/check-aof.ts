/**
 * `larder check-aof [--fix|--truncate-to-timestamp <ts>] <manifest|file>`: redis-check-aof
 * (core's aof/check.ts) wired to the file system, with `larder check-rdb` checking RDB bases
 * and preambles, as redis-check-aof runs redis-check-rdb.
 *
 * One pass, as the C tool: `--fix` asks "Continue? [y/N]: " halfway, so the output printed up to
 * the question is written out (showPrompt) before the answer is read, and the rest after the run.
 */
import { readFileSync, readSync, statSync, truncateSync } from 'node:fs';
import { runCheckAof } from '@larder/core/aof';
import { checkRdbBytes } from './check-rdb.ts';
import { serverLog } from './server-log.ts';

export interface CheckHost {
  /** Writes to stdout at once (the prompt must show before the answer is read). */
  write(s: string): void;
  /** One line typed on stdin, or null at end of input. */
  readLine(): string | null;
  read(path: string): Uint8Array | { error: string };
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

/** The real thing: files, stdout, and stdin read with blocking reads (as fgets). */
export const processHost: CheckHost = {
  write: (s) => void process.stdout.write(Buffer.from(s, 'latin1')),
  readLine,
  read(path) {
    try {
      const b = readFileSync(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
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
