/**
 * The interactive shell: redis-cli's REPL over an in-process engine. Lines are split by
 * sdssplitargs as redis-cli does ("Invalid argument(s)" for unbalanced quotes), `N cmd` repeats,
 * `help`, `clear`, `quit`/`exit` are handled here, and replies print exactly as redis-cli prints
 * them (format.ts). With a terminal on stdin lines are edited with readline; otherwise stdin is
 * read as bytes, line by line, so binary input passes through unchanged.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ReplyError, textToBinary, type Engine, type Reply } from '@larder/core';
import { internalError, splitArgs } from '@larder/core/resp';
import { formatRawStrings, formatReply, printsRawStrings, type OutputMode } from './format.ts';
import { helpText } from './help.ts';

export interface ShellOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** Input is a terminal: show a prompt and edit lines. */
  interactive: boolean;
  /** `tty` formatting (redis-cli's default on a terminal) or `raw`. */
  mode: OutputMode;
  resp?: 2 | 3;
  db?: number;
}

/** Runs until `quit`, `exit`, Ctrl-C or the end of input. */
export async function runShell(opts: ShellOptions): Promise<void> {
  const { engine, mode } = opts;
  const write = (s: string): void => {
    if (s.length > 0) opts.output.write(Buffer.from(s, 'latin1'));
  };
  const client = engine.connect({
    addr: 'shell',
    laddr: 'shell',
    // redis-cli shows pushes on a terminal; raw output has them only as pub/sub messages.
    onPush: (m) => {
      if (mode === 'tty' || client.channels.size + client.patterns.size > 0) write(formatReply(m, client.resp, mode));
    },
  });
  const run = async (argv: string[]): Promise<Reply> => {
    try {
      return await client.exec(argv);
    } catch (e) {
      return internalError(e instanceof Error ? e.message : String(e));
    }
  };
  if (opts.resp === 3 && (await run(['HELLO', '3'])) instanceof ReplyError) client.resp = 3;
  if (opts.db) await run(['SELECT', String(opts.db)]);

  const issue = async (argv: string[]): Promise<void> => {
    const cmd = argv[0]!.toLowerCase();
    if (cmd === 'help' || cmd === '?') return write(helpText(argv.slice(1)));
    const reply = await run(argv);
    write(printsRawStrings(argv) ? formatRawStrings(reply, client.resp) : formatReply(reply, client.resp, mode));
  };

  /** One line of input; true when the shell should stop. */
  const handle = async (line: string): Promise<boolean> => {
    const argv = splitArgs(line);
    if (argv === null) {
      write('Invalid argument(s)\n');
      return false;
    }
    if (argv.length === 0) return false;
    const first = argv[0]!.toLowerCase();
    if (first === 'quit' || first === 'exit') return true;
    if (argv.length === 1 && first === 'clear') {
      if (opts.interactive) write('\x1b[H\x1b[2J');
      return false;
    }
    let repeat = 1;
    let args = argv;
    if (argv.length > 1) {
      const r = parseRepeat(argv[0]!);
      if (r === 'invalid') {
        write('Invalid redis-cli repeat command option value.\n');
        return false;
      }
      if (r !== undefined) {
        repeat = r;
        args = argv.slice(1);
      }
    }
    const started = Date.now();
    for (let i = 0; i < repeat; i++) await issue(args);
    const elapsed = Date.now() - started;
    if (elapsed >= 500 && mode === 'tty') write(`(${(elapsed / 1000).toFixed(2)}s)\n`);
    return false;
  };

  const prompt = (): string => (client.dbIndex === 0 ? 'larder> ' : `larder[${client.dbIndex}]> `);
  let rl: Interface | undefined;
  const lines = opts.interactive
    ? terminalLines((rl = createInterface({ input: opts.input, output: opts.output, terminal: true })), prompt)
    : byteLines(opts.input);
  try {
    for await (const line of lines) if (await handle(line)) break;
  } finally {
    rl?.close();
    client.close();
  }
}

/**
 * redis-cli's repeat prefix: a first argument strtol reads completely (`3 ping`). Returns the
 * count, 'invalid' for zero, negative or out of range, undefined when it is not a number.
 */
export function parseRepeat(s: string): number | 'invalid' | undefined {
  if (s === '') return 'invalid';
  if (!/^[\t\n\v\f\r ]*[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s.trim());
  return n > 0 && n <= Number.MAX_SAFE_INTEGER ? n : 'invalid';
}

async function* terminalLines(rl: Interface, prompt: () => string): AsyncGenerator<string> {
  rl.on('SIGINT', () => rl.close());
  rl.setPrompt(prompt());
  rl.prompt();
  for await (const line of rl) {
    yield textToBinary(line);
    rl.setPrompt(prompt());
    rl.prompt();
  }
}

/** Lines of a byte stream as byte strings; a last line without a newline counts. */
async function* byteLines(input: Readable): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? textToBinary(chunk) : (chunk as Buffer).toString('latin1');
    let from = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
      yield pending.slice(from, nl);
      from = nl + 1;
    }
    pending = pending.slice(from);
  }
  if (pending.length > 0) yield pending;
}
