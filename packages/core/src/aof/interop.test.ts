/**
 * Our AOF code against the real thing (redis-server and redis-check-aof 7.0.15): files our writer
 * and manifest code produce must pass redis-check-aof and load into redis-server with the data they
 * describe, byte for byte what Redis itself writes; damaged files must get the same verdict from
 * our loader as from redis-server, and the same output from our redis-check-aof as from Redis's.
 * Skipped without the binaries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PropagatedOp } from '../engine/propagate.ts';
import { runCheckAof, type CheckAofIo } from './check.ts';
import { createAofReader, type AofLoadResult } from './loader.ts';
import { encodeManifest, EMPTY_MANIFEST } from './manifest.ts';
import { newIncrFile } from './manifest-state.ts';
import { createAofWriter } from './writer.ts';
import { checkAof, logMessages, redisAvailable, snapshot, startServer } from './__fixtures__/redis.mjs';

const available = redisAvailable();
const root = mkdtempSync(join(tmpdir(), 'larder-aof-interop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const dir = join(root, String(n++));
  mkdirSync(join(dir, 'appendonlydir'), { recursive: true });
  return dir;
};
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const cmd = (...argv: string[]): string => argv.reduce((s, a) => `${s}$${a.length}\r\n${a}\r\n`, `*${argv.length}\r\n`);
const INCR = 'appendonly.aof.1.incr.aof';
const MANIFEST = latin1(encodeManifest(newIncrFile(EMPTY_MANIFEST, 'appendonly.aof').manifest));

/** A dir whose appendonlydir holds our manifest (one incr) and `content` as that incr. */
function aofDir(content: Uint8Array): string {
  const dir = freshDir();
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), MANIFEST, 'latin1');
  writeFileSync(join(dir, 'appendonlydir', INCR), content);
  return dir;
}

const FAR = String(Date.now() + 10 * 365 * 24 * 3600 * 1000);
/**
 * Ops as Redis 7.0.15 propagates them: upper-case shared names where Redis uses them, and MULTI
 * with the db of the transaction's first command (propagatePendingCommands), so its SELECT comes
 * before the MULTI.
 */
const SCRIPT: PropagatedOp[] = [
  { db: 0, argv: ['SET', 'str', 'plain'] },
  { db: 0, argv: ['SET', 'bin\x00\xff', '\r\n\x00\xfe*$#'] },
  { db: 0, argv: ['SET', 'empty', ''] },
  { db: 0, argv: ['SET', 'big', 'x'.repeat(100_000)] },
  { db: 0, argv: ['RPUSH', 'list', 'a', 'b', 'c'] },
  { db: 0, argv: ['PEXPIREAT', 'list', FAR] },
  { db: 3, argv: ['SADD', 'set', 'x', 'y', '1'] },
  { db: 3, argv: ['HSET', 'hash', 'f', 'v', 'g', 'w'] },
  { db: 15, argv: ['MULTI'] },
  { db: 15, argv: ['ZADD', 'z', '1', 'm', '2.5', 'n'] },
  { db: 15, argv: ['INCR', 'counter'] },
  { db: -1, argv: ['EXEC'] },
  { db: 0, argv: ['DEL', 'str'] },
  { db: 3, argv: ['SREM', 'set', 'y'] },
];

