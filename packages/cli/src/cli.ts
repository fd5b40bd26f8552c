/**
 * What `larder` does for each invocation (args.ts decides which): the shell, `serve`, help,
 * version, and the `check-aof` / `check-rdb` tools (check/). Returns the exit code, or undefined
 * while a server keeps the process alive.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEngine, ReplyError, setInfoFields, type Engine } from '@larder/core';
import { startLoading, stopLoading } from '@larder/core/persistence';
import { parseArgs, USAGE, type Invocation } from './args.ts';
import { startServer } from './server.ts';
import { runShell } from './shell.ts';
import { readRdbFile, runCheckAofCommand, processHost } from './check/check-aof.ts';
import { runCheckRdb } from './check/check-rdb.ts';
import { applyLine, ConfigFileError, readConfigFile } from './config-file.ts';
import { absoluteDir, openDir, shutdown, warningsToStderr, type OpenedDir } from './persist.ts';
import { SERVE_PARAMS } from './server-params.ts';
import { createLog, inDir, isDaemonCopy, keepProcTitle, logfileProblem, removePidfile, startDaemon, writePidfile } from './server-process.ts';
import { runExport, runImport } from './transfer.ts';

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
    case 'check-aof':
      return runCheckAofCommand(['larder check-aof', ...inv.args], processHost);
    case 'check-rdb':
      return checkRdb(inv.args);
    case 'export':
      return runExport(inv, stdoutLog);
    case 'import':
      return runImport(inv, stdoutLog);
  }
}

/** redis-server's log lines on stdout, for export and import. */
const stdoutLog = createLog();

async function serve(inv: Extract<Invocation, { kind: 'serve' }>): Promise<number | undefined> {
  let engine: Engine;
  try {
    // The command line's options after the file's, as redis-server reads them. Like redis-server,
    // dir defaults to the working directory, which CONFIG GET dir shows absolute.
    const config = inv.configFile === undefined ? {} : readConfigFile(inv.configFile, VERSION);
    for (const [name, value] of Object.entries(inv.config)) applyLine(config, name, value);
    engine = createEngine({ config: { ...config, dir: absoluteDir(config.dir) }, configParams: SERVE_PARAMS });
  } catch (e) {
    if (e instanceof ConfigFileError) {
      process.stderr.write(e.message);
      return 1;
    }
    if (!(e instanceof ReplyError)) throw e;
    process.stderr.write(`\n*** FATAL CONFIG ERROR (larder ${VERSION}) ***\n>>> '${inv.options.join(' ')}'\n${e.message.replace(/^ERR /, '')}\n`);
    return 1;
  }
  // Checked while the config is read, as redis-server does: a daemon's parent reports it.
  const logfile = inDir(engine.config.text('dir'), engine.config.text('logfile'));
  const unusable = logfile === '' ? undefined : logfileProblem(logfile);
  if (unusable !== undefined) {
    process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Larder ${VERSION}) ***\nCan't open the log file: ${unusable}\n`);
    engine.close();
    return 1;
  }
  const daemon = engine.config.value('daemonize') === 'yes';
  if (daemon && !isDaemonCopy()) {
    startDaemon();
    engine.close();
    return 0;
  }
  const log = createLog(logfile);
  describeProcess(engine, inv.configFile);
  // Like redis-server, `bind` may list several addresses; Larder listens on the first.
  const host = String(engine.config.value('bind')).split(' ')[0]!.replace(/^-/, '');
  const port = engine.config.num('port');
  // Listening before the load, as redis-server: clients connect at once and get LOADING (and
  // INFO's loading_* progress) until the dataset is in, and a taken port fails before the load.
  // Loading starts now, before the first command can arrive, and ends once the AOF is open.
  startLoading(engine, 0);
  let listening;
  try {
    listening = await startServer({ engine, port, host });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    log(`Could not create server TCP listening socket ${host}:${port}: ${why}`, '#');
    engine.close();
    return 1;
  }
  // As redis-server: the pid file once listening (a failed load exits without removing it, as
  // its exit(1) does), the title after it.
  const pidfile = writePidfile(engine, daemon);
  keepProcTitle(engine, listening.port, inv.configFile);
  const opened = await openDir(engine, log).finally(() => stopLoading(engine));
  if (opened === undefined) {
    await listening.close();
    engine.close();
    return 1;
  }
  log(`Ready to accept connections on ${host}:${listening.port} (Larder ${VERSION})`);
  // SHUTDOWN (from a client or a signal) has saved and flushed by now.
  engine.onShutdown = () => {
    void (async () => {
      if (pidfile !== undefined) removePidfile(pidfile, log);
      await listening.close();
      await opened.close();
      engine.close();
      log('Larder is now ready to exit, bye bye...', '#');
      process.exit(0);
    })();
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`Received ${signal} scheduling shutdown...`, '#');
    void shutdown(engine).then((refused) => {
      if (refused === undefined) return;
      stopping = false;
      log(`${signal} received but errors trying to shut down the server, check the logs for more information`, '#');
    });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return undefined;
}

/** INFO's fields about the server process, which an engine alone cannot know. */
function describeProcess(engine: Engine, configFile: string | undefined): void {
  setInfoFields(engine, 'server', () => [
    ['process_id', process.pid], ['executable', resolve(process.argv[1] ?? '')],
    ['config_file', configFile === undefined ? '' : resolve(configFile)],
  ]);
  // Node reports the process's CPU time, not one thread's: the main thread's fields show the same
  // (the event loop runs the engine; the thread pool adds only file I/O).
  setInfoFields(engine, 'cpu', () => {
    const { user, system } = process.cpuUsage();
    const sec = (us: number): string => (us / 1e6).toFixed(6);
    return [
      ['used_cpu_sys', sec(system)], ['used_cpu_user', sec(user)],
      ['used_cpu_sys_main_thread', sec(system)], ['used_cpu_user_main_thread', sec(user)],
    ];
  });
}

function checkRdb(args: readonly string[]): number {
  if (args.length === 1 && (args[0] === '-v' || args[0] === '--version')) {
    process.stdout.write(`larder check-rdb ${VERSION}\n`);
    return 0;
  }
  const run = runCheckRdb(['larder check-rdb', ...args], readRdbFile);
  process.stdout.write(Buffer.from(run.stdout, 'latin1'));
  process.stderr.write(run.stderr);
  return run.exitCode;
}

async function shell(inv: Extract<Invocation, { kind: 'shell' }>): Promise<number> {
  // Persistence flags make it a redis-server without the network; none keeps it in memory only.
  let engine: Engine;
  let opened: OpenedDir | undefined;
  if (inv.config !== undefined) {
    try {
      engine = createEngine({ config: { ...inv.config, dir: absoluteDir(inv.config.dir) } });
    } catch (e) {
      if (!(e instanceof ReplyError)) throw e;
      process.stderr.write(`larder: ${e.message.replace(/^ERR /, '')}\n`);
      return 1;
    }
    opened = await openDir(engine, warningsToStderr);
    if (opened === undefined) {
      engine.close();
      return 1;
    }
    const dir = opened;
    // SHUTDOWN typed in the shell: saved and flushed already; release the dir and leave.
    engine.onShutdown = () => void dir.close().then(() => process.exit(0));
  } else {
    engine = createEngine();
  }
  let code = 0;
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
    // The end of the session is a SHUTDOWN: onShutdown releases the dir and exits.
    if (opened !== undefined) {
      const refused = await shutdown(engine);
      if (refused !== undefined) {
        process.stderr.write(`larder: ${refused}\n`);
        await opened.close();
        code = 1;
      }
    }
    engine.close();
  }
  return code;
}
