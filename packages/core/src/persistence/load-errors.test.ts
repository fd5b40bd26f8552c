/**
 * Refused loads over memory storage: each error names the file (its storage name) and the offset
 * (a manifest's line), `describeLoadError` turns it into one line with what to do, and nothing on
 * storage changes. Also a rewrite whose switch fails closes the incr it opened.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import { infoString } from '../engine/info.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { StorageError, type Storage } from '../storage/storage.ts';
import { attachPersistence, describeLoadError } from './index.ts';

const T0 = 1_795_000_000_000;
const DIR = 'appendonlydir';
const MANIFEST = `${DIR}/appendonly.aof.manifest`;
const BASE = `${DIR}/appendonly.aof.2.base.rdb`;
const INCR = `${DIR}/appendonly.aof.2.incr.aof`;
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (b: Uint8Array | undefined): string => (b === undefined ? '' : String.fromCharCode(...b));

const engineFor = (config: Record<string, string>): Engine =>
  createEngine({ now: () => T0, activeExpire: false, config: { appendonly: 'yes', ...config } });

/** An AOF dir (RDB base 2 + incr 2) and a dump.rdb of the same data. */
async function written(): Promise<MemoryStorage> {
  const storage = createMemoryStorage();
  const e = engineFor({});
  const p = await attachPersistence(e, storage, { snapshot: { sliceMs: 1 } });
  const c = e.connect();
  await c.exec(['SET', 'damage-me', 'v0']);
  await c.exec(['RPUSH', 'l', 'x', 'y']);
  c.exec(['BGREWRITEAOF']);
  await p.aof.rewriting;
  for (const argv of [['SET', 'foo', '1'], ['SET', 'bar', 'world'], ['SET', 'baz', '2']]) await c.exec(argv);
  await c.exec(['SAVE']);
  await e.sync();
  await p.close();
  return storage.crash();
}

async function snapshotOf(s: Storage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await s.list()).sort()) out[name] = latin1(await s.read(name));
  return out;
}

/** Starts on `storage`; returns the error, the log and whether storage is unchanged. */
async function refused(storage: Storage, config: Record<string, string> = {}) {
  const before = await snapshotOf(storage);
  const log: string[] = [];
  const err = await attachPersistence(engineFor(config), storage, { log: (l) => void log.push(l.message) }).then(
    () => undefined,
    (e: unknown) => e as Record<string, unknown>,
  );
  expect(err, 'the load was refused').toBeDefined();
  return { err: err!, log, line: describeLoadError(err) ?? '', unchanged: JSON.stringify(await snapshotOf(storage)) === JSON.stringify(before) };
}

async function poke(s: MemoryStorage, name: string, at: number, text: string): Promise<number> {
  const b = (await s.read(name))!.slice();
  b.set(bytes(text), at < 0 ? b.length + at : at);
  await s.writeAtomic(name, b);
  return at < 0 ? b.length + at : at;
}

