// README's Quick start promises two self-sufficient command lines, and CI runs the test one:
// keep the three in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const ci = readFileSync(new URL('.ci/run', root), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };

describe('Quick start', () => {
  const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);

  it('has exactly two command lines: one runs Larder, one runs the tests', () => {
    expect(lines).toEqual(['npm install && npm start', 'npm install && npm test']);
    expect(pkg.scripts.start).toContain('packages/cli/dist/larder.mjs');
  });

  it('is what CI runs', () => {
    const ciLines = ci.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !/^(set|cd|export) /.test(l));
    expect(ciLines).toEqual([lines[1]]);
  });
});
