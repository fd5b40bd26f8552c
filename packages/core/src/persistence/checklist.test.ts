/**
 * Cases of Redis's persistence tests (reference §4: aof.tcl, aof-race.tcl, aof-multi-part.tcl,
 * rdb.tcl, other.tcl's DEBUG RELOAD family) that no other test in the tree covers, against
 * memory storage. Test names start with the Tcl test's name; /work/briefs/checklist-coverage.md
 * maps every case of the checklist to the test that covers it.
 *
 * DEBUG LOADAOF and DEBUG DIGEST do not exist in Larder: "LOADAOF" is a restart on the same
 * storage, and the digest is the dataset compared key by key (type, value, encoding, TTL).
 * A case Larder fails is `it.fails`, with the bug in a comment above it.
 */
import { concatBytes as concat } from '../bytes.ts';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { infoString } from '../engine/info.ts';
import { show } from '../commands/testing.ts';
import { encodingOf, shape } from '../rdb/testing.ts';
import { runCheckAof } from '../aof/check.ts';
import { createMemoryStorage, type MemoryStorage } from '../storage/memory.ts';
import { StorageError, type Storage } from '../storage/storage.ts';
import { attachPersistence, type AttachedPersistence, type AttachOptions } from './index.ts';
import { snapshotSync } from './snapshot.ts';

const T0 = 1_795_000_000_000;
const DIR = 'appendonlydir';
const MANIFEST = `${DIR}/appendonly.aof.manifest`;
const INCR1 = `${DIR}/appendonly.aof.1.incr.aof`;
const cmd = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const latin1 = (b: Uint8Array | undefined): string => (b === undefined ? '<none>' : String.fromCharCode(...b));
const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 0));

/** A storage holding `files` (text, one byte per char). */
function storageOf(files: Record<string, string | Uint8Array>): MemoryStorage {
  return createMemoryStorage(new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? bytes(v) : v])));
}

/** The incr-only manifest Redis's aof.tcl writes by hand (create_aof_manifest). */
const incrOnly = (text: string): MemoryStorage => storageOf({ [MANIFEST]: 'file appendonly.aof.1.incr.aof seq 1 type i\n', [INCR1]: text });

interface Server {
  e: Engine;
  c: Client;
  p: AttachedPersistence;
  storage: Storage;
  logs: string[];
  /** A command, its durability barrier awaited as a host does before replying; the reply in `show` form. */
  r(...argv: string[]): Promise<unknown>;
  info(field: string): string;
  /** Lets the running rewrite, snapshot slices and file queue settle. */
  settle(): Promise<void>;
  advance(ms: number): void;
  file(name: string): Promise<string>;
  close(): Promise<void>;
}

async function boot(storage: Storage, config: Record<string, string> = {}, opts: AttachOptions = {}): Promise<Server> {
  const { e, advance } = engineFor(config);
  return attach(e, advance, storage, opts);
}

function engineFor(config: Record<string, string>): { e: Engine; advance(ms: number): void } {
  let t = T0;
  const e = createEngine({ now: () => t, activeExpire: false, config: { appendonly: 'yes', 'enable-debug-command': 'yes', ...config } });
  return { e, advance: (ms) => void (t += ms) };
}

async function attach(e: Engine, advance: (ms: number) => void, storage: Storage, opts: AttachOptions = {}): Promise<Server> {
  const logs: string[] = [];
  const p = await attachPersistence(e, storage, { snapshot: { sliceMs: 1 }, log: (l) => void logs.push(l.message), ...opts });
  return serverOf(e, p, storage, logs, advance);
}

function serverOf(e: Engine, p: AttachedPersistence, storage: Storage, logs: string[], advance: (ms: number) => void): Server {
  const c = e.connect();
  return {
    e, c, p, storage, logs, advance,
    async r(...argv) {
      const reply = await c.exec(argv);
      await e.sync();
      return show(reply);
    },
    info(field) {
      const m = new RegExp(`^${field}:(.*)$`, 'm').exec(infoString(e, ['persistence']));
      return m?.[1]?.trim() ?? '<missing>';
    },
    async settle() {
      for (let i = 0; i < 40; i++) {
        await p.aof.rewriting;
        await tick();
      }
    },
    file: async (name) => latin1(await storage.read(name)),
    close: () => p.close(),
  };
}

/** Closes `s` and starts again on what its storage holds (Redis's restart, or DEBUG LOADAOF). */
async function restart(s: Server, config: Record<string, string> = {}): Promise<Server> {
  await s.close();
  return boot((s.storage as MemoryStorage).crash(), config);
}

/** Every key with its value, encoding and TTL: what DEBUG DIGEST stands for. */
function digest(e: Engine): string[] {
  const out: string[] = [];
  e.ks.dbs.forEach((db, i) => {
    for (const [k, en] of db.keys) out.push(`${i} ${JSON.stringify(k)} ${JSON.stringify(shape(en.value))} ${encodingOf(en.value)} ${en.expireAt}`);
  });
  return out.sort();
}

const manifestOf = async (s: Server, name = 'appendonly.aof'): Promise<string> => s.file(`${DIR}/${name}.manifest`);
const aofFiles = async (storage: Storage): Promise<string[]> => (await storage.list()).filter((f) => f.startsWith(`${DIR}/`)).sort();

