/**
 * What `larder` does for each invocation (args.ts decides which): the shell, `serve`, help and
 * version. Returns the exit code, or undefined while a server keeps the process alive.
 */
import { readFileSync } from 'node:fs';
import { createEngine, ReplyError, type Engine } from '@larder/core';
import { parseArgs, USAGE, type Invocation } from './args.ts';
import { startServer } from './server.ts';
import { runShell } from './shell.ts';

/** The package version; package.json sits one level above both src/ and dist/. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function main(argv: readonly string[]): Promise<number | undefined> {
  const inv = parseArgs(argv);
  switch (inv.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`larder ${VERSION}\n`);
      return 0;
    case 'error':
      process.stderr.write(`larder: ${inv.message}\n\n${USAGE}`);
      return 1;
    case 'serve':
      return serve(inv);
    case 'shell':
      return shell(inv);
  }
}

/** redis-server's log line shape: `pid:M date * message`. */
function log(message: string): void {
  const d = new Date();
  const month = d.toLocaleString('en-US', { month: 'short' });
  const time = `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  process.stdout.write(`${process.pid}:M ${String(d.getDate()).padStart(2, '0')} ${month} ${d.getFullYear()} ${time} * ${message}\n`);
}

async function serve(inv: Extract<Invocation, { kind: 'serve' }>): Promise<number | undefined> {
  let engine: Engine;
  try {
    engine = createEngine({ config: inv.config });
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    process.stderr.write(`\n*** FATAL CONFIG ERROR (larder ${VERSION}) ***\n>>> '${inv.options.join(' ')}'\n${e.message.replace(/^ERR /, '')}\n`);
    return 1;
  }
  // Like redis-server, `bind` may list several addresses; Larder listens on the first.
  const host = String(engine.config.value('bind')).split(' ')[0]!.replace(/^-/, '');
  const port = engine.config.num('port');
  let server;
  try {
    server = await startServer({ engine, port, host });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Could not create server TCP listening socket ${host}:${port}: ${why}\n`);
    engine.close();
    return 1;
  }
  log(`Ready to accept connections on ${host}:${server.port} (Larder ${VERSION})`);
  const shutdown = (signal: string) => {
    log(`Received ${signal} scheduling shutdown...`);
    void server.close().then(() => {
      engine.close();
      log('Larder is now ready to exit, bye bye...');
      process.exit(0);
    });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return undefined;
}

async function shell(inv: Extract<Invocation, { kind: 'shell' }>): Promise<number> {
  const engine = createEngine();
  // As redis-cli: formatted output on a terminal (or with FAKETTY set), raw when piped.
  const mode = inv.output ?? (process.stdout.isTTY || process.env.FAKETTY !== undefined ? 'tty' : 'raw');
  try {
    await runShell({
      engine,
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      mode,
      resp: inv.resp,
      db: inv.db,
    });
  } finally {
    engine.close();
  }
  return 0;
}
