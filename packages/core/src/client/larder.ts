/**
 * The typed client: `larder.set('k', 'v', { ex: 10 })`, `larder.call('SET', 'k', 'v')`,
 * `larder.pipeline().incr('a').get('a').exec()`, `larder.multi()...exec()`. It runs over any
 * `Transport` — the engine in-process here, a worker or a socket elsewhere — so one API serves every
 * platform.
 */
import { toBinary, type Input } from '../bytes.ts';
import { ReplyError } from '../reply/reply-error.ts';
import type { Reply } from '../reply/reply.ts';
import { buildCall, METHOD_NAMES, type Args } from './build.ts';
import type { CommandName, Commands } from './commands.ts';
import { decodeReply, type Decoded, type DecodeOptions } from './decode.ts';

/** Carries commands to an engine. Replies come back in the order commands were sent. */
export interface Transport {
  send(argv: string[]): Reply | Promise<Reply>;
  close?(): void;
}

type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...args: A) => Promise<R> : never;
};
type Chain<T, Self> = {
  [K in keyof T]: T[K] extends (...a: infer A) => unknown ? (...args: A) => Self : never;
};

/** A batch of commands sent together; `exec()` resolves with their results in order. */
export interface Pipeline<S = string> extends Chain<Commands<S>, Pipeline<S>> {
  call(...args: Input[]): Pipeline<S>;
  readonly length: number;
  /** Resolves with each command's result; rejects with the first error (a `ReplyError`). */
  exec(): Promise<unknown[] | null>;
}

export type Larder<S = string> = Async<Commands<S>> & {
  /** Any command, raw: `call('OBJECT', 'ENCODING', 'k')`. */
  call(...args: Input[]): Promise<Decoded>;
  pipeline(): Pipeline<S>;
  /** A MULTI/EXEC transaction; `exec()` resolves with null when a WATCHed key changed. */
  multi(): Pipeline<S>;
  close(): void;
};

export interface ClientOptions {
  /** Return bulk strings as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
}

export function toArgv(args: Args): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === undefined) continue;
    if (Array.isArray(a)) for (const x of a) out.push(toBinary(x));
    else out.push(toBinary(a));
  }
  return out;
}

type Call = { argv: string[]; post: ((d: Decoded) => Decoded) | undefined };

function prepare(name: CommandName | null, args: unknown[]): Call {
  if (name === null) return { argv: toArgv(args as Args), post: undefined };
  const b = buildCall(name, args);
  return { argv: toArgv(b.argv), post: b.post };
}

export function createClient<S = string>(transport: Transport, opts: ClientOptions = {}): Larder<S> {
  const dopts: DecodeOptions = { bytes: opts.bytes === true };
  const finish = (r: Reply, post: Call['post']): Decoded => {
    const d = decodeReply(r, dopts);
    return post ? post(d) : d;
  };
  // Not an async function: a reply the transport has at once is decoded without extra ticks.
  const run = (call: Call): Promise<Decoded> => {
    try {
      const r = transport.send(call.argv);
      if (r instanceof Promise) return r.then((x) => finish(x, call.post));
      return Promise.resolve(finish(r, call.post));
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const batch = (transaction: boolean) => {
    const calls: Call[] = [];
    const exec = async (): Promise<unknown[] | null> => {
      // Everything is handed to the transport synchronously, in order, before the first await, so
      // the batch travels together and nothing interleaves with it.
      const begin = transaction ? transport.send(['MULTI']) : undefined;
      const sent = calls.map((c) => transport.send(c.argv));
      const end = transaction ? transport.send(['EXEC']) : undefined;
      const replies = await Promise.all(sent);
      if (!transaction) {
        const err = replies.find((r) => r instanceof ReplyError);
        if (err) throw err;
        return replies.map((r, i) => finish(r, calls[i]!.post));
      }
      await begin;
      const execReply = await end!;
      if (execReply instanceof ReplyError) {
        throw replies.find((r) => r instanceof ReplyError) ?? execReply;
      }
      if (!Array.isArray(execReply)) return null;
      const err = execReply.find((r) => r instanceof ReplyError);
      if (err) throw err;
      return execReply.map((r, i) => finish(r, calls[i]!.post));
    };
    const p: Record<string, unknown> = {
      call: (...args: Input[]) => (calls.push(prepare(null, args)), p),
      exec,
      get length() {
        return calls.length;
      },
    };
    for (const name of METHOD_NAMES) p[name] = (...args: unknown[]) => (calls.push(prepare(name, args)), p);
    return p as unknown as Pipeline<S>;
  };

  const client: Record<string, unknown> = {
    call: (...args: Input[]) => run(prepare(null, args)),
    pipeline: () => batch(false),
    multi: () => batch(true),
    close: () => transport.close?.(),
  };
  for (const name of METHOD_NAMES) client[name] = (...args: unknown[]) => run(prepare(name, args));
  return client as unknown as Larder<S>;
}
