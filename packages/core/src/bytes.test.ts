import { describe, expect, it } from 'vitest';
import { importBytes } from './bytes.ts';

describe('importBytes', () => {
  it('gives bytes of their own whatever comes in: an import reads them over many turns while the caller goes on', async () => {
    const source = new Uint8Array([1, 2, 3]);
    const inputs = [source, source.buffer, new Blob([source])];
    for (const input of inputs) {
      const bytes = await importBytes(input);
      expect([...bytes]).toEqual([1, 2, 3]);
      source[0] = 9; // the caller reuses its buffer
      expect(bytes[0], `from ${input.constructor.name}`).toBe(1);
      source[0] = 1;
    }
    expect([...(await importBytes('{"é"'))]).toEqual([0x7b, 0x22, 0xc3, 0xa9, 0x22]);
  });
});
