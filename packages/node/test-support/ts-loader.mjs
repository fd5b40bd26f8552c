/**
 * Module hooks that let a plain `node` child process (Node 20 cannot strip types) run the
 * packages' TypeScript sources, as the crash tests need: imports resolve with the
 * '@larder/source' condition, and `.ts` files are transpiled by TypeScript. Output is cached by
 * content hash, so only the first child of a run pays the second it takes to load the compiler.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), `larder-ts-cache-${process.getuid?.() ?? 'user'}`);

export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, '@larder/source'] });
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(path).update('\0').update(source).digest('hex')}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    const ts = (await import('typescript')).default;
    code = ts.transpileModule(source, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        preserveConstEnums: true,
        sourceMap: false,
      },
    }).outputText;
    mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed: children started together never read half a file.
    const temp = `${cached}.${process.pid}`;
    writeFileSync(temp, code);
    renameSync(temp, cached);
  }
  return { format: 'module', source: code, shortCircuit: true };
}
