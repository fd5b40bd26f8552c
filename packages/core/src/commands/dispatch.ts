/**
 * The only place that validates a command before it runs (Redis's processCommand + call): lookup,
 * subcommand, arity, persistence errors (MISCONF), pub/sub context, loading, MULTI queueing; then
 * the handler, propagation of its effect, stats, and serving clients that its writes unblocked.
 * Handlers never re-check any of this.
 */
import {
  ReplyError, unknownCommand, unknownSubcommand, wrongArity, execAbortBecause, LOADING, NOT_IN_MULTI, notInPubSubContext, DEBUG_NOT_ALLOWED,
} from '../reply/errors.ts';
import { QUEUED, type Reply } from '../reply/reply.ts';
import type { Client } from '../engine/client.ts';
import type { Engine } from '../engine/engine.ts';
import type { CommandSpec } from './spec.ts';
import { discardTransaction } from './multi.ts';

/** Commands a RESP2 client may send while subscribed. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'quit', 'reset']);
/** Commands that run at once inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

const perf = (globalThis as unknown as { performance?: { now(): number } }).performance;
const hrnow: () => number = perf ? () => perf.now() : Date.now;

export function dispatch(engine: Engine, c: Client, argv: string[]): Reply | Promise<Reply> {
  const found = resolve(engine, argv);
  if (found instanceof ReplyError) return reject(engine, c, found, arityFailure(found), argv[0]);
  const [spec, fullName] = found;
  // A protected command (Redis 7.0's CMD_PROTECTED), refused before anything else is checked.
  if (spec.name === 'debug' && !engine.config.allows('enable-debug-command', c.isLocal)) {
    return reject(engine, c, DEBUG_NOT_ALLOWED, fullName, fullName);
  }
  const diskError = engine.writeGuard?.();
  if (diskError !== undefined && deniedOnDiskError(c, spec, fullName)) {
    return reject(engine, c, diskError, fullName, fullName);
  }
  if (
    c.resp === 2 &&
    (c.channels.size > 0 || c.patterns.size > 0 || c.shardChannels.size > 0) &&
    !PUBSUB_ALLOWED.has(fullName)
  ) {
    return reject(engine, c, notInPubSubContext(fullName), fullName, fullName);
  }
  if (engine.loading && c !== engine.loadingClient && !spec.flags.includes('loading')) {
    return reject(engine, c, LOADING, fullName, fullName);
  }
  // Set before running, as Redis's processCommand does: CLIENT LIST shows the running command.
  c.lastCommand = fullName;
  if (c.multi !== null && !MULTI_IMMEDIATE.has(fullName)) {
    if (spec.flags.includes('no_multi')) {
      return reject(engine, c, NOT_IN_MULTI, fullName, fullName);
    }
    c.multi.push([spec, argv]);
    return QUEUED;
  }
  const reply = call(engine, c, spec, fullName, argv);
  engine.afterCommand();
  return reply;
}

/**
 * What Redis refuses while persistence fails (MISCONF): write commands, an EXEC whose queue holds
 * one, and PING (so a monitoring client notices).
 */
function deniedOnDiskError(c: Client, spec: CommandSpec, fullName: string): boolean {
  if (spec.flags.includes('write') || fullName === 'ping') return true;
  return fullName === 'exec' && c.multi !== null && c.multi.some(([s]) => s.flags.includes('write'));
}

/** Finds the table entry for argv and checks arity; returns [spec, full name] or the error. */
export function resolve(engine: Engine, argv: readonly string[]): [CommandSpec, string] | ReplyError {
  const name = argv[0] ?? '';
  let spec = engine.table.get(name);
  if (spec === undefined) return unknownCommand(argv);
  let fullName = spec.name;
  if (spec.subcommands !== undefined && argv.length >= 2) {
    const subName = argv[1]!.toLowerCase();
    const sub = spec.subcommands.find((s) => s.name === subName);
    if (sub === undefined) return unknownSubcommand(name, argv[1]!);
    spec = sub;
    fullName = `${fullName}|${sub.name}`;
  }
  const n = argv.length;
  if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) return wrongArity(fullName);
  return [spec, fullName];
}

const ARITY_TEXT = "ERR wrong number of arguments for '";

/** The command an arity error names: Redis counts it as a rejected call of that command. */
function arityFailure(err: ReplyError): string | undefined {
  const m = err.message;
  return m.startsWith(ARITY_TEXT) ? m.slice(ARITY_TEXT.length, m.indexOf("'", ARITY_TEXT.length)) : undefined;
}

/**
 * Refuses a command before it runs. Inside MULTI this flags the transaction, except when the
 * refused command is EXEC itself: then the transaction is discarded with that reason
 * (Redis's execCommandAbort).
 */
function reject(engine: Engine, c: Client, err: ReplyError, fullName: string | undefined, name = ''): ReplyError {
  if (c.multi !== null && name.length === 4 && name.toLowerCase() === 'exec') {
    discardTransaction(engine, c);
    err = execAbortBecause(err);
  }
  if (c.multi !== null) c.multiFailed = true;
  if (fullName !== undefined) engine.stats.command(fullName).rejectedCalls++;
  engine.stats.error(err.prefix);
  return err;
}

/**
 * Runs a validated command as one execution unit and propagates its effect: the command as
 * received (or as the handler rewrote it) if it is a write command and changed the dataset,
 * nothing otherwise.
 * EXEC calls it for each queued command; only dispatch serves unblocked clients afterwards.
 */
export function call(engine: Engine, c: Client, spec: CommandSpec, fullName: string, argv: string[]): Reply | Promise<Reply> {
  const handler = spec.handler;
  if (handler === undefined) return unknownSubcommand(spec.name, argv[1] ?? '');
  c.propagateArgv = null;
  c.noPropagate = false;
  const changesBefore = engine.dirtyEvents;
  const units = engine.aofUnits;
  const t0 = hrnow();
  engine.propagation.begin(spec);
  let reply: Reply | Promise<Reply>;
  try {
    reply = handler(c, argv);
  } catch (e) {
    // Anything but a ReplyError is a bug: the host turns it into an error reply. The unit still
    // ends, so what was already propagated is delivered and later units are not swallowed.
    if (!(e instanceof ReplyError)) {
      engine.endUnit(c, units);
      throw e;
    }
    reply = e;
  }
  // Only write commands propagate themselves; EXEC's queued commands propagate through their own call().
  if (engine.dirtyEvents !== changesBefore && !c.noPropagate && spec.flags.includes('write')) {
    engine.propagate(c.dbIndex, c.propagateArgv ?? argv);
  }
  engine.endUnit(c, units);
  // Looked up after the handler: CONFIG RESETSTAT clears the table and then counts itself.
  const stats = engine.stats.command(fullName);
  stats.calls++;
  stats.usec += (hrnow() - t0) * 1000;
  engine.stats.commandsProcessed++;
  if (reply instanceof ReplyError) {
    stats.failedCalls++;
    engine.stats.error(reply.prefix);
  }
  c.lastCommand = fullName;
  return reply;
}
