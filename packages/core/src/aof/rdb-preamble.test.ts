/**
 * The reader with the real RDB decoder as its sink (the contract between aof/ and rdb/): RDB bases
 * redis-server wrote, and a pre-7.0 preamble AOF (an RDB, then RESP) built from one. With
 * redis-server at hand, that preamble AOF also goes through Redis's upgrade path, which must
 * produce the manifest our transitions predict and hold the data our reader found.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRdbDecoder, type RdbRecord } from '../rdb/decoder.ts';
import { createAofReader, type RdbSink } from './loader.ts';
import { EMPTY_MANIFEST, formatManifest } from './manifest.ts';
import { needsUpgrade, openOnServerStart, upgradeOldAof } from './manifest-state.ts';
import { redisAvailable, snapshot, startServer } from './__fixtures__/redis.mjs';

const fixtures = new URL('./__fixtures__/rdb-history/', import.meta.url);
const base = new Uint8Array(readFileSync(new URL('appendonly.aof.3.base.rdb', fixtures)));
const tail = Uint8Array.from('*3\r\n$3\r\nSET\r\n$2\r\nk3\r\n$2\r\nv3\r\n', (c) => c.charCodeAt(0));
const preamble = new Uint8Array([...base, ...tail]);

function read(data: Uint8Array, chunk: number, oldStyle = false) {
  const records: RdbRecord[] = [];
  const reader = createAofReader({
    file: 'appendonly.aof',
    oldStyle,
    rdb: (): RdbSink => createRdbDecoder({ record: (r) => void records.push(r) }),
  });
  const commands: string[][] = [];
  for (let p = 0; p < data.length; p += chunk) commands.push(...reader.push(data.subarray(p, p + chunk)));
  return { records, commands, result: reader.end() };
}

describe('reader + RDB decoder', () => {
  it.each([1, 7, 4096])('reads a base written by redis-server in chunks of %i', (chunk) => {
    const out = read(base, chunk);
    expect(out.result).toMatchObject({ status: 'ok', format: 'rdb', validUpTo: base.length });
    expect(out.records.map((r) => r.key).sort()).toEqual(['l', 'x', 'y']);
    expect(out.commands).toEqual([]);
  });

  it.each([1, 7, 4096])('reads a preamble AOF and its tail in chunks of %i', (chunk) => {
    const out = read(preamble, chunk, true);
    expect(out.result).toMatchObject({ status: 'ok', format: 'rdb', validUpTo: preamble.length });
    expect(out.commands).toEqual([['SET', 'k3', 'v3']]);
  });

  it('fails on a damaged RDB', () => {
    const bad = base.slice();
    bad[bad.length - 3]! ^= 0xff;
    expect(read(bad, 64).result).toMatchObject({ status: 'failed', error: 'rdb' });
    expect(read(base.subarray(0, 40), 64).result).toMatchObject({ status: 'failed', error: 'rdb' });
  });
});

describe.skipIf(!redisAvailable())('a pre-7.0 preamble AOF through redis-server', () => {
  it('is upgraded to the manifest we predict, with the data we read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-aof-upgrade-'));
    try {
      writeFileSync(join(dir, 'appendonly.aof'), preamble);
      expect(needsUpgrade(EMPTY_MANIFEST, 'appendonly.aof', { oldFileExists: true, dirExists: false, movedFileExists: false })).toBe(true);
      const srv = await startServer(dir, ['--appendonly', 'yes']);
      expect(srv.ok).toBe(true);
      const keys = (await snapshot(srv)).map((k: { key: string }) => k.key).sort();
      await srv.stop();
      expect(keys).toEqual(['k3', 'l', 'x', 'y']);
      const predicted = openOnServerStart(upgradeOldAof(EMPTY_MANIFEST, 'appendonly.aof'), 'appendonly.aof', true).manifest;
      expect(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1')).toBe(formatManifest(predicted));
      expect(new Uint8Array(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof')))).toEqual(preamble);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
