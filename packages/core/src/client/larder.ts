/**
 * The typed client: `larder.set('k', 'v', { ex: 10 })`, `larder.call('SET', 'k', 'v')`,
 * `larder.pipeline().incr('a').get('a').exec()`, `larder.multi()...exec()`. It runs over any
 * `Transport` — the engine in-process here, a worker or a socket elsewhere — so one API serves every
 * platform.
 */
import type { Input } from '../bytes.ts';
import { ReplyError } from '../reply/reply-error.ts';
import type { Reply } from '../reply/reply.ts';
import { METHOD_NAMES, methodOf, toArgv } from './build.ts';
import type { Commands } from './commands.ts';
import { decodeReply, type Decoded, type DecodeOptions } from './decode.ts';

/** Carries commands to an engine. Replies come back in the order commands were sent. */
export interface Transport {
  send(argv: string[]): Reply | Promise<Reply>;
  close?(): void;
}

type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...args: A) => Promise<R> : never;
};
/** Each command of a batch adds its result type to the batch's: `.incr('a').get('a')` is `[number, string | null]`. */
type Chain<T, S, R extends unknown[], Aborted> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer X ? (...args: A) => Batch<S, [...R, X], Aborted> : never;
};

/**
 * Commands sent together; `exec()` resolves with their results in order, typed one by one.
 * `Aborted` is what `exec()` gives instead when the batch did not run (a transaction's WATCH).
 */
export interface Batch<S, R extends unknown[], Aborted> extends Chain<Commands<S>, S, R, Aborted> {
  call(...args: Input[]): Batch<S, [...R, Decoded], Aborted>;
  readonly length: number;
  /** Resolves with each command's result; rejects with the first error (a `ReplyError`). */
  exec(): Promise<R | Aborted>;
}

/** A pipeline: commands sent together, not atomically. */
export type Pipeline<S = string, R extends unknown[] = []> = Batch<S, R, never>;
/** A MULTI/EXEC transaction; `exec()` resolves with null when a WATCHed key changed. */
export type Transaction<S = string, R extends unknown[] = []> = Batch<S, R, null>;

export type Larder<S = string> = Async<Commands<S>> & {
  /** Any command, raw: `call('OBJECT', 'ENCODING', 'k')`. */
  call(...args: Input[]): Promise<Decoded>;
  pipeline(): Pipeline<S>;
  multi(): Transaction<S>;
  close(): void;
};

export interface ClientOptions {
  /** Return bulk strings as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
}

/**
 * What bulk strings come back as for a client opened with options `O`: text, bytes for
 * `{ bytes: true }`, either when `bytes` is a boolean only known at run time.
 */
export type StringsOf<O> = O extends { bytes: true } ? Uint8Array : O extends { bytes: false } ? string : 'bytes' extends keyof O ? string | Uint8Array : string;

/** A call as a pipeline holds it: its argv, and what turns its reply into the typed result. */
type Call = { argv: string[]; then: (r: Reply) => Decoded };

export function createClient<S = string>(transport: Transport, opts: ClientOptions = {}): Larder<S> {
  const dopts: DecodeOptions = { bytes: opts.bytes === true };
  const decode = (r: Reply): Decoded => decodeReply(r, dopts);
  // Per method, made once: its argv builder and its reply's decoding.
  const methods = METHOD_NAMES.map((name) => {
    const { argv, post } = methodOf(name);
    return [name, argv, post ? (r: Reply) => post(decode(r)) : decode] as const;
  });

  // Not an async function: a reply the transport has at once is decoded without extra ticks.
  const run = (argv: string[], then: Call['then']): Promise<Decoded> => {
    try {
      const r = transport.send(argv);
      if (r instanceof Promise) return r.then(then);
      return Promise.resolve(then(r));
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
        return replies.map((r, i) => calls[i]!.then(r));
      }
      await begin;
      const execReply = await end!;
      if (execReply instanceof ReplyError) {
        throw replies.find((r) => r instanceof ReplyError) ?? execReply;
      }
      if (!Array.isArray(execReply)) return null;
      const err = execReply.find((r) => r instanceof ReplyError);
      if (err) throw err;
      return execReply.map((r, i) => calls[i]!.then(r));
    };
    const p: Record<string, unknown> = {
      call: (...args: Input[]) => (calls.push({ argv: toArgv(args), then: decode }), p),
      exec,
      get length() {
        return calls.length;
      },
    };
    for (const [name, argv, then] of methods) p[name] = (...args: unknown[]) => (calls.push({ argv: argv(args), then }), p);
    return p as unknown as Batch<S, [], null>;
  };

  const client: Record<string, unknown> = {
    call: (...args: Input[]) => run(toArgv(args), decode),
    pipeline: () => batch(false),
    multi: () => batch(true),
    close: () => transport.close?.(),
  };
  for (const [name, argv, then] of methods) client[name] = (...args: unknown[]) => run(argv(args), then);
  return client as unknown as Larder<S>;
}
