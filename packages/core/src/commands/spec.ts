/**
 * The shape of one entry in the command table (Redis's `struct redisCommand` and
 * `src/commands/*.json`). An entry is plain data plus a handler; dispatch reads the data to check
 * arity and flags, COMMAND / COMMAND INFO / COMMAND DOCS print it, and the AOF uses the flags.
 */
import type { Reply } from '../reply/reply.ts';
import type { Client } from '../engine/client.ts';

/**
 * Redis's command flags (server.h CMD_*), by their COMMAND INFO names.
 * - `write`: may modify the keyspace; propagated when it does.
 * - `readonly`: only reads keys.
 * - `denyoom`: may grow memory (refused under maxmemory).
 * - `fast`: O(1) or O(log n).
 * - `noscript`, `loading`, `stale`, `skip_monitor`, `skip_slowlog`, `no_auth`, `may_replicate`,
 *   `allow_busy`, `no_multi`, `no_mandatory_keys`, `no_async_loading`, `pubsub`: as Redis.
 * - `blocking`: may block the client (BLPOP ...).
 * - `touches_arbitrary_keys`: may touch keys its arguments do not name (SCAN, RANDOMKEY, which
 *   delete the expired keys they meet). Run directly, what it propagates is not wrapped in
 *   MULTI/EXEC (propagatePendingCommands). COMMAND INFO does not print it, as in Redis 7.0.
 */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy'
  | 'touches_arbitrary_keys';

/** The ACL category a command belongs to besides those implied by its flags (Redis's `group`). */
export type CommandGroup =
  | 'generic'
  | 'string'
  | 'bitmap'
  | 'list'
  | 'hash'
  | 'set'
  | 'sorted-set'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server';

/**
 * A command handler. `argv[0]` is the command name as the client sent it; every element is a byte
 * string (see bytes.ts). It returns the reply, or throws a `ReplyError` from reply/errors.ts before
 * changing anything. A blocking command may return a Promise (see engine/blocking.ts).
 */
export type Handler = (c: Client, argv: string[]) => Reply | Promise<Reply>;

export interface CommandSpec {
  /** Lowercase, as Redis lists it; for a subcommand, the subcommand alone (`get` of `config`). */
  readonly name: string;
  /** N: exactly N arguments (name included); -N: at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Key positions as in COMMAND INFO: first key, last key (-1 = last argument), step. 0 = none. */
  readonly keys: readonly [first: number, last: number, step: number];
  /** For commands whose keys move (numkeys, STORE...): the key indices of one call. */
  readonly getKeys?: (argv: readonly string[]) => number[];
  readonly group: CommandGroup;
  /** The Redis version that introduced the command. */
  readonly since: string;
  /** One-line summary, as COMMAND DOCS prints it. */
  readonly summary: string;
  /** Redis's syntax line without the command name, e.g. `key value [NX | XX]`. */
  readonly syntax: string;
  readonly complexity?: string;
  readonly handler?: Handler;
  readonly subcommands?: readonly CommandSpec[];
}

/** Builds a table entry; `flags` and `keys` default to none. Keeps entries one-liners. */
export function command(
  spec: Omit<CommandSpec, 'flags' | 'keys'> & {
    flags?: readonly CommandFlag[];
    keys?: readonly [number, number, number];
  },
): CommandSpec {
  return { flags: [], keys: [0, 0, 0], ...spec };
}
