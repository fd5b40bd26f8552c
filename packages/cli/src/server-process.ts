/**
 * What redis-server 7.0 does as a Unix process around its engine, which `larder serve` does the
 * same way (server.c): where the log goes (`logfile`), the pid file (`pidfile`), going to the
 * background (`daemonize`) and the process title (`set-proc-title`, `proc-title-template`).
 * Relative paths are read from `dir`, as redis-server has chdir'd there by the time it opens them.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '@larder/core';
import { expandProcTitle } from './proc-title.ts';
import { strerror } from './check/check-aof.ts';
import type { LogFn } from './persist.ts';

/** CONFIG_DEFAULT_PID_FILE: the pid file of a daemon whose config names none. */
export const DEFAULT_PIDFILE = '/var/run/redis.pid';

/** Marks the copy that `daemonize` starts, so that it serves instead of starting another. */
const DAEMON_ENV = 'LARDER_DAEMONIZED';

/** `path` as the server opens it: from `dir` when relative ('' stays ''). */
export const inDir = (dir: string, path: string): string => (path === '' ? '' : resolve(dir, path));

/**
 * serverLog's lines: `pid:M date time mark message`, on stdout when `logfile` is '', else appended
 * to it, the file opened for each line as serverLogRaw does (a rotated log is followed), and a
 * line that cannot be written dropped as it drops it.
 */
export function createLog(logfile = ''): LogFn {
  return (message, mark = '*') => {
    const d = new Date();
    const month = d.toLocaleString('en-US', { month: 'short' });
    const time = `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    const line = `${process.pid}:M ${String(d.getDate()).padStart(2, '0')} ${month} ${d.getFullYear()} ${time} ${mark} ${message}\n`;
    if (logfile === '') process.stdout.write(line);
    else {
      try {
        appendFileSync(logfile, line);
      } catch {
        // Dropped, as serverLogRaw drops a line when fopen fails.
      }
    }
  };
}

/** Why `logfile` cannot be opened for appending (strerror's text), or undefined when it can. */
export function logfileProblem(logfile: string): string | undefined {
  try {
    closeSync(openSync(logfile, 'a'));
    return undefined;
  } catch (e) {
    return strerror(e);
  }
}

/** Whether this process is the background copy that `startDaemon` started; the mark is not passed on. */
export function isDaemonCopy(): boolean {
  const copy = process.env[DAEMON_ENV] === '1';
  delete process.env[DAEMON_ENV];
  return copy;
}

/**
 * daemonize(): redis-server forks, the child calls setsid and points its stdio at /dev/null, the
 * parent exits 0. Node cannot fork, so this starts a detached copy of the process (its own
 * session, stdio ignored) with the same arguments, and the caller exits 0 without waiting.
 */
export function startDaemon(): void {
  const copy = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [DAEMON_ENV]: '1' },
  });
  copy.once('error', (e) => {
    process.stderr.write(`Can't start the server in the background: ${e.message}\n`);
    process.exitCode = 1;
  });
  copy.unref();
}

/**
 * createPidFile, for a server with a `pidfile` or a daemon (which then gets the default, as
 * CONFIG GET pidfile shows). Best effort: Redis 7.0 says nothing when it cannot write one.
 * Returns the file to remove at shutdown, or undefined when there is none.
 */
export function writePidfile(engine: Engine, daemon: boolean): string | undefined {
  if (engine.config.text('pidfile') === '') {
    if (!daemon) return undefined;
    engine.config.set('pidfile', DEFAULT_PIDFILE, true);
  }
  const path = inDir(engine.config.text('dir'), engine.config.text('pidfile'));
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch {
    // As createPidFile: no pid file, no complaint.
  }
  return path;
}

/** finishShutdown's step: the pid file removed, whether or not it was written. */
export function removePidfile(path: string, log: LogFn): void {
  log('Removing the pid file.');
  try {
    unlinkSync(path);
  } catch {
    // unlink's result is ignored there too.
  }
}

/**
 * redisSetProcTitle: the title from `proc-title-template` at start (when `set-proc-title` is yes),
 * and again whenever CONFIG SET changes the template (whatever `set-proc-title` says, as Redis's
 * apply function does). `{title}` is the program as run, which is the script for Node.
 */
export function keepProcTitle(engine: Engine, port: number, configFile: string | undefined): void {
  const vars = {
    title: process.argv[1] ?? 'larder',
    'listen-addr': `${String(engine.config.value('bind')).split(' ')[0] || '*'}:${port}`,
    'server-mode': '',
    port: String(port),
    'tls-port': '0',
    unixsocket: '',
    'config-file': configFile === undefined ? '-' : resolve(configFile),
  };
  let template = engine.config.text('proc-title-template');
  const apply = (): void => {
    const title = expandProcTitle(template, vars);
    if (title !== undefined) process.title = title;
  };
  if (engine.config.value('set-proc-title') === 'yes') apply();
  const configChanged = engine.configChanged;
  engine.configChanged = function (this: Engine) {
    configChanged.call(this);
    const now = this.config.text('proc-title-template');
    if (now === template) return;
    template = now;
    apply();
  };
}
