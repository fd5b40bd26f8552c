import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEngine } from '@larder/core';
import { exportRdb } from '@larder/core/transfer';

const run = promisify(execFile);
/** The bin package.json names: the one-file bundle (bundle.mjs) that users run. */
const BIN = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: { larder: string } }).bin.larder;
const MAIN = fileURLToPath(new URL(`../${BIN}`, import.meta.url));

/** Pipes `input` into the built `larder` and returns its stdout. */
function larder(args: string[], input: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
    child.stdin.end(Buffer.from(input, 'latin1'));
  });
}

// The built entry point (npm test builds first); skipped when dist/ is absent.
describe.skipIf(!existsSync(MAIN))('larder binary', () => {
  it('runs the shell on piped input, printing raw like redis-cli', async () => {
    expect(await larder([], 'set a 1\nget a\nincr a\n')).toEqual({ stdout: 'OK\n1\n2\n', code: 0 });
    expect(await larder(['--no-raw'], 'get a\n')).toEqual({ stdout: '(nil)\n', code: 0 });
  });

  it('prints usage', async () => {
    const { stdout } = await run(process.execPath, [MAIN, '--help']);
    expect(stdout).toMatch(/^Usage: larder/);
  });

  it('serves until SIGTERM, announcing its port', async () => {
    // Like redis-server, serve persists to its working directory (dump.rdb on SIGTERM): use a scratch one.
    const cwd = mkdtempSync(join(tmpdir(), 'larder-main-'));
    writeFileSync(join(cwd, 'my.conf'), 'hz 15\n');
    const child = spawn(process.execPath, [MAIN, 'serve', 'my.conf', '--port', '0', '--hz', '20'], { stdio: ['ignore', 'pipe', 'inherit'], cwd });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Ready to accept connections on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const { stdout } = await run('redis-cli', ['-p', String(port), 'CONFIG', 'GET', 'hz']);
    expect(stdout).toBe('hz\n20\n');
    // INFO names the process as redis-server's does: its pid, its executable, its config file, its CPU time.
    const info = (await run('redis-cli', ['-p', String(port), 'INFO', 'everything'])).stdout;
    const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)\r$`, 'm').exec(info)?.[1];
    expect([field('process_id'), field('executable'), field('config_file')]).toEqual([String(child.pid), MAIN, join(cwd, 'my.conf')]);
    expect(Number(field('used_cpu_user'))).toBeGreaterThan(0);
    expect(Number(field('total_net_input_bytes'))).toBeGreaterThan(0);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('listens while it loads, answering LOADING with INFO showing the progress, as redis-server', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'larder-main-'));
    const engine = createEngine({ activeExpire: false });
    const c = engine.connect();
    // 8 MB: the load yields between its 1 MiB reads, where the server answers.
    let seed = 1;
    const noise = (): string => String.fromCharCode(...Array.from({ length: 4000 }, () => (seed = (seed * 48271) % 2147483647) & 255));
    for (let i = 0; i < 2000; i++) c.exec(['SET', `k${i}`, noise()]);
    const rdb = exportRdb(engine);
    engine.close();
    writeFileSync(join(cwd, 'dump.rdb'), rdb);
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    // 0.5 ms per key: a second of loading for the test to watch.
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', String(port), '--key-load-delay', '500'], { stdio: ['ignore', 'pipe', 'inherit'], cwd });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const cli = async (...args: string[]): Promise<string> => (await run('redis-cli', ['-p', String(port), ...args])).stdout;
    // The very first command the port takes, sent the moment it connects, is refused too: a write
    // let in before the load began would clash with the file's key (the load then fails).
    const first = await new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + 20_000;
      const attempt = (): void => {
        const s = connect(port, '127.0.0.1', () => s.write('*3\r\n$3\r\nSET\r\n$2\r\nk7\r\n$5\r\nearly\r\n'));
        s.on('data', (d: Buffer) => (resolve(d.toString()), s.destroy()));
        s.on('error', () => (Date.now() > deadline ? reject(new Error('never connected')) : setTimeout(attempt, 1)));
      };
      attempt();
    });
    expect(first).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    let reply = '';
    for (const deadline = Date.now() + 20_000; !reply.startsWith('LOADING') && Date.now() < deadline; ) {
      reply = await cli('GET', 'k7').catch(() => '');
      if (/Ready to accept/.test(out)) break;
    }
    expect(reply).toBe('LOADING Redis is loading the dataset in memory\n\n');
    const info = await cli('INFO', 'persistence');
    expect(info).toMatch(/^loading:1\r$/m);
    expect(info).toContain(`loading_total_bytes:${rdb.length}\r`);
    expect(info).toMatch(/^loading_loaded_perc:\d+\.\d\d\r$/m);
    for (const deadline = Date.now() + 20_000; !/Ready to accept/.test(out) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect(await cli('STRLEN', 'k7')).toBe('4000\n');
    expect(await cli('INFO', 'persistence')).toMatch(/^loading:0\r$/m);
    child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses an unknown config option', async () => {
    const child = spawn(process.execPath, [MAIN, 'serve', '--no-such-option', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('FATAL CONFIG ERROR');
    expect(stderr).toContain("'no-such-option'");
  });
});
