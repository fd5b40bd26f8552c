// Core's one bytes → byte-string conversion, on every route it takes (reused-array apply, the
// UTF-8 decoder for ASCII runs, chunked apply, the native decoder createNodeStorage installs),
// must give one char per byte, the byte's own code; so must applyBinary, the typed client's.
import { afterAll, describe, expect, it } from 'vitest';
import { applyBinary, bytesToBinary, nativeLatin1, setLatin1Decoder, toBinary } from '@larder/core';
import { createNodeStorage } from './storage.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The definition, one byte at a time. */
function oracle(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

describe('bytes → byte string', () => {
  const dir = mkdtempSync(join(tmpdir(), 'larder-latin1-'));
  afterAll(() => {
    setLatin1Decoder(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const mixed = new Uint8Array(20000);
  for (let i = 0; i < mixed.length; i++) mixed[i] = (i * 131 + (i >> 8)) & 0xff;
  const ascii = mixed.map((b) => b & 0x7f);
  const lengths = [0, 1, 15, 16, 17, 100, 127, 128, 255, 256, 257, 1000, 8192, 8193, 19000];
  const check = (): void => {
    for (const buf of [mixed, ascii]) {
      for (const n of lengths) {
        for (const at of [0, 7]) {
          const want = oracle(buf, at, at + n);
          expect(bytesToBinary(buf, at, at + n), `${n} bytes at ${at}`).toBe(want);
          expect(applyBinary(buf, at, at + n), `${n} bytes at ${at} (the typed client's route)`).toBe(want);
        }
        expect(toBinary(buf.subarray(0, n))).toBe(oracle(buf, 0, n));
      }
    }
    for (let b = 0; b < 256; b++) expect(bytesToBinary(new Uint8Array(20).fill(b)).charCodeAt(19)).toBe(b);
  };

  it('is exact on every route in pure JS', () => {
    setLatin1Decoder(undefined);
    check();
  });

  it('is exact with the native decoder the Node storage installs', async () => {
    setLatin1Decoder(undefined);
    const storage = await createNodeStorage(dir, { lock: false });
    expect(nativeLatin1).toBeDefined();
    check();
    await storage.close();
  });
});
