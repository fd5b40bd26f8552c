/**
 * The RESP form of an AOF base (rewriteAppendOnlyFileRio, aof.c), for aof-use-rdb-preamble no:
 * an optional `#TS:` line, then per non-empty database `SELECT db` and per key the commands that
 * rebuild it (SET, RPUSH/SADD/ZADD/HMSET in batches of 64 items), each key with a TTL followed by
 * `PEXPIREAT key ms`.
 *
 * It is made from the snapshotter's RDB stream, decoded as it comes: the snapshotter gives the
 * point-in-time cut (Redis's fork) and this only re-encodes, so the RESP base is as consistent
 * as the RDB one and costs no second walk of the keyspace.
 */
import { createRdbDecoder, type RdbRecord } from '../rdb/decoder.ts';
import { RespWriter } from '../resp/writer.ts';
import { formatDouble17g } from '../reply/reply.ts';
import { timestampAnnotation } from '../aof/writer.ts';
import { asciiBytes } from '../aof/clib.ts';

/** AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;

/** A score as 7.0's rioWriteBulkDouble writes it: inf/-inf, else %.17g. */
function score(n: number): string {
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return formatDouble17g(n);
}

function emitKey(out: RespWriter, rec: RdbRecord): void {
  const { key, value } = rec;
  if (typeof value === 'string') {
    out.writeCommand(['SET', key, value]);
  } else {
    const batch = (cmd: string, items: Iterable<string[]>): void => {
      let argv: string[] = [cmd, key];
      let n = 0;
      for (const item of items) {
        argv.push(...item);
        if (++n === ITEMS_PER_CMD) {
          out.writeCommand(argv);
          argv = [cmd, key];
          n = 0;
        }
      }
      if (n > 0) out.writeCommand(argv);
    };
    switch (value.type) {
      case 'list':
        batch('RPUSH', map(value, (e) => [e]));
        break;
      case 'set':
        batch('SADD', map(value, (m) => [m]));
        break;
      case 'zset':
        batch('ZADD', map(value, ([m, s]) => [score(s), m]));
        break;
      case 'hash':
        batch('HMSET', map(value, ([f, v]) => [f, v]));
        break;
    }
  }
  if (rec.expireAt !== -1) out.writeCommand(['PEXPIREAT', key, String(rec.expireAt)]);
}

function* map<T>(items: Iterable<T>, fn: (item: T) => string[]): Generator<string[]> {
  for (const item of items) yield fn(item);
}

export interface RespBaseOptions {
  /** aof-timestamp-enabled: the `#TS:` line the base starts with. */
  timestamp?: number;
  databases?: number;
}

/** Re-encodes an RDB stream as a RESP AOF base, chunk by chunk. */
export async function* respBase(rdb: AsyncIterable<Uint8Array>, opts: RespBaseOptions = {}): AsyncGenerator<Uint8Array> {
  const out = new RespWriter(64 * 1024);
  if (opts.timestamp !== undefined) out.writeBytes(asciiBytes(timestampAnnotation(opts.timestamp)));
  let db = -1;
  const decoder = createRdbDecoder(
    {
      record(rec) {
        if (rec.db !== db) {
          db = rec.db;
          out.writeCommand(['SELECT', String(db)]);
        }
        emitKey(out, rec);
      },
    },
    { databases: opts.databases ?? 16 },
  );
  for await (const chunk of rdb) {
    decoder.push(chunk);
    if (out.length > 0) yield out.take();
  }
  decoder.end();
  if (out.length > 0) yield out.take();
}

/** `chunks` as they are, `count` told each one's size (a rewrite's base size). */
export async function* counting(chunks: AsyncIterable<Uint8Array>, count: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    count(c.length);
    yield c;
  }
}
