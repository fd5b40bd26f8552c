import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run against the packages' source, never a stale build: `@larder/*` imports from test/
// (which Node would resolve to dist/) are aliased to each package's src/index.ts.
const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const resolve = {
  conditions: ['@larder/source'],
  alias: [
    { find: /^@larder\/core$/, replacement: src('core/src/index.ts') },
    { find: /^@larder\/core\/resp$/, replacement: src('core/src/resp/index.ts') },
    { find: /^@larder\/core\/storage$/, replacement: src('core/src/storage/storage.ts') },
    { find: /^@larder\/core\/rdb$/, replacement: src('core/src/rdb/index.ts') },
    { find: /^@larder\/core\/aof$/, replacement: src('core/src/aof/index.ts') },
    { find: /^@larder\/core\/persistence$/, replacement: src('core/src/persistence/index.ts') },
    { find: /^@larder\/core\/transfer$/, replacement: src('core/src/transfer/index.ts') },
    { find: /^@larder\/cli$/, replacement: src('cli/src/index.ts') },
    { find: /^@larder\/node$/, replacement: src('node/src/index.ts') },
  ],
};

export default defineConfig({
  resolve,
  test: {
    projects: [
      // Generous timeouts: property tests share 2 cores with everything else; CI must not fail because
      // the machine was busy.
      { resolve, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'], testTimeout: 60_000 } },
      {
        resolve,
        test: {
          name: 'redis',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', '**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          // Real Chromium, one file at a time: browsers are heavy and benchmarks share the machine.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
