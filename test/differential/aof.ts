/**
 * The AOF side of a differential run (propagation.test.ts): what each side appended to its
 * current incr file, as commands, and how two such streams are compared.
 *
 * Reading. Both sides run with `appendonly yes`: redis-server with `--appendfsync always`, so a
 * write's bytes are in the file before its reply leaves (flushAppendOnlyFile runs in beforeSleep,
 * before replies are written); Larder on memory storage, flushed before each read (`aof.flush()`).
 * Each side's manifest names the current incr file (`type i`, the last one); a tap remembers how
 * far it read and returns the commands appended since, parsed strictly (`*<argc>`, `$<len>`, the
 * bytes, CRLF after every line and argument), so a framing fault is a failure, not a difference.
 *
 * Comparing. Command by command, every argument exactly (SELECT and MULTI/EXEC included), except:
 *  - absolute times two clocks computed (relative TTLs made absolute: the argument after `PXAT` in
 *    SET, PEXPIREAT's time, RESTORE's time with ABSTTL): equal within ±2 s;
 *  - `unordered`: the same commands in any order (the lazy-expiry DELs of a SCAN, whose order is
 *    the hashtable's walk, and RANDOMKEY's, which the caller first makes the same on both sides);
 *  - `members`: commands compared with member arguments masked and the members compared as a
 *    multiset (SPOP draws different members on each side; runRandom then makes each side remove
 *    what the other popped, so both removed the union).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RespClient } from '../support/resp-client.ts';
import type { MemoryStorage } from '../support/larder.ts';
import { quote } from '../support/norm.ts';

export type Command = string[];

/** Reads one side's AOF directory. */
export interface AofDir {
  manifest(): Promise<string>;
  size(file: string): Promise<number>;
  /** The bytes of `file` from `offset` to its end. */
  readFrom(file: string, offset: number): Promise<Uint8Array>;
}

/** The incr file a manifest lists last (the one being appended to), as Redis's `aofInfoFormat` writes it. */
export function currentIncr(manifest: string): string {
  let incr: string | undefined;
  for (const line of manifest.split('\n')) {
    const m = /^file (\S+) seq \d+ type i$/.exec(line.trim());
    if (m) incr = m[1];
  }
  if (incr === undefined) throw new Error(`no incr file in the AOF manifest:\n${manifest}`);
  return incr;
}

/**
 * Splits AOF bytes into commands (RESP multibulks of bulk strings, arguments as latin1 byte
 * strings). Strict: anything else, a missing CRLF or a truncated command throws. `#` annotation
 * lines would be skipped by Redis's loader; neither side writes them here (aof-timestamp-enabled no).
 */
export function parseAof(bytes: Uint8Array): Command[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: Command[] = [];
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`AOF framing error at byte ${at}: ${why}; next bytes ${quote(text.slice(at, at + 40))}`);
  };
  const line = (prefix: string): number => {
    if (text[at] !== prefix) fail(`expected '${prefix}'`);
    const end = text.indexOf('\r\n', at);
    if (end < 0) fail('line without CRLF');
    const digits = text.slice(at + 1, end);
    if (!/^(0|[1-9]\d*)$/.test(digits)) fail(`bad number ${quote(digits)}`);
    at = end + 2;
    return Number(digits);
  };
  while (at < text.length) {
    const argc = line('*');
    if (argc < 1) fail('empty command');
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const len = line('$');
      if (at + len + 2 > text.length) fail('truncated argument');
      argv.push(text.slice(at, at + len));
      at += len;
      if (text.slice(at, at + 2) !== '\r\n') fail('argument not followed by CRLF');
      at += 2;
    }
    out.push(argv);
  }
  return out;
}

/** Returns, at each `take`, the commands appended to a side's current incr file since the last one. */
export class AofTap {
  private constructor(
    private readonly dir: AofDir,
    private readonly file: string,
    private offset: number,
    /** Makes everything the side propagated reach the file (Larder); nothing for redis-server. */
    private readonly flush: () => Promise<void>,
  ) {}

  /** A tap positioned at the current end of the side's incr file. */
  static async at(dir: AofDir, flush: () => Promise<void> = async () => {}): Promise<AofTap> {
    await flush();
    const file = currentIncr(await dir.manifest());
    return new AofTap(dir, file, await dir.size(file), flush);
  }

  async take(): Promise<Command[]> {
    await this.flush();
    const file = currentIncr(await this.dir.manifest());
    // Nothing in these runs rewrites the AOF (auto-aof-rewrite is off; no BGREWRITEAOF is generated).
    if (file !== this.file) throw new Error(`the incr file changed from ${this.file} to ${file} during a run`);
    const bytes = await this.dir.readFrom(file, this.offset);
    this.offset += bytes.length;
    return parseAof(bytes);
  }
}

