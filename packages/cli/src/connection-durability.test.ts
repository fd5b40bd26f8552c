/**
 * The TCP server's side of the AOF's durability barrier: a batch whose writes did not reach the
 * AOF is answered with the MISCONF error, one per reply, instead of OK, and the connection stays
 * usable: reads work, writes are refused until the AOF can write again, then resume.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '@larder/core';
import { attachPersistence } from '@larder/core/persistence';
import { createMemoryStorage } from '../../core/src/storage/memory.ts';
import { bulk, cmd, Conn, waitFor } from '../test-support/conn.ts';
import { startServer } from './server.ts';

const MISCONF = '-MISCONF Errors writing to the AOF file: No space left on device\r\n';

describe.each(['always', 'everysec', 'no'])('larder serve with appendfsync %s and a full storage', (policy) => {
  it('answers the batch that could not be written with MISCONF, then serves on', async () => {
    const storage = createMemoryStorage();
    const engine = createEngine({ config: { appendonly: 'yes', appendfsync: policy } });
    const p = await attachPersistence(engine, storage);
    const server = await startServer({ engine, port: 0, onError: (e) => { throw e; } });
    const c = new Conn(server.port);
    try {
      await c.roundTrip(cmd('SET', 'a', '1'), '+OK\r\n');
      storage.setFull(true);
      await c.roundTrip(cmd('SET', 'b', '2') + cmd('GET', 'a'), MISCONF + MISCONF);
      await c.roundTrip(cmd('GET', 'a'), bulk('1'));
      await c.roundTrip(cmd('SET', 'c', '3'), MISCONF);
      storage.setFull(false);
      engine.cron();
      await waitFor(() => p.aof.writeError() === undefined);
      await c.roundTrip(cmd('SET', 'c', '3'), '+OK\r\n');
      await c.roundTrip(cmd('MGET', 'a', 'b', 'c'), `*3\r\n${bulk('1')}${bulk('2')}${bulk('3')}`);
      expect(c.closed).toBe(false);
    } finally {
      c.end();
      await server.close();
      await p.close();
      engine.close();
    }
  });
});