describe('aof.tcl', () => {
  it('Short read + command: Server should start; foo = 5, an INCR appended after the cut, foo = 6 after a restart', async () => {
    const five = cmd('INCR', 'foo').repeat(5);
    const storage = incrOnly(five + cmd('INCR', 'foo').slice(0, -1));
    const s = await boot(storage);
    expect(await s.r('GET', 'foo')).toBe('5');
    expect(s.logs).toContain(`!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${five.length} !!!`);
    expect(await s.r('INCR', 'foo')).toBe(6);
    const s2 = await restart(s);
    expect(await s2.r('GET', 'foo')).toBe('6');
    expect(await s2.file(INCR1)).toBe(five + cmd('SELECT', '0') + cmd('INCR', 'foo'));
    await s2.close();
  });

  it('Unfinished MULTI / Short read: Server should have logged an error (aof-load-truncated no), leaving the file as it was', async () => {
    const eof = 'Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: ' +
      '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
      "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.";
    for (const text of [
      cmd('SET', 'foo', 'hello') + cmd('MULTI') + cmd('SET', 'bar', 'world'),
      cmd('SET', 'foo', 'hello') + cmd('SET', 'bar', 'world').slice(0, -3),
    ]) {
      const storage = incrOnly(text);
      await expect(boot(storage, { 'aof-load-truncated': 'no' })).rejects.toMatchObject({ name: 'AofLoadError', message: eof });
      expect(latin1(await storage.read(INCR1))).toBe(text);
      expect(await storage.list()).toEqual([MANIFEST, INCR1]);
    }
  });

  it('Fixed AOF: Server should have been started; Keyspace should contain values that were parseable', async () => {
    const storage = incrOnly(cmd('SET', 'foo', 'hello') + cmd('SET', 'bar', 'world').slice(0, -1));
    const files = new Map<string, Uint8Array>();
    for (const f of await storage.list()) files.set(f, (await storage.read(f))!);
    const run = runCheckAof(['redis-check-aof', '--fix', MANIFEST], {
      read: (path) => files.get(path.replace(/^\.\//, '')) ?? { error: 'No such file or directory' },
      truncate: (path, size) => (files.set(path, files.get(path)!.slice(0, size)), true),
      readLine: () => 'y\n',
      checkRdb: () => ({ ok: false, output: '' }),
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Successfully truncated AOF appendonly.aof.1.incr.aof');
    const s = await boot(storageOf(Object.fromEntries(files)), { 'aof-load-truncated': 'no' });
    expect(await s.r('GET', 'foo')).toBe('hello');
    expect(await s.r('GET', 'bar')).toBe(null);
    await s.close();
  });

  it('AOF+SPOP: Server should have been started; Set should have 1 member (SPOP and SPOP with a count replayed from the AOF)', async () => {
    for (const text of [
      cmd('SADD', 'set', 'foo') + cmd('SADD', 'set', 'bar') + cmd('SPOP', 'set'),
      cmd('SADD', 'set', 'foo') + cmd('SADD', 'set', 'bar') + cmd('SADD', 'set', 'gah') + cmd('SPOP', 'set', '2'),
    ]) {
      const s = await boot(incrOnly(text));
      expect(await s.r('SCARD', 'set')).toBe(1);
      await s.close();
    }
  });

  it('AOF+LMPOP/BLMPOP and AOF+ZMPOP/BZMPOP: after pop elements, the state survives a restart', async () => {
    const s = await boot(createMemoryStorage());
    await s.r('RPUSH', 'mylist', 'a', 'b', 'c');
    await s.r('RPUSH', 'mylist2', '1', '2', '3');
    await s.r('RPUSH', 'mylist3', 'x', 'y', 'z', 'w');
    await s.r('ZADD', 'myzset', '1', 'a', '2', 'b');
    await s.r('ZADD', 'myzset2', '1', 'x');
    await s.r('ZADD', 'myzset3', '1', 'p', '2', 'q', '3', 'r', '4', 's');
    expect(await s.r('LMPOP', '2', 'mylist', 'mylist2', 'LEFT', 'COUNT', '3')).toEqual(['mylist', ['a', 'b', 'c']]);
    expect(await s.r('LMPOP', '1', 'mylist2', 'RIGHT', 'COUNT', '10')).toEqual(['mylist2', ['3', '2', '1']]);
    expect(await s.r('ZMPOP', '1', 'myzset', 'MIN', 'COUNT', '10')).toEqual(['myzset', [['a', '1'], ['b', '2']]]);
    // The blocked-then-served path: BLMPOP / BZMPOP wait on empty keys, a push serves them.
    const blocked = s.e.connect();
    const bl = blocked.exec(['BLMPOP', '0', '2', 'mylist', 'mylist3', 'RIGHT', 'COUNT', '2']);
    expect(show(await bl)).toEqual(['mylist3', ['w', 'z']]);
    const waiting = blocked.exec(['BLMPOP', '0', '1', 'empty', 'LEFT']);
    await s.r('RPUSH', 'empty', 'e');
    expect(show(await waiting)).toEqual(['empty', ['e']]);
    expect(show(await blocked.exec(['BZMPOP', '0', '2', 'myzset2', 'myzset3', 'MAX', 'COUNT', '1']))).toEqual(['myzset2', [['x', '1']]]);
    const zwaiting = blocked.exec(['BZMPOP', '0', '1', 'zempty', 'MIN', 'COUNT', '5']);
    await s.r('ZADD', 'zempty', '1', 'only');
    expect(show(await zwaiting)).toEqual(['zempty', [['only', '1']]]);
    await s.r('ZPOPMAX', 'myzset3', '2');
    await s.e.sync();
    const live = digest(s.e);
    const s2 = await restart(s);
    expect(digest(s2.e)).toEqual(live);
    expect(await s2.r('EXISTS', 'mylist', 'mylist2', 'myzset', 'myzset2', 'empty', 'zempty')).toBe(0);
    expect(await s2.r('LLEN', 'mylist3')).toBe(2);
    expect(await s2.r('ZCARD', 'myzset3')).toBe(2);
    await s2.close();
  });

  it('Generate timestamp annotations in AOF (aof-timestamp-enabled yes, aof-use-rdb-preamble no)', async () => {
    const s = await boot(createMemoryStorage());
    await s.r('CONFIG', 'SET', 'aof-timestamp-enabled', 'yes');
    await s.r('CONFIG', 'SET', 'aof-use-rdb-preamble', 'no');
    await s.r('SET', 'foo', 'bar');
    expect(await s.file(INCR1)).toMatch(/^#TS:\d+\r\n/);
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await manifestOf(s)).toContain('appendonly.aof.2.base.aof');
    expect(await s.file(`${DIR}/appendonly.aof.2.base.aof`)).toMatch(/^#TS:\d+\r\n/);
    const s2 = await restart(s, { 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no' });
    expect(await s2.r('GET', 'foo')).toBe('bar');
    await s2.close();
  });

  it('Successfully load AOF which has timestamp annotations inside', async () => {
    const s = await boot(incrOnly(
      `#TS:1628217470\r\n${cmd('SET', 'foo1', 'bar1')}#TS:1628217471\r\n${cmd('SET', 'foo2', 'bar2')}` +
        `#TS:1628217472\r\n#TS:1628217473\r\n${cmd('SET', 'foo3', 'bar3')}#TS:1628217474\r\n`,
    ));
    expect(await s.r('MGET', 'foo1', 'foo2', 'foo3')).toEqual(['bar1', 'bar2', 'bar3']);
    await s.close();
  });

  it('FLUSHDB / FLUSHALL should persist in AOF, even on empty databases', async () => {
    const s = await boot(createMemoryStorage());
    await s.r('FLUSHDB');
    await s.r('SET', 'key', 'value');
    await s.r('FLUSHDB');
    await s.r('SET', 'key', 'value2');
    await s.r('FLUSHDB');
    await s.r('FLUSHALL');
    await s.r('FLUSHALL');
    expect(await s.file(INCR1)).toBe(
      cmd('SELECT', '0') + cmd('FLUSHDB') + cmd('SET', 'key', 'value') + cmd('FLUSHDB') + cmd('SET', 'key', 'value2') +
        cmd('FLUSHDB') + cmd('FLUSHALL') + cmd('FLUSHALL'),
    );
    await s.close();
  });

  // A CONFIG SET appendonly made while loading (the command is allowed then) is applied once the
  // load is done, as Redis's applyAppendOnlyConfig() after loadDataFromDisk.
  it('Allow changing appendonly config while loading from AOF on startup', async () => {
    const g = gated(incrOnly(cmd('SET', 'foo', 'bar').repeat(50)), INCR1);
    const { e, advance } = engineFor({});
    const starting = attach(e, advance, g.storage);
    await g.reached;
    expect(e.loading).toBe(true);
    expect(show(e.connect().exec(['CONFIG', 'SET', 'appendonly', 'no']))).toBe('+OK');
    g.release();
    const s = await starting;
    expect(s.info('aof_enabled')).toBe('0');
    await s.close();
  });

  // The same, the other way round: a dump.rdb loaded with appendonly no, CONFIG SET appendonly yes
  // meanwhile: the AOF is started (a rewrite) after the load.
  it('Allow changing appendonly config while loading from RDB on startup', async () => {
    const src = createEngine({ now: () => T0 });
    for (let i = 0; i < 100; i++) src.connect().exec(['SET', `k${i}`, 'v'.repeat(50)]);
    const g = gated(storageOf({ 'dump.rdb': concat(snapshotSync(src)) }), 'dump.rdb');
    const { e, advance } = engineFor({ appendonly: 'no' });
    const starting = attach(e, advance, g.storage);
    await g.reached;
    expect(e.loading).toBe(true);
    expect(show(e.connect().exec(['CONFIG', 'SET', 'appendonly', 'yes']))).toBe('+OK');
    g.release();
    const s = await starting;
    await s.settle();
    expect(s.info('aof_enabled')).toBe('1');
    await s.r('SET', 'after', '1');
    const s2 = await restart(s);
    expect(await s2.r('DBSIZE')).toBe(101);
    await s2.close();
  });
});

/** `inner` whose file `name` stops after its first byte until `release()`; `reached` says it got there. */
function gated(inner: MemoryStorage, name: string) {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const reached = new Promise<void>((r) => (arrived = r));
  const storage: MemoryStorage = {
    ...inner,
    async *readChunks(n) {
      const all = await inner.read(n);
      if (n !== name || all === undefined || all.length < 2) {
        yield* inner.readChunks(n);
        return;
      }
      yield all.subarray(0, 1);
      arrived();
      await open;
      yield all.subarray(1);
    },
  };
  return { storage, reached, release: () => release() };
}

describe('aof.tcl: redis-check-aof', () => {
  /** The tool over in-memory files, as redis-check-aof 7.0.15 printed them (log prefix aside). */
  const check = (files: Record<string, string>, ...args: string[]) =>
    runCheckAof(['redis-check-aof', ...args], {
      read: (path) => (path in files ? bytes(files[path]!) : { error: 'No such file or directory' }),
      truncate: () => false,
      checkRdb: () => ({ ok: false, output: '' }),
      log: (m) => `LOG # ${m}\n`,
    });

  it('Test redis-check-aof for Multi Part AOF contains a format error', () => {
    const base = cmd('SELECT', '0');
    const run = check({
      'd/appendonly.aof.manifest': 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n!!!\n',
      'd/appendonly.aof.1.base.aof': base,
      'd/appendonly.aof.1.incr.aof': base,
    }, 'd/appendonly.aof.manifest');
    expect(run).toEqual({
      stdout: 'Start checking Multi Part AOF\nLOG # \n*** FATAL AOF MANIFEST FILE ERROR ***\n\nLOG # Reading the manifest file, at line 3\n\n' +
        "LOG # >>> '!!!'\n\nLOG # Invalid AOF manifest file format\n\n",
      exitCode: 1,
    });
  });

  // The Tcl test (from a later Redis) expects "Start checking Old-Style AOF ... is valid"; 7.0.15's
  // fileIsManifest takes any line starting with "file" for a manifest line, and so do we.
  it('Test redis-check-aof for old style resp AOF - has data in the same format as manifest: read as a manifest, as 7.0.15 does', () => {
    const value = 'file appendonly.aof.2.base.aof seq 2 type b';
    const run = check({ 'f.aof': cmd('set', 'file', 'file') + cmd('set', value, value) }, 'f.aof');
    expect(run).toEqual({
      stdout: 'Start checking Multi Part AOF\nLOG # \n*** FATAL AOF MANIFEST FILE ERROR ***\n\nLOG # Reading the manifest file, at line 1\n\n' +
        "LOG # >>> '*3'\n\nLOG # Invalid AOF manifest file format\n\n",
      exitCode: 1,
    });
  });
});

describe('aof-race.tcl', () => {
  it('20000 INCRs while BGREWRITEAOF runs: foo = 20000 live and after a restart', async () => {
    const s = await boot(createMemoryStorage(), { appendfsync: 'no' });
    for (let i = 0; i < 20_000; i++) {
      s.c.exec(['INCR', 'foo']);
      if (i === 3000 || i === 11_000) expect(show(s.c.exec(['BGREWRITEAOF']))).toBe('+Background append only file rewriting started');
      if (i % 250 === 0) await tick();
    }
    await s.settle();
    expect(await s.r('GET', 'foo')).toBe('20000');
    expect(s.info('aof_rewrites')).toBe('2');
    const s2 = await restart(s);
    expect(await s2.r('GET', 'foo')).toBe('20000');
    await s2.close();
  });
});

describe('aof-multi-part.tcl', () => {
  const load = async (files: Record<string, string>, config: Record<string, string> = {}) => {
    const s = await boot(storageOf(files), config);
    const keys = (await s.r('KEYS', '*')) as string[];
    return { s, keys: keys.sort() };
  };

  it('Multi Part AOF can load data discontinuously increasing sequence', async () => {
    const { s, keys } = await load({
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n',
      [`${DIR}/appendonly.aof.1.base.aof`]: cmd('SET', 'k1', 'v1'),
      [INCR1]: cmd('SET', 'k2', 'v2'),
      [`${DIR}/appendonly.aof.3.incr.aof`]: cmd('SET', 'k3', 'v3'),
    });
    expect(keys).toEqual(['k1', 'k2', 'k3']);
    // New writes go to the last incr listed.
    await s.r('SET', 'k4', 'v4');
    expect(await s.file(`${DIR}/appendonly.aof.3.incr.aof`)).toBe(cmd('SET', 'k3', 'v3') + cmd('SELECT', '0') + cmd('SET', 'k4', 'v4'));
    await s.close();
  });

  it('Multi Part AOF can load data when manifest add new k-v', async () => {
    const { s, keys } = await load({
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b newkey newvalue\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
      [`${DIR}/appendonly.aof.1.base.aof`]: cmd('SET', 'k1', 'v1'),
      [INCR1]: cmd('SET', 'k2', 'v2'),
    });
    expect(keys).toEqual(['k1', 'k2']);
    await s.close();
  });

  it('Multi Part AOF can load data when some AOFs are empty', async () => {
    const { s, keys } = await load({
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n',
      [`${DIR}/appendonly.aof.1.base.aof`]: cmd('SET', 'k1', 'v1'),
      [INCR1]: '',
      [`${DIR}/appendonly.aof.3.incr.aof`]: cmd('SET', 'k3', 'v3'),
    });
    expect(keys).toEqual(['k1', 'k3']);
    await s.close();
  });

  it('Multi Part AOF can load data from old version redis (rdb preamble no): moved in, then rewritten', async () => {
    const { s, keys } = await load({ 'appendonly.aof': cmd('SET', 'k1', 'v1') + cmd('SET', 'k2', 'v2') });
    expect(keys).toEqual(['k1', 'k2']);
    expect(await manifestOf(s)).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(await aofFiles(s.storage)).toEqual([`${DIR}/appendonly.aof`, INCR1, MANIFEST]);
    const before = digest(s.e);
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(await aofFiles(s.storage)).toEqual([`${DIR}/appendonly.aof.2.base.rdb`, `${DIR}/appendonly.aof.2.incr.aof`, MANIFEST]);
    const s2 = await restart(s);
    expect(digest(s2.e)).toEqual(before);
    await s2.close();
  });

  it('Multi Part AOF can load data from old version redis (rdb preamble yes)', async () => {
    const src = createEngine({ now: () => T0 });
    src.connect().exec(['SET', 'k1', 'v1']);
    src.connect().exec(['SET', 'k2', 'v2']);
    const preamble = concat(snapshotSync(src, { aofBase: true }));
    const { s, keys } = await load({ 'appendonly.aof': concat([preamble, bytes(cmd('SET', 'k3', 'v3'))]) as unknown as string });
    expect(keys).toEqual(['k1', 'k2', 'k3']);
    expect(await manifestOf(s)).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    await s.close();
  });

  it('Multi Part AOF can continue the upgrade from the interrupted upgrade state', async () => {
    const { s, keys } = await load({
      'appendonly.aof': cmd('SET', 'k1', 'v1'),
      [MANIFEST]: 'file appendonly.aof seq 1 type b\n',
    });
    expect(keys).toEqual(['k1']);
    expect(await aofFiles(s.storage)).toEqual([`${DIR}/appendonly.aof`, INCR1, MANIFEST]);
    expect(await s.storage.read('appendonly.aof')).toBeUndefined();
    await s.close();
  });

  it('Multi Part AOF can be loaded correctly when both server dir and aof dir contain old AOF', async () => {
    const { s, keys } = await load({
      'appendonly.aof': cmd('SET', 'k1', 'server-dir'),
      [`${DIR}/appendonly.aof`]: cmd('SET', 'k1', 'aof-dir') + cmd('SET', 'k2', 'v2'),
      [MANIFEST]: 'file appendonly.aof seq 1 type b\n',
    });
    expect(keys).toEqual(['k1', 'k2']);
    expect(await s.r('GET', 'k1')).toBe('aof-dir');
    expect(await s.file('appendonly.aof')).toBe(cmd('SET', 'k1', 'server-dir'));
    await s.close();
  });

  it("Multi Part AOF can't load data when the manifest contains the old AOF file name but the file does not exist in server dir and aof dir", async () => {
    const storage = storageOf({ [MANIFEST]: 'file appendonly.aof seq 1 type b\n' });
    await expect(boot(storage)).rejects.toThrow(/appendonly\.aof.*No such file or directory/);
  });

  it('Multi Part AOF can upgrade when when two redis share the same server dir', async () => {
    const storage = storageOf({ 'aof1.aof': cmd('SET', 'k1', 'v1'), 'aof2.aof': cmd('SET', 'k2', 'v2') });
    for (const [name, key] of [['aof1.aof', 'k1'], ['aof2.aof', 'k2']] as const) {
      const s = await boot(storage, { appendfilename: name });
      expect(await s.r('KEYS', '*')).toEqual([key]);
      await s.r('SET', `${key}-more`, 'x');
      await s.close();
    }
    expect(await aofFiles(storage)).toEqual([
      `${DIR}/aof1.aof`, `${DIR}/aof1.aof.1.incr.aof`, `${DIR}/aof1.aof.manifest`,
      `${DIR}/aof2.aof`, `${DIR}/aof2.aof.1.incr.aof`, `${DIR}/aof2.aof.manifest`,
    ]);
    const s1 = await boot(storage, { appendfilename: 'aof1.aof' });
    await s1.r('BGREWRITEAOF');
    await s1.settle();
    expect(await manifestOf(s1, 'aof1.aof')).toBe('file aof1.aof.2.base.rdb seq 2 type b\nfile aof1.aof.2.incr.aof seq 2 type i\n');
    expect(((await s1.r('KEYS', '*')) as string[]).sort()).toEqual(['k1', 'k1-more']);
    await s1.close();
    const s2 = await boot(storage, { appendfilename: 'aof2.aof' });
    expect(await manifestOf(s2, 'aof2.aof')).toBe('file aof2.aof seq 1 type b\nfile aof2.aof.1.incr.aof seq 1 type i\n');
    expect(((await s2.r('KEYS', '*')) as string[]).sort()).toEqual(['k2', 'k2-more']);
    await s2.close();
  });

  it('Multi Part AOF can handle appendfilename contains whitespaces', async () => {
    const name = ' file seq \n\n.aof ';
    const config = { appendfilename: name };
    const s = await boot(createMemoryStorage(), config);
    await s.r('SET', 'k1', 'v1');
    await s.r('BGREWRITEAOF');
    await s.settle();
    await s.r('SET', 'k2', 'v2');
    expect(await manifestOf(s, name)).toBe(
      'file " file seq \\n\\n.aof .2.base.rdb" seq 2 type b\nfile " file seq \\n\\n.aof .2.incr.aof" seq 2 type i\n',
    );
    const s2 = await restart(s, config);
    expect(await s2.r('MGET', 'k1', 'k2')).toEqual(['v1', 'v2']);
    await s2.close();
  });

  /** A storage on which writing a base fails while `failing` is on (Redis's killed rewrite child). */
  function failingBases(inner = createMemoryStorage()) {
    const state = { failing: true };
    const storage: MemoryStorage = {
      ...inner,
      async writeAtomic(name, data) {
        if (state.failing && /\.base\.(rdb|aof)$/.test(name)) throw new Error('killed');
        return inner.writeAtomic(name, data);
      },
      crash: (torn) => inner.crash(torn),
    };
    return { storage, state };
  }

  it('AOF multiple rewrite failures will open multiple INCR AOFs; the next success retires them all', async () => {
    const { storage, state } = failingBases();
    state.failing = false;
    const s = await boot(storage, { appendfsync: 'always' });
    state.failing = true;
    for (let i = 0; i < 3; i++) {
      await s.r('SET', `k${i}`, 'v');
      expect(await s.r('BGREWRITEAOF')).toBe('+Background append only file rewriting started');
      await s.settle();
      expect(s.info('aof_last_bgrewrite_status')).toBe('err');
    }
    await s.r('SET', 'k3', 'v');
    expect(await manifestOf(s)).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\n' +
        [1, 2, 3, 4].map((n) => `file appendonly.aof.${n}.incr.aof seq ${n} type i\n`).join(''),
    );
    expect(await aofFiles(storage)).toEqual([
      `${DIR}/appendonly.aof.1.base.rdb`, ...[1, 2, 3, 4].map((n) => `${DIR}/appendonly.aof.${n}.incr.aof`), MANIFEST,
    ]);
    expect(s.info('aof_rewrites_consecutive_failures')).toBe('3');
    // Every write is in some incr: a crash now loses nothing.
    const crashed = await boot(storage.crash());
    expect(digest(crashed.e)).toEqual(digest(s.e));
    await crashed.close();
    state.failing = false;
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.5.incr.aof seq 5 type i\n');
    expect(await aofFiles(storage)).toEqual([`${DIR}/appendonly.aof.2.base.rdb`, `${DIR}/appendonly.aof.5.incr.aof`, MANIFEST]);
    const s2 = await restart(s);
    expect(await s2.r('DBSIZE')).toBe(4);
    await s2.close();
  });

  it('AOF will trigger limit when AOFRW fails many times; a manual BGREWRITEAOF still works', async () => {
    const { storage, state } = failingBases();
    state.failing = false;
    const s = await boot(storage, { 'auto-aof-rewrite-percentage': '1', 'auto-aof-rewrite-min-size': '0' });
    state.failing = true;
    for (let i = 0; i < 3; i++) {
      await s.r('SET', `k${i}`, 'v'.repeat(100));
      s.e.cron();
      expect(s.info('aof_rewrite_in_progress')).toBe('1');
      await s.settle();
    }
    expect(s.info('aof_rewrites_consecutive_failures')).toBe('3');
    await s.r('SET', 'more', 'v'.repeat(100));
    s.e.cron();
    const limits = (): string[] => s.logs.filter((l) => l.includes('triggered the limit'));
    expect(limits()).toEqual(['Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes']);
    // aofRewriteLimited: the call that starts the wait refuses too, and so does every one within the minute.
    expect(s.info('aof_rewrite_in_progress')).toBe('0');
    s.advance(59_000);
    s.e.cron();
    expect(s.info('aof_rewrite_in_progress')).toBe('0');
    // Past it, one attempt; it fails too, and the next wait is 2 minutes.
    s.advance(1_000);
    s.e.cron();
    expect(s.info('aof_rewrite_in_progress')).toBe('1');
    await s.settle();
    s.e.cron();
    expect([s.info('aof_rewrite_in_progress'), s.info('aof_rewrites_consecutive_failures')]).toEqual(['0', '4']);
    expect(limits().at(-1)).toBe('Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 2 minutes');
    state.failing = false;
    expect(await s.r('BGREWRITEAOF')).toBe('+Background append only file rewriting started');
    await s.settle();
    expect(s.info('aof_last_bgrewrite_status')).toBe('ok');
    expect(s.info('aof_rewrites_consecutive_failures')).toBe('0');
    await s.close();
  });

  it('AOF will open a temporary INCR AOF to accumulate data until the first AOFRW success when AOF is dynamically enabled', async () => {
    const { storage, state } = failingBases();
    const s = await boot(storage, { appendonly: 'no' });
    await s.r('SET', 'k1', 'v1');
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    await s.r('SET', 'k2', 'v2');
    await s.settle();
    // The failed attempt leaves no manifest, no base, no incr, and a rewrite is scheduled again.
    expect(await aofFiles(storage)).toEqual([]);
    expect(s.info('aof_rewrite_scheduled')).toBe('1');
    state.failing = false;
    s.e.cron();
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    await s.r('SET', 'k3', 'v3');
    const s2 = await restart(s);
    expect(await s2.r('MGET', 'k1', 'k2', 'k3')).toEqual(['v1', 'v2', 'v3']);
    await s2.close();
  });

  it('a first rewrite interrupted by CONFIG SET appendonly no leaves no incr for a later start to replay', async () => {
    // Bases are held until released: the rewrite is still running when AOF goes off.
    const inner = createMemoryStorage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const storage: MemoryStorage = {
      ...inner,
      async writeAtomic(name, data) {
        if (/\.base\.(rdb|aof)$/.test(name)) await held;
        return inner.writeAtomic(name, data);
      },
      crash: (torn) => inner.crash(torn),
    };
    const s = await boot(storage, { appendonly: 'no', save: '' });
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    await s.r('SET', 'stale', '1');
    expect(await aofFiles(storage)).toEqual([`${DIR}/appendonly.aof.1.incr.aof`]);
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'no')).toBe('+OK');
    await s.r('FLUSHALL');
    release();
    await s.settle();
    // Redis leaves its temp incr under a name no start reads; this one would be read: it is gone.
    expect(await aofFiles(storage)).toEqual([]);
    await s.close();
    const s2 = await boot(inner.crash(), { save: '' });
    await s2.r('SET', 'x', '1');
    const s3 = await restart(s2, { save: '' });
    expect(await s3.r('KEYS', '*')).toEqual(['x']);
    await s3.close();
  });

  /** A storage whose writeAtomic of a name ending in `gate.on` is held, once done, until `gate.release()`. */
  function gated(inner: MemoryStorage) {
    const gate = { on: '', held: false, release: () => {} };
    const storage: MemoryStorage = {
      ...inner,
      async writeAtomic(name, data) {
        await inner.writeAtomic(name, data);
        if (gate.on === '' || !name.endsWith(gate.on)) return;
        gate.held = true;
        await new Promise<void>((r) => (gate.release = r));
        gate.held = false;
      },
      crash: (torn) => inner.crash(torn),
    };
    const until = async (): Promise<void> => {
      for (let i = 0; i < 200 && !gate.held; i++) await tick();
      expect(gate.held).toBe(true);
    };
    return { storage, gate, until };
  }

  it('CONFIG SET appendonly no while the first rewrite finishes keeps the incr its manifest now lists', async () => {
    const { storage, gate, until } = gated(createMemoryStorage());
    const s = await boot(storage, { appendonly: 'no', save: '' });
    await s.r('SET', 'k', 'v');
    gate.on = '.manifest';
    await s.r('CONFIG', 'SET', 'appendonly', 'yes');
    await s.r('SET', 'during', '1');
    await until();
    await s.r('CONFIG', 'SET', 'appendonly', 'no');
    gate.on = '';
    gate.release();
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(await aofFiles(storage)).toEqual([`${DIR}/appendonly.aof.1.base.rdb`, `${DIR}/appendonly.aof.1.incr.aof`, MANIFEST]);
    await s.close();
    const s2 = await boot(storage.crash(), { save: '' });
    expect(await s2.r('MGET', 'k', 'during')).toEqual(['v', '1']);
    await s2.close();
  });

  it('FLUSHALL with save rules answers once its dump.rdb is written, as Redis after its blocking save', async () => {
    const { storage, gate, until } = gated(createMemoryStorage());
    const s = await boot(storage, { appendonly: 'no', save: '3600 1' });
    await s.r('SET', 'k', 'v');
    await s.r('SAVE');
    gate.on = 'dump.rdb';
    let replied = false;
    const flushed = s.r('FLUSHALL').then((r) => ((replied = true), r));
    await until();
    for (let i = 0; i < 20; i++) await tick();
    // A crash now would find the old dump.rdb: the FLUSHALL is not acknowledged yet.
    expect(replied).toBe(false);
    gate.on = '';
    gate.release();
    expect(await flushed).toBe('+OK');
    const s2 = await boot(storage.crash(), { appendonly: 'no' });
    expect(await s2.r('DBSIZE')).toBe(0);
    await s2.close();
    await s.close();
  });

  it('a rewrite killed after writing its base, before the manifest lists it, removes that base', async () => {
    const { storage, gate, until } = gated(createMemoryStorage());
    const s = await boot(storage, { save: '' });
    await s.r('SET', 'k', 'v');
    gate.on = '.base.rdb';
    await s.r('BGREWRITEAOF');
    await until();
    expect(await aofFiles(storage)).toContain(`${DIR}/appendonly.aof.2.base.rdb`);
    await s.r('CONFIG', 'SET', 'appendonly', 'no');
    gate.on = '';
    gate.release();
    await s.settle();
    expect(await aofFiles(storage)).not.toContain(`${DIR}/appendonly.aof.2.base.rdb`);
    await s.close();
  });

  it('a start empties an incr the manifest does not list (left by a crash during a first rewrite)', async () => {
    const storage = createMemoryStorage();
    await storage.writeAtomic(`${DIR}/appendonly.aof.1.incr.aof`, new TextEncoder().encode('*3\r\n$3\r\nSET\r\n$5\r\nstale\r\n$1\r\n1\r\n'));
    const s = await boot(storage, { save: '' });
    expect(s.logs).toContain('Emptying appendonly.aof.1.incr.aof (31 bytes), which the manifest does not list');
    await s.r('SET', 'x', '1');
    const s2 = await restart(s, { save: '' });
    expect(await s2.r('KEYS', '*')).toEqual(['x']);
    await s2.close();
  });

  it('scheduled rewrites that keep failing are limited as automatic ones are (aofRewriteLimited)', async () => {
    const { storage } = failingBases();
    const s = await boot(storage, { appendonly: 'no' });
    await s.r('SET', 'k', 'v');
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    await s.settle();
    for (let i = 0; i < 2; i++) {
      s.e.cron();
      expect(s.info('aof_rewrite_in_progress')).toBe('1');
      await s.settle();
    }
    expect([s.info('aof_rewrites_consecutive_failures'), s.info('aof_rewrite_scheduled')]).toEqual(['3', '1']);
    for (let i = 0; i < 10; i++) {
      s.e.cron();
      expect(s.info('aof_rewrite_in_progress')).toBe('0');
      s.advance(5_000);
    }
    expect(s.logs.filter((l) => l.includes('triggered the limit'))).toHaveLength(1);
    s.advance(10_000);
    s.e.cron();
    expect(s.info('aof_rewrite_in_progress')).toBe('1');
    await s.settle();
    await s.close();
  });

  it('refuses CONFIG SET appendonly yes and BGREWRITEAOF at once when the AOF dir cannot be created, as Redis', async () => {
    const inner = createMemoryStorage();
    const storage: MemoryStorage = {
      ...inner,
      ensureFolderSync(name) {
        throw new StorageError('IO', `creating ${name}: EROFS: read-only file system`);
      },
      crash: (torn) => inner.crash(torn),
    };
    const s = await boot(storage, { appendonly: 'no', hz: '10' });
    expect(await s.r('CONFIG', 'SET', 'hz', '20', 'appendonly', 'yes')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
    );
    // All or none: the other value of the call is back too.
    expect([s.e.config.text('appendonly'), s.e.config.text('hz')]).toEqual(['no', '10']);
    expect([s.info('aof_enabled'), s.info('aof_rewrite_scheduled')]).toEqual(['0', '0']);
    expect(await s.r('BGREWRITEAOF')).toBe('-ERR Can\'t execute an AOF background rewriting. Please check the server logs for more information.');
    expect([s.info('aof_last_bgrewrite_status'), s.info('aof_rewrites'), s.info('aof_rewrites_consecutive_failures')]).toEqual(['err', '0', '0']);
    expect(s.logs.filter((l) => l.includes('append-only dir') || l.includes('needs to enable'))).toEqual([
      "Can't open or create append-only dir appendonlydir: Input/output error",
      "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
      "Can't open or create append-only dir appendonlydir: Input/output error",
    ]);
    await s.close();
  });

  it('AOF rewrite doesn\'t open new aof when AOF turn off; enabling it again starts a base and an incr', async () => {
    const s = await boot(createMemoryStorage());
    await s.r('SET', 'k1', 'v1');
    await s.r('CONFIG', 'SET', 'appendonly', 'no');
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\n');
    await s.r('SET', 'k2', 'v2');
    await s.r('CONFIG', 'SET', 'appendonly', 'yes');
    await s.settle();
    const m = await manifestOf(s);
    expect(m).toMatch(/^file appendonly\.aof\.3\.base\.rdb seq 3 type b\nfile appendonly\.aof\.\d+\.incr\.aof seq \d+ type i\n$/);
    await s.r('SET', 'k3', 'v3');
    const s2 = await restart(s);
    expect(await s2.r('MGET', 'k1', 'k2', 'k3')).toEqual(['v1', 'v2', 'v3']);
    await s2.close();
  });

  // CONFIG SET aof-disable-auto-gc no deletes the history files at once (Redis's
  // updateAofAutoGCEnabled calls aofDelHistoryFiles()), not at the next rewrite or restart.
  it('AOF enable/disable auto gc: re-enabling GC deletes the history files at once', async () => {
    const s = await boot(createMemoryStorage(), { 'aof-disable-auto-gc': 'yes' });
    await s.r('SET', 'a', '1');
    await s.r('BGREWRITEAOF');
    await s.settle();
    expect(await manifestOf(s)).toContain('type h');
    await s.r('CONFIG', 'SET', 'aof-disable-auto-gc', 'no');
    await s.settle();
    expect(await manifestOf(s)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(await aofFiles(s.storage)).toEqual([`${DIR}/appendonly.aof.2.base.rdb`, `${DIR}/appendonly.aof.2.incr.aof`, MANIFEST]);
    await s.close();
  });

  it('AOF can produce consecutive sequence number after reload', async () => {
    const s = await boot(createMemoryStorage());
    for (let i = 0; i < 2; i++) {
      await s.r('SET', `k${i}`, 'v');
      await s.r('BGREWRITEAOF');
      await s.settle();
    }
    const s2 = await restart(s);
    await s2.r('BGREWRITEAOF');
    await s2.settle();
    expect(await manifestOf(s2)).toBe('file appendonly.aof.4.base.rdb seq 4 type b\nfile appendonly.aof.4.incr.aof seq 4 type i\n');
    await s2.close();
  });

  it('AOF enable during BGSAVE will not write data util AOFRW finish', async () => {
    const queue: Array<() => void> = [];
    const storage = createMemoryStorage();
    const s = await boot(storage, { appendonly: 'no', appendfsync: 'always' }, { snapshot: { schedule: (fn) => void queue.push(fn), sliceMs: 0, clock: () => 0 } });
    for (let i = 0; i < 50; i++) await s.r('SET', `fill${i}`, 'v');
    expect(await s.r('BGSAVE')).toBe('+Background saving started');
    expect(await s.r('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK');
    expect(s.info('aof_rewrite_scheduled')).toBe('1');
    await s.r('SET', 'k1', 'v1');
    // Not persisted yet: an AOF start now finds no AOF at all.
    expect(await aofFiles(storage)).toEqual([]);
    const early = await boot(storage.crash());
    expect(await early.r('DBSIZE')).toBe(0);
    await early.close();
    for (let i = 0; i < 200 && (queue.length > 0 || s.info('rdb_bgsave_in_progress') === '1'); i++) {
      while (queue.length > 0) queue.shift()!();
      await tick();
    }
    s.e.cron();
    for (let i = 0; i < 200 && s.info('aof_rewrite_in_progress') !== '0' || queue.length > 0; i++) {
      while (queue.length > 0) queue.shift()!();
      await tick();
    }
    await s.settle();
    await s.r('SET', 'k2', 'v2');
    const after = await boot(storage.crash());
    expect(await after.r('MGET', 'k1', 'k2')).toEqual(['v1', 'v2']);
    expect(await after.r('DBSIZE')).toBe(52);
    await after.close();
  });
});

describe('rdb.tcl', () => {
  const rdbServer = (storage: Storage, config: Record<string, string> = {}) => boot(storage, { appendonly: 'no', ...config });

  it('Server started empty with non-existing RDB file', async () => {
    const s = await rdbServer(createMemoryStorage());
    expect(digest(s.e)).toEqual([]);
    expect(s.p.loaded.source).toBe('none');
    await s.close();
  });

  it('Server started empty with empty RDB file', async () => {
    const storage = createMemoryStorage();
    const s = await rdbServer(storage);
    expect(await s.r('SAVE')).toBe('+OK');
    await s.close();
    expect(latin1(await storage.read('dump.rdb'))).toMatch(/^REDIS0009/);
    const s2 = await rdbServer(storage.crash());
    expect(s2.p.loaded.source).toBe('rdb');
    expect(digest(s2.e)).toEqual([]);
    await s2.close();
  });

  it('client freed during loading', async () => {
    const src = createEngine({ now: () => T0 });
    for (let i = 0; i < 1000; i++) src.connect().exec(['SET', `k${i}`, 'v'.repeat(20)]);
    const g = gated(storageOf({ 'dump.rdb': concat(snapshotSync(src)) }), 'dump.rdb');
    const { e, advance } = engineFor({ appendonly: 'no' });
    const starting = attach(e, advance, g.storage);
    await g.reached;
    expect(e.loading).toBe(true);
    for (let i = 0; i < 20; i++) {
      const c = e.connect();
      expect(show(c.exec(['PING']))).toBe('-LOADING Redis is loading the dataset in memory');
      c.close();
    }
    g.release();
    const s = await starting;
    expect(await s.r('DBSIZE')).toBe(1000);
    expect(s.info('loading')).toBe('0');
    await s.close();
  });

  it('save listpack, load dict / save dict, load listpack: encodings follow the configs at load time', async () => {
    const s = await rdbServer(createMemoryStorage());
    await s.r('HSET', 'h', 'a', '1', 'b', '2');
    await s.r('ZADD', 'z', '1', 'a', '2', 'b');
    await s.r('SADD', 's', '1', '2');
    await s.r('ZADD', 'bz', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat());
    expect(await s.r('OBJECT', 'ENCODING', 'bz')).toBe('skiplist');
    for (const [p, v] of [['hash-max-listpack-entries', '1'], ['zset-max-listpack-entries', '1'], ['set-max-intset-entries', '1']]) await s.r('CONFIG', 'SET', p!, v!);
    expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
    const enc = async () => Promise.all(['h', 'z', 's', 'bz'].map((k) => s.r('OBJECT', 'ENCODING', k)));
    // What redis-server 7.0.15 answers after the same steps.
    expect(await enc()).toEqual(['hashtable', 'skiplist', 'hashtable', 'skiplist']);
    for (const [p, v] of [['hash-max-listpack-entries', '1000'], ['zset-max-listpack-entries', '1000'], ['set-max-intset-entries', '512']]) await s.r('CONFIG', 'SET', p!, v!);
    expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
    expect(await enc()).toEqual(['listpack', 'listpack', 'intset', 'listpack']);
    await s.close();
  });
});

describe('other.tcl', () => {
  it('EXPIRES after a reload (snapshot + append only file rewrite)', async () => {
    for (const preamble of ['yes', 'no']) {
      const config = { 'aof-use-rdb-preamble': preamble };
      const s = await boot(createMemoryStorage(), config);
      await s.r('SET', 'x', '10');
      await s.r('EXPIRE', 'x', '1000');
      expect(await s.r('DEBUG', 'RELOAD')).toBe('+OK');
      const ttl = (await s.r('TTL', 'x')) as number;
      expect(ttl > 900 && ttl <= 1000).toBe(true);
      await s.r('BGREWRITEAOF');
      await s.settle();
      const s2 = await restart(s, config);
      const ttl2 = (await s2.r('TTL', 'x')) as number;
      expect(ttl2 > 900 && ttl2 <= 1000).toBe(true);
      await s2.close();
    }
  });

  it('EXPIRES after AOF reload (without rewrite)', async () => {
    const s = await boot(createMemoryStorage());
    await s.r('SET', 'x', 'somevalue');
    await s.r('EXPIRE', 'x', '1000');
    await s.r('SETEX', 'y', '2000', 'somevalue');
    await s.r('SET', 'z', 'somevalue');
    await s.r('EXPIREAT', 'z', String(Math.floor(T0 / 1000) + 3000));
    await s.r('SET', 'px', 'somevalue');
    await s.r('PEXPIRE', 'px', '1000000');
    await s.r('PSETEX', 'py', '2000000', 'somevalue');
    await s.r('SET', 'pz', 'somevalue');
    await s.r('PEXPIREAT', 'pz', String(T0 + 3_000_000));
    const s2 = await restart(s);
    const ttl = async (cmdName: string, k: string) => (await s2.r(cmdName, k)) as number;
    expect(await ttl('TTL', 'x')).toBe(1000);
    expect(await ttl('TTL', 'y')).toBe(2000);
    expect(await ttl('TTL', 'z')).toBe(3000);
    expect(await ttl('PTTL', 'px')).toBe(1_000_000);
    expect(await ttl('PTTL', 'py')).toBe(2_000_000);
    expect(await ttl('PTTL', 'pz')).toBe(3_000_000);
    await s2.close();
  });
});
