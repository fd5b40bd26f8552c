#!/usr/bin/env node
// Prints what a survey run found (LARDER_DIFF_SURVEY=<dir> npx vitest run --project redis test/differential):
// per family, each distinct mismatch with how often it came up and its shortest example.
// Usage: node test/differential/survey-report.mjs <dir> [--examples]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: survey-report.mjs <dir> [--examples]');
  process.exit(2);
}
const examples = process.argv.includes('--examples');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const { family, mismatches } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  console.log(`## ${family}: ${mismatches.length === 0 ? 'no mismatch' : `${mismatches.length} distinct mismatch(es)`}`);
  for (const m of mismatches) {
    console.log(`- (${m.count}x) ${m.signature}`);
    if (examples) console.log(m.examples[0].split('\n').map((l) => `      ${l}`).join('\n'));
  }
  console.log();
}
