#!/usr/bin/env node
/**
 * Regenerates the AOF fixtures from a real redis-server (7.0.15 when they were made):
 *
 *   node packages/core/src/aof/__fixtures__/make-fixtures.mjs
 *
 * Each directory is a copy of a server's appendonlydir after a scripted session, plus
 * `expected.json`: the commands each file holds, read by the simple parser below (independent of
 * the loader under test), and the dataset the server held, as `snapshot()` reads it. TTLs are ten
 * years ahead so replaying the files later still gives the same dataset.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshot, startServer } from './redis.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TEN_YEARS = String(10 * 365 * 24 * 3600);

/** Commands in a RESP AOF, `#` lines skipped: strict, the files are known good. */
function commandsOf(bytes) {
  const s = bytes.toString('latin1');
  const out = [];
  let p = 0;
  const line = () => {
    const e = s.indexOf('\r\n', p);
    const l = s.slice(p, e);
    p = e + 2;
    return l;
  };
  while (p < s.length) {
    if (s[p] === '#') { line(); continue; }
    const argc = Number(line().slice(1));
    const argv = [];
    for (let i = 0; i < argc; i++) {
      const len = Number(line().slice(1));
      argv.push(s.slice(p, p + len));
      p += len + 2;
    }
    out.push(argv);
  }
  return out;
}

async function waitRewrite(srv) {
  for (;;) {
    const info = await srv.call(['INFO', 'persistence']);
    if (/aof_rewrite_in_progress:0/.test(info) && !/aof_rewrite_scheduled:1/.test(info)) return;
    await sleep(20);
  }
}

/** Copies `<dir>/appendonlydir` to the fixture `name`, with expected.json. */
async function save(srv, dir, name) {
  const out = join(here, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const aofdir = join(dir, 'appendonlydir');
  const files = {};
  for (const f of readdirSync(aofdir)) {
    copyFileSync(join(aofdir, f), join(out, f));
    const bytes = readFileSync(join(aofdir, f));
    if (f.endsWith('.aof') && !bytes.subarray(0, 5).equals(Buffer.from('REDIS'))) files[f] = commandsOf(bytes);
  }
  const dataset = await snapshot(srv);
  writeFileSync(join(out, 'expected.json'), JSON.stringify({ files, dataset }, null, 1) + '\n');
}

async function session(srv) {
  await srv.call(['set', 'foo', 'bar']);
  await srv.call(['SET', 'ttl', 'v', 'EX', TEN_YEARS]);
  await srv.call(['rpush', 'list', 'a', 'b', 'c']);
  await srv.call(['SET', 'bin', '\x00\xff\r\n']);
  await srv.call(['SELECT', '3']);
  await srv.call(['incrbyfloat', 'n', '1.5']);
  await sleep(1100);
  await srv.call(['sadd', 's', 'x', 'y']);
  await srv.call(['SELECT', '0']);
  await srv.call(['hset', 'h', 'f', 'v']);
  await srv.call(['MULTI']);
  await srv.call(['SET', 'a', '1']);
  await srv.call(['INCR', 'a']);
  await srv.call(['EXEC']);
  await srv.call(['del', 'foo']);
  await srv.call(['SELECT', '5']);
  await srv.call(['zadd', 'z', '1', 'm', '2.5', 'n']);
  await srv.call(['SELECT', '0']);
  await srv.call(['expire', 'list', TEN_YEARS]);
}

async function respFixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-aof-fix-'));
  const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--aof-timestamp-enabled', 'yes']);
  await session(srv);
  await save(srv, dir, 'resp-ts');
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  await srv.call(['set', 'after', 'rewrite']);
  await save(srv, dir, 'resp-ts-rewritten');
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}

async function rdbFixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-aof-fix-'));
  const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'yes', '--aof-disable-auto-gc', 'yes']);
  await srv.call(['set', 'x', '1']);
  await srv.call(['rpush', 'l', 'a', 'b']);
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  await srv.call(['set', 'y', '2']);
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  await srv.call(['incr', 'x']);
  await save(srv, dir, 'rdb-history');
  // AOF off: a rewrite retires every incr; on again: the first rewrite brings the temp incr in.
  await srv.call(['CONFIG', 'SET', 'appendonly', 'no']);
  await srv.call(['set', 'z', '3']);
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  copyFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), join(here, 'manifests', 'after-rewrite-while-off.manifest'));
  await srv.call(['CONFIG', 'SET', 'appendonly', 'yes']);
  await waitRewrite(srv);
  await srv.call(['set', 'w', '4']);
  copyFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), join(here, 'manifests', 'after-reenable.manifest'));
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** Failed rewrites (child killed) leave several incrs; the next success retires them together. */
async function failedRewrites() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-aof-fix-'));
  const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-disable-auto-gc', 'yes']);
  for (const k of ['a', 'b', 'c']) await srv.call(['set', k, '1']);
  await srv.call(['CONFIG', 'SET', 'rdb-key-save-delay', '1000000']);
  for (let i = 0; i < 2; i++) {
    await srv.call(['BGREWRITEAOF']);
    await sleep(200);
    const pid = (await srv.call(['INFO', 'server'])).match(/process_id:(\d+)/)[1];
    const child = spawnSync('ps', ['-o', 'pid=', '--ppid', pid], { encoding: 'utf8' }).stdout.trim();
    spawnSync('kill', ['-9', child]);
    await waitRewrite(srv);
  }
  await srv.call(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  copyFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), join(here, 'manifests', 'after-failed-rewrites.manifest'));
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** appendfilename with blanks and newlines: quoted names in the manifest. */
async function quotedNames() {
  const dir = mkdtempSync(join(tmpdir(), 'larder-aof-fix-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, 'appendfilename " file seq \\n\\n.aof "\n');
  const srv = await startServer(dir, ['--appendonly', 'yes'], conf);
  await srv.call(['set', 'q', '1']);
  await srv.call(['BGREWRITEAOF']);
  await waitRewrite(srv);
  copyFileSync(join(dir, 'appendonlydir', ' file seq \n\n.aof .manifest'), join(here, 'manifests', 'quoted-names.manifest'));
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}

mkdirSync(join(here, 'manifests'), { recursive: true });
await respFixtures();
await rdbFixtures();
await failedRewrites();
await quotedNames();
console.log('fixtures written to', here);
