/**
 * The two most used Node clients, ioredis and node-redis (both 6.x, both on RESP3 by default),
 * pointed at `larder serve` and at redis-server 7.0 with the same script: an app that swaps its
 * Redis for Larder must get the same results from its client. The handshake (HELLO, the CLIENT
 * SETINFO both send and 7.0 refuses, ioredis's INFO ready check, SELECT, the client name), every
 * type round-tripped with binary Buffers and floats, TTLs, pipelines, MULTI/WATCH, error messages,
 * pub/sub and keyspace notifications, blocking pops, SCAN iteration, RESP2 and RESP3 reply shapes,
 * and a restart on an AOF directory that both clients reconnect across.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, sleep } from '../damage/harness.ts';

const REGISTER = fileURLToPath(new URL('../../packages/node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'larder-clients-'));
const HOST = '127.0.0.1';
const BIN = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80, 0x61]);
const BIG = Buffer.alloc(3_000_000, 'big\r\nvalue\x00');

type Which = 'larder' | 'redis';
interface Server { port: number; proc: ChildProcess; exited: Promise<void> }

/** `larder serve` or redis-server on `port` and `dir`, once it accepts connections. */
async function serve(which: Which, port: number, dir: string, args: string[]): Promise<Server> {
  mkdirSync(dir, { recursive: true });
  const common = ['--port', String(port), '--dir', dir, '--save', '', ...args];
  const [cmd, argv] = which === 'larder' ? [process.execPath, ['--import', REGISTER, MAIN, 'serve', ...common]] : ['redis-server', ['--bind', HOST, ...common]];
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  for (const stream of [proc.stdout!, proc.stderr!]) stream.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  for (const deadline = Date.now() + 30_000; !/Ready to accept connections/.test(out); await sleep(20)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${which} did not start on ${port}:\n${out}`);
    }
  }
  return { port, proc, exited };
}

const stop = (s: Server): Promise<void> => (s.proc.exitCode === null && s.proc.kill('SIGTERM'), s.exited);

let larder: Server;
let redis: Server;
beforeAll(async () => {
  const start = async (w: Which): Promise<Server> => serve(w, await freePort(), join(base, w), ['--appendonly', 'no']);
  [larder, redis] = await Promise.all([start('larder'), start('redis')]);
});
afterAll(async () => {
  await Promise.all([larder, redis].filter(Boolean).map(stop));
  rmSync(base, { recursive: true, force: true });
});

/** The same script against both servers (in parallel: they share nothing): [larder's, redis'] results. */
const each = <T>(script: (port: number) => Promise<T>): Promise<[T, T]> => Promise.all([script(larder.port), script(redis.port)]);

/** A value with every Error in it replaced by its class and message, so results compare as data. */
function plain(v: unknown): unknown {
  if (v instanceof Error) {
    const replies = (v as { replies?: unknown[] }).replies;
    return { error: `${v.constructor.name}: ${v.message}`, ...(replies ? { replies: plain(replies) } : {}) };
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
const outcome = (p: Promise<unknown>): Promise<unknown> => p.then(plain, plain);

/** An ioredis client (typed as the legacy-mapping one whatever `replyMapping` says: results are compared as data). */
const io = (port: number, opts: RedisOptions = {}): Redis => new Redis({ host: HOST, port, ...opts } as RedisOptions & { replyMapping?: 'legacy' }).on('error', () => {});
const nr = async (port: number, opts: { RESP?: 2 | 3; database?: number; name?: string; reconnect?: number } = {}) => {
  const c = createClient({ socket: { host: HOST, port, reconnectStrategy: opts.reconnect ?? false }, RESP: opts.RESP ?? 3, database: opts.database ?? 0, ...(opts.name ? { name: opts.name } : {}) });
  c.on('error', () => {}); // a socket closing under it: the commands' own results say what matters
  await c.connect();
  return c;
};
type NodeClient = Awaited<ReturnType<typeof nr>>;
/** Drops connections, waiting for nothing. */
function close(...clients: (Redis | NodeClient)[]): void {
  for (const c of clients) if (c instanceof Redis) c.disconnect(); else c.destroy();
}

/** A set or map reply (a Set or Map on RESP3, an array on RESP2) as its JS type and its sorted members or `k=v` pairs. */
const members = (v: unknown): unknown[] => [(v as object).constructor.name, ...[...(v as Iterable<unknown>)].map(String).sort()];
const pairs = (v: unknown): unknown[] => [(v as object).constructor.name, ...(v instanceof Map ? [...v].flat() : (v as unknown[])).flatMap((x, i, a) => (i % 2 ? [] : [`${x}=${a[i + 1]}`])).sort()];
/** Polls `pred` until it holds (10 s at most). */
async function until(pred: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await pred()); await sleep(10)) if (Date.now() > deadline) throw new Error('timed out');
}
/** The server's view of a connection: CLIENT INFO's db, name and protocol. */
const clientInfo = (line: unknown): string => String(line).match(/ (db|name|resp)=\S*/g)!.join('');
/** HELLO's reply as a flat list, without the connection id and the patch version. */
const hello = (r: unknown): unknown => (r as unknown[]).map((x, i, a) => (a[i - 1] === 'id' ? 'ID' : a[i - 1] === 'version' ? String(x).replace(/\.\d+$/, '.x') : x));

describe('ioredis and node-redis against larder serve, beside redis-server', () => {
  it('connect: HELLO 3, the refused CLIENT SETINFO, the INFO ready check, SELECT and the client name', async () => {
    const [l, r] = await each(async (port) => {
      const a = io(port, { db: 3, connectionName: 'io-app' });
      const b = await nr(port, { database: 5, name: 'node-app' });
      try {
        await a.set('where', 'db3');
        return {
          status: a.status,
          ioClient: clientInfo(await a.client('INFO')),
          loading: /^loading:(\d+)/m.exec(await a.info('persistence'))?.[1],
          setinfo: await outcome(a.call('CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis')),
          setinfoArity: await outcome(a.call('CLIENT', 'SETINFO')),
          hello: hello(await a.call('HELLO', '3')),
          hello2: await outcome(a.call('HELLO', '4')),
          selects: [await a.select(7), await a.get('where'), await a.select(3), await a.get('where'), await outcome(a.select(16))],
          nodeReady: b.isReady,
          nodeClient: clientInfo(await b.sendCommand(['CLIENT', 'INFO'])),
          nodeSetinfo: await outcome(b.sendCommand(['CLIENT', 'SETINFO', 'LIB-VER', '6.3.1'])),
          nodeMaint: await outcome(b.sendCommand(['CLIENT', 'MAINT_NOTIFICATIONS', 'ON', 'moving-endpoint-type', 'external-ip'])),
          nodeName: await b.clientGetName(),
          nodeSelect: [await b.get('where'), await b.select(3), await b.get('where')],
          quit: [await a.quit(), a.status],
        };
      } finally {
        close(a, b);
      }
    });
    expect([r.ioClient, r.nodeClient]).toEqual([' name=io-app db=3 resp=3', ' name=node-app db=5 resp=3']);
    expect(l).toEqual(r);
  });

  it.each([['RESP2', { protocol: 2 }], ['RESP3', {}], ['RESP3, replyMapping resp3', { replyMapping: 'resp3' }]] as const)('ioredis on %s: every type round-tripped with binary Buffers, integers, floats and TTLs', async (_, opts) => {
    const [l, r] = await each(async (port) => {
      const c = io(port, opts);
      try {
        await c.set('s', BIN);
        await c.pipeline().hset('h', { f: BIN, g: '1', [BIN.toString('latin1')]: 'binary field' }).rpush('l', BIN, 'a', 'b').sadd('set', BIN, 'x', 'y').zadd('z', 1.5, 'a', '-inf', BIN, 3, 'c').exec();
        return {
          s: [await c.getBuffer('s'), await c.strlen('s'), await c.append('s', BIN), await c.getrangeBuffer('s', 4, 8), await c.set('u', 'héllo ✓'), await c.get('u'), await c.set('', ''), await c.get('')],
          big: [await c.set('big', BIG), (await c.getBuffer('big'))!.equals(BIG), await c.strlen('big')],
          n: [await c.incrby('n', 5), await c.incrbyfloat('f', 10.5), await c.incrbyfloat('f', 0.1), await c.incrbyfloat('f', '5.0e3'), await outcome(c.incrbyfloat('f', 'inf')), await c.decr('n'), await outcome(c.incrby('n', '9223372036854775807'))],
          h: [await c.hgetallBuffer('h'), await c.hgetall('h'), await c.hincrbyfloat('h', 'g', 0.25), await c.hmgetBuffer('h', 'f', 'nope'), await c.hlen('h')],
          l: [await c.lrangeBuffer('l', 0, -1), await c.lpopBuffer('l'), await c.linsert('l', 'BEFORE', 'b', BIN), await c.lrange('l', 0, -1)],
          set: [(await c.smembersBuffer('set')).sort(Buffer.compare), await c.sismember('set', BIN), await c.scard('set')],
          z: [await c.zrange('z', 0, '-1', 'WITHSCORES'), await c.zrangeBuffer('z', 0, '0'), await c.zscore('z', BIN), await c.zincrby('z', 0.1, 'a'), await c.zrangebyscore('z', '(1', '+inf')],
          // In one MULTI, so that a busy machine cannot make a second pass between SET and TTL.
          ttl: (await c.multi().set('t', 'v', 'EX', 100).ttl('t').pttl('t').expire('t', 50).ttl('t').persist('t').ttl('t').ttl('missing').exec())!.map(([, v], i) => (i === 2 ? (v as number) > 99_000 : v)),
          px: [await c.multi().set('p', 'v', 'PX', 150).exists('p').exec(), await sleep(300), await c.exists('p'), await c.get('p')],
          types: await Promise.all(['s', 'n', 'h', 'l', 'set', 'z', 'missing'].map((k) => c.type(k))),
          size: await c.dbsize(),
        };
      } finally {
        await c.flushall();
        c.disconnect();
      }
    });
    expect(r.n.slice(0, 6)).toEqual([5, '10.5', '10.6', '5010.60000000000000009', { error: 'SimpleError: ERR increment would produce NaN or Infinity' }, 4]);
    expect(l).toEqual(r);
  });

  it.each([2, 3] as const)('node-redis on RESP%i: typed replies, Buffers through withTypeMapping, raw maps, sets and doubles', async (RESP) => {
    const [l, r] = await each(async (port) => {
      const c = await nr(port, { RESP });
      const bin = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const raw = c.withTypeMapping({ [RESP_TYPES.MAP]: Map, [RESP_TYPES.SET]: Set, [RESP_TYPES.DOUBLE]: String });
      try {
        await Promise.all([c.set('s', BIN), c.hSet('h', { f: BIN, g: '1' }), c.rPush('l', [BIN, 'a']), c.sAdd('set', [BIN, 'x', '3'])]);
        await c.zAdd('z', [{ score: 1.5, value: 'a' }, { score: -Infinity, value: 'b' }, { score: 0.1, value: BIN }]);
        return {
          s: [await bin.get('s'), await c.getRange('s', 1, 1), await c.incrByFloat('f', 10.5), await c.incrByFloat('f', 0.1), await c.incr('n'), await c.hIncrByFloat('h', 'g', 0.2)],
          h: [await bin.hGetAll('h'), await c.hGetAll('h'), await bin.hGet('h', 'f')],
          l: [await bin.lRange('l', 0, -1), await c.lLen('l')],
          set: [(await bin.sMembers('set')).sort(Buffer.compare), await c.sIsMember('set', BIN)],
          z: [await c.zRangeWithScores('z', 0, -1), await c.zScore('z', 'a'), await c.zIncrBy('z', 0.2, 'a'), await c.zScore('z', 'missing')],
          raw: await Promise.all([['HGETALL', 'h'], ['ZSCORE', 'z', 'a'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZINCRBY', 'z', '1e-3', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '5']].map((cmd) => raw.sendCommand(cmd))),
          // Hash-table order in redis-server (a random seed per process): as sorted lists.
          unordered: [members(await raw.sendCommand(['SMEMBERS', 'set'])), pairs(await raw.sendCommand(['CONFIG', 'GET', 'maxmemory*']))],
          ttl: await c.multi().set('t', 'v', { expiration: { type: 'EX', value: 100 } }).ttl('t').persist('t').ttl('t').exec(),
        };
      } finally {
        await c.flushAll();
        c.destroy();
      }
    });
    expect(r.s.slice(2)).toEqual(['10.5', '10.6', 1, '1.2']);
    expect(l).toEqual(r);
  });

  it('pipelines, transactions, WATCH aborted by another connection, and the errors both clients throw', async () => {
    const [l, r] = await each(async (port) => {
      const [c, other, n] = [io(port), io(port), await nr(port)];
      try {
        await c.set('str', 'text');
        const errors = (x: Redis | NodeClient): Promise<unknown>[] => [
          ['LPUSH', 'str', 'x'], ['GET'], ['HSET', 'h', 'f'], ['SET', 'k', 'v', 'NX', 'XX'], ['SET', 'k', 'v', 'EX', '0'], ['INCR', 'str'],
          ['NOSUCH', 'a', 'b'], ['ZADD', 'z', 'one', 'm'], ['EXPIRE', 'str', 'soon'], ['OBJECT', 'NOSUCH'], ['ZADD', 'z', 'NX', 'GT', '1', 'm'],
        ].map((cmd) => outcome(x instanceof Redis ? x.call(cmd[0]!, ...cmd.slice(1)) : x.sendCommand(cmd)));
        const many = await c.pipeline(Array.from({ length: 5000 }, (_, i) => (i === 2500 ? ['hget', 'cnt', 'f'] : ['incr', 'cnt']))).exec();
        const pipe = await c.pipeline().set('p', '1').incr('p').lpush('p', 'x').call('NOSUCH').incrbyfloat('p', 0.5).get('p').exec();
        const txn = await outcome(c.multi().set('t', '1').incr('t').lpush('t', 'x').get('t').exec());
        const aborted = await outcome(c.multi().set('t', '2').call('NOSUCH').exec());
        await c.watch('w');
        await other.set('w', 'theirs');
        const watched = await c.multi().set('w', 'mine').exec();
        await n.watch('w2');
        await other.set('w2', 'theirs');
        const nodeWatch = [await outcome(n.multi().set('w2', 'mine').exec()), await n.get('w2')];
        return {
          io: await Promise.all(errors(c)),
          node: await Promise.all(errors(n)),
          pipe: pipe!.map(([e, v]) => plain(e ?? v)),
          many: [many!.length, many![4999], plain(many![2500]![0])],
          txn,
          aborted,
          afterAbort: await c.get('t'),
          watched: [watched, await c.get('w')],
          nodeTxn: await outcome(n.multi().set('nt', '1').incr('nt').lPush('nt', 'x').exec()),
          nodeWatch,
          nodePipe: await outcome(n.multi().set('np', '1').incr('np').hGet('np', 'f').execAsPipeline()),
          unwatched: [await n.watch('w3'), await n.unwatch(), await other.set('w3', 'x'), await outcome(n.multi().set('w3', 'y').exec())],
        };
      } finally {
        await c.flushall();
        close(c, other, n);
      }
    });
    expect(r.watched).toEqual([null, 'theirs']);
    expect(r.nodeWatch).toEqual([{ error: 'WatchError: One (or more) of the watched keys has been changed' }, 'theirs']);
    expect(l).toEqual(r);
  });

  it('pub/sub on a second connection: subscribe, psubscribe, delivery order, unsubscribe, keyspace notifications', async () => {
    const [l, r] = await each(async (port) => {
      const [sub, sub2, pub, n] = [io(port), io(port, { protocol: 2 }), io(port), await nr(port)];
      const nsub = n.duplicate().on('error', () => {});
      await nsub.connect();
      const [got, nodeGot, got2]: [unknown[][], unknown[][], unknown[][]] = [[], [], []];
      sub2.on('message', (ch: string, m: string) => got2.push([ch, m])).on('pmessage', (p: string, ch: string, m: string) => got2.push([p, ch, m]));
      sub.on('message', (ch: string, m: string) => got.push(['message', ch, m]));
      sub.on('pmessage', (p: string, ch: string, m: string) => got.push(['pmessage', p, ch, m]));
      sub.on('messageBuffer', (ch: Buffer, m: Buffer) => Buffer.compare(m, BIN) === 0 && got.push(['binary', ch.toString()]));
      try {
        const counts = [await sub.subscribe('news', 'sports', 'end'), await sub.psubscribe('n*', '__key*@0__:*')];
        counts.push(await sub2.subscribe('news', 'end'), await sub2.psubscribe('s*'));
        await nsub.subscribe(['news', 'end'], (m, ch) => nodeGot.push(['message', ch, m]));
        await nsub.pSubscribe('s*', (m, ch) => nodeGot.push(['pmessage', ch, m]));
        await pub.config('SET', 'notify-keyspace-events', 'KEA');
        const published = [await pub.publish('news', 'a'), await pub.publish('sports', 'b'), await pub.publish('nothing', 'c'), await pub.publish('news', BIN)];
        await pub.set('k', 'v');
        await pub.expire('k', 100);
        await pub.incrbyfloat('k', 1).catch(() => {});
        await pub.lpush('list', 'x');
        await pub.del('k', 'list');
        await pub.config('SET', 'notify-keyspace-events', '');
        const unsub = [await sub.unsubscribe('news'), await sub.punsubscribe('__key*@0__:*'), await nsub.unsubscribe('news')];
        published.push(await pub.publish('news', 'd'), await pub.publish('end', 'end'));
        await until(() => got.some((m) => m[2] === 'end') && nodeGot.some((m) => m[2] === 'end') && got2.some((m) => m[1] === 'end'));
        return { counts, published, unsub, got, nodeGot, got2, pubsub: [((await pub.pubsub('CHANNELS', '*')) as string[]).sort(), await pub.pubsub('NUMSUB', 'news', 'end'), await pub.pubsub('NUMPAT')] };
      } finally {
        close(sub, sub2, pub, nsub, n);
      }
    });
    expect(r.got).toContainEqual(['pmessage', '__key*@0__:*', '__keyevent@0__:expire', 'k']);
    expect(l).toEqual(r);
  });

  it('blocking pops: a timeout that expires gives null, a push from another connection serves the waiter', async () => {
    const [l, r] = await each(async (port) => {
      const [a, b, n] = [io(port), io(port), await nr(port)];
      const blocked = async (k: number) => until(async () => (await b.info('clients')).includes(`blocked_clients:${k}\r`));
      try {
        const t0 = Date.now();
        const expired = [await a.blpop('none', 0.2), await n.blPop('none', 0.2), await a.bzpopmin('none', 0.1), Date.now() - t0 >= 450];
        const waiting = [a.blpop('q', 5), n.blPop('nq', 5)];
        await blocked(2);
        const pushed = [await b.rpush('q', 'x', 'y'), await b.rpush('nq', BIN)];
        const served = await Promise.all(waiting);
        const zwait = a.bzpopmin('zq', 5);
        await blocked(1);
        await b.zadd('zq', 2.5, 'm', 1, 'first');
        return { expired, pushed, served, zserved: await zwait, left: [await b.lrange('q', 0, -1), await b.zrange('zq', 0, '-1', 'WITHSCORES')] };
      } finally {
        await b.flushall();
        close(a, b, n);
      }
    });
    expect(r.served).toEqual([['q', 'x'], { key: 'nq', element: BIN.toString() }]);
    expect(l).toEqual(r);
  });

  it('scanStream (ioredis) and scanIterator (node-redis) over 3000 keys give the same key set', async () => {
    const [l, r] = await each(async (port) => {
      const [c, n] = [io(port), await nr(port)];
      try {
        for (let i = 0; i < 3000; i += 500) await c.mset(Object.fromEntries(Array.from({ length: 500 }, (_, j) => [`sc:${i + j}`, 'v'])));
        await c.hset('other', Object.fromEntries(Array.from({ length: 300 }, (_, j) => [`f${j}`, String(j)])));
        const ioKeys = new Set<string>();
        for await (const batch of c.scanStream({ match: 'sc:*', count: 100 })) for (const k of batch as string[]) ioKeys.add(k);
        const nodeKeys = new Set<string>();
        for await (const batch of n.scanIterator({ MATCH: 'sc:1*', COUNT: 250 })) for (const k of batch) nodeKeys.add(k);
        const fields = new Set<string>();
        for await (const batch of c.hscanStream('other', { count: 50 })) for (const [i, x] of (batch as string[]).entries()) if (i % 2 === 0) fields.add(x);
        const typed: string[] = [];
        for await (const batch of n.scanIterator({ TYPE: 'hash' })) typed.push(...batch);
        return { io: [...ioKeys].sort(), node: [...nodeKeys].sort(), fields: fields.size, typed };
      } finally {
        await c.flushall();
        close(c, n);
      }
    });
    expect(r.io).toHaveLength(3000);
    expect(r.node).toHaveLength(1111);
    expect([r.fields, r.typed]).toEqual([300, ['other']]);
    expect(l).toEqual(r);
  });

  it('a restart on an AOF directory: both clients reconnect by themselves and read what they wrote', async () => {
    const [l, r] = await each(async (port) => {
      const which: Which = port === larder.port ? 'larder' : 'redis';
      const [dir, p] = [join(base, `aof-${which}`), await freePort()];
      let s = await serve(which, p, dir, ['--appendonly', 'yes']);
      const c = io(p, { retryStrategy: () => 50, maxRetriesPerRequest: null });
      const n = await nr(p, { reconnect: 50 });
      let readies = 0;
      c.on('ready', () => readies++);
      try {
        await c.pipeline().set('s', BIN).hset('h', 'f', 'v', 'g', '2').rpush('l', 'a', 'b').zadd('z', 0.5, 'm').set('t', 'v', 'EX', 1000).incrbyfloat('f', 0.1).exec();
        await n.set('from-node', 'yes');
        // SHUTDOWN from a client that does not reconnect: one that does would send it again to the restarted server.
        const down = await outcome(io(p, { retryStrategy: () => null }).shutdown());
        await s.exited;
        const code = s.proc.exitCode;
        s = await serve(which, p, dir, ['--appendonly', 'yes']);
        const back = [await c.getBuffer('s'), await c.hgetall('h'), await c.lrange('l', 0, -1), await c.zrange('z', 0, '-1', 'WITHSCORES'), (await c.ttl('t')) > 990, await c.get('f'), await c.get('from-node')];
        await until(() => n.isReady);
        return { down, code, back, node: [await n.get('from-node'), await n.hGetAll('h')], readies };
      } finally {
        close(c, n);
        await stop(s);
      }
    });
    expect(r.back).toEqual([BIN, { f: 'v', g: '2' }, ['a', 'b'], ['m', '0.5'], true, '0.1', 'yes']);
    expect(l).toEqual(r);
  });
});
