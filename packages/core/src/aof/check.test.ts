import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dirname, runCheckAof, type CheckAofIo } from './check.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cmd = (...argv: string[]): string => argv.reduce((s, a) => `${s}$${a.length}\r\n${a}\r\n`, `*${argv.length}\r\n`);
const S = cmd('SET', 'foo', 'hello');
const P = cmd('PING');
const M = cmd('MULTI');
const X = cmd('EXEC');
/** An RDB as far as the fake checker is concerned: "REDIS" then filler, `n` bytes. */
const rdb = (n: number): string => 'REDIS0010' + 'r'.repeat(n - 9);
const RDB_OUTPUT = '[offset 0] Checking RDB file x\n\\o/ RDB looks OK! \\o/\n';

/**
 * An in-memory directory for the tool; the RDB checker accepts anything starting with "REDIS".
 * A number stands for a directory with that st_size.
 */
function memfs(files: Record<string, string | number>, answers: string[] = []) {
  const fs = new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'number' ? v : bytes(v)]));
  const io: CheckAofIo = {
    read: (path) => {
      const f = fs.get(path);
      if (typeof f === 'number') return { error: 'Is a directory', dirSize: f };
      return f ?? { error: 'No such file or directory' };
    },
    truncate(path, size) {
      fs.set(path, (fs.get(path) as Uint8Array).slice(0, size));
      return true;
    },
    readLine: () => answers.shift() ?? null,
    checkRdb: (data, name) => {
      const end = Buffer.from(data).indexOf('r'.repeat(4)) >= 0 ? Buffer.from(data).lastIndexOf('r') + 1 : data.length;
      return data[5] === 0x30 ? { ok: true, end, output: RDB_OUTPUT.replace('x', name) } : { ok: false, output: '--- RDB ERROR DETECTED ---\n' };
    },
  };
  const size = (path: string) => (fs.get(path) as Uint8Array).length;
  return { io, size, run: (...args: string[]) => runCheckAof(['redis-check-aof', ...args], io) };
}

const analyzed = (f: string, size: number, ok: number, line: number) =>
  `AOF analyzed: filename=${f}, size=${size}, ok_up_to=${ok}, ok_up_to_line=${line}, diff=${size - ok}\n`;
const notValid = (f: string) => `AOF ${f} is not valid. Use the --fix option to try fixing it.\n`;
const OLD = 'Start checking Old-Style AOF\n';

