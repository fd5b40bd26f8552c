/**
 * One TCP connection of `larder serve` (Redis's client + readQueryFromClient + the write path):
 * bytes → commands → engine → replies, in order.
 *
 * - Pipelining: every command a chunk completes runs in order, and all their replies (and the
 *   pushes they cause) leave in one socket write.
 * - A blocking command (a Promise reply) holds back the connection's later commands, which keep
 *   accumulating in the decoder, until it is answered; pushes still go out meanwhile.
 * - QUIT answers +OK and closes, wherever it comes (Redis 7.0 handles it before lookup, so
 *   inside MULTI and with extra arguments too); so does a protocol error, after its reply.
 * - Backpressure: while the socket's unsent output is above its high-water mark, reading pauses.
 * - Durability: a batch's replies leave once the engine's durability barrier for it resolves (the
 *   AOF has the writes: in the file, and under appendfsync always on disk). When it rejects (the
 *   AOF could not write), every reply of the batch becomes the error the engine now refuses
 *   writes with (MISCONF): no write is acknowledged that did not reach the file. Pushes still go.
 */
import type { Socket } from 'node:net';
import { OK, ReplyError, type Client, type Engine, type Reply } from '@larder/core';
import { encodeReply, internalError, RequestDecoder, RespWriter } from '@larder/core/resp';

// Node's native latin1 decoder works on any Uint8Array; bytes → byte string without a JS loop.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice;
const binary = (b: Uint8Array, s: number, e: number): string => latin1Slice.call(b, s, e);

const CLOSE_GRACE_MS = 1000;

/** Socket reads and writes of every connection, for INFO stats (total_reads_processed, total_writes_processed). */
export interface IoCounts {
  reads: number;
  writes: number;
}

