import { describe, expect, it } from 'vitest';
import { VerbatimString } from '@larder/core';
import { bulk, cmd, Conn, run, serveForTests, waitFor } from '../test-support/conn.ts';

const srv = serveForTests();
const { cli, engineClient } = srv;

describe('larder serve', () => {
  it('serves redis-cli', async () => {
    expect(await cli('SET', 'cli:k', 'hello world')).toBe('OK\n');
    expect(await cli('GET', 'cli:k')).toBe('hello world\n');
    expect(await cli('GET', 'cli:nope')).toBe('\n');
    expect(await cli('NOSUCH', 'x')).toBe("ERR unknown command 'NOSUCH', with args beginning with: 'x' \n\n");
  });

  it('answers a pipeline in order', async () => {
    const c = new Conn(srv.port);
    let request = '';
    let expected = '';
    for (let i = 0; i < 200; i++) {
      request += cmd('SET', `pipe:${i}`, `v${i}`) + cmd('GET', `pipe:${i}`);
      expected += `+OK\r\n${bulk(`v${i}`)}`;
    }
    await c.roundTrip(request, expected);
    c.end();
  });

  it('accepts a pipeline split at every byte', async () => {
    const c = new Conn(srv.port);
    const request = cmd('SET', 'split:k', 'a\r\nb') + 'GET split:k\r\n';
    for (const ch of request) c.send(ch);
    const expected = '+OK\r\n$4\r\na\r\nb\r\n';
    expect(await c.read(expected.length)).toBe(expected);
    c.end();
  });

  it('accepts inline commands', async () => {
    const c = new Conn(srv.port);
    await c.roundTrip('SET inline:k "two words"\r\nGET inline:k\nGET  inline:nope \r\n', '+OK\r\n$9\r\ntwo words\r\n$-1\r\n');
    c.end();
  });

  it('replies to a protocol error, then closes only that connection', async () => {
    const bad = new Conn(srv.port);
    const good = new Conn(srv.port);
    bad.send(`${cmd('SET', 'proto:k', '1')}*1\r\n$x\r\n${cmd('SET', 'proto:k', '2')}`);
    expect(await bad.read(1000)).toBe('+OK\r\n-ERR Protocol error: invalid bulk length\r\n');
    expect(await bad.waitClosed()).toBe(true);
    await good.roundTrip(cmd('GET', 'proto:k'), bulk('1'));
    good.end();
  });

  it.each([
    ['*x\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*1\r\nX\r\n', "ERR Protocol error: expected '$', got 'X'"],
    ['ECHO "a\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    ['x'.repeat(70_000), 'ERR Protocol error: too big inline request'],
  ])('protocol error %#', async (input, error) => {
    const c = new Conn(srv.port);
    c.send(input);
    expect(await c.read(error.length + 3)).toBe(`-${error}\r\n`);
    expect(await c.waitClosed()).toBe(true);
  });

  it('closes after QUIT, even inside MULTI', async () => {
    const c = new Conn(srv.port);
    c.send(`SET quit:k 1\r\nQUIT\r\nSET quit:k 2\r\n`);
    expect(await c.read(100)).toBe('+OK\r\n+OK\r\n');
    expect(await c.waitClosed()).toBe(true);
    expect(await cli('GET', 'quit:k')).toBe('1\n');
    const m = new Conn(srv.port);
    m.send('MULTI\r\nQUIT extra args\r\n');
    expect(await m.read(100)).toBe('+OK\r\n+OK\r\n');
    expect(await m.waitClosed()).toBe(true);
  });

  it('stores and returns a large value sent in pieces', async () => {
    const c = new Conn(srv.port);
    const value = 'x'.repeat(3_000_000);
    const request = cmd('SET', 'big:k', value) + cmd('GET', 'big:k');
    for (let i = 0; i < request.length; i += 65_536) c.send(request.slice(i, i + 65_536));
    const expected = `+OK\r\n${bulk(value)}`;
    expect(await c.read(expected.length, 10_000)).toBe(expected);
    c.end();
  }, 15_000);

  it('speaks RESP3 after HELLO 3', async () => {
    const c = new Conn(srv.port);
    c.send(cmd('HELLO', '3'));
    const [, hello] = await c.readReply();
    const prefix = '%7\r\n$6\r\nserver\r\n';
    expect(hello.slice(0, prefix.length)).toBe(prefix);
    expect(hello).toContain('$5\r\nproto\r\n:3\r\n');
    await c.roundTrip(cmd('GET', 'resp3:nope'), '_\r\n');
    await c.roundTrip(cmd('HSET', 'resp3:h', 'f', 'v'), ':1\r\n');
    await c.roundTrip(cmd('HGETALL', 'resp3:h'), '%1\r\n$1\r\nf\r\n$1\r\nv\r\n');
    c.end();
  });

  it('serves redis-benchmark with pipelining', async () => {
    const { stdout } = await run('redis-benchmark', ['-p', String(srv.port), '-t', 'set,get', '-n', '20000', '-P', '16', '-q']);
    expect(stdout).toMatch(/SET: [\d.]+ requests per second/);
    expect(stdout).toMatch(/GET: [\d.]+ requests per second/);
  }, 30_000);

  it('holds a blocked connection until another one pushes (BLPOP)', async () => {
    const a = new Conn(srv.port);
    const b = new Conn(srv.port);
    a.send(cmd('BLPOP', 'block:list', '0') + cmd('GET', 'block:k'));
    expect(await a.silentFor(100)).toBe(true);
    await b.roundTrip(cmd('SET', 'block:k', 'after') + cmd('RPUSH', 'block:list', 'x'), '+OK\r\n:1\r\n');
    const expected = `*2\r\n${bulk('block:list')}${bulk('x')}${bulk('after')}`;
    expect(await a.read(expected.length)).toBe(expected);
    a.end();
    b.end();
  });

  it('forgets a blocked client that disconnects', async () => {
    const a = new Conn(srv.port);
    a.send(cmd('BLPOP', 'gone:list', '0'));
    await waitFor(() => engineClient(a)?.blockedOn != null);
    const client = engineClient(a);
    expect(client.blockedOn).toEqual(['gone:list']);
    a.end();
    await waitFor(() => client.closed);
    expect(await cli('RPUSH', 'gone:list', 'x')).toBe('1\n');
    expect(await cli('LLEN', 'gone:list')).toBe('1\n');
  });

  it('delivers pub/sub messages as RESP2 arrays and RESP3 pushes', async () => {
    const sub2 = new Conn(srv.port);
    const sub3 = new Conn(srv.port);
    await sub2.roundTrip(cmd('SUBSCRIBE', 'news'), `*3\r\n${bulk('subscribe')}${bulk('news')}:1\r\n`);
    sub3.send(cmd('HELLO', '3'));
    await sub3.readReply();
    await sub3.roundTrip(cmd('SUBSCRIBE', 'news'), `>3\r\n${bulk('subscribe')}${bulk('news')}:1\r\n`);
    expect(await cli('PUBLISH', 'news', 'hi')).toBe('2\n');
    const message = `${bulk('message')}${bulk('news')}${bulk('hi')}`;
    expect(await sub2.read(message.length + 4)).toBe(`*3\r\n${message}`);
    expect(await sub3.read(message.length + 4)).toBe(`>3\r\n${message}`);
    // A RESP3 subscriber may still run commands; a push its own command causes comes before
    // the command's reply, as in Redis 7.0.
    await sub3.roundTrip(
      cmd('PUBLISH', 'news', 'self') + cmd('GET', 'pubsub:nope'),
      `>3\r\n${bulk('message')}${bulk('news')}${bulk('self')}:2\r\n_\r\n`,
    );
    sub2.end();
    sub3.end();
  });

  it('counts its network traffic in INFO stats, as Redis does', async () => {
    // Read in process, so that asking adds no traffic of its own.
    const probe = srv.engine.connect();
    const stats = (): Record<string, number> => {
      const info = probe.exec(['INFO', 'stats']);
      const text = info instanceof VerbatimString ? info.text : String(info);
      return Object.fromEntries(text.split('\r\n').map((l) => l.split(':')).map(([k, v]) => [k, Number(v)]));
    };
    const before = stats();
    const c = new Conn(srv.port);
    const request = cmd('SET', 'net:k', 'x'.repeat(1000)) + cmd('GET', 'net:k') + cmd('QUIT');
    const replies = `+OK\r\n${bulk('x'.repeat(1000))}+OK\r\n`;
    await c.roundTrip(request, replies);
    expect(await c.waitClosed()).toBe(true);
    await waitFor(() => stats().total_net_output_bytes! - before.total_net_output_bytes! === replies.length);
    const after = stats();
    expect(after.total_net_input_bytes! - before.total_net_input_bytes!).toBe(request.length);
    expect(after.total_reads_processed! - before.total_reads_processed!).toBeGreaterThanOrEqual(1);
    expect(after.total_writes_processed! - before.total_writes_processed!).toBeGreaterThanOrEqual(1);
    probe.close();
  });
});