describe('redis-check-aof on one file', () => {
  // Every expected output is what redis-check-aof 7.0.15 printed for the same bytes.
  it.each<[string, string, string, 0 | 1]>([
    ['a valid file', S + P, analyzed('f.aof', 47, 47, 11) + 'AOF f.aof is valid\n', 0],
    ['a command cut after a bulk', '*2\r\n$3\r\nSET\r\n', analyzed('f.aof', 13, 0, 4) + notValid('f.aof'), 1],
    ['junk after a command', `${S}!!!\r\n`, 'AOF f.aof format error\n' + analyzed('f.aof', 38, 33, 8) + notValid('f.aof'), 1],
    ['a count without newline', '*3', '0x               0: Expected \\r\\n, got: 0000\n' + analyzed('f.aof', 2, 0, 1) + notValid('f.aof'), 1],
    ['a wrong first byte', 'x3\r\n', 'AOF f.aof format error\n' + analyzed('f.aof', 4, 0, 1) + notValid('f.aof'), 1],
    ['a short bulk', S.slice(0, 29), '0x              1a: Expected to read 7 bytes, got 3 bytes\n' + analyzed('f.aof', 29, 0, 7) + notValid('f.aof'), 1],
    ['a missing "$"', '*3\r\n#3\r\n', "0x               4: Expected prefix '$', got: '#'\n" + analyzed('f.aof', 8, 0, 2) + notValid('f.aof'), 1],
    ['a negative length', '*1\r\n$-1\r\n', '0x               4: Expected to read string of -1 bytes, which is not in the suitable range\n' + analyzed('f.aof', 9, 0, 3) + notValid('f.aof'), 1],
    ['a length line cut', '*12345\r\n$3', '0x               8: Expected \\r\\n, got: 0000\n' + analyzed('f.aof', 10, 0, 2) + notValid('f.aof'), 1],
    ['a missing payload', '*1\r\n$12345\r\n', '0x               c: Expected to read 12347 bytes, got 0 bytes\n' + analyzed('f.aof', 12, 0, 3) + notValid('f.aof'), 1],
    ['a bulk without CRLF', '*1\r\n$3\r\nabcde', '0x               8: Expected \\r\\n, got: 6465\n' + analyzed('f.aof', 13, 0, 3) + notValid('f.aof'), 1],
    ['high bytes, printed as signed chars', '*1\r\n$3\r\nab\xff\xfe\xfd', '0x               8: Expected \\r\\n, got: fffffffefffffffd\n' + analyzed('f.aof', 13, 0, 3) + notValid('f.aof'), 1],
    ['"*" alone', '*\r\n', analyzed('f.aof', 3, 3, 2) + 'AOF f.aof is valid\n', 0],
    ['zero and negative counts', '*0\r\n*-5\r\n', analyzed('f.aof', 9, 9, 3) + 'AOF f.aof is valid\n', 0],
    ['a CR without LF', '*1\r\n$3\r\nSET\r', '0x               8: Expected to read 5 bytes, got 4 bytes\n' + analyzed('f.aof', 12, 0, 3) + notValid('f.aof'), 1],
    ['a huge length', '*1\r\n$9999999999\r\nab', '0x              11: Expected to read 10000000001 bytes, got 2 bytes\n' + analyzed('f.aof', 19, 0, 3) + notValid('f.aof'), 1],
    ['a length past LONG_MAX - 2', '*1\r\n$9223372036854775806\r\nab', '0x               4: Expected to read string of 9223372036854775806 bytes, which is not in the suitable range\n' + analyzed('f.aof', 28, 0, 3) + notValid('f.aof'), 1],
    ['an unclosed MULTI', P + M + P, '0x              25: Reached EOF before reading EXEC for MULTI\n' + analyzed('f.aof', 43, 14, 10) + notValid('f.aof'), 1],
    ['a nested MULTI', P + M + P + M, '0x              33: Unexpected MULTI in AOF f.aof\n' + analyzed('f.aof', 58, 14, 13) + notValid('f.aof'), 1],
    ['EXEC without MULTI', P + X, '0x              16: Unexpected EXEC in AOF f.aof\n' + analyzed('f.aof', 28, 14, 7) + notValid('f.aof'), 1],
    ['a transaction', P + M + P + X + P, analyzed('f.aof', 71, 71, 16) + 'AOF f.aof is valid\n', 0],
    ['an annotation inside an unclosed MULTI', `${M}${P}#TS:5\r\n`, '0x              1d: Reached EOF before reading EXEC for MULTI\n' + analyzed('f.aof', 36, 0, 7) + notValid('f.aof'), 1],
    ['a command cut in its name', `${P}*1\r\n$4\r\nPI`, '0x              16: Expected to read 6 bytes, got 2 bytes\n' + analyzed('f.aof', 24, 14, 6) + notValid('f.aof'), 1],
    ['a blank line', `${P}\r\n`, 'AOF f.aof format error\n' + analyzed('f.aof', 16, 14, 4) + notValid('f.aof'), 1],
    ['an empty file', '', 'AOF f.aof is empty\n', 0],
    // A number filling the 128-byte line buffer: the byte shown past it lies outside the buffer
    // (Redis prints stack garbage there, "1f" in 7.0.15's build); we show it as zero.
    ['a 127-byte "*" line', `*1\r\n$3\r\nabc\r\n*${'0'.repeat(125)}2\r\n`, '0x               d: Expected \\r\\n, got: 0000\n' + analyzed('f.aof', 142, 13, 4) + notValid('f.aof'), 1],
    ['a 127-byte "$" line', `*1\r\n$${'0'.repeat(125)}3\r\n`, '0x               4: Expected \\r\\n, got: 0000\n' + analyzed('f.aof', 133, 0, 2) + notValid('f.aof'), 1],
  ])('%s', (_what, content, expected, code) => {
    const { run } = memfs({ 'f.aof': content });
    expect(run('f.aof')).toEqual({ stdout: OLD + expected, exitCode: code });
  });

  it('checks the RESP tail of an RDB-preamble AOF (the \\n shown is left in the line buffer)', () => {
    const { run } = memfs({ '/d/pre.aof': `${rdb(123)}${P}*2` });
    expect(run('/d/pre.aof')).toEqual({
      stdout:
        OLD + RDB_OUTPUT.replace('x', '/d/pre.aof') + 'RDB preamble is OK, proceeding with AOF tail...\n' +
        '0x              89: Expected \\r\\n, got: 000a\n' + analyzed('/d/pre.aof', 139, 137, 4) + notValid('/d/pre.aof'),
      exitCode: 1,
    });
  });

  it('refuses a damaged RDB preamble', () => {
    const { run } = memfs({ 'pre.aof': 'REDIS9999' + P });
    expect(run('pre.aof')).toEqual({
      stdout: OLD + '--- RDB ERROR DETECTED ---\nRDB preamble of AOF file is not sane, aborting.\n',
      exitCode: 1,
    });
  });

  it('fixes after confirmation', () => {
    const fs = memfs({ 'f.aof': `${rdb(123)}${P}*2` }, ['y']);
    expect(fs.run('--fix', 'f.aof')).toEqual({
      stdout:
        OLD + RDB_OUTPUT.replace('x', 'f.aof') + 'RDB preamble is OK, proceeding with AOF tail...\n' +
        '0x              89: Expected \\r\\n, got: 000a\n' + analyzed('f.aof', 139, 137, 4) +
        'This will shrink the AOF f.aof from 139 bytes, with 2 bytes, to 137 bytes\n' +
        'Continue? [y/N]: Successfully truncated AOF f.aof\n',
      exitCode: 0,
    });
    expect(fs.size('f.aof')).toBe(137);
  });

  it('aborts the fix without a yes', () => {
    for (const answers of [['n'], [''], []]) {
      const fs = memfs({ 'f.aof': `${S}!!!` }, answers);
      const out = fs.run('--fix', 'f.aof');
      expect(out.stdout.endsWith('Continue? [y/N]: Aborting...\n')).toBe(true);
      expect(out.exitCode).toBe(1);
      expect(fs.size('f.aof')).toBe(36);
    }
  });
});

