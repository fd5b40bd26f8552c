/**
 * `larder` with persistence, as processes (the sources run through the node package's TypeScript
 * loader, so no build is needed): serve's flags, Redis's shutdown on SIGTERM, a fatal load, the
 * shell over a dir, export and import.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTER = fileURLToPath(new URL('../../node/test-support/register.mjs', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'larder-cli-persist-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(base, `d${++n}`);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `larder ...args` to its end with `input` on stdin. */
function larder(args: string[], input = '', cwd = base): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, MAIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(Buffer.from(input, 'latin1'));
  });
}

/** `larder serve --port 0 ...args` until it is ready; `signal` then stops it. */
async function serve(args: string[]) {
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN, 'serve', '--port', '0', ...args], { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /Ready to accept connections on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`exited early: ${out}`)));
  });
  const cli = (...argv: string[]): string => spawnSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'latin1' }).stdout;
  return { port, cli, exited, output: () => out, signal: (s: NodeJS.Signals) => child.kill(s) };
}

describe('larder serve with persistence', () => {
  it('loads its dir, and on SIGTERM flushes the AOF and saves dump.rdb (default save rules)', async () => {
    const dir = fresh();
    const s = await serve(['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'no']);
    expect(s.cli('SET', 'k', 'v')).toBe('OK\n');
    expect(s.cli('CONFIG', 'GET', 'dir')).toBe(`dir\n${dir}\n`);
    s.signal('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/Received SIGTERM scheduling shutdown/);
    expect(readdirSync(dir).sort()).toEqual(['appendonlydir', 'dump.rdb']);
    const again = await serve(['--dir', dir, '--appendonly', 'yes']);
    expect(again.cli('GET', 'k')).toBe('v\n');
    // SHUTDOWN from a client ends the process too.
    again.cli('SHUTDOWN', 'NOSAVE');
    expect(await again.exited).toBe(0);
  });

  it('exits 1 with Redis\'s message when the dataset cannot be loaded', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'dump.rdb'), 'REDIS0010garbage');
    const r = await larder(['serve', '--port', '0', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/# Short read or OOM loading DB\. Unrecoverable error, aborting now\./);
    // The lock is released: another process can open the dir.
    expect(existsSync(join(dir, 'larder.lock'))).toBe(false);
  });
});

describe('the shell over a dir', () => {
  it('persists with --dir and stays in memory without it', async () => {
    const dir = fresh();
    expect(await larder(['--dir', dir], 'set a 1\nrpush l x y\n')).toMatchObject({ code: 0, stdout: 'OK\n2\n' });
    // Redis's shutdown at the end of input: save rules exist by default, so dump.rdb is written.
    expect(readdirSync(dir)).toEqual(['dump.rdb']);
    expect(await larder(['--dir', dir, '--save', ''], 'get a\nlrange l 0 -1\n')).toMatchObject({ code: 0, stdout: '1\nx\ny\n' });
    const cwd = fresh();
    mkdirSync(cwd);
    expect(await larder([], 'set a 1\n', cwd)).toMatchObject({ code: 0, stdout: 'OK\n' });
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('export and import', () => {
  it('exports a dir as RDB or JSON and imports either into another dir', async () => {
    const src = fresh();
    const setup = 'set s hello\nhset h f v\nzadd z 1.5 m\nsadd st a b\nexpire s 1000\nselect 2\nset other "\\xff"\n';
    expect((await larder(['--dir', src, '--appendonly', 'yes', '--save', ''], setup)).code).toBe(0);

    const rdb = join(base, `x${++n}.rdb`);
    expect((await larder(['export', '--format', 'rdb', '--dir', src, '--appendonly', 'yes', '-o', rdb])).code).toBe(0);
    const check = spawnSync('redis-check-rdb', [rdb], { encoding: 'utf8' });
    expect(check.stdout).toMatch(/RDB looks OK/);

    const json = await larder(['export', '--format', 'json', '--dir', src, '--appendonly', 'yes']);
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout) as Record<string, Record<string, { type: string; expireAt?: number }>>;
    expect(data['0']!.h).toEqual({ type: 'hash', value: { f: 'v' } });
    expect(data['0']!.s!.expireAt).toBeGreaterThan(Date.now());
    expect(data['2']).toEqual({ other: { type: 'string', value: { base64: '/w==' } } });
    const jsonFile = join(base, `x${++n}.json`);
    writeFileSync(jsonFile, json.stdout);

    // JSON into a dir as its AOF base; RDB into a dir as dump.rdb, replacing what was there.
    const a = fresh();
    expect((await larder(['import', jsonFile, '--dir', a, '--appendonly', 'yes'])).code).toBe(0);
    expect(readdirSync(join(a, 'appendonlydir')).sort()).toEqual([
      'appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest',
    ]);
    const b = fresh();
    expect((await larder(['--dir', b], 'set stale 1\n')).code).toBe(0);
    expect((await larder(['import', rdb, '--dir', b])).code).toBe(0);
    const readBack = 'zrange z 0 -1 withscores\nhgetall h\nsmembers st\npexpiretime s\nexists stale\nselect 2\nstrlen other\n';
    const fromA = await larder(['--dir', a, '--appendonly', 'yes', '--save', ''], readBack);
    const fromB = await larder(['--dir', b, '--save', ''], readBack);
    expect(fromA.stdout).toBe(fromB.stdout);
    expect(fromA.stdout).toMatch(/^m\n1.5\nf\nv\n(a\nb|b\na)\n\d+\n0\nOK\n1\n$/);
    expect(readFileSync(rdb).subarray(0, 5).toString()).toBe('REDIS');
  });

  it('refuses a file it cannot read', async () => {
    const bad = join(base, `x${++n}.json`);
    writeFileSync(bad, '{"0": {"k": {"type": "nope", "value": 1}}}');
    const r = await larder(['import', bad, '--dir', fresh()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot import .*unknown type nope/);
  });
});
