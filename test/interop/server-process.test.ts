/**
 * `larder serve` as a Unix process, beside redis-server 7.0 started the same way: the pid file
 * (the server's pid, removed at SHUTDOWN; relative paths read from `dir`), the log file (every
 * line there, none on stdout; one that cannot be opened refused before anything starts, by a
 * daemon's parent too), `daemonize yes` (the command exits 0 at once, a background server
 * answers, its pid in the pid file) and the process title. Each case runs both servers and
 * compares what a person would check: files, exit codes, output, /proc/<pid>/cmdline.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RespClient } from '../support/resp-client.ts';
import { freePort, scratch, sleep } from '../damage/harness.ts';

const REGISTER = fileURLToPath(new URL('../../packages/node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
const tmp = scratch('larder-process-');
/** Daemons started here, killed at the end if a case failed before stopping them. */
const daemons = new Set<number>();
afterAll(() => {
  for (const pid of daemons) if (alive(pid)) process.kill(pid, 'SIGKILL');
  tmp.cleanup();
});

type Server = 'larder' | 'redis';
const SERVERS: Server[] = ['larder', 'redis'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `server` on `args` (a free port and `--save ""` added) in `cwd`; stdout and stderr kept apart. */
async function start(server: Server, args: string[], cwd: string) {
  const port = await freePort();
  const all = [...args, '--port', String(port), '--save', ''];
  const proc = server === 'larder'
    ? spawn(process.execPath, ['--import', REGISTER, MAIN, 'serve', ...all], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('redis-server', all, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  /** Its exit code, or 'still running' (then killed) if it has not exited within `ms`. */
  const ended = async (ms = 20_000): Promise<number | null | 'still running'> => {
    const code = await Promise.race([exited, sleep(ms).then(() => 'still running' as const)]);
    if (code === 'still running') proc.kill('SIGKILL');
    return code;
  };
  return { port, pid: proc.pid!, out, ended, kill: () => proc.kill('SIGKILL'), exited };
}

/** A connection once `port` answers PING with PONG (past any load), or throws after 30 s. */
async function answering(port: number): Promise<RespClient> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(20)) {
    const c = await RespClient.connect(port).catch(() => undefined);
    if (c === undefined) continue;
    const r = await c.call(['PING']);
    if (r.t === 'simple' && r.v === 'PONG') return c;
    c.close();
  }
  throw new Error(`nothing answered on port ${port}`);
}

/** A new empty folder. */
function folder(name: string): string {
  const path = tmp.fresh(name);
  mkdirSync(path);
  return path;
}
const read = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'latin1') : undefined);
/** A report as printed, without the server's name and version. */
const report = (s: string): string => s.replace(/\((Redis|Larder) [\d.]+\)/, '(VERSION)');
/** /proc/<pid>/cmdline with the run's own port masked. */
const cmdline = (pid: number, port: number): string => readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll(String(port), 'PORT');
/** The process title: up to the first NUL (redis-server leaves bytes of a longer earlier title after it). */
const title = (pid: number, port: number): string => cmdline(pid, port).split('\0')[0]!;