describe('redis-check-aof arguments', () => {
  it.each<[string[], string]>([
    [[], 'Usage: redis-check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n'],
    [['--bogus', 'f.aof'], 'Usage: redis-check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n'],
    [['-v'], 'Cannot open file -v: No such file or directory\n'],
    [['--truncate-to-timestamp', '12x', 'f.aof'], 'Invalid timestamp, aborting...\n'],
    [['--truncate-to-timestamp', '99999999999999999999', 'f.aof'], 'Invalid timestamp, aborting...\n'],
    [['x'.repeat(4097)], 'Error: filepath is too long (exceeds PATH_MAX)\nUsage: redis-check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n'],
  ])('%j', (args, stdout) => {
    expect(memfs({ 'f.aof': P }).run(...args)).toEqual({ stdout, exitCode: 1 });
  });

  it('reads an empty or blank-led timestamp as strtol does', () => {
    expect(memfs({ 'f.aof': P }).run('--truncate-to-timestamp', '', 'f.aof').stdout).toBe(OLD + analyzed('f.aof', 14, 14, 4) + 'AOF f.aof is valid\n');
    expect(memfs({ 'f.aof': P }).run('--truncate-to-timestamp', ' 5', 'f.aof').stdout).toBe(OLD + 'Truncate nothing in AOF f.aof to timestamp 5\nAOF f.aof is valid\n');
  });

  // Redis holds the target and the annotations as long longs: exact past 2^53.
  it('compares and echoes timestamps past 2^53 exactly', () => {
    const ts = `${P}#TS:9007199254740993\r\n${P}`;
    const fs = memfs({ 'f.aof': ts });
    expect(fs.run('--truncate-to-timestamp', '9007199254740992', 'f.aof')).toEqual({
      stdout: OLD + 'Successfully truncated AOF f.aof to timestamp 9007199254740992\n',
      exitCode: 0,
    });
    expect(fs.size('f.aof')).toBe(14);
    for (const t of ['9007199254740993', '9223372036854775807']) {
      expect(memfs({ 'f.aof': ts }).run('--truncate-to-timestamp', t, 'f.aof').stdout).toBe(
        `${OLD}Truncate nothing in AOF f.aof to timestamp ${t}\nAOF f.aof is valid\n`,
      );
    }
    expect(memfs({ 'f.aof': ts }).run('--truncate-to-timestamp', '-9223372036854775808', 'f.aof').stdout).toBe(
      `${OLD}Successfully truncated AOF f.aof to timestamp -9223372036854775808\n`,
    );
  });

  it('refuses a malformed annotation in timestamp mode only', () => {
    for (const ts of ['#TS:abc\r\n', '#TS:2x\r\n', '#TS:2\n', '#TS:5']) {
      expect(memfs({ 'f.aof': `${P}${ts}` }).run('--truncate-to-timestamp', '3', 'f.aof')).toEqual({ stdout: OLD + 'Invalid timestamp annotation\n', exitCode: 1 });
    }
    expect(memfs({ 'f.aof': `${P}#TS:abc\r\n` }).run('f.aof').exitCode).toBe(0);
  });
});

