/**
 * A throwaway redis-server (and redis-check-aof) for the AOF interop tests and the fixture script:
 * a server on a unix socket over a directory of our choosing, whose log we read and which we stop
 * by pid. Plain JS with no dependencies, so the script runs with bare `node`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parse } from '../../rdb/__fixtures__/redis.mjs';

export function redisAvailable() {
  return spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-check-aof', []).status === 1;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function client(path) {
  const sock = connect(path);
  await new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  let buf = '';
  let waiting = null;
  let closed = false;
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    if (!waiting) return;
    const r = parse(buf, 0);
    if (r) { buf = buf.slice(r[1]); const w = waiting; waiting = null; w.resolve(r[0]); }
  });
  // A server that exits (refusing its files) mid-request must not leave the caller waiting.
  const drop = () => { closed = true; if (waiting) { const w = waiting; waiting = null; w.reject(new Error('connection closed')); } };
  sock.on('close', drop);
  sock.on('error', drop);
  return {
    /** Sends one command (arguments are byte strings) and resolves with its reply. */
    call(argv) {
      if (closed) return Promise.reject(new Error('connection closed'));
      const parts = argv.map((a) => Buffer.from(a, 'latin1'));
      const head = [Buffer.from(`*${parts.length}\r\n`)];
      for (const p of parts) head.push(Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n'));
      return new Promise((resolve, reject) => { waiting = { resolve, reject }; sock.write(Buffer.concat(head)); });
    },
    close() { sock.destroy(); },
  };
}

/**
 * Starts redis-server over `dir` (`--appendonly yes` loads the AOF there), with the config file
 * `conf` if given. Resolves with
 * { ok: true, call, stop, log } once it answers PING, or { ok: false, code, log } if it exits first
 * (it refused the files); `log()` reads its log file.
 */
export async function startServer(dir, args = [], conf = undefined) {
  // A unix socket in `dir`, not a TCP port: no port can be taken by another server meanwhile.
  const socket = join(dir, 'redis.sock');
  const logfile = join(dir, 'redis.log');
  const child = spawn('redis-server', [...(conf ? [conf] : []), '--port', '0', '--unixsocket', socket, '--save', '', '--dir', dir, '--logfile', logfile, ...args], { stdio: 'ignore' });
  const log = () => (existsSync(logfile) ? readFileSync(logfile, 'latin1') : '');
  let exited = null;
  child.once('exit', (code, signal) => { exited = { code, signal }; });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const stop = () => new Promise((resolve) => {
    process.off('exit', onExit);
    if (exited) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (exited) { process.off('exit', onExit); return { ok: false, code: exited.code, log }; }
    try {
      const c = await client(socket);
      const pong = await c.call(['PING']);
      if (pong === 'PONG') {
        return { ok: true, call: c.call, log, stop: async () => { c.close(); await stop(); } };
      }
      c.close();
    } catch { /* not listening yet */ }
    await sleep(20);
  }
  await stop();
  throw new Error(`redis-server did not start: ${log()}`);
}

/** Runs redis-check-aof with `args` in `cwd`, `input` on stdin: { stdout, code }. */
export function checkAof(args, cwd, input = '') {
  const r = spawnSync('redis-check-aof', args, { cwd, input, encoding: 'latin1' });
  return { stdout: r.stdout, code: r.status };
}

/** The messages of a Redis log, without the `pid:role date level ` prefixes. */
export function logMessages(log) {
  return log.split('\n').map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [-*#.] /, ''));
}

/** Every key of every database: { db, key, type, value, ttl } sorted, values in a comparable shape. */
export async function snapshot(srv, databases = 16) {
  const out = [];
  for (let db = 0; db < databases; db++) {
    await srv.call(['SELECT', String(db)]);
    const keys = (await srv.call(['KEYS', '*'])).sort();
    for (const key of keys) {
      const type = await srv.call(['TYPE', key]);
      const expireAt = await srv.call(['PEXPIRETIME', key]);
      let value;
      if (type === 'string') value = await srv.call(['GET', key]);
      else if (type === 'list') value = await srv.call(['LRANGE', key, '0', '-1']);
      else if (type === 'set') value = (await srv.call(['SMEMBERS', key])).sort();
      else if (type === 'hash') value = await srv.call(['HGETALL', key]);
      else if (type === 'zset') value = await srv.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
      out.push({ db, key, type, expireAt, value });
    }
  }
  await srv.call(['SELECT', '0']);
  return out;
}
