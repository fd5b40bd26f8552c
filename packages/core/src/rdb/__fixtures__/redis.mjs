/**
 * A throwaway redis-server for the RDB interop tests and the fixture script: started on a free
 * loopback port with a directory of our choosing (where it SAVEs and from which it loads), and
 * stopped by pid. Plain JS with no dependencies, so the script runs with bare `node`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';

export function redisAvailable() {
  return spawnSync('redis-server', ['--version']).status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parses one RESP2 value of `buf` (latin1 text) at `pos`: [value, next], or undefined if incomplete. */
export function parse(buf, pos) {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const line = buf.slice(pos + 1, eol);
  const next = eol + 2;
  switch (buf[pos]) {
    case '+': return [line, next];
    case '-': return [{ error: line }, next];
    case ':': return [Number(line), next];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return undefined;
      return [buf.slice(next, next + n), next + n + 2];
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const items = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parse(buf, p);
        if (!r) return undefined;
        items.push(r[0]);
        p = r[1];
      }
      return [items, p];
    }
    default: throw new Error(`bad RESP byte ${buf[pos]}`);
  }
}

/** A connection that sends commands one at a time; arguments are byte strings or Uint8Arrays. */
async function client(port) {
  const sock = connect(port, '127.0.0.1');
  await new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  let buf = '';
  let waiting = null;
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    if (!waiting) return;
    const r = parse(buf, 0);
    if (r) { buf = buf.slice(r[1]); const w = waiting; waiting = null; w(r[0]); }
  });
  return {
    call(argv) {
      const parts = argv.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : Buffer.from(a)));
      const head = [Buffer.from(`*${parts.length}\r\n`)];
      for (const p of parts) head.push(Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n'));
      return new Promise((res) => { waiting = res; sock.write(Buffer.concat(head)); });
    },
    close() { sock.destroy(); },
  };
}

/**
 * Starts redis-server in `dir` (loading `dbfilename` from it if present). Resolves once it answers
 * PING; rejects with its log if it exits first (e.g. it refused the RDB file).
 */
export async function startServer(dir, args = []) {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const stop = () => new Promise((resolve) => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
    try {
      const c = await client(port);
      const pong = await c.call(['PING']);
      if (pong === 'PONG') return { port, pid: child.pid, call: c.call, close: c.close, stop: async () => { c.close(); await stop(); }, log: () => log };
      c.close();
    } catch { /* not listening yet */ }
    await sleep(20);
  }
  await stop();
  throw new Error(`redis-server did not start: ${log}`);
}

/**
 * Every key of every database as plain JSON-able data, for comparing with what our decoder reads:
 * { db, key, type, encoding, expireAt, value } sorted by db then key. Sets and hashes are sorted;
 * zset scores are the text ZRANGE WITHSCORES replies with.
 */
export async function snapshot(srv, databases = 16) {
  const out = [];
  for (let db = 0; db < databases; db++) {
    await srv.call(['SELECT', String(db)]);
    const keys = (await srv.call(['KEYS', '*'])).sort();
    for (const key of keys) {
      const type = await srv.call(['TYPE', key]);
      const encoding = await srv.call(['OBJECT', 'ENCODING', key]);
      const expireAt = await srv.call(['PEXPIRETIME', key]);
      let value;
      if (type === 'string') value = await srv.call(['GET', key]);
      else if (type === 'list') value = await srv.call(['LRANGE', key, '0', '-1']);
      else if (type === 'set') value = (await srv.call(['SMEMBERS', key])).sort();
      else if (type === 'hash') {
        const flat = await srv.call(['HGETALL', key]);
        value = [];
        for (let i = 0; i < flat.length; i += 2) value.push([flat[i], flat[i + 1]]);
        value.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      } else if (type === 'zset') {
        const flat = await srv.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
        value = [];
        for (let i = 0; i < flat.length; i += 2) value.push([flat[i], flat[i + 1]]);
      }
      out.push({ db, key, type, encoding, expireAt, value });
    }
  }
  await srv.call(['SELECT', '0']);
  return out;
}
