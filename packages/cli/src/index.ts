/**
 * @larder/cli as a library: the RESP server (`startServer`), the shell (`runShell`) and the
 * redis-cli reply formatter, for tests and for hosts embedding them.
 */
export { startServer, type LarderServer, type ServeOptions } from './server.ts';
export { SERVE_PARAMS } from './server-params.ts';
export { serveConnection } from './connection.ts';
export { runShell, parseRepeat, type ShellOptions } from './shell.ts';
export { formatReply, formatRawStrings, printsRawStrings, repr, type OutputMode } from './format.ts';
export { parseArgs, USAGE, type Invocation } from './args.ts';
export { main, VERSION } from './cli.ts';
