/**
 * One page connection on the owner: a Redis client whose batches run in order and whose replies
 * are released per batch, after one durability barrier (engine.sync()) for the whole batch — as
 * `larder serve` does per read from a socket. A barrier per command would hand the AOF one OPFS
 * write per command (33–54 µs each, measured); one per batch is one write for all of them.
 *
 * A blocking command (BLPOP...) answers later: the commands after it wait behind it, as on a Redis
 * connection, and each late reply passes its own barrier.
 */
import type { Client, Engine, Reply } from '@larder/core';

export interface BatchConnection {
  /** Runs `batch` in order; resolves with each reply, or rejects when the batch's writes could not be made durable. */
  run(batch: string[][]): Promise<Reply[]>;
  close(): void;
}

export function batchConnection(engine: Engine, client: Client): BatchConnection {
  /** The last pending reply of this connection: later commands run after it. */
  let tail: Promise<unknown> | null = null;

  const durable = async (r: Promise<Reply>): Promise<Reply> => {
    const reply = await r;
    await engine.sync();
    return reply;
  };

  return {
    async run(batch) {
      const replies: Array<Reply | Promise<Reply>> = [];
      for (const argv of batch) {
        if (tail === null) {
          const r = client.exec(argv);
          if (!(r instanceof Promise)) {
            replies.push(r);
            continue;
          }
          const late = durable(r);
          replies.push(late);
          tail = late;
        } else {
          const late = durable(tail.then(() => client.exec(argv)));
          replies.push(late);
          tail = late;
        }
        const mine = tail;
        mine.then(
          () => void (tail === mine && (tail = null)),
          () => void (tail === mine && (tail = null)),
        );
      }
      // Everything this batch ran synchronously reaches the file (and, under `always`, the disk) first.
      await engine.sync();
      return Promise.all(replies);
    },
    close: () => client.close(),
  };
}
