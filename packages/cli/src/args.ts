/**
 * Command-line parsing for `larder`. Pure: argv in, a description of what to run out, so main.ts
 * stays a dispatcher and the rules are testable.
 *
 * `serve` takes redis-server's flag form: `--name value...`, where every word up to the next
 * `--name` belongs to the value (`--save 900 1 300 10`), and any config parameter may be set.
 */

export type Invocation =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'serve'; config: Record<string, string>; options: string[] }
  | { kind: 'shell'; output: 'raw' | 'tty' | undefined; resp: 2 | 3; db: number }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: larder [OPTIONS]              interactive shell on an in-memory store
       larder serve [--port N] [--bind ADDR] [--<config-name> <value> ...]
       larder --help | --version

Shell options (as redis-cli):
  --raw          Print replies raw (the default when stdout is not a terminal).
  --no-raw       Print replies formatted, even when stdout is not a terminal.
  -2, -3         Speak RESP2 (default) or RESP3 (HELLO 3).
  -n <db>        Start in database <db>.

Serve options (as redis-server):
  --port N       TCP port (default 6379; 0 picks a free one).
  --bind ADDR    Address to listen on (default 127.0.0.1).
  --<name> <value...>
                 Any config parameter, e.g. --hz 100, --notify-keyspace-events KEA.

Shell commands: any Redis command, "help", "help <command>", "help @<group>",
"[N] <command>" to repeat it N times, "clear", "quit" or "exit".
`;

export function parseArgs(argv: readonly string[]): Invocation {
  if (argv[0] === 'serve') return parseServe(argv.slice(1));
  if (argv[0] === 'help') return { kind: 'help' };
  return parseShell(argv);
}

function parseServe(args: readonly string[]): Invocation {
  const config: Record<string, string> = {};
  const options: string[] = [];
  let i = 0;
  while (i < args.length) {
    const flag = args[i]!;
    if (flag === '--help') return { kind: 'help' };
    if (flag === '--version') return { kind: 'version' };
    if (!flag.startsWith('--') || flag.length === 2) {
      return { kind: 'error', message: `unexpected argument '${flag}' (config options are --name value)` };
    }
    const values: string[] = [];
    for (i++; i < args.length && !args[i]!.startsWith('--'); i++) values.push(args[i]!);
    if (values.length === 0) return { kind: 'error', message: `missing value for '${flag}'` };
    const name = flag.slice(2).toLowerCase();
    config[name] = values.join(' ');
    options.push(`${flag} ${values.join(' ')}`);
  }
  return { kind: 'serve', config, options };
}

function parseShell(args: readonly string[]): Invocation {
  let output: 'raw' | 'tty' | undefined;
  let resp: 2 | 3 = 2;
  let db = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return { kind: 'help' };
    if (a === '--version' || a === '-v') return { kind: 'version' };
    if (a === '--raw') output = 'raw';
    else if (a === '--no-raw') output = 'tty';
    else if (a === '-2') resp = 2;
    else if (a === '-3') resp = 3;
    else if (a === '-n' && i + 1 < args.length) {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) return { kind: 'error', message: `invalid database number '${args[i]}'` };
      db = n;
    } else {
      return { kind: 'error', message: `unknown option or command '${a}'` };
    }
  }
  return { kind: 'shell', output, resp, db };
}
