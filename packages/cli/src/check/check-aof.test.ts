/**
 * `larder check-aof` against redis-check-aof 7.0.15: multi-part AOFs redis-server wrote (RDB
 * preamble base with #TS annotations; RESP base), old-style single files, cut, damaged and
 * repaired (--fix, --truncate-to-timestamp) at points fast-check picks. Output (serverLog
 * prefixes aside), exit codes and the files left behind must be identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAvailable, startServer } from '../../../core/src/rdb/__fixtures__/redis.mjs';
import { bothCheckAof, checkToolsAvailable, rdbBytes } from '../../test-support/check.ts';
import { runCheckAofCommand, type CheckHost } from './check-aof.ts';

const available = redisAvailable() && checkToolsAvailable();
const root = mkdtempSync(join(tmpdir(), 'larder-check-aof-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One server's appendonlydir: file name → bytes. */
type AofDir = Record<string, Uint8Array>;

async function makeAof(name: string, args: string[]): Promise<AofDir> {
  const dir = join(root, `srv-${name}`);
  mkdirSync(dir);
  const srv = await startServer(dir, ['--appendonly', 'yes', ...args]);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    for (const cmd of [['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['HSET', 'h', 'f', 'v'], ['XADD', 's', '1-1', 'f', 'v']]) await srv.call(cmd);
    await srv.call(['BGREWRITEAOF']);
    while (!String(await srv.call(['INFO', 'persistence'])).includes('aof_rewrite_in_progress:0')) await pause(20);
    await pause(1100);
    for (const cmd of [['SET', 'b', '2'], ['MULTI'], ['INCR', 'a'], ['SET', 'q', 'w'], ['EXEC'], ['SELECT', '2'], ['SADD', 'st', '1']]) await srv.call(cmd);
    // A second of quiet makes the next write carry a new #TS annotation.
    await pause(1100);
    for (const cmd of [['DEL', 'st'], ['MULTI'], ['SET', 'c', '3'], ['EXEC']]) await srv.call(cmd);
  } finally {
    await srv.stop();
  }
  const aofDir = join(dir, 'appendonlydir');
  return Object.fromEntries(readdirSync(aofDir).map((f) => [f, new Uint8Array(readFileSync(join(aofDir, f)))]));
}

let preamble: AofDir = {};
let resp: AofDir = {};
beforeAll(async () => {
  if (!available) return;
  [preamble, resp] = await Promise.all([makeAof('preamble', ['--aof-timestamp-enabled', 'yes']), makeAof('resp', ['--aof-use-rdb-preamble', 'no'])]);
}, 60_000);

const named = (aof: AofDir, kind: 'base' | 'incr'): [string, Uint8Array] => Object.entries(aof).find(([f]) => f.includes(`.${kind}.`))!;
let cases = 0;
/** The files under a fresh folder, and the manifest's path there. */
function place(aof: AofDir, change: (name: string, bytes: Uint8Array) => Uint8Array = (_, b) => b) {
  const dir = join(root, `case-${++cases}`);
  mkdirSync(dir);
  const files = Object.fromEntries(Object.entries(aof).map(([f, b]) => [join(dir, f), change(f, b)]));
  return { files, manifest: join(dir, Object.keys(aof).find((f) => f.endsWith('.manifest'))!), dir };
}

/**
 * When a line's number runs to its end, the second byte redis-check-aof shows ("got: 00xx") is
 * stack garbage; after an RDB check ran on that stack it cannot be predicted, so `afterRdb`
 * blanks it.
 */
function same(files: Record<string, Uint8Array>, args: string[], answer: string | null = null, afterRdb = false): void {
  const { theirs, ours } = bothCheckAof(files, args, answer);
  if (afterRdb) for (const run of [theirs, ours]) run.stdout = run.stdout.replace(/(Expected \\r\\n, got: 00)(ffffff)?[0-9a-f]{2}$/m, '$1??');
  expect(ours).toEqual(theirs);
}

describe.skipIf(!available)('check-aof against redis-check-aof 7.0.15', () => {
  it('finds multi-part AOFs valid, with an RDB or a RESP base', () => {
    for (const aof of [preamble, resp]) {
      const { files, manifest } = place(aof);
      same(files, [manifest]);
    }
  });

  it('checks old-style single files: RESP, and an RDB preamble with a RESP tail', () => {
    const dir = join(root, 'single');
    mkdirSync(dir);
    const [, base] = named(preamble, 'base');
    const [, incr] = named(preamble, 'incr');
    same({ [join(dir, 'resp.aof')]: incr }, [join(dir, 'resp.aof')]);
    same({ [join(dir, 'pre.aof')]: Uint8Array.from([...base, ...incr]) }, [join(dir, 'pre.aof')]);
  });

  it('reports, and with --fix cuts, a last file cut anywhere', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.constantFrom<[string[], string | null]>([[], null], [['--fix'], 'y\n'], [['--fix'], 'n\n'], [['--fix'], null]), (rdbBase, cut, [flags, answer]) => {
        const aof = rdbBase ? preamble : resp;
        const [incrName, incr] = named(aof, 'incr');
        const { files, manifest } = place(aof, (f, b) => (f === incrName ? b.subarray(0, cut % (incr.length + 1)) : b));
        same(files, [...flags, manifest], answer, rdbBase);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to fix a base that is not the last file', () => {
    fc.assert(
      fc.property(fc.nat(), (cut) => {
        const [baseName, base] = named(resp, 'base');
        const { files, manifest } = place(resp, (f, b) => (f === baseName ? b.subarray(0, 1 + (cut % (base.length - 1))) : b));
        same(files, ['--fix', manifest], 'y\n');
      }),
      { numRuns: 10 },
    );
  });

  it('reports damaged bytes in the last file', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const [incrName, incr] = named(resp, 'incr');
        const { files, manifest } = place(resp, (f, b) => {
          if (f !== incrName) return b;
          const d = b.slice();
          d[at % incr.length]! ^= x;
          return d;
        });
        same(files, [manifest]);
      }),
      { numRuns: 40 },
    );
  });

  it('truncates to a timestamp as redis-check-aof does', () => {
    const [, incr] = named(preamble, 'incr');
    const stamps = [...Buffer.from(incr).toString('latin1').matchAll(/#TS:(\d+)/g)].map((m) => Number(m[1]));
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    fc.assert(
      fc.property(fc.integer({ min: stamps[0]! - 2, max: stamps.at(-1)! + 2 }), fc.boolean(), (ts, single) => {
        if (single) {
          const path = join(root, `ts-${++cases}.aof`);
          same({ [path]: incr }, ['--truncate-to-timestamp', String(ts), path]);
        } else {
          const { files, manifest } = place(preamble);
          same(files, ['--truncate-to-timestamp', String(ts), manifest]);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('stops at an RDB base cut short, and at damaged or missing files and manifests', () => {
    const [baseName, base] = named(preamble, 'base');
    const cutBase = place(preamble, (f, b) => (f === baseName ? b.subarray(0, base.length - 4) : b));
    same(cutBase.files, [cutBase.manifest]);
    const badManifest = place(preamble, (f, b) => (f.endsWith('.manifest') ? Buffer.from('file x seq 1 type q\n') : b));
    same(badManifest.files, [badManifest.manifest]);
    const missing = place(resp);
    const [incrName] = named(resp, 'incr');
    delete missing.files[join(missing.dir, incrName)];
    same(missing.files, [missing.manifest]);
    same({}, [join(root, 'nothing.aof')]);
    same({}, []);
    same({}, ['--truncate-to-timestamp', '12x', 'f.aof']);
  });

  it('shows zero for the byte past a full line buffer, where redis-check-aof shows stack garbage', () => {
    const lines = [`*${'0'.repeat(125)}2`, `*${'9'.repeat(200)}`, `*1\r\n$${'0'.repeat(125)}3`];
    for (const [i, line] of lines.entries()) {
      const path = join(root, `long-${i}.aof`);
      const { theirs, ours } = bothCheckAof({ [path]: Buffer.from(`*1\r\n$3\r\nabc\r\n${line}\r\n`, 'latin1') }, [path]);
      expect(theirs.stdout).toMatch(/Expected \\r\\n, got: 00/);
      theirs.stdout = theirs.stdout.replace(/(Expected \\r\\n, got: 00)(ffffff)?[0-9a-f]{2}$/m, '$100');
      expect(ours).toEqual(theirs);
    }
  });

  it('takes a directory for a file, on the command line or in a manifest', () => {
    const dir = join(root, 'dirs');
    mkdirSync(join(dir, 'd'), { recursive: true });
    same({}, [join(dir, 'd')]);
    // A directory of st_size 0 passes the input probes (an empty file to them).
    if (statSync('/proc/sys', { throwIfNoEntry: false })?.size === 0) same({}, ['/proc/sys']);
    for (const name of ['d', '""', '.']) {
      const manifest = join(dir, 'm');
      same({ [manifest]: Buffer.from(`file ${name} seq 1 type b\n`) }, [manifest]);
    }
  });

  it('takes a device by its st_size, as redis-check-aof: /dev/zero is empty, not read forever', () => {
    same({}, ['/dev/zero']);
    same({}, ['/dev/null']);
  });

  it('compares and echoes timestamps past 2^53 exactly, as long longs', () => {
    const path = join(root, 'big-ts.aof');
    const aof = Buffer.from('*1\r\n$1\r\na\r\n#TS:9007199254740993\r\n*1\r\n$1\r\nb\r\n');
    for (const ts of ['9007199254740992', '9007199254740993', '9223372036854775807', '-9223372036854775808']) {
      same({ [path]: aof }, ['--truncate-to-timestamp', ts, path]);
    }
  });

  it('differs only by one line when an RDB base is damaged inside (7.0.15 exits in the RDB check)', () => {
    const [baseName] = named(preamble, 'base');
    const damaged = rdbBytes.file([0, ...rdbBytes.str('k'), 0xc5]); // an unknown string encoding
    const { files, manifest } = place(preamble, (f, b) => (f === baseName ? damaged : b));
    const { theirs, ours } = bothCheckAof(files, [manifest]);
    expect(theirs.stdout).toContain('Internal error');
    expect(ours.code).toBe(theirs.code);
    expect(ours.stdout).toBe(`${theirs.stdout}RDB preamble of AOF file is not sane, aborting.\n`);
  });
});

describe('check-aof --fix runs the check once', () => {
  const cmd = (...argv: string[]): string => argv.reduce((s, a) => `${s}$${a.length}\r\n${a}\r\n`, `*${argv.length}\r\n`);
  const incr = `${cmd('SET', 'foo', 'hello')}${cmd('SET', 'bar', 'world')}`.slice(0, -5);
  const manifest = 'file appendonly.aof.1.incr.aof seq 1 type i\n';

  /** A host over in-memory files that records every effect in order. */
  function recordingHost(answer: string | null) {
    const files = new Map([
      ['d/appendonly.aof.manifest', Buffer.from(manifest, 'latin1')],
      ['d/appendonly.aof.1.incr.aof', Buffer.from(incr, 'latin1')],
    ]);
    const events: string[] = [];
    let stdout = '';
    const host: CheckHost = {
      write: (s) => void (stdout += s),
      readLine: () => (events.push(`answer after ${JSON.stringify(stdout.slice(-17))}`), answer),
      read: (path) => {
        events.push(`read ${path}`);
        const b = files.get(path);
        return b ? new Uint8Array(b) : { error: 'No such file or directory' };
      },
      truncate: (path, size) => (events.push(`truncate ${path} ${size}`), files.set(path, files.get(path)!.subarray(0, size)), true),
    };
    return { host, events, files, stdout: () => stdout };
  }

  it.each([['y\n', 0], ['n\n', 1], [null, 1]] as const)('answer %j: each file read as often as without --fix, the question shown before the answer', (answer, code) => {
    const plain = recordingHost(null);
    expect(runCheckAofCommand(['larder check-aof', 'd/appendonly.aof.manifest'], plain.host)).toBe(1);
    const fix = recordingHost(answer);
    expect(runCheckAofCommand(['larder check-aof', '--fix', 'd/appendonly.aof.manifest'], fix.host)).toBe(code);
    const reads = (events: string[]) => events.filter((e) => e.startsWith('read '));
    expect(reads(fix.events)).toEqual(reads(plain.events));
    expect(fix.events.filter((e) => e.startsWith('answer'))).toEqual(['answer after "Continue? [y/N]: "']);
    const out = fix.stdout();
    expect(out.indexOf('Continue? [y/N]: ')).toBe(out.lastIndexOf('Continue? [y/N]: '));
    expect(out.startsWith(plain.stdout().replace(/AOF appendonly\.aof\.1\.incr\.aof is not valid.*\n$/, ''))).toBe(true);
    if (code === 0) {
      expect(fix.events.at(-1)).toBe(`truncate d/appendonly.aof.1.incr.aof ${cmd('SET', 'foo', 'hello').length}`);
      expect(out.endsWith('Continue? [y/N]: Successfully truncated AOF appendonly.aof.1.incr.aof\nAll AOF files and manifest are valid\n')).toBe(true);
    } else {
      expect(fix.events.some((e) => e.startsWith('truncate'))).toBe(false);
      expect(out.endsWith('Continue? [y/N]: Aborting...\n')).toBe(true);
    }
  });
});
