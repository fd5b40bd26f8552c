/**
 * Every error reply the engine sends, with Redis 7.0's exact text (`shared.*err` in server.c and
 * the `addReplyError*` calls of each t_*.c). Call sites use these constants and builders only;
 * no error text is written anywhere else.
 */

import { ReplyError } from './reply-error.ts';

export { ReplyError };

const err = (text: string): ReplyError => new ReplyError(text);

/** A byte string as C's `%s` sees it: cut at the first NUL. */
const cstr = (s: string): string => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};

/**
 * addReplyErrorFormat's rule: CR and LF would break the protocol, so they become spaces. Applies
 * to every error text built from client input.
 */
const oneLine = (s: string): string => s.replace(/[\r\n]/g, ' ');

/** A client's argument where Redis formats it with `%s` into an error: cut at NUL, on one line. */
const arg = (s: string): string => oneLine(cstr(s));

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
/** The string and bitmap commands (t_string.c, bitops.c). */
export const OFFSET_OUT_OF_RANGE = err('ERR offset is out of range');
export const DECREMENT_OVERFLOW = err('ERR decrement would overflow');
export const INCR_NAN_OR_INF = err('ERR increment would produce NaN or Infinity');
export const BIT_ARG = err('ERR The bit argument must be 1 or 0.');
export const BITOP_NOT_ONE_KEY = err('ERR BITOP NOT must be called with a single source key.');
export const LCS_NOT_STRINGS = err('ERR The specified keys must contain string values');
export const LCS_IDX_AND_LEN = err('ERR If you want both the length and indexes, please just use IDX.');
export const LCS_TOO_BIG = err('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
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

/**
 * Protocol errors (networking.c processInlineBuffer / processMultibulkBuffer). The server sends one
 * and then closes the connection.
 */
export const PROTO_INVALID_MULTIBULK_LEN = err('ERR Protocol error: invalid multibulk length');
export const PROTO_INVALID_BULK_LEN = err('ERR Protocol error: invalid bulk length');
export const PROTO_TOO_BIG_INLINE = err('ERR Protocol error: too big inline request');
export const PROTO_TOO_BIG_MBULK_COUNT = err('ERR Protocol error: too big mbulk count string');
export const PROTO_TOO_BIG_BULK_COUNT = err('ERR Protocol error: too big bulk count string');
export const PROTO_UNBALANCED_QUOTES = err('ERR Protocol error: unbalanced quotes in request');
/** `got` is the offending byte, as a one-character byte string. */
export const protoExpectedDollar = (got: string): ReplyError =>
  err(`ERR Protocol error: expected '$', got '${got}'`);
/** A host's last resort when a handler throws something that is not a ReplyError (a bug). */
export const internalError = (what: string): ReplyError => err(`ERR internal error: ${what}`);

/** The EXPIRE family's options (expire.c parseExtendedExpireArgumentsOrReply). */
export const EXPIRE_NX_AND_OTHERS = err('ERR NX and XX, GT or LT options at the same time are not compatible');
export const EXPIRE_GT_AND_LT = err('ERR GT and LT options at the same time are not compatible');
export const unsupportedOption = (opt: string): ReplyError => err(`ERR Unsupported option ${arg(opt)}`);
/** getRangeLongFromObjectOrReply's text in 7.0, its grammar included. */
export const valueOutOfRange = (min: number, max: number): ReplyError =>
  err(`ERR value is out of range, value must between ${min} and ${max}`);
export const INVALID_FIRST_DB = err('ERR invalid first DB index');
export const INVALID_SECOND_DB = err('ERR invalid second DB index');
/** OBJECT FREQ / IDLETIME when the maxmemory policy does not track what they ask for. */
export const LFU_NOT_SELECTED = err(
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);
export const LFU_SELECTED = err(
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);

/** The hash and set commands (t_hash.c, t_set.c). */
export const HASH_NOT_INTEGER = err('ERR hash value is not an integer');
export const HASH_NOT_FLOAT = err('ERR hash value is not a float');
export const NAN_OR_INFINITY = err('ERR value is NaN or Infinity');
/** HRANDFIELD's WITHVALUES bound (count beyond ±LONG_MAX/2). */
export const VALUE_OUT_OF_RANGE = err('ERR value is out of range');
/** getRangeLongFromObjectOrReply over [-LONG_MAX, LONG_MAX], whose bounds a JS number cannot print. */
export const COUNT_OUT_OF_LONG_RANGE = err(
  'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
);
/** SINTERCARD / ZINTERCARD / LMPOP-style numkeys and LIMIT arguments. */
export const NUMKEYS_NOT_POSITIVE = err('ERR numkeys should be greater than 0');
export const NUMKEYS_TOO_MANY = err("ERR Number of keys can't be greater than number of args");
export const LIMIT_NEGATIVE = err("ERR LIMIT can't be negative");

/** The sorted set commands (t_zset.c). */
export const ZADD_XX_AND_NX = err('ERR XX and NX options at the same time are not compatible');
export const ZADD_GT_LT_NX = err('ERR GT, LT, and/or NX options at the same time are not compatible');
export const ZADD_INCR_ONE_PAIR = err('ERR INCR option supports a single increment-element pair');
export const ZRANGE_LIMIT_NEEDS_BY = err(
  'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
);
export const ZRANGE_WITHSCORES_BYLEX = err('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
export const WEIGHT_NOT_FLOAT = err('ERR weight value is not a float');

/** The list commands (t_list.c). */
export const LPOS_RANK_ZERO = err(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
export const LPOS_COUNT_NEGATIVE = err("ERR COUNT can't be negative");
export const LPOS_MAXLEN_NEGATIVE = err("ERR MAXLEN can't be negative");
/** LMPOP / BLMPOP (and ZMPOP / BZMPOP) COUNT. */
export const MPOP_COUNT_NOT_POSITIVE = err('ERR count should be greater than 0');

/** Connection, server, transaction and pub/sub commands (networking.c, server.c, config.c, multi.c). */
export const NOPROTO = err('NOPROTO unsupported protocol version');
export const PROTOVER_NOT_INTEGER = err('ERR Protocol version is not an integer or out of range');
export const helloSyntax = (opt: string): ReplyError => err(`ERR Syntax error in HELLO option '${arg(opt)}'`);
export const WRONGPASS = err('WRONGPASS invalid username-password pair or user is disabled.');
export const AUTH_WITHOUT_PASSWORD = err(
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
);
export const CLIENT_NAME_INVALID = err('ERR Client names cannot contain spaces, newlines or special characters.');
export const unknownClientType = (type: string): ReplyError => err(`ERR Unknown client type '${arg(type)}'`);
export const INVALID_CLIENT_ID = err('ERR Invalid client ID');
export const NO_SUCH_CLIENT = err('ERR No such client');
export const CLIENT_ID_NOT_POSITIVE = err('ERR client-id should be greater than 0');
export const noSuchUser = (user: string): ReplyError => err(`ERR No such user '${arg(user)}'`);
/** EXEC itself rejected inside MULTI (execCommandAbort): the reason loses its `ERR ` prefix. */
export const execAbortBecause = (reason: ReplyError): ReplyError =>
  err(`EXECABORT Transaction discarded because of: ${reason.message.replace(/^ERR /, '')}`);
export const configUnknownOption = (name: string): ReplyError =>
  err(`ERR Unknown option or number of arguments for CONFIG SET - '${arg(name)}'`);
export const configSetFailed = (name: string, why: string): ReplyError =>
  err(`ERR CONFIG SET failed (possibly related to argument '${arg(name)}') - ${why}`);
/** addReplySubcommandSyntaxError: `cmd` and `sub` as the client sent them. */
export const subcommandSyntax = (cmd: string, sub: string): ReplyError =>
  err(`ERR unknown subcommand or wrong number of arguments for '${arg(sub).slice(0, 128)}'. Try ${arg(cmd).toUpperCase()} HELP.`);
export const UNBLOCK_REASON = err('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
/** The reply a client blocked in BLPOP & co. gets from CLIENT UNBLOCK id ERROR. */
export const UNBLOCKED = err('UNBLOCKED client unblocked via CLIENT UNBLOCK');
export const NO_CONFIG_FILE = err('ERR The server is running without a config file');
export const GETKEYS_INVALID_COMMAND = err('ERR Invalid command specified');
export const GETKEYS_NO_KEYS = err('ERR The command has no key arguments');
export const GETKEYS_ARITY = err('ERR Invalid number of arguments specified for command');
export const GETKEYS_INVALID_ARGS = err('ERR Invalid arguments specified for command');

/** parseScanCursorOrReply. */
export const INVALID_CURSOR = err('ERR invalid cursor');
/** CONFIG SET notify-keyspace-events with an unknown class letter. */
export const INVALID_EVENT_CLASS = err("ERR Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
/** processCommand: a RESP2 client in subscribed state. */
export const notInPubSubContext = (cmd: string): ReplyError =>
  err(`ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
/** processCommand: a no_multi command inside MULTI. */
export const NOT_IN_MULTI = err('ERR Command not allowed inside a transaction');

export function wrongArity(cmd: string): ReplyError {
  return err(`ERR wrong number of arguments for '${cmd}' command`);
}

/**
 * processCommand's text: the name cut to 128 bytes, then quoted arguments until the list reaches
 * 128 bytes, each cut to what is left of that budget (quotes and spaces count).
 */
export function unknownCommand(argv: readonly string[]): ReplyError {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cstr(argv[i]!).slice(0, 128 - args.length)}' `;
  }
  const name = cstr(argv[0] ?? '').slice(0, 128);
  return err(oneLine(`ERR unknown command '${name}', with args beginning with: ${args}`));
}

/** `cmd` is the container command as the client typed it; Redis upper-cases it. */
export function unknownSubcommand(cmd: string, sub: string): ReplyError {
  return err(oneLine(`ERR unknown subcommand '${cstr(sub).slice(0, 128)}'. Try ${cstr(cmd).toUpperCase()} HELP.`));
}

/** Any other `ERR ...` text. Prefer a named constant above when the text is shared. */
export function errorReply(text: string): ReplyError {
  return err(oneLine(text));
}

/** Text that already carries its own prefix, e.g. `NOPROTO ...` or `NOAUTH ...`. */
export function prefixedError(text: string): ReplyError {
  return err(text);
}

/** Persistence: SAVE, BGSAVE, SHUTDOWN, DEBUG RELOAD, DUMP/RESTORE (rdb.c, server.c, debug.c, cluster.c). */
/** shared.err: the bare "-ERR" of a failed SAVE or save before DEBUG RELOAD. */
export const GENERIC_ERR = err('ERR');
export const BGSAVE_IN_PROGRESS = err('ERR Background save already in progress');
export const BGSAVE_OTHER_CHILD = err(
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
);
/** shared.bgsaveerr: writes refused after a failed save while stop-writes-on-bgsave-error is on. */
export const MISCONF_RDB = err(
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
);
/** shared.loadingerr: a command without the `loading` flag while the dataset loads. */
export const LOADING = err('LOADING Redis is loading the dataset in memory');
export const DEBUG_RELOAD_OPTIONS = err('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
export const DEBUG_NOT_ALLOWED = err(
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local ' +
    'connection, otherwise you need to set this option in the configuration file, and then restart the server.',
);
export const DEBUG_RELOAD_FAILED = err('ERR Error trying to load the RDB dump'); // 7.0.15's text (later versions add ", check server logs.")
export const NO_SHUTDOWN_IN_PROGRESS = err('ERR No shutdown in progress.');
/** AOF (aof.c): BGREWRITEAOF replies, CONFIG SET appendonly yes failing, and the AOF's MISCONF. */
export const AOFRW_IN_PROGRESS = err('ERR Background append only file rewriting already in progress');
export const AOFRW_FAILED_TO_START = err(
  "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
);
/** writeCommandsDeniedByDiskError with an AOF write error: the reason is strerror(errno). */
export const misconfAof = (reason: string): ReplyError => err(`MISCONF Errors writing to the AOF file: ${reason}`);
export const SHUTDOWN_FAILED = err('ERR Errors trying to SHUTDOWN. Check logs.');
export const BUSYKEY = err('BUSYKEY Target key name already exists.');
export const RESTORE_INVALID_TTL = err('ERR Invalid TTL value, must be >= 0');
export const RESTORE_INVALID_IDLETIME = err('ERR Invalid IDLETIME value, must be >= 0');
export const RESTORE_INVALID_FREQ = err('ERR Invalid FREQ value, must be >= 0 and <= 255');
export const DUMP_PAYLOAD_INVALID = err('ERR DUMP payload version or checksum are wrong');
export const BAD_DATA_FORMAT = err('ERR Bad data format');
