/**
 * The page side of a connection: the typed client's commands, gathered per tick. Every command
 * sent before the page yields (a burst of calls, a pipeline, a MULTI) travels to the worker in one
 * message and runs there in order; the replies come back together, once durable per appendfsync.
 */
import type { Remote } from 'comlink';
import { fromWire, type Reply, type Transport } from '@larder/core/client';
import type { HostApi } from '../protocol.ts';

interface Queued {
  argv: string[];
  resolve(r: Reply): void;
  reject(e: unknown): void;
}

export interface BatchingTransport extends Transport {
  send(argv: string[]): Promise<Reply>;
  close(): void;
}

export function batchingTransport(api: Remote<HostApi>, conn: Promise<string>): BatchingTransport {
  let queue: Queued[] = [];

  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    try {
      const wires = await api.exec(await conn, batch.map((q) => q.argv));
      batch.forEach((q, i) => {
        try {
          q.resolve(fromWire(wires[i]!));
        } catch (e) {
          q.reject(e);
        }
      });
    } catch (e) {
      for (const q of batch) q.reject(e);
    }
  }

  let closed = false;
  return {
    send(argv: string[]): Promise<Reply> {
      if (closed) return Promise.reject(new Error('CLOSED This Larder was closed; open it again to send commands.'));
      return new Promise<Reply>((resolve, reject) => {
        queue.push({ argv, resolve, reject });
        if (queue.length === 1) queueMicrotask(() => void flush());
      });
    },
    close() {
      closed = true;
    },
  };
}