describe('redis-check-aof on a multi-part AOF', () => {
  const manifest = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
  const base = `#TS:100\r\n${P}#TS:101\r\n${P}`;
  const incr = `#TS:102\r\n${P}#TS:103\r\n${P}#TS:104\r\n`;
  const dir = (files: Record<string, string> = {}, answers: string[] = []) =>
    memfs({ './appendonly.aof.manifest': manifest, './appendonly.aof.1.base.aof': base, './appendonly.aof.1.incr.aof': incr, ...files }, answers);
  const MP = 'Start checking Multi Part AOF\nStart to check BASE AOF (RESP format).\n';

  it('checks base then incrs, counting lines across files', () => {
    expect(dir().run('./appendonly.aof.manifest')).toEqual({
      stdout:
        MP + analyzed('appendonly.aof.1.base.aof', 46, 46, 7) + 'BASE AOF appendonly.aof.1.base.aof is valid\n' +
        'Start to check INCR files.\n' + analyzed('appendonly.aof.1.incr.aof', 55, 55, 13) + 'INCR AOF appendonly.aof.1.incr.aof is valid\n' +
        'All AOF files and manifest are valid\n',
      exitCode: 0,
    });
  });

  // The series of aof.tcl "Truncate AOF to specific timestamp", on a base and an incr.
  it.each<[number, string, 0 | 1, number]>([
    [105, 'Truncate nothing in AOF appendonly.aof.1.incr.aof to timestamp 105\nINCR AOF appendonly.aof.1.incr.aof is valid\nAll AOF files and manifest are valid\n', 0, 55],
    [103, 'Successfully truncated AOF appendonly.aof.1.incr.aof to timestamp 103\nAll AOF files and manifest are valid\n', 0, 46],
    [102, 'Successfully truncated AOF appendonly.aof.1.incr.aof to timestamp 102\nAll AOF files and manifest are valid\n', 0, 23],
    [101, 'AOF ./appendonly.aof.1.incr.aof has nothing before timestamp 101, aborting...\n', 1, 55],
  ])('--truncate-to-timestamp %i', (ts, tail, code, size) => {
    const fs = dir();
    expect(fs.run('--truncate-to-timestamp', String(ts), './appendonly.aof.manifest')).toEqual({
      stdout: `${MP}Truncate nothing in AOF appendonly.aof.1.base.aof to timestamp ${ts}\nBASE AOF appendonly.aof.1.base.aof is valid\nStart to check INCR files.\n${tail}`,
      exitCode: code,
    });
    expect(fs.size('./appendonly.aof.1.incr.aof')).toBe(size);
  });

  it('will not cut a file that is not the last', () => {
    expect(dir().run('--truncate-to-timestamp', '100', './appendonly.aof.manifest')).toEqual({
      stdout:
        MP + 'Failed to truncate AOF ./appendonly.aof.1.base.aof to timestamp 100 to offset 23 because it is not the last file.\n' +
        'If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.\n',
      exitCode: 1,
    });
    expect(dir().run('--truncate-to-timestamp', '99', './appendonly.aof.manifest').stdout).toBe(
      `${MP}AOF ./appendonly.aof.1.base.aof has nothing before timestamp 99, aborting...\n`,
    );
    const broken = dir({ './appendonly.aof.1.base.aof': `${P}${M}${P}` }, ['y']);
    expect(broken.run('--fix', './appendonly.aof.manifest')).toEqual({
      stdout:
        MP + '0x              25: Reached EOF before reading EXEC for MULTI\n' + analyzed('appendonly.aof.1.base.aof', 43, 14, 10) +
        'Failed to truncate AOF appendonly.aof.1.base.aof because it is not the last file\n',
      exitCode: 1,
    });
  });

  it('checks an RDB base with its tail', () => {
    const fs = memfs({ 'd/m': 'file b.rdb seq 1 type b\nfile i.aof seq 1 type i\n', 'd/b.rdb': rdb(89), 'd/i.aof': S });
    expect(fs.run('d/m').stdout).toBe(
      'Start checking Multi Part AOF\nStart to check BASE AOF (RDB format).\n' + RDB_OUTPUT.replace('x', 'b.rdb') +
        'RDB preamble is OK, proceeding with AOF tail...\n' + analyzed('b.rdb', 89, 89, 1) + 'BASE AOF b.rdb is valid\n' +
        'Start to check INCR files.\n' + analyzed('i.aof', 33, 33, 8) + 'INCR AOF i.aof is valid\nAll AOF files and manifest are valid\n',
    );
  });

  it('reports a missing file', () => {
    const fs = memfs({ 'd/m': 'file i.aof seq 1 type i\n' });
    expect(fs.run('d/m')).toEqual({
      stdout: 'Start checking Multi Part AOF\nStart to check INCR files.\nCannot open file d/i.aof: No such file or directory, aborting...\n',
      exitCode: 1,
    });
  });

  // What 7.0.15 prints for an ext4 directory (st_size 4096) and /proc/sys (st_size 0): fopen(.., "r")
  // opens a directory and only its reads fail, so the input probes pass it (or stop at "Cannot
  // read"), and the check's fopen(.., "r+") is what refuses it.
  it('takes a directory for a file as redis-check-aof does', () => {
    expect(memfs({ d: 4096 }).run('d')).toEqual({ stdout: 'Cannot read file: d\n', exitCode: 1 });
    expect(memfs({ d: 0 }).run('d')).toEqual({ stdout: `${OLD}Cannot open file d: Is a directory, aborting...\n`, exitCode: 1 });
    for (const [name, path] of [['d', './d'], ['""', './'], ['.', './.']]) {
      expect(memfs({ m: `file ${name} seq 1 type b\n`, [path!]: 4096 }).run('m')).toEqual({
        stdout: `${MP}Cannot open file ${path}: Is a directory, aborting...\n`,
        exitCode: 1,
      });
    }
  });

  it('logs manifest errors through serverLog, and takes any "file" line as a manifest', () => {
    const fs = memfs({ 'a.aof': cmd('set', 'file', 'file') });
    fs.io.log = (m) => `1:C 1 Jan 2026 00:00:00.000 # ${m}\n`;
    expect(fs.run('a.aof')).toEqual({
      stdout:
        'Start checking Multi Part AOF\n' +
        '1:C 1 Jan 2026 00:00:00.000 # \n*** FATAL AOF MANIFEST FILE ERROR ***\n\n' +
        '1:C 1 Jan 2026 00:00:00.000 # Reading the manifest file, at line 1\n\n' +
        "1:C 1 Jan 2026 00:00:00.000 # >>> '*3'\n\n" +
        '1:C 1 Jan 2026 00:00:00.000 # Invalid AOF manifest file format\n\n',
      exitCode: 1,
    });
  });

  it('reads a manifest after comments', () => {
    const fs = memfs({ 'm': `# c\nfile i.aof seq 1 type i\n`, './i.aof': P });
    expect(fs.run('m')).toEqual({
      stdout: 'Start checking Multi Part AOF\nStart to check INCR files.\n' + analyzed('i.aof', 14, 14, 4) + 'INCR AOF i.aof is valid\nAll AOF files and manifest are valid\n',
      exitCode: 0,
    });
  });
});

