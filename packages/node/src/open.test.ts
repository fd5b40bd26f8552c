import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configOf, openLarder } from './open.ts';

const base = mkdtempSync(join(tmpdir(), 'larder-open-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(base, `d${++n}`);

describe('openLarder', () => {
  it('turns options into config parameters, booleans as yes/no', () => {
    expect(configOf({ dir: '/tmp/x', appendonly: true, appendfsync: 'always', save: '', hz: 50, 'aof-use-rdb-preamble': false })).toEqual({
      dir: '/tmp/x', appendonly: 'yes', appendfsync: 'always', save: '', hz: '50', 'aof-use-rdb-preamble': 'no',
    });
  });

  it.each(['always', 'everysec', 'no'] as const)('keeps AOF writes across close and reopen (appendfsync %s)', async (appendfsync) => {
    const dir = fresh();
    const db = await openLarder({ dir, appendonly: true, appendfsync, save: '' });
    expect(db.persistence.loaded.source).toBe('aof');
    await db.set('k', 'v');
    await db.rpush('l', 'a', 'b');
    await db.call('SELECT', '3');
    await db.call('SET', 'bin', new Uint8Array([0, 255]));
    await db.close();
    expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual([
      'appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest',
    ]);
    const again = await openLarder({ dir, appendonly: true, appendfsync, save: '' });
    expect(await again.get('k')).toBe('v');
    expect(await again.lrange('l', 0, -1)).toEqual(['a', 'b']);
    await again.call('SELECT', '3');
    expect(await again.call('STRLEN', 'bin')).toBe(2);
    await again.close();
  });

  it('returns text, or bytes with { bytes: true }, and types its methods to match', async () => {
    const dir = fresh();
    const text = await openLarder({ dir, save: '' });
    await text.set('k', 'v');
    const t = text.get('k');
    expectTypeOf(t).toEqualTypeOf<Promise<string | null>>();
    expect(await t).toBe('v');
    await text.close();
    const bytes = await openLarder({ dir, save: '', bytes: true });
    await bytes.set('k', 'v');
    const b = bytes.get('k');
    expectTypeOf(b).toEqualTypeOf<Promise<Uint8Array | null>>();
    expect(await b).toEqual(new Uint8Array([0x76]));
    await bytes.close();
  });

  it('snapshots to dump.rdb with SAVE and loads it when appendonly is off', async () => {
    const dir = fresh();
    const db = await openLarder({ dir });
    expect(db.engine.config.value('dir')).toBe(dir);
    await db.hset('h', { f: '1' });
    await db.call('SAVE');
    await db.close();
    const again = await openLarder({ dir });
    expect(again.persistence.loaded.source).toBe('rdb');
    expect(await again.hgetall('h')).toEqual({ f: '1' });
    await again.close();
  });

  it('closing during a BGSAVE or a rewrite removes their temporary files before it resolves (a shutdown then leaves none)', async () => {
    const dir = fresh();
    // 2 ms per key saved: each snapshot takes about a second, still running when close() is called.
    const db = await openLarder({ dir, appendonly: true, save: '', 'rdb-key-save-delay': 2000 });
    for (let i = 0; i < 500; i++) await db.set(`k${i}`, 'v'.repeat(100));
    const all = (): string[] => [...readdirSync(dir), ...readdirSync(join(dir, 'appendonlydir')).map((f) => `appendonlydir/${f}`)];
    const temps = (): string[] => all().filter((f) => f.includes('temp-'));
    const tempAppears = async (): Promise<void> => {
      for (const deadline = Date.now() + 10_000; temps().length === 0; await new Promise((r) => setTimeout(r, 5))) {
        if (Date.now() > deadline) throw new Error('no temporary file appeared');
      }
    };
    expect(await db.call('BGSAVE')).toBe('Background saving started');
    await tempAppears();
    await db.close();
    expect(temps()).toEqual([]);
    const again = await openLarder({ dir, appendonly: true, save: '', 'rdb-key-save-delay': 2000 });
    expect(await again.call('BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await tempAppears();
    await again.close();
    expect(temps()).toEqual([]);
  });

  it('exports a dump.rdb and imports it (or JSON) into another directory, whose AOF then starts from it', async () => {
    const src = await openLarder({ dir: fresh(), save: '' });
    await src.set('s', 'v');
    await src.zadd('z', { score: 1.5, member: 'm' });
    const blob = await src.export();
    expect(new TextDecoder().decode(new Uint8Array(await blob.slice(0, 5).arrayBuffer()))).toBe('REDIS');
    await src.close();
    const dir = fresh();
    const db = await openLarder({ dir, appendonly: true, save: '' });
    await db.set('old', 'x');
    expect(await db.import(blob)).toBe(2);
    expect(await db.import(new Uint8Array(await blob.arrayBuffer()))).toBe(2);
    await expect(db.import('{"0":{"j":{"type":"string","value":"json"}}}')).resolves.toBe(1);
    await expect(db.import('not a dump')).rejects.toThrow(/neither an RDB file .* nor valid JSON/);
    expect(await db.get('j')).toBe('json');
    await db.close();
    // The last import is the AOF's base; the files before it are gone.
    expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual([
      'appendonly.aof.4.base.rdb', 'appendonly.aof.4.incr.aof', 'appendonly.aof.manifest',
    ]);
    const again = await openLarder({ dir, appendonly: true, save: '' });
    expect(await again.call('KEYS', '*')).toEqual(['j']);
    await again.close();
  });

  it('refuses a directory that is open, and frees it on close', async () => {
    const dir = fresh();
    const db = await openLarder({ dir, save: '' });
    await expect(openLarder({ dir })).rejects.toMatchObject({ code: 'LOCKED' });
    await db.close();
    await (await openLarder({ dir })).close();
  });

  it('releases the directory after SHUTDOWN, which saves when save rules exist', async () => {
    const dir = fresh();
    const db = await openLarder({ dir });
    await db.set('a', '1');
    await db.call('SHUTDOWN');
    const again = await openLarder({ dir });
    expect(await again.get('a')).toBe('1');
    await again.close();
  });

  it('rejects data it cannot load, leaving the directory unlocked', async () => {
    const dir = fresh();
    (await openLarder({ dir })).close();
    writeFileSync(join(dir, 'dump.rdb'), 'REDIS0010garbage');
    await expect(openLarder({ dir })).rejects.toMatchObject({ name: 'RdbError' });
    await expect(openLarder({ dir, hz: 'nope' })).rejects.toThrow(/hz/);
    rmSync(join(dir, 'dump.rdb'));
    await (await openLarder({ dir })).close();
  });
});
