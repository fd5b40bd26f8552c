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
  /** `configFile`: redis-server's first argument, a redis.conf (config-file.ts), when not an option. */
  | { kind: 'serve'; config: Record<string, string>; options: string[]; configFile?: string }
  /** `config`: persistence flags, present only when some were given (none: a pure in-memory store). */
  | { kind: 'shell'; output: 'raw' | 'tty' | undefined; resp: 2 | 3; db: number; config?: Record<string, string> }
  | { kind: 'export'; format: 'rdb' | 'json'; out: string | undefined; config: Record<string, string> }
  | { kind: 'import'; file: string; config: Record<string, string> }
  | { kind: 'check-aof' | 'check-rdb'; args: string[] }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: larder [OPTIONS]              interactive shell (in-memory unless given --dir etc.)
       larder serve [redis.conf] [--port N] [--bind ADDR] [--<config-name> <value> ...]
       larder export --format rdb|json [--dir D] [-o FILE] [--appendonly yes] ...
       larder import <dump.rdb|file.json> [--dir D] [--appendonly yes] ...
       larder check-aof [--fix|--truncate-to-timestamp <unix-ts>] <file.manifest|file.aof>
       larder check-rdb <file.rdb>
       larder --help | --version

Shell options (as redis-cli):
  --raw          Print replies raw (the default when stdout is not a terminal).
  --no-raw       Print replies formatted, even when stdout is not a terminal.
  -2, -3         Speak RESP2 (default) or RESP3 (HELLO 3).
  -n <db>        Start in database <db>.

Persistence (shell, serve, export, import; redis-server's config names):
  --dir D  --dbfilename F  --appendonly yes|no  --appendfsync always|everysec|no
  --appenddirname D  --appendfilename F  --save "<sec> <changes> ..."  (--save "" disables)
  --aof-use-rdb-preamble, --aof-load-truncated, --rdbcompression, --rdbchecksum yes|no
  With none of them the shell keeps everything in memory and writes no file. With any, and
  always for serve (like redis-server: dir defaults to the current directory, save to
  "3600 1 300 100 60 10000"), the dir is loaded at start (its AOF when appendonly is yes, else
  dump.rdb), writes are persisted, and exit (quit, end of input, SHUTDOWN, SIGTERM, SIGINT)
  runs Redis's shutdown: the AOF flushed, dump.rdb saved when save rules exist.

Export and import:
  export         Loads the dir as serve would and writes it to FILE (default stdout) as an RDB
                 file or as JSON: {"<db>": {"<key>": {"type", "value", "expireAt"?}}}; bytes
                 that are not UTF-8 are {"base64": ...} (values) or "base64:..." (keys, fields).
  import         Loads an RDB or JSON file (by content) and makes it the dir's dataset: the AOF
                 base (a rewrite) when appendonly is yes, else dump.rdb.

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
  // As redis-check-aof and redis-check-rdb, which parse their own arguments.
  if (argv[0] === 'check-aof' || argv[0] === 'check-rdb') return { kind: argv[0], args: argv.slice(1) };
  if (argv[0] === 'export' || argv[0] === 'import') return parseTransfer(argv[0], argv.slice(1));
  return parseShell(argv);
}

function parseServe(args: readonly string[]): Invocation {
  const config: Record<string, string> = {};
  const options: string[] = [];
  // As redis-server: a first argument that is not an option names a config file.
  const configFile = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  let i = configFile === undefined ? 0 : 1;
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
  return configFile === undefined ? { kind: 'serve', config, options } : { kind: 'serve', config, options, configFile };
}

/** The persistence flags the shell, export and import take: one value each (`--save ""` disables). */
export const PERSISTENCE_FLAGS: readonly string[] = [
  'dir', 'dbfilename', 'appendonly', 'appendfsync', 'appenddirname', 'appendfilename', 'save',
  'aof-use-rdb-preamble', 'aof-load-truncated', 'rdbcompression', 'rdbchecksum',
];

/** `--name value` of a persistence flag at args[i] into `config`: the args consumed, 0 if none, -1 if no value. */
function persistenceFlag(args: readonly string[], i: number, config: Record<string, string>): number {
  const a = args[i]!;
  if (!a.startsWith('--') || !PERSISTENCE_FLAGS.includes(a.slice(2))) return 0;
  if (i + 1 >= args.length) return -1;
  config[a.slice(2)] = args[i + 1]!;
  return 2;
}

function parseTransfer(kind: 'export' | 'import', args: readonly string[]): Invocation {
  const config: Record<string, string> = {};
  let format: 'rdb' | 'json' | undefined;
  let out: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; ) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return { kind: 'help' };
    const n = persistenceFlag(args, i, config);
    if (n < 0 || ((a === '--format' || a === '-o') && i + 1 >= args.length)) {
      return { kind: 'error', message: `missing value for '${a}'` };
    }
    if (n > 0) i += n;
    else if (kind === 'export' && a === '--format') {
      const f = args[i + 1]!;
      if (f !== 'rdb' && f !== 'json') return { kind: 'error', message: `unknown export format '${f}' (rdb or json)` };
      format = f;
      i += 2;
    } else if (kind === 'export' && a === '-o') {
      out = args[i + 1]!;
      i += 2;
    } else if (kind === 'import' && file === undefined && !a.startsWith('-')) {
      file = a;
      i++;
    } else {
      return { kind: 'error', message: `unknown option or argument '${a}' for ${kind}` };
    }
  }
  if (kind === 'import') return file === undefined ? { kind: 'error', message: 'import needs a file' } : { kind, file, config };
  return format === undefined ? { kind: 'error', message: 'export needs --format rdb|json' } : { kind, format, out, config };
}

function parseShell(args: readonly string[]): Invocation {
  let output: 'raw' | 'tty' | undefined;
  let resp: 2 | 3 = 2;
  let db = 0;
  const config: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const n = persistenceFlag(args, i, config);
    if (n < 0) return { kind: 'error', message: `missing value for '${a}'` };
    if (n > 0) {
      i += n - 1;
      continue;
    }
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
  return Object.keys(config).length > 0 ? { kind: 'shell', output, resp, db, config } : { kind: 'shell', output, resp, db };
}
