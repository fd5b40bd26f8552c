// `npm run bench`: every benchmark, printed as the Markdown tables BENCHMARKS.md quotes.
import { execFileSync } from 'node:child_process';

const here = new URL('.', import.meta.url).pathname;
const run = (file, flags = []) => {
  const out = execFileSync(process.execPath, [...flags, '--max-old-space-size=8192', here + file], { stdio: ['ignore', 'pipe', 'inherit'] });
  console.log(out.toString());
};
const only = process.argv[2];
for (const [file, flags] of [['inprocess.mjs', []], ['zscale.mjs', []], ['memory.mjs', ['--expose-gc']], ['serve.mjs', []], ['restore.mjs', []], ['policies.mjs', []], ['bgsave.mjs', []], ['import.mjs', []], ['browser.mjs', []], ['bundle-size.mjs', []]]) {
  if (!only || file.startsWith(only)) run(file, flags);
}
