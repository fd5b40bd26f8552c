import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run against the packages' source, never a stale build: `@larder/*` imports from test/
// (which Node would resolve to dist/) are aliased to each package's src/index.ts.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const resolve = {
  conditions: ['@larder/source'],
  alias: [
    { find: /^@larder\/core$/, replacement: src('core') },
    { find: /^@larder\/cli$/, replacement: src('cli') },
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
