/**
 * The damage catalogue: directories `larder serve` wrote (a multi-part AOF with an RDB base, one
 * with a RESP base, and dump.rdb), and the ways the tests break them. Each case says what
 * redis-server 7.0.15 does with the broken directory (checked by the tests, not assumed) and where
 * the damage is, so a message can be held to name the file and a byte offset near it.
 */
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveLarder, sleep } from './harness.ts';

export const AOF_DIR = 'appendonlydir';
export const MANIFEST = `${AOF_DIR}/appendonly.aof.manifest`;

/** The directories the cases start from (read-only: every case works on a copy). */
export interface Sources {
  /** appendonly yes, aof-use-rdb-preamble yes: base 2 (RDB), incr 2, and a dump.rdb of the same data. */
  rdbBase: string;
  /** appendonly yes, aof-use-rdb-preamble no: base 2 (RESP), incr 2. */
  respBase: string;
}

/** Written before the rewrite: the base holds these. */
const PART1: string[][] = [
  ['SET', 'damage-me', 'v0'],
  ['RPUSH', 'l', 'x', 'y', 'z'],
  ['HSET', 'h', 'f', 'v'],
  ['SADD', 's', '1', '2', '3'],
  ['ZADD', 'z', '1.5', 'm'],
];
/** Written after it: the incr holds these (SET bar world and the transaction are damage targets). */
const PART2: string[][] = [
  ['INCR', 'foo'], ['INCR', 'foo'], ['INCR', 'foo'], ['INCR', 'foo'], ['INCR', 'foo'],
  ['SET', 'bar', 'world'],
  ['MULTI'], ['SET', 't1', 'a'], ['SET', 't2', 'b'], ['EXEC'],
  ['SELECT', '2'], ['SET', 'in-db2', 'x'],
];

