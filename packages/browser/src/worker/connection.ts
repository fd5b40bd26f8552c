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
import type { Batch } from '../protocol.ts';

export interface BatchConnection {
  /** Runs `batch` in order; resolves with each reply, or rejects when the batch's writes could not be made durable. */
  run(batch: Batch): Promise<Reply[]>;
  close(): void;
}

export function batchConnection(engine: Engine, client: Client): BatchConnection {
  /** The last pending reply of this connection: later commands run after it. */
  let tail: Promise<unknown> | null = null;

  const durable = async (r: Promise<Reply>): Promise<Reply> => {
    const reply = await r;
    await engine.sync(false, client);
    return reply;
  };

  return {
    async run(batch) {
      const replies: Array<Reply | Promise<Reply>> = [];
      for (let i = 0; i < batch.length; ) {
        const n = batch[i] as number;
        const argv = batch.slice(i + 1, i + 1 + n) as string[];
        i += n + 1;
        let late: Promise<Reply>;
        if (tail === null) {
          const r = client.exec(argv);
          if (!(r instanceof Promise)) {
            replies.push(r);
            continue;
          }
          late = durable(r);
        } else {
          late = durable(tail.then(() => client.exec(argv)));
        }
        replies.push(late);
        tail = late;
        const done = (): void => void (tail === late && (tail = null));
        late.then(done, done);
      }
      // A pending tail means some replies are promises (taken before the await, while none can settle).
      const waits = tail !== null;
      // Everything this batch ran synchronously reaches the file (and, under `always`, the disk) first.
      await engine.sync(false, client);
      // Promise.all over 10,000 plain replies would still make a promise and a reaction for each.
      return waits ? Promise.all(replies) : (replies as Reply[]);
    },
    close: () => client.close(),
  };
}
