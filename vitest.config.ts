import { defineConfig } from 'vitest/config';

// Tests import packages from source through the `@larder/source` export condition,
// so `vitest` never tests a stale build.
export default defineConfig({
  resolve: { conditions: ['@larder/source'] },
  test: {
    projects: [
      {
        resolve: { conditions: ['@larder/source'] },
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] },
      },
      {
        resolve: { conditions: ['@larder/source'] },
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
