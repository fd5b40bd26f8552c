// The native latin1 decoder createNodeStorage installs must give exactly core's byte strings.
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToBinary, nativeLatin1, setLatin1Decoder } from '@larder/core';
import { binaryOf } from '../../core/src/rdb/reader.ts';
import { createNodeStorage } from './storage.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('native latin1 decoding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'larder-latin1-'));
  afterAll(() => {
    setLatin1Decoder(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches the pure-JS conversion for every byte and length', async () => {
    const all = new Uint8Array(4096);
    for (let i = 0; i < all.length; i++) all[i] = (i * 131 + (i >> 8)) & 0xff;
    const lengths = [0, 1, 15, 16, 17, 100, 255, 256, 257, 1000, 4096];
    setLatin1Decoder(undefined);
    const expected = lengths.map((n) => [bytesToBinary(all, 7 % Math.max(1, 4096 - n), 7 % Math.max(1, 4096 - n) + n), binaryOf(all, 0, n)]);
    expect(nativeLatin1).toBeUndefined();
    const storage = await createNodeStorage(dir, { lock: false });
    expect(nativeLatin1).toBeDefined();
    const got = lengths.map((n) => [bytesToBinary(all, 7 % Math.max(1, 4096 - n), 7 % Math.max(1, 4096 - n) + n), binaryOf(all, 0, n)]);
    await storage.close();
    expect(got).toEqual(expected);
    for (let b = 0; b < 256; b++) expect(bytesToBinary(new Uint8Array(20).fill(b)).charCodeAt(19)).toBe(b);
  });
});