describe('larder serve as a process, beside redis-server', () => {
  it('writes the pid file, logs only to the log file, and removes the pid file at SHUTDOWN', async () => {
    const seen = [];
    for (const server of SERVERS) {
      const dir = folder(server);
      const cwd = folder(`${server}-cwd`);
      // Relative: both open them in `dir`, not in the working directory.
      const s = await start(server, ['--dir', dir, '--pidfile', 'server.pid', '--logfile', 'server.log'], cwd);
      const c = await answering(s.port);
      const pidfile = read(join(dir, 'server.pid'));
      c.send(['SHUTDOWN', 'NOSAVE']);
      const code = await s.ended();
      c.close();
      const log = read(join(dir, 'server.log')) ?? '';
      seen.push({
        pidfile: pidfile === `${s.pid}\n` ? 'its pid' : pidfile, code, stdout: s.out.stdout, stderr: s.out.stderr,
        after: existsSync(join(dir, 'server.pid')), inCwd: existsSync(join(cwd, 'server.pid')) || existsSync(join(cwd, 'server.log')),
        logged: ['Ready to accept connections', 'Removing the pid file.', 'ready to exit, bye bye'].filter((l) => log.includes(l)),
      });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[1]).toMatchObject({ pidfile: 'its pid', code: 0, stdout: '', after: false, inCwd: false });
    expect(seen[1]!.logged).toHaveLength(3);
  }, 60_000);

  it.each([[[]], [['--daemonize', 'yes']]])('refuses a log file it cannot open, before starting (%j)', async (extra) => {
    const seen = [];
    for (const server of SERVERS) {
      // A pid file would show that a server started after all (and let afterAll stop a daemon).
      const pidfile = join(folder('run'), 'x.pid');
      const s = await start(server, ['--logfile', join(tmp.fresh('no-such-dir'), 'x.log'), '--pidfile', pidfile, ...extra], folder('cwd'));
      const code = await s.ended();
      if (existsSync(pidfile)) daemons.add(Number(read(pidfile)));
      seen.push({ code, stdout: s.out.stdout, stderr: report(s.out.stderr), started: existsSync(pidfile) });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[1]).toMatchObject({ code: 1, started: false, stderr: expect.stringContaining("Can't open the log file: No such file or directory") });
  }, 60_000);

  it('daemonize yes: exits 0 at once; the daemon answers, holds the pid file, and SHUTDOWN stops it and removes it', async () => {
    const seen = [];
    for (const server of SERVERS) {
      const dir = folder(server);
      const s = await start(server, ['--daemonize', 'yes', '--dir', dir, '--pidfile', 'd.pid', '--logfile', 'd.log'], dir);
      // Promptly: at once for redis-server; Larder from source compiles its TypeScript first.
      const code = await s.ended(15_000);
      const c = await answering(s.port);
      const pid = Number(read(join(dir, 'd.pid')));
      daemons.add(pid);
      const daemonize = await c.call(['CONFIG', 'GET', 'daemonize']);
      const running = alive(pid);
      c.send(['SHUTDOWN', 'NOSAVE']);
      for (let i = 0; i < 500 && alive(pid); i++) await sleep(20);
      c.close();
      seen.push({
        code, stdout: s.out.stdout, stderr: s.out.stderr, daemonize, otherPid: pid !== s.pid, running,
        stopped: !alive(pid), pidfileAfter: existsSync(join(dir, 'd.pid')), logged: (read(join(dir, 'd.log')) ?? '').includes('Removing the pid file.'),
      });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[1]).toMatchObject({ code: 0, otherPid: true, running: true, stopped: true, pidfileAfter: false, logged: true });
  }, 90_000);

  // Redis's default pid file for a daemon; never run where one exists already (it would be removed).
  it.skipIf(existsSync('/var/run/redis.pid'))('daemonize yes without a pid file: the default one, as CONFIG GET pidfile shows', async () => {
    const seen = [];
    for (const server of SERVERS) {
      const dir = folder(server);
      const s = await start(server, ['--daemonize', 'yes', '--dir', dir, '--logfile', 'd.log'], dir);
      await s.ended(15_000);
      const c = await answering(s.port);
      const pidfile = await c.call(['CONFIG', 'GET', 'pidfile']);
      const pid = Number(read('/var/run/redis.pid'));
      if (pid > 0) daemons.add(pid);
      c.send(['SHUTDOWN', 'NOSAVE']);
      for (let i = 0; i < 500 && pid > 0 && alive(pid); i++) await sleep(20);
      c.close();
      seen.push({ pidfile, removed: !existsSync('/var/run/redis.pid') });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[1]!.pidfile).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'pidfile' }, { t: 'bulk', v: '/var/run/redis.pid' }] });
  }, 90_000);

  it('daemonize yes with a config the parent refuses: exit 1, the report on stderr', async () => {
    const file = join(folder('bad'), 'bad.conf');
    writeFileSync(file, 'daemonize yes\nhz abc\n');
    const seen = [];
    for (const server of SERVERS) {
      const s = await start(server, [file], folder('cwd'));
      seen.push({ code: await s.ended(), stdout: s.out.stdout, stderr: report(s.out.stderr) });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[1]).toMatchObject({ code: 1, stderr: expect.stringContaining(">>> 'hz abc'") });
  }, 60_000);

  it('sets the process title from proc-title-template, at start and on CONFIG SET; set-proc-title no leaves it', async () => {
    const file = join(folder('title'), 'title.conf');
    writeFileSync(file, 'proc-title-template "{listen-addr} {port} {tls-port} {config-file} x{unixsocket}y {server-mode}"\n');
    const seen = [];
    for (const server of SERVERS) {
      for (const setTitle of ['yes', 'no']) {
        const s = await start(server, [file, '--bind', '127.0.0.1', '--set-proc-title', setTitle], folder('cwd'));
        const c = await answering(s.port);
        const atStart = setTitle === 'yes' ? title(s.pid, s.port) : cmdline(s.pid, s.port).includes('\0--port\0PORT\0');
        const bad = await c.call(['CONFIG', 'SET', 'proc-title-template', '{foo}']);
        const set = await c.call(['CONFIG', 'SET', 'proc-title-template', ' {port} {{x} }']);
        seen.push({ server, setTitle, atStart, bad, set, after: title(s.pid, s.port) });
        c.close();
        s.kill();
        await s.exited;
      }
    }
    expect(seen.slice(0, 2).map((x) => ({ ...x, server: 'redis' }))).toEqual(seen.slice(2));
    expect(seen[2]).toMatchObject({ atStart: `127.0.0.1:PORT PORT 0 ${file} xy`, after: 'PORT {x} }' });
    expect(seen[3]).toMatchObject({ atStart: true, after: 'PORT {x} }' });
  }, 90_000);
});
