/**
 * The persistence commands of Redis 7.0 (rdb.c, server.c): SAVE, BGSAVE, LASTSAVE, SHUTDOWN.
 * They act through `engine.persistence` (persistence/types.ts); an engine without one gets an
 * in-memory RDB persistence on first use (persistence/rdb-file.ts).
 *
 * SAVE and SHUTDOWN answer once the file is durable, so they return a Promise (both are no_multi,
 * as in Redis). SHUTDOWN ends with the host's `engine.onShutdown`: a TCP host exits, so the client
 * sees the connection close without a reply, as from Redis; without a host hook every client is
 * disconnected and the caller gets OK.
 */
import type { Client } from '../engine/client.ts';
import {
  NO_SHUTDOWN_IN_PROGRESS, ReplyError, SHUTDOWN_FAILED, SYNTAX,
} from '../reply/errors.ts';
import { OK, type Reply } from '../reply/reply.ts';
import { persistenceOf } from '../persistence/rdb-file.ts';
import { aofOf } from '../persistence/aof.ts';
import { isOpt } from './args.ts';
import { command, type CommandSpec } from './spec.ts';

const ADMIN = ['admin', 'noscript', 'no_async_loading'] as const;

function save(c: Client): Promise<Reply> {
  return persistenceOf(c.engine).rdb.save().then(
    () => OK,
    (e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)),
  );
}

function bgsave(c: Client, argv: string[]): Reply {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length !== 2 || !isOpt(argv[1]!, 'schedule')) throw SYNTAX;
    schedule = true;
  }
  return persistenceOf(c.engine).rdb.bgsave(schedule, c.inExec);
}

interface ShutdownFlags {
  nosave: boolean;
  save: boolean;
  now: boolean;
  force: boolean;
  abort: boolean;
}

function parseShutdown(argv: string[]): ShutdownFlags {
  const f: ShutdownFlags = { nosave: false, save: false, now: false, force: false, abort: false };
  for (let i = 1; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (opt === 'nosave') f.nosave = true;
    else if (opt === 'save') f.save = true;
    else if (opt === 'now') f.now = true;
    else if (opt === 'force') f.force = true;
    else if (opt === 'abort') f.abort = true;
    else throw SYNTAX;
  }
  if ((f.abort && (f.nosave || f.save || f.now || f.force)) || (f.nosave && f.save)) throw SYNTAX;
  return f;
}

/**
 * prepareForShutdown + finishShutdown, with no replicas to wait for (NOW changes nothing): stop
 * a BGSAVE, flush the AOF, save when asked or when save rules exist (never while loading), then
 * let the host exit. A failed save or a refusing AOF aborts the shutdown unless FORCE.
 */
async function shutdown(c: Client, flags: ShutdownFlags): Promise<Reply> {
  const engine = c.engine;
  const p = engine.persistence;
  const log = p?.log ?? (() => {});
  log({ level: 'warning', message: 'User requested shutdown...' });
  let mustSave = flags.save || (!flags.nosave && p !== undefined && p.rdb.hasSaveRules);
  if (engine.loading) mustSave = false;
  if (p !== undefined) {
    if (p.rdb.bgsaveInProgress) log({ level: 'warning', message: 'There is a child saving an .rdb. Killing it!' });
    p.rdb.killBgsave();
    if (p.aof !== undefined && !(await p.aof.prepareShutdown(flags.force))) throw SHUTDOWN_FAILED;
  }
  if (mustSave) {
    log({ level: 'notice', message: 'Saving the final RDB snapshot before exiting.' });
    try {
      await persistenceOf(engine).rdb.saveNow();
    } catch {
      log({ level: 'warning', message: flags.force ? 'Error trying to save the DB. Exit anyway.' : "Error trying to save the DB, can't exit." });
      if (!flags.force) throw SHUTDOWN_FAILED;
    }
  }
  if (p !== undefined) await p.close();
  if (engine.onShutdown !== undefined) engine.onShutdown();
  else engine.close();
  return OK;
}

export const persistenceCommands: CommandSpec[] = [
  // SAVE
  command({
    name: 'save', arity: 1, flags: [...ADMIN, 'no_multi'], group: 'server', since: '1.0.0',
    summary: 'Synchronously save the dataset to disk', syntax: '',
    complexity: 'O(N) where N is the total number of keys in all databases', handler: save,
  }),
  // BGSAVE [SCHEDULE]
  command({
    name: 'bgsave', arity: -1, flags: ADMIN, group: 'server', since: '1.0.0',
    summary: 'Asynchronously save the dataset to disk', syntax: '[SCHEDULE]', complexity: 'O(1)',
    handler: bgsave,
  }),
  // LASTSAVE
  command({
    name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', since: '1.0.0',
    summary: 'Get the UNIX time stamp of the last successful save to disk', syntax: '', complexity: 'O(1)',
    handler: (c) => c.engine.persistence?.rdb.lastSave ?? Math.floor(c.engine.stats.startedAt / 1000),
  }),
  // SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
  command({
    name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk and then shut down the server',
    syntax: '[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]', complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    handler: (c, argv) => {
      const flags = parseShutdown(argv);
      // No shutdown ever waits for replicas here, so there is none in progress to abort.
      if (flags.abort) throw NO_SHUTDOWN_IN_PROGRESS;
      return shutdown(c, flags).catch((e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)));
    },
  }),
  // BGREWRITEAOF
  command({
    name: 'bgrewriteaof', arity: 1, flags: ADMIN, group: 'server', since: '1.0.0',
    summary: 'Asynchronously rewrite the append-only file', syntax: '', complexity: 'O(1)',
    handler: (c) => aofOf(c.engine).bgrewriteaof(c.inExec),
  }),
];
