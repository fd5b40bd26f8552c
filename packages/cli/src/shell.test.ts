import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { commandTable, createEngine, type Engine } from '@larder/core';
import { parseRepeat, runShell, type ShellOptions } from './shell.ts';

/** Runs the shell over `input` (a byte string, piped) and returns what it printed. */
async function shell(input: string, opts: Partial<ShellOptions> = {}, engine?: Engine): Promise<string> {
  const e = engine ?? createEngine({ activeExpire: false });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const done = runShell({ engine: e, input: stdin, output: stdout, interactive: false, mode: 'raw', ...opts });
  stdin.end(Buffer.from(input, 'latin1'));
  await done;
  if (!engine) e.close();
  return Buffer.concat(chunks).toString('latin1');
}

const unknown = "ERR unknown command 'foo', with args beginning with: 'x' ";

// Expected outputs match redis-cli 7.0.15 given the same input against redis-server 7.0.15.
describe('shell', () => {
  it('prints raw replies when piped', async () => {
    expect(await shell('set a 1\nget a\nget nope\nfoo x\nset b "two words"\nget b')).toBe(`OK\n1\n\n${unknown}\n\nOK\ntwo words\n`);
  });

  it('prints formatted replies like redis-cli on a terminal', async () => {
    expect(await shell('set a 1\nget a\nget nope\nfoo x\n', { mode: 'tty' })).toBe(`OK\n"1"\n(nil)\n(error) ${unknown}\n`);
  });

  it('passes bytes through unchanged', async () => {
    expect(await shell('set k "\\xff\\x00\\n"\nget k\n', { mode: 'tty' })).toBe('OK\n"\\xff\\x00\\n"\n');
    expect(await shell('set k \xe9t\xe9\nget k\n')).toBe('OK\n\xe9t\xe9\n');
  });

  it('refuses unbalanced quotes', async () => {
    expect(await shell('set a "b\nget a\n', { mode: 'tty' })).toBe('Invalid argument(s)\n(nil)\n');
  });

  it('repeats a command given a count', async () => {
    expect(await shell('3 incr c\n0 incr c\n"" incr c\n2\n', { mode: 'tty' })).toBe(
      '(integer) 1\n(integer) 2\n(integer) 3\n' +
        'Invalid redis-cli repeat command option value.\nInvalid redis-cli repeat command option value.\n' +
        "(error) ERR unknown command '2', with args beginning with: \n",
    );
  });

  it('stops at quit or exit', async () => {
    expect(await shell('set a 1\nQUIT\nset b 2\n')).toBe('OK\n');
    expect(await shell('set a 1\nexit\nset b 2\n')).toBe('OK\n');
  });

  it('answers help from the command table, as redis-cli lays it out', async () => {
    const get = commandTable.get('get')!;
    expect(await shell('help get\nhelp nosuch\n', { mode: 'tty' })).toBe(
      `\r\n  \x1b[1mGET\x1b[0m \x1b[90m${get.syntax}\x1b[0m\r\n  \x1b[33msummary:\x1b[0m ${get.summary}\r\n` +
        `  \x1b[33msince:\x1b[0m ${get.since}\r\n  \x1b[33mgroup:\x1b[0m ${get.group}\r\n\r\n`,
    );
    expect(await shell('help\n')).toMatch(/"help <command>" for help on <command>/);
  });

  it('speaks RESP3 with -3', async () => {
    expect(await shell('hset h f v\nhgetall h\nget nope\n', { mode: 'tty', resp: 3 })).toBe('(integer) 1\n1# "f" => "v"\n(nil)\n');
  });

  it('starts in the database given with -n', async () => {
    const engine = createEngine({ activeExpire: false });
    await shell('set a 1\n', { db: 2 }, engine);
    expect(engine.ks.dbs[2]!.size).toBe(1);
    expect(engine.ks.dbs[0]!.size).toBe(0);
    engine.close();
  });
});

describe('parseRepeat', () => {
  it.each<[string, ReturnType<typeof parseRepeat>]>([
    ['3', 3],
    ['+3', 3],
    [' 3', 3],
    ['0', 'invalid'],
    ['-1', 'invalid'],
    ['', 'invalid'],
    ['3x', undefined],
    ['x', undefined],
    ['+', undefined],
  ])('%j', (s, expected) => expect(parseRepeat(s)).toBe(expected));
});
