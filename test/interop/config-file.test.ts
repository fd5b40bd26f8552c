/**
 * `larder serve <redis.conf>` against `redis-server <redis.conf>`, the same files: what each
 * running server reports through CONFIG GET, and, for files they must refuse, the same exit code
 * and the same printed report (the version in its title aside).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RespClient } from '../support/resp-client.ts';
import { freePort, sleep } from '../damage/harness.ts';
import type { Norm } from '../support/norm.ts';

const REGISTER = fileURLToPath(new URL('../../packages/node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
const DEBIAN_CONF = '/etc/redis/redis.conf';
const dir = mkdtempSync(join(tmpdir(), 'larder-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Server = 'larder' | 'redis';
const command = (server: Server, args: string[]): [string, string[]] =>
  server === 'larder' ? [process.execPath, ['--import', REGISTER, MAIN, 'serve', ...args]] : ['redis-server', args];

/**
 * Runs a server on `args` until it answers or exits; then CONFIG GET of `names` (and `calls`, their
 * replies after), or how it failed (its output: stderr, then stdout).
 */
async function run(server: Server, args: string[], names: string[], calls: string[][] = []): Promise<{ code: number | null; output: string; config?: Norm[] }> {
  const port = await freePort();
  const [cmd, argv] = command(server, [...args, '--port', String(port)]);
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  let exited = false;
  const done = new Promise<void>((res) => proc.once('exit', () => ((exited = true), res())));
  try {
    // Generous: under a full CI run the source build of larder starts in seconds, not milliseconds.
    for (const deadline = Date.now() + 30_000; !exited; ) {
      if (Date.now() > deadline) throw new Error(`${server} neither answered nor exited:\n${stderr}${stdout}`);
      const c = await RespClient.connect(port).catch(() => undefined);
      if (c === undefined) {
        await sleep(20);
        continue;
      }
      // Past the load (Larder answers LOADING while it reads its dir), so PING means the same on both.
      for (let i = 0; i < 1500 && (await c.call(['PING'])).t === 'error'; i++) await sleep(20);
      const config = await Promise.all([...names.map((n) => ['CONFIG', 'GET', n]), ...calls].map((argv) => c.call(argv)));
      c.close();
      return { code: null, output: stderr + stdout, config };
    }
    await done;
    return { code: proc.exitCode, output: stderr + stdout };
  } finally {
    proc.kill('SIGKILL');
    await done;
  }
}

/**
 * A refusal as printed, without what differs by design: the version in the title, the log-line
 * prefix redis-server puts on "can't open", and the line Larder adds for a directive it lacks.
 */