/** A redis-server's AOF directory, found through its `dir`, `appenddirname` and `appendfilename`. */
export async function redisAofDir(inspector: RespClient): Promise<AofDir> {
  const get = async (name: string): Promise<string> => {
    const r = await inspector.call(['CONFIG', 'GET', name]);
    const v = r.t === 'array' ? r.v[1] : undefined;
    if (v?.t !== 'bulk') throw new Error(`CONFIG GET ${name}: ${JSON.stringify(r)}`);
    return v.v;
  };
  const path = join(await get('dir'), await get('appenddirname'));
  const name = await get('appendfilename');
  return {
    manifest: () => readFile(join(path, `${name}.manifest`), 'latin1'),
    size: async (file) => (await stat(join(path, file))).size,
    async readFrom(file, offset) {
      const f = await open(join(path, file), 'r');
      try {
        const { size } = await f.stat();
        const buf = Buffer.alloc(Math.max(0, size - offset));
        if (buf.length > 0) await f.read(buf, 0, buf.length, offset);
        return buf;
      } finally {
        await f.close();
      }
    },
  };
}

/** Larder's AOF directory on its memory storage (appenddirname and appendfilename at their defaults). */
export function larderAofDir(storage: MemoryStorage): AofDir {
  const path = (f: string) => `appendonlydir/${f}`;
  return {
    async manifest() {
      const b = await storage.read(path('appendonly.aof.manifest'));
      if (b === undefined) throw new Error('Larder wrote no AOF manifest');
      return Buffer.from(b).toString('latin1');
    },
    async size(file) {
      const n = await storage.size?.(path(file));
      if (n === undefined) throw new Error(`Larder's manifest lists ${file}, which does not exist`);
      return n;
    },
    async readFrom(file, offset) {
      const b = await storage.read(path(file));
      if (b === undefined) throw new Error(`Larder's manifest lists ${file}, which does not exist`);
      return b.subarray(offset);
    },
  };
}

/** Absolute times two clocks may have computed differently by the time between the executions. */
const TIME_TOLERANCE_MS = 2000;

/** Indexes of the arguments of `argv` that hold an absolute unix time in ms. */
function timeArgs(argv: Command): number[] {
  const name = argv[0]!.toUpperCase();
  if (name === 'PEXPIREAT') return [2];
  if (name === 'SET') return argv.flatMap((_, i) => (i > 2 && argv[i - 1]!.toUpperCase() === 'PXAT' ? [i] : []));
  if (name === 'RESTORE' && argv.some((x, i) => i > 3 && x.toUpperCase() === 'ABSTTL')) return [2];
  return [];
}

function sameCommand(r: Command, l: Command): boolean {
  if (r.length !== l.length) return false;
  const times = timeArgs(r);
  return r.every((a, i) => {
    if (a === l[i]) return true;
    if (!times.includes(i) || !/^\d+$/.test(a) || !/^\d+$/.test(l[i]!)) return false;
    return Math.abs(Number(a) - Number(l[i])) <= TIME_TOLERANCE_MS;
  });
}

export type AofCompare = 'exact' | 'unordered' | 'members';

/** Commands whose arguments after the key are members `members` mode masks. */
const MEMBER_COMMANDS = new Set(['SREM']);

const mask = (c: Command): Command => (MEMBER_COMMANDS.has(c[0]!) ? [c[0]!, c[1]!, ...c.slice(2).map(() => '?')] : c);
const members = (cs: Command[]): string[] => cs.flatMap((c) => (MEMBER_COMMANDS.has(c[0]!) ? c.slice(2) : [])).sort();
const sortKey = (c: Command) => JSON.stringify(c);

/** Why the two streams differ, or undefined when they agree under `how`. */
export function compareAof(redis: Command[], larder: Command[], how: AofCompare = 'exact'): string | undefined {
  if (how === 'unordered') {
    const r = [...redis].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const l = [...larder].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    return r.length === l.length && r.every((c, i) => sameCommand(c, l[i]!)) ? undefined : 'AOF commands differ (compared in any order)';
  }
  if (how === 'members') {
    const shapes = redis.length === larder.length && redis.every((c, i) => sameCommand(mask(c), mask(larder[i]!)));
    if (!shapes) return 'AOF commands differ (members masked)';
    const [r, l] = [members(redis), members(larder)];
    return r.length === l.length && r.every((m, i) => m === l[i]) ? undefined : 'AOF commands remove different members in all';
  }
  if (redis.length === larder.length && redis.every((c, i) => sameCommand(c, larder[i]!))) return undefined;
  const i = redis.findIndex((c, j) => larder[j] === undefined || !sameCommand(c, larder[j]));
  return `AOF commands differ from command ${(i < 0 ? redis.length : i) + 1}`;
}

/** One command as a line of the report. */
export function showCommand(c: Command): string {
  return [c[0] ?? '', ...c.slice(1).map(quote)].join(' ');
}

/** Both streams side by side, for a failure's detail. */
export function showStreams(redis: Command[], larder: Command[]): string[] {
  const list = (cs: Command[]) => (cs.length === 0 ? ['      (nothing)'] : cs.map((c, i) => `      ${String(i + 1).padStart(2)}. ${showCommand(c)}`));
  return ['redis AOF:', ...list(redis), 'larder AOF:', ...list(larder)];
}
