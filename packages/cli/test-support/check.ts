/**
 * Test helpers for the check tools: running Redis's redis-check-rdb / redis-check-aof and ours on
 * the same files, and building RDB bytes by hand. Kept outside src/ so they are never built.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { processHost, runCheckAofCommand, type CheckHost } from '../src/check/check-aof.ts';
import { checkRdbBytes } from '../src/check/check-rdb.ts';
import { SERVER_LOG_PREFIX } from '../src/check/server-log.ts';

export const checkToolsAvailable = (): boolean =>
  ['redis-check-rdb', 'redis-check-aof', 'redis-server'].every((t) => spawnSync('which', [t]).status === 0);

export interface ToolRun {
  stdout: string;
  code: number;
}

/** Output with serverLog prefixes (pid, time) blanked, for comparison. */
export const normal = (run: ToolRun): ToolRun => ({ stdout: run.stdout.replace(SERVER_LOG_PREFIX, 'LOG # '), code: run.code });

function tool(bin: string, args: string[], input = ''): ToolRun {
  try {
    return { stdout: execFileSync(bin, args, { encoding: 'latin1', input, stdio: ['pipe', 'pipe', 'ignore'] }), code: 0 };
  } catch (e) {
    const err = e as { stdout: string; status: number };
    return { stdout: err.stdout, code: err.status };
  }
}

/** Both checkers on `bytes`, written at `path` (the path shows in the output). */
export function bothCheckRdb(path: string, bytes: Uint8Array): { theirs: ToolRun; ours: ToolRun } {
  writeFileSync(path, bytes);
  const theirs = tool('redis-check-rdb', [path]);
  const result = checkRdbBytes(bytes, path);
  return { theirs: normal(theirs), ours: normal({ stdout: result.output, code: result.ok ? 0 : 1 }) };
}

/** What a check-aof run printed, its exit code, and the files afterwards (after --fix). */
export interface AofRun extends ToolRun {
  files: Record<string, string>;
}

/**
 * Both redis-check-aof and ours with `args`, each on the same paths holding `files` (restored
 * in between), answering `answer` to a --fix prompt.
 */
export function bothCheckAof(files: Record<string, Uint8Array>, args: string[], answer: string | null = null): { theirs: AofRun; ours: AofRun } {
  const put = (): void => {
    for (const [path, bytes] of Object.entries(files)) writeFileSync(path, bytes);
  };
  const after = (): Record<string, string> =>
    Object.fromEntries(Object.keys(files).map((p) => [p, readFileSync(p).toString('latin1')]));
  put();
  const theirs = { ...normal(tool('redis-check-aof', args, answer ?? '')), files: after() };
  put();
  let stdout = '';
  const host: CheckHost = {
    write: (s) => void (stdout += s),
    readLine: () => answer,
    // As the CLI reads: the errno's text, and directories as directories.
    read: (path) => processHost.read(path),
    truncate: (path, size) => (writeFileSync(path, readFileSync(path).subarray(0, size)), true),
  };
  const code = runCheckAofCommand(['redis-check-aof', ...args], host);
  const ours = { ...normal({ stdout, code }), files: after() };
  return { theirs, ours };
}

/** RDB bytes by hand, for damage no server writes. */
export const rdbBytes = {
  str: (s: string | Iterable<number>): number[] => {
    const b = typeof s === 'string' ? Array.from(s, (c) => c.charCodeAt(0)) : [...s];
    return [...rdbBytes.len(b.length), ...b];
  },
  len: (n: number): number[] =>
    n < 64 ? [n] : n < 16384 ? [0x40 | (n >> 8), n & 255] : [0x80, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255],
  /** A version-10 file: SELECTDB 0, `body`, EOF, a zero (unchecked) checksum. */
  file: (body: number[], version = 10): Uint8Array =>
    Uint8Array.from([...Array.from(`REDIS${String(version).padStart(4, '0')}`, (c) => c.charCodeAt(0)), 0xfe, 0, ...body, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]),
  /** A listpack of string entries (up to 63 bytes each); `total` overrides the header's size. */
  listpack: (entries: string[], total?: number): number[] => {
    const body = entries.flatMap((e) => {
      const enc = [0x80 | e.length, ...Array.from(e, (c) => c.charCodeAt(0))];
      return [...enc, enc.length];
    });
    const size = total ?? 6 + body.length + 1;
    return [size & 255, (size >> 8) & 255, (size >> 16) & 255, size >>> 24, entries.length & 255, entries.length >> 8, ...body, 0xff];
  },
  /** A ziplist of short string entries. */
  ziplist: (entries: string[]): number[] => {
    let prev = 0;
    const body: number[] = [];
    for (const e of entries) {
      const ent = [prev, e.length, ...Array.from(e, (c) => c.charCodeAt(0))];
      prev = ent.length;
      body.push(...ent);
    }
    const total = 10 + body.length + 1;
    const tail = entries.length > 0 ? 10 + body.length - prev : 10;
    const u32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24];
    return [...u32(total), ...u32(tail), entries.length & 255, entries.length >> 8, ...body, 0xff];
  },
  f64: (v: number): number[] => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return [...b];
  },
};
