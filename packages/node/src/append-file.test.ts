import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAppendFile } from './append-file.ts';

const base = mkdtempSync(join(tmpdir(), 'larder-append-file-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const text = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('node append file', () => {
  it('flushSync makes what was written durable on this thread, and is cheap when nothing is new', async () => {
    const path = join(base, 'sync.aof');
    const f = openAppendFile(path, 'sync.aof', () => false, () => {});
    f.write(text('abc'));
    f.flushSync();
    f.flushSync();
    f.write(text('def'));
    f.flushSync();
    expect(f.size).toBe(6);
    expect(readFileSync(path, 'latin1')).toBe('abcdef');
    await f.close();
    expect(() => f.flushSync()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});
