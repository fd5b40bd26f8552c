import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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
