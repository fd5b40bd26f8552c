/**
 * Larder's engine, from source. Imported by path rather than as '@larder/core' because vitest's
 * SSR resolver ignores the root config's `resolve.conditions` (it needs `ssr.resolve.conditions`),
 * so the package name resolves to `dist/`, which may be stale or half-built while others work.
 */
export * from '../../packages/core/src/index.ts';
// Persistence over memory storage, for the AOF differential (differential/propagation.test.ts).
export { attachPersistence, type AttachedPersistence } from '../../packages/core/src/persistence/index.ts';
export { createMemoryStorage, type MemoryStorage } from '../../packages/core/src/storage/memory.ts';
