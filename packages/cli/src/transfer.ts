/**
 * `larder export` and `larder import`: a dir's dataset out as an RDB file or JSON
 * (@larder/core/transfer), and a file's dataset in as the dir's own.
 *
 * Both open the dir as serve does (its lock taken, so never while a server runs on it; with
 * appendonly yes an AOF that does not exist yet is created, as at redis-server's start). Import
 * replaces the dataset the way Redis itself would be made to: FLUSHALL, load the file, then
 * CONFIG SET appendonly yes (a rewrite: the file becomes the AOF base, the old AOF history is
 * deleted) or SAVE (dump.rdb).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { createEngine, ReplyError, type Engine } from '@larder/core';
import { loadRdb, snapshotSync } from '@larder/core/persistence';
import { exportJson, isRdb, loadJson } from '@larder/core/transfer';
import type { Invocation } from './args.ts';
import { absoluteDir, openDir, warningsToStderr, type LogFn, type OpenedDir } from './persist.ts';

// The dataset <-> JSON functions are core's (platform-free); re-exported for the CLI's callers.
export { datasetToJson, loadJson } from '@larder/core/transfer';

async function open(config: Record<string, string>, log: LogFn): Promise<{ engine: Engine; dir: OpenedDir } | number> {
  let engine: Engine;
  try {
    // No active expiry: an offline tool must not log deletions into the AOF it reads.
    engine = createEngine({ config: { ...config, dir: absoluteDir(config.dir) }, activeExpire: false });
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    process.stderr.write(`larder: ${e.message.replace(/^ERR /, '')}\n`);
    return 1;
  }
  const dir = await openDir(engine, log);
  if (dir === undefined) {
    engine.close();
    return 1;
  }
  return { engine, dir };
}

export async function runExport(inv: Extract<Invocation, { kind: 'export' }>, log: LogFn): Promise<number> {
  const opened = await open(inv.config, warningsToStderr);
  if (typeof opened === 'number') return opened;
  const { engine, dir } = opened;
  try {
    const chunks = inv.format === 'rdb'
      ? snapshotSync(engine)
      : [Buffer.from(`${exportJson(engine)}\n`, 'utf8')];
    const out = inv.out === undefined ? process.stdout : createWriteStream(inv.out);
    for (const c of chunks) out.write(c);
    if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (inv.out !== undefined) log(`Exported ${engine.ks.dbs.reduce((n, db) => n + db.keys.size, 0)} keys to ${inv.out}`);
    return 0;
  } finally {
    engine.close();
    await dir.close();
  }
}

export async function runImport(inv: Extract<Invocation, { kind: 'import' }>, log: LogFn): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(inv.file);
  } catch (e) {
    process.stderr.write(`larder: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const appendonly = inv.config.appendonly === 'yes';
  // Opened without the AOF and without save rules: nothing is logged or saved until the end.
  const opened = await open({ ...inv.config, appendonly: 'no', save: '' }, log);
  if (typeof opened === 'number') return opened;
  const { engine, dir } = opened;
  const c = engine.connect({ addr: 'import', laddr: 'import' });
  try {
    c.exec(['FLUSHALL']);
    try {
      if (isRdb(bytes)) await loadRdb(engine, (async function* () {
        yield bytes;
      })(), { totalBytes: bytes.length });
      else loadJson(engine, JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (e) {
      process.stderr.write(`larder: cannot import ${inv.file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const keys = engine.ks.dbs.reduce((n, db) => n + db.keys.size, 0);
    if (appendonly) {
      const r = await c.exec(['CONFIG', 'SET', 'appendonly', 'yes']);
      if (r instanceof ReplyError) throw r;
      await dir.persistence.aof.rewriting;
      if (dir.persistence.aof.state !== 'on') throw new Error('the AOF rewrite failed');
      log(`Imported ${keys} keys from ${inv.file} into ${engine.config.value('dir')} as the AOF base`);
    } else {
      await dir.persistence.rdb.save();
      log(`Imported ${keys} keys from ${inv.file} into ${engine.config.value('dir')}/${engine.config.value('dbfilename')}`);
    }
    return 0;
  } finally {
    c.close();
    await dir.close();
    engine.close();
  }
}
