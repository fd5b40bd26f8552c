/**
 * Every error reply the engine sends, with Redis 7.0's exact text (`shared.*err` in server.c and
 * the `addReplyError*` calls of each t_*.c). Call sites use these constants and builders only;
 * no error text is written anywhere else.
 */

/** An error reply. `message` is the full Redis text, prefix included (`ERR ...`, `WRONGTYPE ...`). */
export class ReplyError extends Error {
  override name = 'ReplyError';
  /** The first word of the message: `ERR`, `WRONGTYPE`, `EXECABORT`, ... */
  get prefix(): string {
    const i = this.message.indexOf(' ');
    return i < 0 ? this.message : this.message.slice(0, i);
  }
}

const err = (text: string): ReplyError => new ReplyError(text);

export const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
export const SYNTAX = err('ERR syntax error');
export const NOT_INTEGER = err('ERR value is not an integer or out of range');
export const NOT_FLOAT = err('ERR value is not a valid float');
export const OVERFLOW = err('ERR increment or decrement would overflow');
export const NO_SUCH_KEY = err('ERR no such key');
export const OUT_OF_RANGE = err('ERR index out of range');
export const DB_INDEX_RANGE = err('ERR DB index is out of range');
export const SAME_OBJECT = err('ERR source and destination objects are the same');
export const NOT_POSITIVE = err('ERR value is out of range, must be positive');
export const INVALID_EXPIRE = (cmd: string): ReplyError =>
  err(`ERR invalid expire time in '${cmd}' command`);
export const BIT_OFFSET = err('ERR bit offset is not an integer or out of range');
export const BIT_VALUE = err('ERR bit is not an integer or out of range');
export const STRING_TOO_LONG = err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
export const MIN_MAX_FLOAT = err('ERR min or max is not a float');
export const MIN_MAX_LEX = err('ERR min or max not valid string range item');
export const TIMEOUT_NOT_FLOAT = err('ERR timeout is not a float or out of range');
export const TIMEOUT_NEGATIVE = err('ERR timeout is negative');
export const NUMKEYS_ZERO = (cmd: string): ReplyError =>
  err(`ERR at least 1 input key is needed for '${cmd}' command`);
export const NAN_SCORE = err('ERR resulting score is not a number (NaN)');
export const EXECABORT = err('EXECABORT Transaction discarded because of previous errors.');
export const MULTI_NESTED = err('ERR MULTI calls can not be nested');
export const EXEC_WITHOUT_MULTI = err('ERR EXEC without MULTI');
export const DISCARD_WITHOUT_MULTI = err('ERR DISCARD without MULTI');
export const WATCH_IN_MULTI = err('ERR WATCH inside MULTI is not allowed');

export function wrongArity(cmd: string): ReplyError {
  return err(`ERR wrong number of arguments for '${cmd}' command`);
}

/** Redis quotes at most 128 bytes of each argument of an unknown command. */
export function unknownCommand(argv: readonly string[]): ReplyError {
  const name = argv[0] ?? '';
  const args = argv
    .slice(1)
    .map((a) => `'${a.slice(0, 128)}' `)
    .join('');
  return err(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${args}`);
}

export function unknownSubcommand(cmd: string, sub: string): ReplyError {
  return err(
    `ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`,
  );
}

/** Any other `ERR ...` text. Prefer a named constant above when the text is shared. */
export function errorReply(text: string): ReplyError {
  return err(text);
}

/** Text that already carries its own prefix, e.g. `NOPROTO ...` or `NOAUTH ...`. */
export function prefixedError(text: string): ReplyError {
  return err(text);
}
