/**
 * Transactions (Redis 7.0's multi.c). Dispatch queues commands while `c.multi` is set and flags
 * the transaction (`c.multiFailed`) when one is refused; WATCHed keys are tracked by the engine
 * (Engine.watch / touchWatched), which sets `c.dirtyCas` when one changes. EXEC then either
 * aborts (EXECABORT after a refused command, a nil array after a watched change) or runs the
 * queue through `call()`, as one execution unit: what the queued writes propagate is wrapped in
 * MULTI/EXEC by the propagation layer when there is more than one.
 */
import type { Client } from '../engine/client.ts';
import type { Engine } from '../engine/engine.ts';
import {
  DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED, WATCH_IN_MULTI, internalError,
} from '../reply/errors.ts';
import { NIL_ARRAY, OK, Replies, type Reply } from '../reply/reply.ts';
import { call } from './dispatch.ts';
import { command, type CommandSpec } from './spec.ts';

/** Leaves MULTI, dropping the queue and every WATCH (Redis's discardTransaction). */
export function discardTransaction(engine: Engine, c: Client): void {
  c.multi = null;
  c.multiFailed = false;
  engine.unwatchAll(c);
}

/**
 * Redis 7.0 also aborts EXEC when a watched key expired after WATCH, even if nothing deleted it
 * yet (isWatchedKeyExpired); keys already expired when watched do not count.
 */
function watchedKeyExpired(c: Client): boolean {
  const now = c.engine.now();
  for (const [dbIndex, keys] of c.watched) {
    const db = c.engine.ks.dbs[dbIndex]!;
    for (const [key, expiredWhenWatched] of keys) {
      if (expiredWhenWatched) continue;
      const e = db.keys.get(key);
      if (e !== undefined && e.expireAt !== -1 && now > e.expireAt) return true;
    }
  }
  return false;
}

/** `config|get` for a subcommand entry, `get` for a top-level one: what call() counts stats under. */
function fullNameOf(engine: Engine, spec: CommandSpec, argv: readonly string[]): string {
  const top = engine.table.get(argv[0]!)!;
  return top === spec ? spec.name : `${top.name}|${spec.name}`;
}

function exec(c: Client): Reply {
  const engine = c.engine;
  const queue = c.multi;
  if (queue === null) throw EXEC_WITHOUT_MULTI;
  if (!c.multiFailed && !c.dirtyCas && c.watched.size > 0 && watchedKeyExpired(c)) c.dirtyCas = true;
  if (c.multiFailed || c.dirtyCas) {
    const failed = c.multiFailed;
    discardTransaction(engine, c);
    if (failed) throw EXECABORT;
    return NIL_ARRAY;
  }
  discardTransaction(engine, c);
  const replies: Reply[] = [];
  c.inExec = true;
  try {
    for (const [spec, argv] of queue) {
      const r = call(engine, c, spec, fullNameOf(engine, spec, argv), argv);
      // Blocking commands answer at once while inExec; a Promise here is a handler bug.
      if (r instanceof Promise) replies.push(internalError(`'${argv[0]}' blocked inside EXEC`));
      // A command answering several replies (SUBSCRIBE a b) writes them all into EXEC's array.
      else if (r instanceof Replies) replies.push(...r.items);
      else replies.push(r);
    }
  } finally {
    c.inExec = false;
  }
  return replies;
}

export const transactionCommands: CommandSpec[] = [
  // MULTI
  command({
    name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    group: 'transactions', since: '1.2.0', summary: 'Mark the start of a transaction block', syntax: '',
    complexity: 'O(1)',
    handler: (c) => {
      if (c.multi !== null) throw MULTI_NESTED;
      c.multi = [];
      return OK;
    },
  }),
  // EXEC
  command({
    name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    group: 'transactions', since: '1.2.0', summary: 'Execute all commands issued after MULTI', syntax: '',
    complexity: 'Depends on commands in the transaction',
    handler: (c) => exec(c),
  }),
  // DISCARD
  command({
    name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    group: 'transactions', since: '2.0.0', summary: 'Discard all commands issued after MULTI', syntax: '',
    complexity: 'O(N), when N is the number of queued commands',
    handler: (c) => {
      if (c.multi === null) throw DISCARD_WITHOUT_MULTI;
      discardTransaction(c.engine, c);
      return OK;
    },
  }),
  // WATCH key [key ...]
  command({
    name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: [1, -1, 1],
    group: 'transactions', since: '2.2.0',
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', syntax: 'key [key ...]',
    complexity: 'O(1) for every key.',
    handler: (c, argv) => {
      if (c.multi !== null) throw WATCH_IN_MULTI;
      for (let i = 1; i < argv.length; i++) c.engine.watch(c, argv[i]!);
      return OK;
    },
  }),
  // UNWATCH
  command({
    name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    group: 'transactions', since: '2.2.0', summary: 'Forget about all watched keys', syntax: '',
    complexity: 'O(1)',
    handler: (c) => {
      c.engine.unwatchAll(c);
      return OK;
    },
  }),
];
