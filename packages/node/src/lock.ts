/**
 * One writer per directory: `larder.lock` holds the pid of the process that owns the directory.
 * Redis itself takes no lock (two servers on one `dir` silently corrupt each other's AOF); Larder
 * refuses the second with LOCKED instead.
 *
 * The lock is created whole with link(2) from a private file, so nobody ever reads a half-written
 * lock. A lock whose pid is dead is stale (the owner crashed) and is taken over. Our own pid in a
 * lock we do not hold is stale too: a restarted container reuses pid 1.
 */
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@larder/core/storage';
import { errnoOf, LOCK_NAME, storageError } from './fs-util.ts';

export interface DirLock {
  release(): void;
}

/** Directories this process holds, so a second storage on one of them is refused too. */
const held = new Set<string>();

export function lockDir(dir: string): DirLock {
  const path = join(dir, LOCK_NAME);
  const mine = `${process.pid}\n`;
  if (held.has(dir)) throw locked(dir, path, process.pid, 'this process already has it open; close that storage first');
  try {
    // A few rounds: each lost race (another process creating or taking over the lock) retries.
    for (let round = 0; round < 5; round++) {
      if (create(path, mine)) {
        held.add(dir);
        return { release: () => release(dir, path, mine) };
      }
      const content = readIfExists(path);
      if (content === undefined) continue;
      const pid = /^\d+\n?$/.test(content) ? Number(content) : NaN;
      if (!Number.isSafeInteger(pid) || pid <= 0) {
        throw locked(dir, path, undefined, `if no Larder process uses ${dir}, delete ${path}`);
      }
      if (pid !== process.pid && alive(pid)) {
        throw locked(dir, path, pid, `stop that process or use another directory; if no such process runs, delete ${path}`);
      }
      takeOver(path, content);
    }
  } catch (e) {
    throw storageError(e, `locking ${dir}`);
  }
  throw locked(dir, path, undefined, 'other processes keep racing for it; retry');
}

/** Creates the lock atomically with its content; false when one exists already. */
function create(path: string, content: string): boolean {
  const staging = `${path}.${process.pid}`;
  writeFileSync(staging, content);
  try {
    linkSync(staging, path);
    return true;
  } catch (e) {
    const errno = errnoOf(e);
    if (errno === 'EEXIST') return false;
    // File systems without hard links: an exclusive create, written at once.
    if (errno !== 'EPERM' && errno !== 'ENOTSUP' && errno !== 'EOPNOTSUPP' && errno !== 'ENOSYS') throw e;
    return createExclusive(path, content);
  } finally {
    unlinkSync(staging);
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock. Renaming it aside first and checking what was moved means that of two
 * processes taking over the same stale lock, the slower one cannot delete the faster one's fresh
 * lock: if what it moved is not the stale content, it puts it back.
 */
function takeOver(path: string, stale: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw e;
  }
  try {
    if (readFileSync(aside, 'latin1') !== stale) linkSync(aside, path);
  } catch (e) {
    if (errnoOf(e) !== 'EEXIST') throw e;
  } finally {
    unlinkSync(aside);
  }
}

function release(dir: string, path: string, mine: string): void {
  if (!held.delete(dir)) return;
  try {
    if (readIfExists(path) === mine) unlinkSync(path);
  } catch {
    // The lock is advisory: one left behind is stale once this process exits.
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Signal 0 probes a process without touching it; EPERM means it exists under another user. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

function locked(dir: string, path: string, pid: number | undefined, advice: string): StorageError {
  const who = pid === undefined ? `${path} is held` : `it is locked by pid ${pid} (${path})`;
  return new StorageError('LOCKED', `${dir} is in use by another Larder storage: ${who}; ${advice}`);
}
