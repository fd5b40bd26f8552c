/**
 * A full disk, for real: `larder serve` with its AOF on a 3 MiB tmpfs that the kernel fills
 * (ENOSPC), next to redis-server 7.0.15 doing the same. Needs root to mount; skipped elsewhere.
 *
 * - everysec: both refuse writes with the same MISCONF text, serve reads, and accept writes again
 *   once space is freed.
 * - always: redis-server exits (it cannot take back replies already queued); Larder holds each
 *   reply until its write is durable, so it refuses the writer instead and goes on as under
 *   everysec (ARCHITECTURE.md, "Where we differ").
 * - BGSAVE (no AOF, a save rule set): both fail it, leave no temp file behind, refuse writes with
 *   the same MISCONF, and accept them again once a BGSAVE succeeds.
 * - BGREWRITEAOF: both fail it (aof_last_bgrewrite_status:err), leave the same files (the incr
 *   opened for the rewrite stays the current one), go on accepting writes, succeed once there is
 *   room, and restart with every key.
 * - Afterwards a SIGKILL and a restart on the same directory keep every acknowledged write, and
 *   the refused one whose write failed after it ran: it stayed in memory and in the AOF buffer and
 *   reached the file once there was room. Writes refused while full never ran.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLarder, sleep } from '../crash/harness.ts';
import { RespClient } from '../support/resp-client.ts';
import type { Norm } from '../support/norm.ts';
import { freePort } from './harness.ts';

const VALUE = 'v'.repeat(20_000);

/** A fresh tmpfs of `size`, or undefined where mounting is not allowed (not root, a container). */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'larder-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

const canMount = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  const dir = mountTmpfs('1m');
  if (dir !== undefined) unmount(dir);
  return dir !== undefined;
})();

const text = (n: Norm): string => ('v' in n ? String(n.v) : n.t);

interface Filled {
  /** Keys written before the first refusal (all acknowledged). */
  acked: number;
  refusal: string;
}

/** SETs 20 KB values until one is refused. */
async function fill(c: RespClient): Promise<Filled> {
  for (let i = 0; i < 500; i++) {
    const r = await c.call(['SET', `k${i}`, VALUE]);
    if (r.t !== 'simple') return { acked: i, refusal: text(r) };
  }
  throw new Error('the disk never filled');
}

/** A tmpfs with 1 MB of ballast to delete later, and the scratch to run `fn` in. */
async function onFullDisk(fn: (dir: string, ballast: string) => Promise<void>): Promise<void> {
  const dir = mountTmpfs('3m')!;
  try {
    const ballast = join(dir, 'ballast');
    writeFileSync(ballast, new Uint8Array(1_000_000));
    await fn(dir, ballast);
  } finally {
    unmount(dir);
  }
}

/** A server started on `dir` with `args`, either kind. */
type Start = (dir: string, args: string[]) => Promise<{ port: number; stop(): Promise<void> }>;

const startLarderOn: Start = async (dir, args) => {
  const s = await startLarder(['--dir', dir, ...args]);
  return { port: s.port, stop: () => s.kill() };
};

/** Starts redis-server on `dir`; resolves once it answers. */
async function startRedisOn(dir: string, args: string[]): Promise<{ port: number; stop(): Promise<void>; log(): string }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  for (let i = 0; i < 200 && !/Ready to accept connections/.test(log); i++) await sleep(20);
  return { port, log: () => log, stop: () => (proc.kill('SIGKILL'), exited) };
}

/** INFO persistence's `field` once no BGSAVE runs. */
async function afterBgsave(c: RespClient, field: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const info = text(await c.call(['INFO', 'persistence']));
    if (/rdb_bgsave_in_progress:0/.test(info)) return new RegExp(`${field}:(\\w+)`).exec(info)![1]!;
    await sleep(20);
  }
  throw new Error('BGSAVE never ended');
}

/** INFO persistence's aof_last_bgrewrite_status once no rewrite runs or waits. */
async function afterRewrite(c: RespClient): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const info = text(await c.call(['INFO', 'persistence']));
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return /aof_last_bgrewrite_status:(\w+)/.exec(info)![1]!;
    await sleep(20);
  }
  throw new Error('BGREWRITEAOF never ended');
}

/** `n` keys of 20 KB random bytes: LZF would shrink anything else, and these must fill the disk. */
async function setRandom(c: RespClient, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect(await c.call(['SET', `k${i}`, randomBytes(VALUE.length).toString('latin1')])).toEqual({ t: 'simple', v: 'OK' });
}

/** A BGSAVE that meets the full disk, then one after room was made, as a server sees them. */
async function bgsaveOnFullDisk(start: Start): Promise<unknown> {
  let seen: unknown;
  await onFullDisk(async (dir, ballast) => {
    const server = await start(dir, ['--appendonly', 'no', '--save', '3600 1000000']);
    try {
      const c = await RespClient.connect(server.port);
      await setRandom(c, 120); // a dump that does not fit
      const started = text(await c.call(['BGSAVE']));
      const failed = await afterBgsave(c, 'rdb_last_bgsave_status');
      // larder.lock: Larder's pid lock on its dir (packages/node), which redis-server lacks.
      const listing = (): string[] => readdirSync(dir).filter((f) => f !== 'larder.lock');
      const files = listing();
      const refused = text(await c.call(['SET', 'x', '1']));
      const read = await c.call(['STRLEN', 'k0']);
      unlinkSync(ballast);
      await c.call(['BGSAVE']);
      const saved = await afterBgsave(c, 'rdb_last_bgsave_status');
      seen = { started, failed, files, refused, read, saved, after: text(await c.call(['SET', 'x', '1'])), left: listing() };
      c.close();
    } finally {
      await server.stop();
    }
  });
  return seen;
}