describe('refused loads name the file and the offset', () => {
  it('a bad byte mid-incr: AofLoadError with file and offset, advice check-aof --fix', async () => {
    const s = await written();
    const at = latin1(await s.read(INCR)).indexOf('*3\r\n$3\r\nSET\r\n$3\r\nbar');
    await poke(s, INCR, at, '!');
    const r = await refused(s);
    expect(r.err).toMatchObject({ name: 'AofLoadError', file: INCR, offset: at });
    expect(r.line).toBe(
      `Can't load ${INCR} at offset ${at}: bad file format (not a command). To fix it, make a backup of the directory, then run: larder check-aof --fix ${MANIFEST}.`,
    );
    expect(r.unchanged).toBe(true);
  });

  it('a torn tail with aof-load-truncated no says that yes would cut it', async () => {
    const s = await written();
    const text = latin1(await s.read(INCR));
    await s.writeAtomic(INCR, bytes(text.slice(0, -3)));
    const r = await refused(s, { 'aof-load-truncated': 'no' });
    expect(r.err).toMatchObject({ name: 'AofLoadError', file: INCR, offset: text.lastIndexOf('*3\r\n') });
    expect(r.line).toMatch(/set aof-load-truncated yes to cut it there/);
    expect(r.unchanged).toBe(true);
  });

  it('a damaged RDB base keeps the RdbError (reason, offset, file) as the cause', async () => {
    const s = await written();
    const at = latin1(await s.read(BASE)).indexOf('\x09damage-me') - 1;
    await poke(s, BASE, at, '\x3f');
    const r = await refused(s);
    // The decoder stops after the key it read the bad type for.
    const offset = at + 1 + '\x09damage-me'.length;
    expect(r.err).toMatchObject({ name: 'AofLoadError', file: BASE, offset });
    expect(r.err.cause).toMatchObject({ name: 'RdbError', file: BASE, offset, reason: 'Unknown RDB encoding type 63' });
    expect(r.line).toMatch(new RegExp(`^Can't load ${BASE} at offset ${offset}: bad RDB: Unknown RDB encoding type 63\\. .*larder check-rdb ${BASE}`));
    expect(r.unchanged).toBe(true);
  });

  it('a listed file missing: Redis\'s line is logged, and the error names the file', async () => {
    const s = await written();
    await s.remove(INCR);
    const r = await refused(s);
    expect(r.log).toContain('Unable to obtain the AOF file appendonly.aof.2.incr.aof length. stat: No such file or directory');
    expect(r.err).toMatchObject({ name: 'AofLoadError', file: INCR });
    expect(r.line).toMatch(new RegExp(`^Can't load ${INCR}: the manifest ${MANIFEST} lists it, but it does not exist\\.`));
    expect(r.unchanged).toBe(true);
  });

  it('a broken manifest: ManifestError with the manifest\'s name and line', async () => {
    const s = await written();
    await s.writeAtomic(MANIFEST, bytes('file appendonly.aof.2.base.rdb seq 2 type b\n\nfile appendonly.aof.2.incr.aof seq 2 type i\n'));
    const r = await refused(s);
    expect(r.err).toMatchObject({ name: 'ManifestError', file: MANIFEST, line: 2 });
    expect(r.line).toMatch(new RegExp(`^Can't load ${MANIFEST} at line 2: bad AOF manifest: Invalid AOF manifest file format\\.`));
    expect(r.unchanged).toBe(true);
  });

  it('a damaged dump.rdb: RdbError with file dump.rdb, advice check-rdb', async () => {
    const s = await written();
    const at = await poke(s, 'dump.rdb', -1, '\x00');
    const r = await refused(s, { appendonly: 'no' });
    expect(r.err).toMatchObject({ name: 'RdbError', file: 'dump.rdb', offset: at - 7 });
    expect(r.err.reason).toMatch(/^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/);
    expect(r.line).toMatch(/^Can't load dump\.rdb at offset \d+: Wrong RDB checksum .*larder check-rdb dump\.rdb/);
    expect(r.unchanged).toBe(true);
  });

  it('an unreadable dump.rdb fails the start (rdb.tcl "can\'t be open"); a missing one starts empty', async () => {
    const s = await written();
    const unreadable: Storage = {
      ...s,
      list: async () => (await s.list()).filter((n) => n !== 'dump.rdb'),
      read: async (name) => {
        if (name === 'dump.rdb') throw new StorageError('IO', 'reading dump.rdb: EISDIR');
        return s.read(name);
      },
    };
    const r = await refused(unreadable, { appendonly: 'no' });
    expect(r.err).toMatchObject({ name: 'StorageError', file: 'dump.rdb' });
    expect(r.line).toMatch(/^Can't load dump\.rdb: it cannot be read \(reading dump\.rdb: EISDIR\)\./);
    await s.remove('dump.rdb');
    const p = await attachPersistence(engineFor({ appendonly: 'no' }), s);
    expect(p.loaded.source).toBe('none');
    await p.close();
  });
});

describe('a rewrite whose switch fails', () => {
  it('closes the incr it opened, so the next rewrite can open it again', async () => {
    const inner = createMemoryStorage();
    let failManifest = false;
    const storage: Storage = {
      ...inner,
      writeAtomic: async (name, data) => {
        if (failManifest && name === MANIFEST) throw new StorageError('IO', 'injected manifest failure');
        return inner.writeAtomic(name, data);
      },
    };
    const e = engineFor({});
    const p = await attachPersistence(e, storage, { snapshot: { sliceMs: 1 } });
    const c = e.connect();
    await c.exec(['SET', 'a', '1']);
    failManifest = true;
    c.exec(['BGREWRITEAOF']);
    await p.aof.rewriting;
    expect(infoString(e, ['persistence'])).toMatch(/aof_last_bgrewrite_status:err/);
    // Not left open (LOCKED): the storage hands out a handle on it again.
    const f = await inner.openAppend(INCR);
    await f.close();
    failManifest = false;
    c.exec(['BGREWRITEAOF']);
    await p.aof.rewriting;
    expect(infoString(e, ['persistence'])).toMatch(/aof_last_bgrewrite_status:ok/);
    await c.exec(['SET', 'b', '2']);
    await e.sync();
    await p.close();
    const again = engineFor({});
    const p2 = await attachPersistence(again, inner.crash());
    expect(await again.connect().exec(['MGET', 'a', 'b'])).toEqual(['1', '2']);
    await p2.close();
  });
});