describe.skipIf(!available)('files we write, read by Redis', () => {
  it('our incr file is byte for byte what redis-server writes for the same commands', async () => {
    const dir = freshDir();
    const srv = await startServer(dir, ['--appendonly', 'yes']);
    let db = 0;
    for (const op of SCRIPT) {
      if (op.db !== -1 && op.db !== db && op.argv[0] !== 'MULTI') await srv.call(['SELECT', String((db = op.db))]);
      await srv.call(op.argv);
    }
    await srv.stop();
    const w = createAofWriter();
    w.append(SCRIPT, 0);
    expect(latin1(w.view())).toBe(readFileSync(join(dir, 'appendonlydir', INCR), 'latin1'));
  });

  it('redis-check-aof accepts our manifest and incr, and redis-server loads the same data', async () => {
    const w = createAofWriter({ timestamps: true });
    SCRIPT.forEach((op, i) => w.feed(op.db, op.argv, 1_700_000_000 + (i >> 2)));
    const dir = aofDir(w.take());
    const check = checkAof(['appendonlydir/appendonly.aof.manifest'], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('All AOF files and manifest are valid');

    const loaded = await startServer(dir, ['--appendonly', 'yes']);
    expect(loaded.ok).toBe(true);
    const got = await snapshot(loaded);
    await loaded.stop();
    const reference = await startServer(freshDir());
    for (const op of SCRIPT) {
      if (op.db !== -1 && op.argv[0] !== 'MULTI') await reference.call(['SELECT', String(op.db)]);
      await reference.call(op.argv);
    }
    const want = await snapshot(reference);
    await reference.stop();
    expect(got).toEqual(want);
    expect(got.length).toBe(8);
  });
});

/** Bytes whose verdicts we compare with redis-server's and redis-check-aof's. */
const S = cmd('SET', 'foo', 'hello');
const M = cmd('MULTI');
const CASES: [string, string][] = [
  ['clean', S + cmd('SET', 'bar', 'x')],
  ['short read', S + S.slice(0, 29)],
  ['"*" at the end', `${S}*`],
  ['unfinished MULTI', S + M + cmd('SET', 'bar', 'world')],
  ['MULTI then DISCARD', S + M + cmd('DISCARD')],
  ['bad line', `${S}!!!\r\n${S}`],
  ['empty line', `${S}\r\n`],
  ['"*" newline', `${S}*\r\n`],
  ['"*0"', `${S}*0\r\n`],
  ['NUL after "*"', `${S}*\0\r\n`],
  ['missing "$"', `${S}*1\r\n#4\r\nPING\r\n`],
  ['count wraps to 1', `${S}*4294967297\r\n$4\r\nPING\r\n`],
  ['"\\n" lines, CRLF bulks', '*3\n$3\nSET\r\n$1\na\r\n$1\nb\r\n'],
  ['"\\n" everywhere', '*3\n$3\nSET\n$1\na\n$1\nb\n'],
  ['bulk terminators unchecked', '*3\r\n$3\r\nSETXX$1\r\naXX$1\r\nbXX'],
  ['junk after numbers', '*3junk\r\n$3 x\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n'],
  ['annotations', `#TS:1\r\n#TS:2\r\n${S}#TS:12`],
  ['EXEC without MULTI', S + cmd('EXEC')],
  ['nested MULTI', S + cmd('multi') + M + cmd('SET', 'x', 'y') + cmd('exec')],
  ['1023-byte annotation then a command', `#${'x'.repeat(1022)}${S}`],
  ['long annotation', `#${'x'.repeat(1100)}\r\n${S}`],
  ['unknown command', S + cmd('bla', 'foo')],
  ['MULTI, EXEC, cut', S + M + cmd('SET', 'bar', 'x') + cmd('EXEC') + S.slice(0, 10)],
  ['lowercase transaction', S + cmd('multi') + cmd('set', 'k', 'v') + cmd('exec')],
];

const KNOWN = new Set(['set', 'ping', 'multi', 'exec', 'discard', 'incr']);

/** Keys our yielded commands leave (SET only), with MULTI ... EXEC applied at EXEC. */
function model(commands: string[][], result: AofLoadResult): Record<string, string> {
  const db: Record<string, string> = {};
  let queue: string[][] | null = null;
  for (const argv of commands) {
    const name = argv[0]!.toLowerCase();
    if (name === 'multi' && queue === null) queue = [];
    else if (name === 'exec' && queue !== null) {
      for (const q of queue) if (q[0]!.toLowerCase() === 'set') db[q[1]!] = q[2]!;
      queue = null;
    } else if (queue !== null) queue.push(argv);
    else if (name === 'set') db[argv[1]!] = argv[2]!;
  }
  void result;
  return db;
}

describe.skipIf(!available)('damaged files: our loader against redis-server', () => {
  it.each(CASES)('%s', async (_what, content) => {
    for (const truncated of [true, false]) {
      const input = bytes(content);
      const r = createAofReader({ file: INCR, loadTruncated: truncated, isCommand: (argv) => KNOWN.has(argv[0]!.toLowerCase()) });
      const commands = r.push(input);
      const result = r.end();
      const dir = aofDir(input);
      const srv = await startServer(dir, ['--appendonly', 'yes', '--aof-load-truncated', truncated ? 'yes' : 'no']);
      const log: string[] = logMessages(srv.log());
      for (const { message } of result.log) {
        // This one ends with a stale errno: ENOENT at a quiet startup, EAGAIN when clients knock.
        if (result.error === 'read') expect(log.some((l) => l.startsWith(message.slice(0, message.lastIndexOf(': '))))).toBe(true);
        else expect(log).toContain(message);
      }
      const size = statSync(join(dir, 'appendonlydir', INCR)).size;
      if (result.status === 'failed') {
        expect(srv.ok).toBe(false);
        expect(size).toBe(input.length);
        continue;
      }
      expect(srv.ok).toBe(true);
      const keys: Record<string, string> = {};
      for (const k of await snapshot(srv)) keys[k.key] = k.value;
      await srv.stop();
      if (result.status === 'truncated') {
        // Redis cuts a short read inside MULTI at its last command; we cut before the MULTI.
        const innerMulti = result.revertedMulti && !log.some((l) => l.startsWith('Revert'));
        if (!innerMulti) expect(size).toBe(result.truncateTo);
      } else {
        expect(size).toBe(input.length);
      }
      expect(keys).toEqual(model(commands, result));
    }
  }, 30_000);
});

/** runCheckAof over the real file system, as a CLI would wire it, relative paths from `cwd`. */
function fsIo(answer: string | null, cwd: string): CheckAofIo {
  return {
    read(path) {
      try {
        return new Uint8Array(readFileSync(join(cwd, path)));
      } catch (e) {
        return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : String(e) };
      }
    },
    truncate(path, size) {
      writeFileSync(join(cwd, path), readFileSync(join(cwd, path)).subarray(0, size));
      return true;
    },
    readLine: () => answer,
    checkRdb: () => ({ ok: false, output: '' }),
    log: (m) => `LOG ${m}\n`,
  };
}
const normalize = (s: string): string => s.replace(/^\d+:C \d+ \w+ \d+ [\d:.]+ # /gm, 'LOG ');

/** Runs both tools on copies of `content` named `name`: outputs, exit codes, and sizes after. */
function bothChecks(content: Uint8Array, args: string[], answer = 'y') {
  const dir = freshDir();
  const ours = join(dir, 'ours');
  const theirs = join(dir, 'theirs');
  mkdirSync(ours);
  mkdirSync(theirs);
  writeFileSync(join(ours, 'f.aof'), content);
  writeFileSync(join(theirs, 'f.aof'), content);
  const real = checkAof([...args, 'f.aof'], theirs, `${answer}\n`);
  const mine = runCheckAof(['redis-check-aof', ...args, 'f.aof'], fsIo(answer, ours));
  return {
    real: { stdout: normalize(real.stdout), exitCode: real.code, size: statSync(join(theirs, 'f.aof')).size },
    mine: { ...mine, size: statSync(join(ours, 'f.aof')).size },
  };
}

describe.skipIf(!available)('damaged files: our redis-check-aof against redis-check-aof', () => {
  it.each(CASES)('%s', (_what, content) => {
    for (const args of [[], ['--fix'], ['--truncate-to-timestamp', '5']]) {
      const { real, mine } = bothChecks(bytes(content), args);
      expect(mine).toEqual(real);
    }
  });

  const good = readFileSync(new URL('./__fixtures__/resp-ts/appendonly.aof.1.incr.aof', import.meta.url));

  it('every cut of a real incr file', () => {
    for (let at = 0; at <= good.length; at += 3) {
      const { real, mine } = bothChecks(good.subarray(0, at), ['--fix']);
      expect(mine, `cut at ${at}`).toEqual(real);
    }
  }, 60_000);

  it('random damage (fixed seed)', () => {
    const damage = fc.array(
      fc.record({ at: fc.nat(), byte: fc.constantFrom(0x00, 0x0a, 0x0d, 0x24, 0x2a, 0x23, 0x31, 0x39, 0x2d, 0x20, 0x80, 0xff, 0x61), op: fc.constantFrom('set', 'insert', 'delete') }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(damage, (edits) => {
        const b = [...good];
        for (const e of edits) {
          const at = e.at % b.length;
          if (e.op === 'set') b[at] = e.byte;
          else if (e.op === 'insert') b.splice(at, 0, e.byte);
          else b.splice(at, 1);
        }
        const { real, mine } = bothChecks(new Uint8Array(b), ['--fix']);
        expect(mine).toEqual(real);
      }),
      { seed: 20240601, numRuns: 150 },
    );
  }, 60_000);

  it.each<[string, string]>([
    ['valid', `file ${INCR} seq 1 type i\n`],
    ['comment first', `# hello\nfile ${INCR} seq 1 type i\n`],
    ['extra pair', `file ${INCR} seq 1 type i k v\n`],
    ['odd fields', `file ${INCR} seq 1 type i k\n`],
    ['bad type', `file ${INCR} seq 1 type x\n`],
    ['path', `file a/${INCR} seq 1 type i\n`],
    ['duplicate base', `file ${INCR} seq 1 type b\nfile ${INCR} seq 2 type b\n`],
    ['non-monotonic', `file ${INCR} seq 2 type i\nfile ${INCR} seq 2 type i\n`],
    ['no final newline', `file ${INCR} seq 1 type i`],
    ['blank line', `file ${INCR} seq 1 type i\n\n`],
    ['quoted name', `file "${INCR}" seq 1 type i\n`],
    ['missing file', 'file nothere.aof seq 1 type i\n'],
    ['too long', `file ${INCR} seq 1 type i${' '.repeat(1000)}\n`],
    ['seq 0', `file ${INCR} seq 0 type i\n`],
    ['unbalanced quote', `file "${INCR} seq 1 type i\n`],
    ['base is the incr, read twice', `file ${INCR} seq 1 type b\nfile ${INCR} seq 1 type i\n`],
    ['seqs past 2^53', `file ${INCR} seq 9007199254740992 type i\nfile ${INCR} seq 9007199254740993 type i\n`],
    ['seqs up to LLONG_MAX', `file ${INCR} seq 9223372036854775806 type i\nfile ${INCR} seq 9223372036854775807 type i\n`],
    ['seq clamped to LLONG_MAX', `file ${INCR} seq 9223372036854775807 type i\nfile ${INCR} seq 99999999999999999999 type i\n`],
  ])('manifest: %s', (_what, manifest) => {
    const dir = aofDir(bytes(S));
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), manifest, 'latin1');
    const real = checkAof(['appendonlydir/appendonly.aof.manifest'], dir);
    const mine = runCheckAof(['redis-check-aof', 'appendonlydir/appendonly.aof.manifest'], fsIo(null, dir));
    expect(mine).toEqual({ stdout: normalize(real.stdout), exitCode: real.code });
  });

  it('a multi-part AOF redis-server wrote, checked and cut to timestamps', () => {
    const fixture = new URL('./__fixtures__/resp-ts/', import.meta.url);
    for (const ts of ['1', '4000000000', readFileSync(new URL('appendonly.aof.1.base.aof', fixture), 'latin1').slice(4, 14)]) {
      const dir = freshDir();
      for (const f of ['appendonly.aof.manifest', 'appendonly.aof.1.base.aof', INCR]) {
        copyFileSync(new URL(f, fixture), join(dir, 'appendonlydir', f));
      }
      const real = checkAof(['--truncate-to-timestamp', ts, 'appendonlydir/appendonly.aof.manifest'], dir);
      const realSize = statSync(join(dir, 'appendonlydir', INCR)).size;
      copyFileSync(new URL(INCR, fixture), join(dir, 'appendonlydir', INCR));
      const mine = runCheckAof(['redis-check-aof', '--truncate-to-timestamp', ts, 'appendonlydir/appendonly.aof.manifest'], fsIo(null, dir));
      expect(mine).toEqual({ stdout: normalize(real.stdout), exitCode: real.code });
      expect(statSync(join(dir, 'appendonlydir', INCR)).size).toBe(realSize);
    }
  });
});
