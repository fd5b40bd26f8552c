// The `larder` bin as one file: src/main.ts with @larder/core and @larder/node inlined.
// Why: loading the ~180 modules of the three packages' dist took ~80 ms of every start (Node 20
// has no compile cache); one file starts `larder --help` in ~0.12 s instead of ~0.2 s (bare node
// ~0.06 s) and `larder serve` answers its first PING ~100 ms sooner (BENCHMARKS.md).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/larder.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The packages' TypeScript sources, as the tests run them (their dist is the same code).
  conditions: ['@larder/source'],
  logLevel: 'warning',
});
