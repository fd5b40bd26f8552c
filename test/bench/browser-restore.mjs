// The browser benchmark's restore part (browser.mjs runs it in its Chromium): a store of KEYS
// keys x SIZE bytes whose AOF is an RDB base in IndexedDB plus a TAIL-INCR incr in OPFS, opened on
// fresh pages, against redis-server loading its appendonlydir of the same data (built as
// restore.mjs builds it). Both sides' times are their own logs' "DB loaded from ... file" lines;
// the probe worker splits Larder's into reading the files and loading from memory.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, table } from './lib.mjs';
import { appendonlyOn, cli, populateRandom, redisLoadSeconds, redisOn, tempDir } from './persist-lib.mjs';

const x = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`;

/** A deterministic INCR tail: `key:<12 digits>` in 0..99,999, as redis-benchmark -r 100000 names them. */
function tailKeys(TAIL) {
  let s = 0x2545f491;
  const keys = new Array(TAIL);
  for (let i = 0; i < TAIL; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    keys[i] = `key:${String((s >>> 0) % 100_000).padStart(12, '0')}`;
  }
  return keys;
}

function pipeToRedis(port, keys) {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`redis-cli --pipe: ${c}`))));
    child.stdin.end(keys.map((k) => `*2\r\n$4\r\nINCR\r\n$${k.length}\r\n${k}\r\n`).join(''));
  });
}

/** Builds both sides, loads each RUNS times, and returns the section's Markdown. */
export async function restore(b, cleanup, { RUNS, KEYS, SIZE, TAIL }) {
  const work = (tag) => {
    const d = tempDir(tag);
    cleanup.push(d);
    return d;
  };
  const tail = tailKeys(TAIL);
  // redis-server: dump.rdb of KEYS random values, then its appendonlydir (RDB preamble base from
  // CONFIG SET appendonly yes) + the INCR tail, as restore.mjs builds it.
  const rdbDir = work('rdb');
  let r = await redisOn(rdbDir);
  try {
    await populateRandom(r.port, KEYS, SIZE);
    cli(r.port, 'SAVE');
  } finally {
    await r.stop();
  }
  const aofDir = work('aof');
  copyFileSync(join(rdbDir, 'dump.rdb'), join(aofDir, 'dump.rdb'));
  r = await redisOn(aofDir, ['--aof-use-rdb-preamble', 'yes']);
  try {
    await appendonlyOn(r.port);
    await pipeToRedis(r.port, tail);
    cli(r.port, 'SHUTDOWN', 'NOSAVE');
  } finally {
    await new Promise((res) => setTimeout(res, 200));
    await r.stop();
  }
  rmSync(join(aofDir, 'dump.rdb'));
  const du = (p) => Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]);
  const redisBytes = du(join(aofDir, 'appendonlydir'));

  // Larder: the same dump.rdb imported in the page, BGREWRITEAOF (the base goes to IndexedDB),
  // the same tail with appendfsync no, close.
  copyFileSync(join(rdbDir, 'dump.rdb'), join(b.dir, 'dump.rdb'));
  const page = await b.page();
  const built = await page.evaluate(([tail]) => bench.restoreBuild('restore', tail), [tail]);
  const layout = await page.evaluate(() => bench.layout('restore'));
  await page.close();
  rmSync(join(b.dir, 'dump.rdb'));
  process.stderr.write(`browser: restore store built: ${JSON.stringify({ ...built, afterRewrite: undefined, afterTail: undefined })}\n${JSON.stringify(layout)}\n`);

  // Per run: total load and per-file steps from each one's own log, and time to ready / to PING.
  const rl = [], rs = [], ll = [], lo = [];
  const steps = { larder: { base: [], incr: [] }, redis: { base: [], incr: [] }, memory: { base: [], incr: [] } };
  const stepsOf = (text, prefix = '') => {
    const out = {};
    for (const m of text.matchAll(new RegExp(`${prefix}DB loaded from (base|incr) file \\S+: ([\\d.]+) seconds`, 'g'))) out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]) * 1000;
    return out;
  };
  let redisKeys = 0;
  let larderKeys = 0;
  let lastOpen;
  for (let i = 0; i < RUNS; i++) {
    const d = work('load');
    cpSync(join(aofDir, 'appendonlydir'), join(d, 'appendonlydir'), { recursive: true });
    const s = await redisOn(d, ['--appendonly', 'yes']);
    rs.push(s.startMs);
    redisKeys = Number(cli(s.port, 'DBSIZE'));
    await s.stop();
    rl.push(redisLoadSeconds(d) * 1000);
    const rsteps = stepsOf(readFileSync(join(d, 'redis.log'), 'latin1'));
    for (const k of ['base', 'incr']) steps.redis[k].push(rsteps[k]);

    const from = b.browser.logs().length;
    const p = await b.page();
    const o = await p.evaluate(() => bench.restoreOpen('restore'));
    await p.close();
    // The worker's own log: "DB loaded from base/incr file ...: X seconds", one line per file.
    const lsteps = stepsOf(b.browser.logs().slice(from).join('\n'), 'larder\\[restore\\]: ');
    for (const k of ['base', 'incr']) steps.larder[k].push(lsteps[k]);
    ll.push(lsteps.base + lsteps.incr);
    lo.push(o.ms);
    larderKeys = o.dbsize;
    lastOpen = o;
  }
  if (larderKeys !== redisKeys) throw new Error(`restore: Larder loaded ${larderKeys} keys, redis-server ${redisKeys}`);
  // The same restore split: the files read from IndexedDB/OPFS, then loaded from memory.
  const reads = { base: [], incr: [] };
  for (let i = 0; i < RUNS; i++) {
    const p = await b.page();
    const sp = await p.evaluate(() => bench.restoreSplit('restore'));
    await p.close();
    if (sp.keys !== redisKeys) throw new Error(`restore split: loaded ${sp.keys} keys, redis-server ${redisKeys}`);
    const msteps = stepsOf(sp.log.join('\n'));
    for (const k of ['base', 'incr']) {
      steps.memory[k].push(msteps[k]);
      reads[k].push(sp.read.filter((f) => f.name.endsWith(k === 'base' ? '.base.rdb' : '.incr.aof')).reduce((t, f) => t + f.ms, 0));
    }
  }
  process.stderr.write(`browser: last open: ${JSON.stringify(lastOpen)}\n`);

  const files = (list) => list.map((f) => `${f.name.replace('appendonlydir/', '')} ${(f.size / 1e6).toFixed(1)} MB`).join(', ');
  const [L, R, O, S] = [median(ll), median(rl), median(lo), median(rs)];
  const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const st = (who, k) => median(steps[who][k]);
  const base = layout.idb.find((f) => f.name.endsWith('.base.rdb'));
  return [
    `### Restore of ${fmt(KEYS)} keys × ${SIZE} B + a ${fmt(TAIL)}-INCR tail (median of ${RUNS})\n`,
    table(['', 'files', 'keys', 'load (its own log)', 'to ready', 'load ÷ redis', 'to ready ÷ redis start → PING'], [
      ['Larder in Chromium (openLarder on a fresh page)', `IndexedDB: ${files(layout.idb)}; OPFS: ${files(layout.opfs)}`, fmt(larderKeys),
        sec(L), sec(O), x(L, R), x(O, S)],
      ['redis-server 7.0 (appendonlydir)', `${(redisBytes / 1e6).toFixed(1)} MB`, fmt(redisKeys), sec(R), sec(S), '1.00×', '1.00×'],
    ]),
    '',
    `#### Where the restore time goes, per file (each one's own "DB loaded from … file" log lines; median of ${RUNS})\n`,
    table(['file', 'Larder from IndexedDB / OPFS', 'Larder from an in-memory copy (probe worker)', 'reading the file alone (probe worker)', 'redis-server', 'Larder ÷ redis', 'in-memory ÷ redis'], [
      [`base: RDB, ${(base.size / 1e6).toFixed(1)} MB in ${base.chunks} IndexedDB chunks`, sec(st('larder', 'base')), sec(st('memory', 'base')), sec(median(reads.base)),
        sec(st('redis', 'base')), x(st('larder', 'base'), st('redis', 'base')), x(st('memory', 'base'), st('redis', 'base'))],
      [`incr: ${fmt(TAIL)} INCR, ${(layout.opfs.find((f) => f.name.endsWith('.incr.aof')).size / 1e6).toFixed(1)} MB in OPFS`, sec(st('larder', 'incr')), sec(st('memory', 'incr')),
        sec(median(reads.incr)), sec(st('redis', 'incr')), x(st('larder', 'incr'), st('redis', 'incr')), x(st('memory', 'incr'), st('redis', 'incr'))],
    ]),
    '',
    `Runs (load / to ready): Larder ${ll.map((v, i) => `${(v / 1000).toFixed(2)}/${(lo[i] / 1000).toFixed(2)}`).join(', ')} s; ` +
      `redis-server ${rl.map((v, i) => `${(v / 1000).toFixed(2)}/${(rs[i] / 1000).toFixed(2)}`).join(', ')} s.`,
    '',
    `Build (once): fetch of dump.rdb ${(built.fetchMs / 1000).toFixed(1)} s, import() of ${fmt(built.imported)} keys ${(built.importMs / 1000).toFixed(1)} s, ` +
      `BGREWRITEAOF ${(built.rewriteMs / 1000).toFixed(1)} s (aof_base_size ${built.afterRewrite.aof_base_size}), tail of ${fmt(TAIL)} INCR ${(built.tailMs / 1000).toFixed(1)} s ` +
      `(aof_current_size ${built.afterTail.aof_current_size}); INFO persistence at open: storage ${lastOpen.storage}, ` +
      `aof_base_size ${lastOpen.persistence.aof_base_size}, aof_current_size ${lastOpen.persistence.aof_current_size}.`,
    '',
  ].join('\n');
}
