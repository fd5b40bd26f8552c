/**
 * The page side of a connection: the typed client's commands, gathered per tick. Every command
 * sent before the page yields (a burst of calls, a pipeline, a MULTI) travels to the worker in one
 * message and runs there in order; the replies come back together, once durable per appendfsync.
 *
 * With thousands of calls in flight this file and the typed client are most of the page's work, so
 * a call allocates little: its promise, two slots in `waiting`, its arguments appended to the batch.
 */
import type { Remote } from 'comlink';
import { fromWire, type Reply, type Transport, type Wire } from '@larder/core/client';
import { pushCommand, type Batch, type HostApi } from '../protocol.ts';

export interface BatchingTransport extends Transport {
  send(argv: string[]): Promise<Reply>;
  close(): void;
}

type Settle = (v: unknown) => void;

export function batchingTransport(api: Remote<HostApi>, conn: Promise<string>): BatchingTransport {
  let batch: Batch = [];
  /** Per queued command: its promise's resolve and reject. */
  let waiting: Settle[] = [];
  let closed = false;

  async function flush(): Promise<void> {
    const sent = batch;
    const w = waiting;
    batch = [];
    waiting = [];
    let wires: Wire[];
    try {
      wires = await api.exec(await conn, sent);
    } catch (e) {
      for (let i = 1; i < w.length; i += 2) w[i]!(e);
      return;
    }
    for (let i = 0; i < w.length; i += 2) {
      try {
        w[i]!(fromWire(wires[i >> 1]!));
      } catch (e) {
        w[i + 1]!(e);
      }
    }
  }

  return {
    send(argv) {
      if (closed) return Promise.reject(new Error('CLOSED This Larder was closed; open it again to send commands.'));
      if (waiting.length === 0) queueMicrotask(() => void flush());
      pushCommand(batch, argv);
      return new Promise<Reply>((resolve, reject) => waiting.push(resolve as Settle, reject));
    },
    close() {
      closed = true;
    },
  };
}
