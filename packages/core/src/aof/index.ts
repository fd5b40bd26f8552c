/**
 * The append-only file, as Redis 7.0 writes, reads and checks it: the manifest of a multi-part AOF
 * and its transitions, the writer of propagated commands, the streaming loader, the multi-file load
 * plan, and redis-check-aof. Pure: bytes and names in, bytes, commands and verdicts out; a storage
 * layer does the I/O.
 */
export * from './errors.ts';
export {
  decodeManifest,
  encodeManifest,
  formatManifest,
  formatManifestLine,
  EMPTY_MANIFEST,
  type AofFileType,
  type AofInfo,
  type AofManifest,
} from './manifest.ts';
export * from './manifest-state.ts';
export { createAofWriter, timestampAnnotation, type AofWriter, type AofWriterOptions } from './writer.ts';
export {
  createAofReader,
  type AofLoadError,
  type AofLoadResult,
  type AofLoadStatus,
  type AofLogLine,
  type AofReader,
  type AofReaderOptions,
  type RdbSink,
} from './loader.ts';
export { planAofLoad, judgeStep, dbLoadedFrom, type LoadPlan, type LoadStep, type StepVerdict } from './load-plan.ts';
export { runCheckAof, type CheckAofIo, type CheckAofRun } from './check.ts';
