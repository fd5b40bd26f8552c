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
    { find: /^@larder\/cli$/, replacement: src('cli/src/index.ts') },
  ],
};

export default defineConfig({
  resolve,
  test: {
    projects: [
      { resolve, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
      {
        resolve,
        test: {
          name: 'redis',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
