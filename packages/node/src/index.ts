/**
 * @larder/node: Larder on Node.js. `createNodeStorage(dir)` persists an engine's RDB snapshots and
 * AOF in a directory laid out exactly as redis-server lays out its `dir`; `openLarder({ dir })`
 * is the one call that gives a persistent typed client over it.
 */
export { createNodeStorage, type NodeStorageOptions } from './storage.ts';
export { openLarder, type OpenLarderOptions, type OpenedLarder } from './open.ts';
