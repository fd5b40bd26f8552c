/**
 * Propagated commands → AOF bytes, as feedAppendOnlyFile writes them (aof.c):
 *
 *   [#TS:<unix seconds>\r\n]               aof-timestamp-enabled, when the second advanced
 *   [*2\r\n$6\r\nSELECT\r\n$<n>\r\n<db>\r\n]  when the command's db is not the last one selected
 *   *<argc>\r\n ($<len>\r\n<bytes>\r\n)...   the command, arguments as propagated
 *
 * Ops with db -1 never get a SELECT. (Redis 7.0.15 propagates a transaction's MULTI with the db of
 * its first command, so the SELECT, if any, comes before the MULTI; EXEC has -1.) The selected db
 * resets to -1 when a new incr file starts (a rewrite) or AOF stops, so every file is replayable on
 * its own. The timestamp is not reset: Redis keeps one `aof_cur_timestamp` for the process.
 *
 * Bytes go into one growable buffer (the RESP writer's), arguments written straight from their
 * byte strings; the host drains it after each event-loop turn, before replying (flushAppendOnlyFile).
 */
import type { PropagatedOp } from '../engine/propagate.ts';
import { RespWriter } from '../resp/writer.ts';
import { asciiBytes } from './clib.ts';

export interface AofWriterOptions {
  /** aof-timestamp-enabled. Default false. */
  timestamps?: boolean;
  /** Initial buffer size in bytes. */
  initialSize?: number;
}

export interface AofWriter {
  /** Appends one execution unit's ops (the Propagation listener's argument) at `unixtime` seconds. */
  append(ops: readonly PropagatedOp[], unixtime: number): void;
  /** Appends one command for `db` (-1: no SELECT). */
  feed(db: number, argv: readonly string[], unixtime: number): void;
  /** A new incr file begins, or AOF stopped: the next command starts with a SELECT. */
  resetSelectedDb(): void;
  /** aof-timestamp-enabled, switchable at runtime (CONFIG SET). */
  timestamps: boolean;
  /**
   * The second of the last annotation (aof_cur_timestamp): a command gets a `#TS:` only when the
   * time passed it. A RESP base written by this process at startup sets it too, so commands in
   * that same second get none.
   */
  lastTimestamp: number;
  /** The db the file was last switched to, -1 before any SELECT (aof_selected_db). */
  readonly selectedDb: number;
  /** Bytes waiting to be written. */
  readonly length: number;
  /** The waiting bytes, valid until the next append or `clear`. */
  view(): Uint8Array;
  /** Forgets the waiting bytes (after they were written). */
  clear(): void;
  /** Copies the waiting bytes out and forgets them. */
  take(): Uint8Array;
}

/** An annotation line, `#TS:<seconds>\r\n` (genAofTimestampAnnotationIfNeeded). */
export function timestampAnnotation(unixtime: number): string {
  return `#TS:${unixtime}\r\n`;
}

export function createAofWriter(opts: AofWriterOptions = {}): AofWriter {
  const out = new RespWriter(opts.initialSize ?? 16 * 1024);
  const selects: Uint8Array[] = [];
  let selectedDb = -1;

  function select(db: number): Uint8Array {
    let bytes = selects[db];
    if (bytes === undefined) {
      const n = String(db);
      bytes = selects[db] = asciiBytes(`*2\r\n$6\r\nSELECT\r\n$${n.length}\r\n${n}\r\n`);
    }
    return bytes;
  }

  const writer: AofWriter = {
    timestamps: opts.timestamps ?? false,
    lastTimestamp: 0,
    get selectedDb() {
      return selectedDb;
    },
    get length() {
      return out.length;
    },
    feed(db, argv, unixtime) {
      if (writer.timestamps && writer.lastTimestamp < unixtime) {
        writer.lastTimestamp = unixtime;
        out.writeBytes(asciiBytes(timestampAnnotation(unixtime)));
      }
      if (db !== -1 && db !== selectedDb) {
        out.writeBytes(select(db));
        selectedDb = db;
      }
      out.writeCommand(argv);
    },
    append(ops, unixtime) {
      for (let i = 0; i < ops.length; i++) writer.feed(ops[i]!.db, ops[i]!.argv, unixtime);
    },
    resetSelectedDb() {
      selectedDb = -1;
    },
    view: () => out.view(),
    clear: () => out.reset(),
    take: () => out.take(),
  };
  return writer;
}
