// Bundle sizes, minified and minified + gzipped (level 9), of what a browser downloads: the page
// client, the worker, and the part of the worker that is core's engine (measured on its own, so
// it is known even while the worker does not build). Issue 4's targets: client <= 6 KB, worker
// <= 45 KB. Builds use esbuild as an app bundler would (ESM, code splitting, target chrome120,
// `@larder/source` so workspace packages resolve to their TypeScript sources).
//
// A bundle's initial load is its entry chunk and the chunks it imports statically; chunks reached
// only through `import()` would load when first needed and are listed apart (none today). Each
// file is gzipped on its own, as each is a response of its own.
//
//   node test/bench/bundle-size.mjs                 # the three bundles below
//   node test/bench/bundle-size.mjs name=path ...   # other entries (paths from the repo root)
//   node test/bench/bundle-size.mjs --inputs        # also the 15 biggest inputs of each bundle
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { table } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const KB = 1024;

const ENGINE_ENTRY = `export { createEngine, inProcessTransport, toWire } from '@larder/core';
export { attachPersistence } from '@larder/core/persistence';`;

/** name → an entry file, or `{ contents }` for a virtual one; `target` in bytes (min + gz, initial load). */
const DEFAULT_BUNDLES = [
  { name: 'page client', entry: 'packages/browser/src/index.ts', target: 6 * KB },
  { name: 'worker', entry: 'packages/browser/src/worker/index.ts', target: 45 * KB },
  { name: 'engine (core as the worker uses it)', entry: { contents: ENGINE_ENTRY } },
];

const args = process.argv.slice(2);
const showInputs = args.includes('--inputs');
const named = args.filter((a) => a.includes('='));
const bundles = named.length === 0
  ? DEFAULT_BUNDLES
  : named.map((a) => ({ name: a.slice(0, a.indexOf('=')), entry: a.slice(a.indexOf('=') + 1) }));

async function measure({ entry }) {
  const common = {
    bundle: true, minify: true, format: 'esm', splitting: true, target: 'chrome120', platform: 'browser',
    conditions: ['@larder/source'], metafile: true, write: false, outdir: root + '.bundle-size', logLevel: 'silent',
    absWorkingDir: root,
  };
  const r = await build(typeof entry === 'string'
    ? { ...common, entryPoints: [entry] }
    : { ...common, stdin: { contents: entry.contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' } });
  const outputs = r.metafile.outputs;
  const bytes = new Map(r.outputFiles.map((f) => [f.path.slice(root.length), f.contents]));
  const size = (file) => ({ min: bytes.get(file).length, gz: gzipSync(bytes.get(file), { level: 9 }).length });
  const entryFile = Object.keys(outputs).find((f) => outputs[f].entryPoint !== undefined);
  // Closure over static imports from the entry: the initial load. Everything else is lazy.
  const initial = new Set();
  const walk = (f) => {
    if (initial.has(f)) return;
    initial.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external) walk(i.path);
  };
  walk(entryFile);
  const lazy = Object.keys(outputs).filter((f) => !initial.has(f) && f.endsWith('.js'));
  const sum = (files) => files.reduce((t, f) => { const s = size(f); return { min: t.min + s.min, gz: t.gz + s.gz }; }, { min: 0, gz: 0 });
  const inputs = (files) => files.flatMap((f) => Object.entries(outputs[f].inputs))
    .map(([path, v]) => [path, v.bytesInOutput]).sort((a, b) => b[1] - a[1]);
  return {
    initial: sum([...initial]),
    lazy: lazy.map((f) => ({ file: f, ...size(f), inputs: inputs([f]).map(([p]) => p) })),
    biggest: inputs([...initial]).slice(0, 15),
  };
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const rows = [];
const details = [];
for (const b of bundles) {
  let m;
  try {
    m = await measure(b);
  } catch (e) {
    const first = e.errors?.[0];
    const why = first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : String(e);
    rows.push([b.name, 'does not build', '', '', why]);
    continue;
  }
  const verdict = b.target === undefined ? '' : `${kb(b.target)}: ${m.initial.gz <= b.target ? 'met' : `over by ${kb(m.initial.gz - b.target)}`}`;
  rows.push([b.name, kb(m.initial.min), kb(m.initial.gz), m.lazy.map((l) => kb(l.gz)).join(' + ') || '-', verdict]);
  for (const l of m.lazy) details.push([b.name, l.file.replace(/^\.bundle-size\//, ''), kb(l.min), kb(l.gz), l.inputs.map((p) => p.replace(/^packages\/core\/src\//, '')).join(', ')]);
  if (showInputs) {
    console.log(`\n${b.name}: biggest inputs of the initial load (minified bytes)`);
    for (const [p, n] of m.biggest) console.log(`  ${String(n).padStart(7)}  ${p}`);
  }
}
console.log('### Bundle size (esbuild, minified; gzip -9 per file)\n');
console.log(table(['bundle', 'initial load, min', 'initial load, min + gz', 'lazy chunks, min + gz', 'target'], rows));
if (details.length > 0) {
  console.log('\nLazy chunks (loaded by `import()` when first needed):\n');
  console.log(table(['bundle', 'chunk', 'min', 'min + gz', 'holds'], details));
}
