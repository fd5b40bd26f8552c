import { describe, expect, it } from 'vitest';
import { Push, type Reply } from '@larder/core';
import { bulk, cmd, Conn, serveForTests, waitFor } from '../test-support/conn.ts';

const srv = serveForTests();
const { cli, engineClient } = srv;

/**
 * Makes `TESTBLOCK` a command whose reply comes later: the connection layer's handling of a
 * Promise reply, tested without depending on any particular blocking command.
 */
function withTestBlock(): { pending: () => boolean; release: (r: Reply) => void; restore: () => void } {
  const original = srv.engine.execute;
  let release: ((r: Reply) => void) | undefined;
  srv.engine.execute = (c, argv) =>
    argv[0] === 'TESTBLOCK' ? new Promise<Reply>((resolve) => (release = resolve)) : original.call(srv.engine, c, argv);
  return {
    pending: () => release !== undefined,
    release: (r) => release!(r),
    restore: () => void (srv.engine.execute = original),
  };
}

describe('connection handling', () => {
  it('holds later commands behind a pending reply, then answers all in order', async () => {
    const block = withTestBlock();
    try {
      const c = new Conn(srv.port);
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
    const c2 = new Conn(srv.port);
    const c3 = new Conn(srv.port);
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
      const c = new Conn(srv.port);
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
    const c = new Conn(srv.port);
    await c.roundTrip(cmd('SET', 'bye:k', '1'), '+OK\r\n');
    const client = engineClient(c);
    expect(srv.engine.clients.get(client.id)).toBe(client);
    c.end();
    await waitFor(() => client.closed);
    expect(srv.engine.clients.has(client.id)).toBe(false);
  });
});
