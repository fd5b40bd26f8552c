/**
 * The in-process transport: a typed client talking straight to an engine in the same thread.
 * Like a connection, it keeps command order: while a blocking command waits, later commands of the
 * same client queue behind it.
 */
import type { ClientOptions as ConnectionOptions } from '../engine/client.ts';
import type { Engine } from '../engine/engine.ts';
import { createEngine, type EngineOptions } from '../engine/engine.ts';
import type { Reply } from '../reply/reply.ts';
import { createClient, type ClientOptions, type Larder, type StringsOf, type Transport } from './larder.ts';

/** The connection's options: pushes (pub/sub, notifications), CLIENT LIST's addresses, close. */
export type InProcessTransportOptions = ConnectionOptions;

export function inProcessTransport(engine: Engine, opts: InProcessTransportOptions = {}): Transport {
  const conn = engine.connect(opts);
  let tail: Promise<Reply> | null = null;
  /** A reply is released only after the durability barrier (appendfsync always), if any. */
  const durable = (r: Reply): Reply | Promise<Reply> => {
    const barrier = engine.sync(false, conn);
    return barrier === undefined ? r : barrier.then(() => r);
  };
  return {
    send(argv) {
      if (tail === null) {
        const r = conn.exec(argv);
        if (!(r instanceof Promise)) return durable(r);
        const p: Promise<Reply> = r.then(durable).finally(() => {
          if (tail === p) tail = null;
        });
        return (tail = p);
      }
      const p: Promise<Reply> = tail.then(() => conn.exec(argv)).then(durable).finally(() => {
        if (tail === p) tail = null;
      });
      return (tail = p);
    },
    close: () => conn.close(),
  };
}

export interface OpenOptions extends ClientOptions, EngineOptions {
  /** An engine to share; a new one is created otherwise. */
  engine?: Engine;
}

/**
 * An in-memory Larder in this thread. Bulk strings come back as text, or as `Uint8Array`s with
 * `{ bytes: true }`, and the methods are typed accordingly.
 * @example
 * const larder = createLarder();
 * await larder.set('greeting', 'hello', { ex: 60 });
 * await larder.get('greeting'); // 'hello'
 */
export function createLarder<const O extends OpenOptions = {}>(opts: O = {} as O): Larder<StringsOf<O>> & { engine: Engine } {
  const engine = opts.engine ?? createEngine(opts);
  const client = createClient<StringsOf<O>>(inProcessTransport(engine), opts);
  return Object.assign(client, { engine });
}