async function write(dir: string, preamble: 'yes' | 'no', save: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const l = await liveLarder(dir, ['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble]);
  try {
    for (const argv of PART1) await l.call(argv);
    await l.call(['BGREWRITEAOF']);
    for (let i = 0; i < 500 && /aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(await l.call(['INFO', 'persistence'])); i++) await sleep(20);
    for (const argv of PART2) await l.call(argv);
    if (save) await l.call(['SAVE']);
  } finally {
    await l.stop();
  }
}

export async function writeSources(fresh: (name: string) => string): Promise<Sources> {
  const rdbBase = fresh('src-rdb-base');
  const respBase = fresh('src-resp-base');
  await Promise.all([write(rdbBase, 'yes', true), write(respBase, 'no', false)]);
  return { rdbBase, respBase };
}

/** Where the damage is: the file a message must name, and the positions it may give. */
export interface Where {
  /** The damaged file's name, as Redis prints it (no directory). */
  file: string;
  /** The position a message may name: any in [lo, hi] (a byte offset, or a manifest line). */
  lo?: number;
  hi?: number;
}

export interface DamageCase {
  name: string;
  source: keyof Sources;
  /** Server flags besides --dir and --save "". */
  args: string[];
  /** What a message must name besides the file: a byte offset, a manifest line, or nothing more. */
  position: 'offset' | 'line' | 'file';
  /** Breaks the copy at `dir`; returns where. */
  damage(dir: string): Where;
  /** What redis-server 7.0.15 does: refuses to start, or starts after cutting a torn tail. */
  redis: 'refuses' | 'starts';
  /** Whether redis-server changes the directory while doing so (it cuts torn tails in place). */
  redisChangesFiles: boolean;
  /**
   * What a Larder user is told to do: `larder check-aof --fix` (or Redis's own wording,
   * redis-check-aof --fix) for AOF damage, `check-rdb` to see RDB damage.
   */
  remedy?: RegExp;
}

const bytes = (path: string): Buffer => readFileSync(path);
const find = (path: string, needle: string, from = 0): number => {
  const i = bytes(path).indexOf(Buffer.from(needle, 'latin1'), from);
  if (i < 0) throw new Error(`"${needle}" not found in ${path}`);
  return i;
};
const poke = (path: string, at: number, text: string): void => {
  const b = bytes(path);
  b.write(text, at, 'latin1');
  writeFileSync(path, b);
};
const cmd = (...argv: string[]): string => argv.reduce((s, a) => `${s}$${a.length}\r\n${a}\r\n`, `*${argv.length}\r\n`);

const INCR = 'appendonly.aof.2.incr.aof';
const RDB_BASE = 'appendonly.aof.2.base.rdb';
const RESP_BASE = 'appendonly.aof.2.base.aof';
const aof = (dir: string, name: string): string => join(dir, AOF_DIR, name);
const AOF_FIX = /check-aof --fix/;
const RDB_CHECK = /check-rdb/;
const YES = ['--appendonly', 'yes'];

/** Where the incr's last command (SET in-db2 x, after SELECT 2) starts. */
const lastCommandStart = (path: string): number => find(path, cmd('SELECT', '2')) + cmd('SELECT', '2').length;

/** The type byte of key `damage-me` in an RDB file. */
const typeByte = (path: string): number => find(path, '\x09damage-me') - 1;

export const CASES: DamageCase[] = [
  {
    name: 'torn tail of the last incr (aof-load-truncated yes)',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, INCR);
      const size = bytes(p).length;
      truncateSync(p, size - 3);
      return { file: INCR, lo: lastCommandStart(p), hi: size - 3 };
    },
    redis: 'starts',
    redisChangesFiles: true,
  },
  {
    name: 'torn tail of the last incr (aof-load-truncated no)',
    source: 'rdbBase',
    args: [...YES, '--aof-load-truncated', 'no'],
    position: 'offset',
    damage(dir) {
      const p = aof(dir, INCR);
      const size = bytes(p).length;
      truncateSync(p, size - 3);
      return { file: INCR, lo: lastCommandStart(p), hi: size - 3 };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: AOF_FIX,
  },
  {
    name: 'unfinished MULTI at the end of the last incr',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, INCR);
      const exec = find(p, cmd('EXEC'));
      truncateSync(p, exec);
      return { file: INCR, lo: find(p, cmd('MULTI')), hi: exec };
    },
    redis: 'starts',
    redisChangesFiles: true,
  },
  {
    name: 'bad byte mid-file in the incr (a command not starting with "*")',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, INCR);
      const at = find(p, cmd('SET', 'bar', 'world'));
      poke(p, at, '!');
      return { file: INCR, lo: at, hi: at + 4 };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: AOF_FIX,
  },
  {
    name: 'unknown command in the incr',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, INCR);
      const at = find(p, cmd('SET', 'bar', 'world'));
      poke(p, at + 8, 'SXT');
      return { file: INCR, lo: at, hi: at + cmd('SET', 'bar', 'world').length };
    },
    redis: 'refuses',
    redisChangesFiles: false,
  },
  {
    name: 'bad type byte mid-file in the RDB base',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, RDB_BASE);
      const at = typeByte(p);
      poke(p, at, '\x3f');
      return { file: RDB_BASE, lo: at, hi: at + 12 };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: RDB_CHECK,
  },
  {
    name: 'bad CRC in the RDB base',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, RDB_BASE);
      const size = bytes(p).length;
      poke(p, size - 1, String.fromCharCode(bytes(p)[size - 1]! ^ 0x55));
      return { file: RDB_BASE, lo: size - 8, hi: size };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: RDB_CHECK,
  },
  {
    name: 'unknown RDB version (99) in the RDB base',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      poke(aof(dir, RDB_BASE), 5, '0099');
      return { file: RDB_BASE, lo: 0, hi: 9 };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: RDB_CHECK,
  },
  {
    name: 'RDB base cut short (not the last file)',
    source: 'rdbBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, RDB_BASE);
      const size = bytes(p).length - 10;
      truncateSync(p, size);
      return { file: RDB_BASE, lo: size - 12, hi: size };
    },
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: RDB_CHECK,
  },
  {
    name: 'RESP base cut short (not the last file)',
    source: 'respBase',
    args: YES,
    position: 'offset',
    damage(dir) {
      const p = aof(dir, RESP_BASE);
      const size = bytes(p).length - 4;
      truncateSync(p, size);
      return { file: RESP_BASE, lo: size - 120, hi: size };
    },
    redis: 'refuses',
    // Redis truncates the base on disk, then finds it is not the last file and exits.
    redisChangesFiles: true,
    remedy: AOF_FIX,
  },
  ...manifestCases(),
  ...dumpCases(),
];