describe('dirname', () => {
  it.each([
    ['appendonly.aof.manifest', '.'],
    ['d/m', 'd'],
    ['/a/b/c', '/a/b'],
    ['/a', '/'],
    ['a//b', 'a'],
    ['a/b/', 'a'],
    ['/', '/'],
    ['', '.'],
  ])('%j → %j', (path, dir) => {
    expect(dirname(path)).toBe(dir);
  });
});

describe('redis-check-aof fuzz', () => {
  it('always ends with an exit code, never an exception, and fixes to a file it then accepts', () => {
    const good = S + M + P + X + `#TS:5\r\n` + P;
    const input = fc.oneof(
      fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), { maxLength: 4 }).map((edits) => {
        let b = [...bytes(good)];
        for (const e of edits) {
          const at = e.at % (b.length || 1);
          if (e.cut) b = b.slice(0, at);
          else b[at] = e.byte;
        }
        return String.fromCharCode(...b);
      }),
      fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
    );
    fc.assert(
      fc.property(input, (content) => {
        const fs = memfs({ 'f.aof': content }, ['y']);
        const out = fs.run('--fix', 'f.aof');
        expect([0, 1]).toContain(out.exitCode);
        if (out.exitCode === 0 && out.stdout.includes('Successfully truncated')) {
          const again = fs.run('f.aof');
          expect(again.exitCode).toBe(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