export function serveConnection(engine: Engine, socket: Socket, onError: (e: unknown) => void, io: IoCounts = { reads: 0, writes: 0 }): Client {
  socket.setNoDelay(true);
  const decoder = new RequestDecoder({ binary });
  const writer = new RespWriter();
  /** Inside `run`: pushes join the replies being gathered instead of being written at once. */
  let running = false;
  /** Waiting for a blocking command's reply. */
  let blocked = false;
  /** The last reply is written; then the connection ends. */
  let closing = false;
  let flushQueued = false;
  let paused = false;
  /** Replies in the writer since the last flush, and where pushes lie among them ([start, end) pairs). */
  let replies = 0;
  let pushSpans: number[] | undefined;

  const client = engine.connect({
    addr: `${socket.remoteAddress}:${socket.remotePort}`,
    laddr: `${socket.localAddress}:${socket.localPort}`,
    // CLIENT KILL from another connection (or QUIT/KILL of itself): end the socket now, after
    // whatever replies are already gathered.
    onClose: () => {
      if (closing || socket.destroyed) return;
      closing = true;
      if (!running) flush();
    },
    onPush: (message: Reply) => {
      if (closing || socket.destroyed) return;
      const start = writer.length;
      writer.writeReply(message, client.resp);
      (pushSpans ??= []).push(start, writer.length);
      if (!running && !flushQueued) {
        // Several pushes from one publisher's command leave together.
        flushQueued = true;
        queueMicrotask(flush);
      }
    },
  });

  /** Replies held behind a durability barrier, in order; null when nothing is held. */
  let held: Promise<void> | null = null;

  function flush(): void {
    flushQueued = false;
    if (socket.destroyed) return;
    // appendfsync always: replies leave only once the writes before them are durable. Each batch
    // waits for its own barrier, behind the batches held before it, so order is kept.
    // Under everysec and no, the AOF's hand-off to the file happens once at the end of this
    // event-loop turn for every connection served in it, as Redis writes aof_buf in beforeSleep
    // (measured with 50 clients: one file write per request before, one per ~45 since).
    const barrier = engine.sync(true, client);
    const count = replies;
    const spans = pushSpans;
    replies = 0;
    pushSpans = undefined;
    if (barrier !== undefined || held !== null) {
      const bytes = writer.length > 0 ? writer.take() : undefined;
      const wasClosing = closing;
      const release = (): void => {
        if (held === mine) held = null;
        if (bytes !== undefined) send(bytes);
        if (wasClosing) end();
      };
      const fail = (e: unknown): void => {
        if (held === mine) held = null;
        refuse(e, bytes, count, spans);
        if (wasClosing) end();
      };
      let mine: Promise<void>;
      if (held === null) {
        mine = barrier!.then(release, fail);
      } else {
        // Observed now: it may reject while earlier batches are still held, before the chain
        // reaches it, and an unobserved rejection would end the process.
        barrier?.catch(() => {});
        mine = held.then(() => barrier).then(release, fail);
      }
      held = mine;
      return;
    }
    if (writer.length > 0) send(writer.take());
    if (closing) end();
  }

  /** A batch whose writes did not reach the AOF: its pushes, then one error per reply. */
  function refuse(e: unknown, bytes: Uint8Array | undefined, count: number, spans: number[] | undefined): void {
    if (bytes !== undefined && spans !== undefined) {
      for (let i = 0; i < spans.length; i += 2) send(bytes.subarray(spans[i]!, spans[i + 1]!));
    }
    if (count === 0) return;
    const error = engine.writeGuard?.() ?? internalError(e instanceof Error ? e.message : String(e));
    const one = encodeReply(error, client.resp);
    const all = new Uint8Array(one.length * count);
    for (let i = 0; i < count; i++) all.set(one, i * one.length);
    send(all);
  }

  function send(bytes: Uint8Array): void {
    if (socket.destroyed) return;
    io.writes++;
    if (!socket.write(bytes) && !paused && !closing) {
      paused = true;
      socket.pause();
    }
  }

  function end(): void {
    if (closing && !socket.writableEnded && !socket.destroyed) {
      socket.end();
      // Redis closes outright; give the last reply a moment to leave, then drop the socket even if
      // the peer never closes its side.
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    }
  }

  /** Runs the commands the decoder holds until it needs more bytes, blocks, or closes. */
  function run(): void {
    running = true;
    decoder.maxBulkLen = engine.config.num('proto-max-bulk-len');
    try {
      while (!blocked && !closing) {
        let argv: string[] | undefined;
        try {
          argv = decoder.next();
        } catch (e) {
          if (!(e instanceof ReplyError)) throw e;
          writer.writeReply(e, client.resp);
          replies++;
          closing = true;
          break;
        }
        if (argv === undefined) break;
        execute(argv);
      }
    } finally {
      running = false;
    }
    flush();
  }

  function execute(argv: string[]): void {
    const name = argv[0]!;
    if (name.length === 4 && name.toLowerCase() === 'quit') {
      writer.writeReply(OK, client.resp);
      replies++;
      closing = true;
      return;
    }
    let reply: Reply | Promise<Reply>;
    try {
      reply = client.exec(argv);
    } catch (e) {
      onError(e);
      reply = internalError(e instanceof Error ? e.message : String(e));
    }
    if (reply instanceof Promise) {
      blocked = true;
      reply.then(
        (r) => resume(r),
        (e: unknown) => {
          onError(e);
          resume(internalError(e instanceof Error ? e.message : String(e)));
        },
      );
      return;
    }
    write(reply);
    // CLIENT KILL may have closed this very client.
    if (client.closed) closing = true;
  }

  function resume(reply: Reply): void {
    blocked = false;
    if (socket.destroyed || closing) return;
    write(reply);
    run();
  }

  /** Appends a reply; a value that is not a Reply (an engine bug) becomes an error reply. */
  function write(reply: Reply): void {
    replies++;
    const mark = writer.length;
    try {
      writer.writeReply(reply, client.resp);
    } catch (e) {
      onError(e);
      writer.length = mark;
      writer.writeReply(internalError(e instanceof Error ? e.message : String(e)), client.resp);
    }
  }

  socket.on('data', (chunk: Buffer) => {
    io.reads++;
    if (closing) return;
    if (client.closed) {
      // Closed by another client (CLIENT KILL) since the last command.
      closing = true;
      flush();
      return;
    }
    decoder.feed(chunk);
    if (!blocked) run();
  });
  socket.on('drain', () => {
    if (!paused) return;
    paused = false;
    socket.resume();
  });
  socket.on('error', () => {
    // ECONNRESET and friends: 'close' follows, which cleans up.
  });
  socket.on('close', () => client.close());
  return client;
}
