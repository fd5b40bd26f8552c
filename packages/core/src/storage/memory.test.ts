import { describe, expect, it } from 'vitest';
import { createMemoryStorage, type MemoryStorage } from './memory.ts';
import { runStorageConformance } from './conformance.suite.ts';

let current: MemoryStorage;
runStorageConformance('memory', {
  open: async () => (current = createMemoryStorage()),
  // Reopening a memory storage means a new handle on the same files: a crash with no torn bytes
  // after a clean close keeps exactly the closed content.
  reopen: async () => (current = current.crash()),
  crash: async () => current.crash(5),
});

describe('memory storage', () => {
  it('reports QUOTA_EXCEEDED while full and keeps the old content', async () => {
    const s = createMemoryStorage();
    await s.writeAtomic('dump.rdb', new Uint8Array([1]));
    s.setFull(true);
    await expect(s.writeAtomic('dump.rdb', new Uint8Array([2]))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(await s.read('dump.rdb')).toEqual(new Uint8Array([1]));
    s.setFull(false);
    await s.writeAtomic('dump.rdb', new Uint8Array([2]));
    expect(await s.read('dump.rdb')).toEqual(new Uint8Array([2]));
  });
});
