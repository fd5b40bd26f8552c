/**
 * Storage file names in the browser. They are Redis's file names, optionally under one folder
 * (`appendonlydir/appendonly.aof.1.incr.aof`), as on Node; IndexedDB keys them as they are and
 * OPFS maps the folder to a sub-directory. Names starting with `.` are the storage's own (OPFS
 * probe files) and are never listed.
 */
import { StorageError } from '@larder/core/storage';

export function checkName(name: string): { folder: string | undefined; base: string } {
  const parts = name.split('/');
  const ok = parts.length <= 2 && parts.every((p) => p !== '' && !p.startsWith('.') && !p.includes('\\') && !p.includes('\0'));
  if (!ok) throw new StorageError('IO', `invalid storage file name '${name}': use a file name, optionally under one folder`);
  return parts.length === 2 ? { folder: parts[0]!, base: parts[1]! } : { folder: undefined, base: parts[0]! };
}

/** A store's name becomes an OPFS folder and part of a database name: keep it a plain word. */
export function checkStoreName(name: string): void {
  if (name === '' || name.includes('/') || name.includes('\\') || name.startsWith('.')) {
    throw new StorageError('IO', `invalid store name '${name}': use a non-empty name without slashes that does not start with '.'`);
  }
}

export { concatBytes as concat } from '@larder/core';