function manifestCases(): DamageCase[] {
  const base = `file ${RDB_BASE} seq 2 type b\n`;
  const incr = `file ${INCR} seq 2 type i\n`;
  const broken = (name: string, text: string, line: number): DamageCase => ({
    name: `manifest: ${name}`,
    source: 'rdbBase',
    args: YES,
    position: 'line',
    damage(dir) {
      writeFileSync(join(dir, MANIFEST), text, 'latin1');
      return { file: 'appendonly.aof.manifest', lo: line, hi: line };
    },
    redis: 'refuses',
    redisChangesFiles: false,
  });
  return [
    broken('unknown file type', `${base}file ${INCR} seq 2 type x\n`, 2),
    broken('blank line', `${base}\n${incr}`, 2),
    broken('duplicate base', `${base}${base}${incr}`, 2),
    broken('non-monotonic incr seqs', `${base}file a.1.incr.aof seq 3 type i\n${incr}`, 3),
    broken('a line missing its seq', `${base}file ${INCR} type i\n`, 2),
    broken('odd key/value count', `${base}file ${INCR} seq 2 type i newkey\n`, 2),
    broken('a file name with a path', `${base}file ../${INCR} seq 2 type i\n`, 2),
    {
      ...broken('line too long', `${base}file ${'x'.repeat(1100)} seq 3 type i\n`, 2),
      // Redis names no line here; the file is what matters.
      position: 'file',
      damage(dir) {
        writeFileSync(join(dir, MANIFEST), `${base}file ${'x'.repeat(1100)} seq 3 type i\n`, 'latin1');
        return { file: 'appendonly.aof.manifest' };
      },
    },
    {
      ...broken('empty manifest', '', 0),
      position: 'file',
      damage(dir) {
        writeFileSync(join(dir, MANIFEST), '');
        return { file: 'appendonly.aof.manifest' };
      },
    },
    {
      name: 'manifest lists an incr that does not exist',
      source: 'rdbBase',
      args: YES,
      position: 'file',
      damage(dir) {
        rmSync(aof(dir, INCR));
        return { file: INCR };
      },
      redis: 'refuses',
      redisChangesFiles: false,
    },
  ];
}

function dumpCases(): DamageCase[] {
  const NO = ['--appendonly', 'no'];
  const dump = (dir: string): string => join(dir, 'dump.rdb');
  const c = (name: string, damage: (p: string) => Where): DamageCase => ({
    name: `dump.rdb: ${name}`,
    source: 'rdbBase',
    args: NO,
    position: 'offset',
    damage: (dir) => damage(dump(dir)),
    redis: 'refuses',
    redisChangesFiles: false,
    remedy: RDB_CHECK,
  });
  return [
    c('bad type byte mid-file', (p) => {
      const at = typeByte(p);
      poke(p, at, '\x3f');
      return { file: 'dump.rdb', lo: at, hi: at + 12 };
    }),
    c('bad CRC', (p) => {
      const size = bytes(p).length;
      poke(p, size - 1, String.fromCharCode(bytes(p)[size - 1]! ^ 0x55));
      return { file: 'dump.rdb', lo: size - 8, hi: size };
    }),
    c('unknown RDB version (99)', (p) => {
      poke(p, 5, '0099');
      return { file: 'dump.rdb', lo: 0, hi: 9 };
    }),
    c('cut short', (p) => {
      const size = bytes(p).length - 20;
      truncateSync(p, size);
      return { file: 'dump.rdb', lo: size - 16, hi: size };
    }),
    {
      ...c('cannot be read (a directory)', () => ({ file: 'dump.rdb' })),
      position: 'file',
      damage(dir) {
        rmSync(dump(dir));
        mkdirSync(dump(dir));
        return { file: 'dump.rdb' };
      },
    },
  ];
}
