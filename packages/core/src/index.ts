/**
 * @larder/core: the engine. `createEngine()` gives a store with 16 databases; `engine.connect()`
 * a client that runs Redis commands as argv arrays of byte strings (see bytes.ts).
 */
export { createEngine, Engine, type EngineOptions } from './engine/engine.ts';
export { Client, type ClientOptions } from './engine/client.ts';
export type { PropagatedOp, PropagationListener } from './engine/propagate.ts';
export type { Timers } from './engine/blocking.ts';
export { setInfoFields, type InfoFields } from './engine/info.ts';
export { InstantMetric } from './engine/stats.ts';
export { Config, type ConfigParam } from './engine/config.ts';
/** Redis's value parsers, for a host's own parameters (EngineOptions.configParams). */
export { boolean, integer, memory, memtoull, oneOf, text, INT_MAX, LONG_MAX } from './engine/config-params.ts';
export { globMatch } from './keyspace/glob.ts';
export * from './reply/reply.ts';
export { ReplyError } from './reply/errors.ts';
export * from './bytes.ts';
export type { CommandSpec, CommandFlag, CommandGroup, Handler } from './commands/spec.ts';
export { commandTable } from './commands/table.ts';
export * from './client/index.ts';
export { toWire, fromWire, errorToWire, errorFromWire, LarderError, type Wire, type WireError } from './client/wire.ts';