/** redis-server's answer to the same fill: its refusal text, or how it ended. */
async function redisFill(policy: string): Promise<{ refusal?: string; exited?: string }> {
  let out: { refusal?: string; exited?: string } = {};
  await onFullDisk(async (dir) => {
    const server = await startRedisOn(dir, ['--save', '', '--appendonly', 'yes', '--appendfsync', policy]);
    try {
      const c = await RespClient.connect(server.port);
      try {
        out = { refusal: (await fill(c)).refusal };
      } catch {
        // It closed the connection: read why from its log.
        const why = /Can't recover from AOF write error[^\n]*/;
        for (let i = 0; i < 100 && !why.test(server.log()); i++) await sleep(20);
        out = { exited: why.exec(server.log())?.[0] ?? server.log().slice(-300) };
      }
      c.close();
    } finally {
      await server.stop();
    }
  });
  return out;
}

describe.runIf(canMount)('a full disk under larder serve (tmpfs, ENOSPC from the kernel)', () => {
  it.each(['everysec', 'always'])('appendfsync %s: refuses writes with MISCONF, serves reads, resumes once space is freed, loses nothing', async (policy) => {
    const redis = await redisFill(policy);
    await onFullDisk(async (dir, ballast) => {
      const args = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', policy, '--save', ''];
      let server = await startLarder(args);
      try {
        const c = await RespClient.connect(server.port);
        const { acked, refusal } = await fill(c);
        expect(refusal).toBe('MISCONF Errors writing to the AOF file: No space left on device');
        if (policy === 'everysec') expect(redis.refusal).toBe(refusal);
        else expect(redis.exited).toBe("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
        // Reads go on; writes stay refused while the disk is full.
        expect(await c.call(['STRLEN', 'k0'])).toEqual({ t: 'int', v: String(VALUE.length) });
        expect(text(await c.call(['SET', 'more', '1']))).toBe(refusal);
        // Room again: the cron's retry writes the buffer, and writes are accepted.
        unlinkSync(ballast);
        let after: Norm | undefined;
        for (let i = 0; i < 100 && after?.t !== 'simple'; i++) {
          after = await c.call(['SET', 'after', '1']);
          if (after.t !== 'simple') await sleep(50);
        }
        expect(after).toEqual({ t: 'simple', v: 'OK' });
        const size = await c.call(['DBSIZE']);
        c.close();
        // k<acked> ran before its write failed: it stayed in memory and reached the file with the
        // retry. "more" was refused before it ran, as Redis refuses writes while the AOF is in error.
        expect(size).toEqual({ t: 'int', v: String(acked + 2) });
        await server.kill();
        server = await startLarder(args);
        const r = await RespClient.connect(server.port);
        expect(await r.call(['DBSIZE'])).toEqual(size);
        expect(await r.call(['STRLEN', `k${acked}`])).toEqual({ t: 'int', v: String(VALUE.length) });
        expect(await r.call(['GET', 'after'])).toEqual({ t: 'bulk', v: '1' });
        expect(await r.call(['EXISTS', 'more'])).toEqual({ t: 'int', v: '0' });
        r.close();
      } finally {
        await server.kill();
      }
    });
  }, 60_000);

  it('BGSAVE: fails for want of space, leaves no temp file, refuses writes with MISCONF until a BGSAVE succeeds', async () => {
    const redis = await bgsaveOnFullDisk(startRedisOn);
    const larder = await bgsaveOnFullDisk(startLarderOn);
    expect(larder).toEqual({
      started: 'Background saving started', failed: 'err', files: ['ballast'], refused: expect.stringMatching(/^MISCONF Redis is configured to save RDB snapshots/),
      read: { t: 'int', v: String(VALUE.length) }, saved: 'ok', after: 'OK', left: ['dump.rdb'],
    });
    expect(larder).toEqual(redis);
  }, 60_000);

  it('BGREWRITEAOF: fails for want of space, leaves the AOF as it was, and succeeds once there is room', async () => {
    const rewrite = (start: Start): Promise<unknown> => {
      let seen: unknown;
      return onFullDisk(async (dir, ballast) => {
        const server = await start(dir, ['--appendonly', 'yes', '--save', '']);
        try {
          const c = await RespClient.connect(server.port);
          await setRandom(c, 60); // ~1.2 MB in the incr file: a new base of that size does not fit beside it
          const started = text(await c.call(['BGREWRITEAOF']));
          const failed = await afterRewrite(c);
          const files = readdirSync(join(dir, 'appendonlydir'));
          const write = text(await c.call(['SET', 'x', '1']));
          unlinkSync(ballast);
          await c.call(['BGREWRITEAOF']);
          seen = { started, failed, files, write, saved: await afterRewrite(c), size: await c.call(['DBSIZE']) };
          c.close();
        } finally {
          await server.stop();
        }
        // A SIGKILL, then a start on the same files.
        const again = await start(dir, ['--appendonly', 'yes', '--save', '']);
        try {
          const c = await RespClient.connect(again.port);
          seen = { ...(seen as object), reloaded: await c.call(['DBSIZE']) };
          c.close();
        } finally {
          await again.stop();
        }
      }).then(() => seen);
    };
    const redis = await rewrite(startRedisOn);
    const larder = await rewrite(startLarderOn);
    expect(larder).toMatchObject({ started: 'Background append only file rewriting started', failed: 'err', write: 'OK', saved: 'ok', size: { t: 'int', v: '61' }, reloaded: { t: 'int', v: '61' } });
    expect(larder).toEqual(redis);
  }, 60_000);
});
