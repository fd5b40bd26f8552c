import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createEngine, Push, type Client, type Engine, type Reply } from '@larder/core';
import { startServer, type LarderServer } from './server.ts';
import { bulk, cmd, Conn, waitFor } from '../test-support/conn.ts';

const run = promisify(execFile);

let engine: Engine;
let server: LarderServer;

beforeAll(async () => {
  engine = createEngine();
  server = await startServer({ engine, port: 0 });
});

afterAll(async () => {
  await server.close();
  engine.close();
});

const cli = async (...args: string[]): Promise<string> =>
  (await run('redis-cli', ['-p', String(server.port), ...args])).stdout;

/** The engine's client for a connection, found by its address. */
function engineClient(c: Conn): Client {
  const addr = `127.0.0.1:${c.socket.localPort}`;
  return [...engine.clients.values()].find((x) => x.addr === addr)!;
}

/**
 * Makes `TESTBLOCK` a command whose reply comes later: the connection layer's handling of a
 * Promise reply, tested without depending on any particular blocking command.
 */
function withTestBlock(): { pending: () => boolean; release: (r: Reply) => void; restore: () => void } {
  const original = engine.execute;
  let release: ((r: Reply) => void) | undefined;
  engine.execute = (c, argv) =>
    argv[0] === 'TESTBLOCK' ? new Promise<Reply>((resolve) => (release = resolve)) : original.call(engine, c, argv);
  return {
    pending: () => release !== undefined,
    release: (r) => release!(r),
    restore: () => void (engine.execute = original),
  };
}

describe('connection handling', () => {
  it('holds later commands behind a pending reply, then answers all in order', async () => {
    const block = withTestBlock();
    try {
      const c = new Conn(server.port);
      c.send(`${cmd('SET', 'tb:k', '1')}${cmd('TESTBLOCK')}${cmd('SET', 'tb:k', '2')}`);
      expect(await c.read(5)).toBe('+OK\r\n');
      await waitFor(block.pending);
      expect(await c.silentFor(50)).toBe(true);
      expect(await cli('GET', 'tb:k')).toBe('1\n');
      c.send(cmd('GET', 'tb:k'));
      block.release('released');
      const expected = `${bulk('released')}+OK\r\n${bulk('2')}`;
      expect(await c.read(expected.length)).toBe(expected);
      c.end();
    } finally {
      block.restore();
    }
  });

  it('writes pushes as they come, as RESP2 arrays or RESP3 pushes', async () => {
    const c2 = new Conn(server.port);
    const c3 = new Conn(server.port);
    await c2.roundTrip(cmd('SET', 'push:k', '2'), '+OK\r\n');
    c3.send(cmd('HELLO', '3'));
    await c3.readReply();
    for (const c of [c2, c3]) engineClient(c).push(new Push(['message', 'ch', 'hi']));
    const message = `${bulk('message')}${bulk('ch')}${bulk('hi')}`;
    expect(await c2.read(message.length + 4)).toBe(`*3\r\n${message}`);
    expect(await c3.read(message.length + 4)).toBe(`>3\r\n${message}`);
    c2.end();
    c3.end();
  });

  it('keeps serving pushes while a command is pending', async () => {
    const block = withTestBlock();
    try {
      const c = new Conn(server.port);
      await c.roundTrip(cmd('SET', 'pp:k', '1'), '+OK\r\n');
      const client = engineClient(c);
      c.send(cmd('TESTBLOCK'));
      await waitFor(block.pending);
      client.push(new Push(['message', 'ch', 'during']));
      const message = `*3\r\n${bulk('message')}${bulk('ch')}${bulk('during')}`;
      expect(await c.read(message.length)).toBe(message);
      block.release(7);
      expect(await c.read(4)).toBe(':7\r\n');
      c.end();
    } finally {
      block.restore();
    }
  });

  it('closes the engine client when the socket goes away', async () => {
    const c = new Conn(server.port);
    await c.roundTrip(cmd('SET', 'bye:k', '1'), '+OK\r\n');
    const client = engineClient(c);
    expect(engine.clients.get(client.id)).toBe(client);
    c.end();
    await waitFor(() => client.closed);
    expect(engine.clients.has(client.id)).toBe(false);
  });
});