const report = (s: string): string =>
  s.replace(/\(Redis [\d.]+\)|\(Larder [\d.]+\)/, '(VERSION)').replace(/^\d+:C .*? # /m, '').replace(/\n\(Larder takes the parameters .*\)$/m, '').trim();

const conf = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('larder serve <redis.conf>, beside redis-server', () => {
  it('reads directives, quotes, comments, includes and repeated save lines as redis-server does; options override', async () => {
    const included = conf('included.conf', 'hz 20\ndatabases 4\n');
    // A pattern includes the matching files in name order (b.conf last wins; the dotfile is skipped), or nothing.
    mkdirSync(join(dir, 'conf.d'), { recursive: true });
    for (const [name, line] of [['b.conf', 'maxmemory-samples 9'], ['a.conf', 'maxmemory-samples 7'], ['.hidden.conf', 'lfu-log-factor 3']]) {
      conf(join('conf.d', name!), `${line}\n`);
    }
    const file = conf('good.conf', [
      '# a comment, then blank and indented lines',
      '',
      '   appendonly no   ',
      'SAVE "900 1"',
      'save 300 10 60 10000',
      `include ${included}`,
      `include ${join(dir, 'conf.d', '*.conf')}`,
      `include ${join(dir, 'no-such.d', '*.conf')}`,
      'notify-keyspace-events "KEA"',
      "maxmemory-policy 'allkeys-lru'",
      'list-max-listpack-size -2',
      'bind "127.0.0.1 ::1"',
      'dbfilename "my dump.rdb"',
      'hash-max-listpack-entries 64\r',
      // Multi-argument values; each client-output-buffer-limit line sets the classes it names.
      'client-output-buffer-limit pubsub 1mb 2mb 3',
      'client-output-buffer-limit replica 5 6 7',
      'oom-score-adj-values 1 2 3',
      'Slave-Priority 7',
      'proc-title-template "{port} {{x}"',
    ].join('\n'));
    const names = ['appendonly', 'save', 'hz', 'databases', 'maxmemory-samples', 'lfu-log-factor', 'notify-keyspace-events', 'maxmemory-policy', 'list-max-listpack-size', 'bind', 'dbfilename', 'hash-max-listpack-entries', 'client-output-buffer-limit', 'oom-score-adj-values', 'replica-priority', 'proc-title-template'];
    // Options after the file: hz replaced; `save ""` clears the file's rules; one more class's limits.
    const args = [file, '--hz', '30', '--save', '', '--client-output-buffer-limit', 'normal', '1', '2', '3'];
    const larder = await run('larder', args, names);
    const redis = await run('redis', args, names);
    expect(redis.config, redis.output).toBeDefined();
    expect(larder.config, larder.output).toEqual(redis.config);
    const withFileSave = await run('larder', [file], ['save']);
    expect(withFileSave.config).toEqual((await run('redis', [file], ['save'])).config);
    expect(withFileSave.config).toEqual([{ t: 'array', v: [{ t: 'bulk', v: 'save' }, { t: 'bulk', v: '900 1 300 10 60 10000' }] }]);
    expect(larder.config![4]).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'maxmemory-samples' }, { t: 'bulk', v: '9' }] });
  }, 60_000);

  it.each([
    ['an unknown directive', 'port 6379\nno-such-thing yes\n'],
    ['a bad value', 'appendfsync sometimes\n'],
    ['a wrong argument count', 'hz 1 2\n'],
    ['a number out of range', 'databases 0\n'],
    ['unbalanced quotes', 'dbfilename "dump.rdb\n'],
    ['a bad value in an included file', `include ${join(dir, 'bad-included.conf')}\n`],
    ['a missing included file', `include ${join(dir, 'nowhere.conf')}\n`],
  ])('refuses %s with redis-server\'s report', async (what, text) => {
    writeFileSync(join(dir, 'bad-included.conf'), '\n\nmaxmemory-policy sometimes\n');
    const file = conf('bad.conf', text);
    const larder = await run('larder', [file], []);
    const redis = await run('redis', [file], []);
    expect(redis.code).toBe(1);
    expect(larder.code).toBe(1);
    expect(report(larder.output)).toBe(report(redis.output));
    if (what === 'an unknown directive') expect(larder.output).toContain("'no-such-thing' is not one of them");
  }, 60_000);

  it("starts on Debian's stock redis.conf, every directive's CONFIG GET as redis-server answers it", async () => {
    expect(existsSync(DEBIAN_CONF), 'the redis-server package (CI installs it) ships /etc/redis/redis.conf').toBe(true);
    const file = join(dir, 'debian.conf');
    copyFileSync(DEBIAN_CONF, file);
    // The first word of every directive line, as redis-server reads the file.
    const lines = readFileSync(file, 'latin1').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    const names = [...new Set(lines.map((l) => l.split(/\s+/)[0]!.toLowerCase()))];
    expect(names).toContain('client-output-buffer-limit');
    names.splice(names.indexOf('port'), 1); // each run's own free port
    // In the foreground, and writing only inside the scratch dir.
    const data = join(dir, 'debian');
    mkdirSync(data, { recursive: true });
    const args = [file, '--daemonize', 'no', '--dir', data, '--pidfile', join(data, 'server.pid'), '--logfile', join(data, 'server.log')];
    const larder = await run('larder', args, names, [['PING']]);
    const redis = await run('redis', args, names, [['PING']]);
    expect(redis.config, redis.output).toBeDefined();
    expect(larder.config, larder.output).toEqual(redis.config);
    expect(larder.config!.at(-1)).toEqual({ t: 'simple', v: 'PONG' });
  }, 60_000);

  it.each([
    'replicaof 127.0.0.1 6379', 'slaveof 127.0.0.1 6379', 'requirepass secret', 'masterauth secret',
    'user alice on >pw ~* +@all', 'tls-port 6380', 'cluster-enabled yes',
  ])("still refuses '%s', which redis-server would act on", async (line) => {
    const larder = await run('larder', [conf('refused.conf', `port 6379\n${line}\n`)], []);
    expect(larder.code).toBe(1);
    expect(larder.output).toContain(`at line 2\n>>> '${line}'\nBad directive or wrong number of arguments\n`);
  }, 60_000);

  it('names a missing config file as redis-server does', async () => {
    const larder = await run('larder', [join(dir, 'missing.conf')], []);
    const redis = await run('redis', [join(dir, 'missing.conf')], []);
    expect([larder.code, redis.code]).toEqual([1, 1]);
    expect(report(larder.output)).toBe(report(redis.output));
  }, 60_000);
});
