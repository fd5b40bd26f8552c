/**
 * DUMP and RESTORE (Redis 7.0's cluster.c): a key's value as an RDB payload, and back.
 *
 * The payload is `<type><value as in an RDB file><version u16 LE><CRC64 u64 LE>` (rdb/dump.ts),
 * stamped version 10 like Redis 7.0's, so payloads travel both ways between Larder and Redis.
 * RESTORE checks in Redis's order: options, BUSYKEY, the TTL, the footer, the value; it then
 * propagates a relative TTL as an absolute one (`... <abs-ms> ... ABSTTL`), and a TTL already in
 * the past creates nothing: with REPLACE of an existing key that is a deletion, propagated as DEL.
 * IDLETIME and FREQ are checked and accepted; Larder keeps no LRU/LFU data to set.
 */
import type { Client } from '../engine/client.ts';
import { binaryToBytes, bytesToBinary } from '../bytes.ts';
import { decodeDump, dumpOptions, dumpView, verifyDumpPayload } from '../rdb/dump.ts';
import { limitsFromConfig } from '../rdb/value-decode.ts';
import {
  BAD_DATA_FORMAT, BUSYKEY, DUMP_PAYLOAD_INVALID, RESTORE_INVALID_FREQ, RESTORE_INVALID_IDLETIME,
  RESTORE_INVALID_TTL, SYNTAX,
} from '../reply/errors.ts';
import { OK, type Reply } from '../reply/reply.ts';
import type { Value } from '../keyspace/object.ts';
import { isOpt, parseInteger } from './args.ts';
import { command, type CommandSpec } from './spec.ts';

function dump(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const db = c.db;
  const e = db.lookup(key);
  if (e === undefined) {
    db.ks.onMiss(db, key);
    return null;
  }
  db.ks.hits++;
  return bytesToBinary(dumpView(e.value, dumpOptions(c.engine.config)));
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
}

/** The options after the payload, as restoreCommand reads them. */
function parseRestoreOptions(argv: string[]): RestoreOptions {
  const o: RestoreOptions = { replace: false, absttl: false };
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const arg = argv[j]!;
    const more = argv.length - j - 1;
    if (isOpt(arg, 'replace')) {
      o.replace = true;
    } else if (isOpt(arg, 'absttl')) {
      o.absttl = true;
    } else if (isOpt(arg, 'idletime') && more >= 1 && freq === -1) {
      idle = parseInteger(argv[++j]!);
      if (idle < 0) throw RESTORE_INVALID_IDLETIME;
    } else if (isOpt(arg, 'freq') && more >= 1 && idle === -1) {
      freq = parseInteger(argv[++j]!);
      if (freq < 0 || freq > 255) throw RESTORE_INVALID_FREQ;
    } else {
      throw SYNTAX;
    }
  }
  return o;
}

/** RESTORE's payload bytes, in a buffer reused by the next RESTORE (up to 64 KiB). */
let scratch = new Uint8Array(1024);

/**
 * `payload` as bytes, for decoding at once: decoded values copy what they keep (strings, numbers),
 * never a view of the payload, so the buffer can serve the next RESTORE (an import runs one per key).
 */
function payloadBytes(payload: string): Uint8Array {
  const n = payload.length;
  if (n > 1 << 16) return binaryToBytes(payload);
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, 2 * scratch.length));
  return binaryToBytes(payload, scratch);
}

function restore(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const db = c.db;
  const engine = c.engine;
  const o = parseRestoreOptions(argv);
  if (!o.replace && db.lookup(key) !== undefined) throw BUSYKEY;
  let ttl = parseInteger(argv[2]!);
  if (ttl < 0) throw RESTORE_INVALID_TTL;
  const payload = payloadBytes(argv[3]!);
  if (!verifyDumpPayload(payload)) throw DUMP_PAYLOAD_INVALID;
  let value: Value;
  try {
    // Verified just above: decodeDump need not compute the CRC again.
    value = decodeDump(payload, key, { limits: limitsFromConfig(engine.config), skipChecksum: true }).value;
  } catch {
    throw BAD_DATA_FORMAT;
  }

  const deleted = o.replace && db.delete(key);
  if (ttl !== 0 && !o.absttl) ttl += engine.now();
  if (ttl !== 0 && ttl <= engine.now() && !engine.loading) {
    if (deleted) {
      c.rewrite([engine.config.value('lazyfree-lazy-server-del') === 'yes' ? 'UNLINK' : 'DEL', key]);
      c.changed(key, 'del', 'g');
    }
    return OK;
  }
  const e = db.add(key, value);
  if (ttl !== 0) {
    db.setExpire(key, e, ttl);
    if (!o.absttl) {
      const rewritten = argv.slice();
      rewritten[2] = String(ttl);
      rewritten.push('ABSTTL');
      c.rewrite(rewritten);
    }
  }
  c.changed(key, 'restore', 'g');
  return OK;
}

export const dumpCommands: CommandSpec[] = [
  // DUMP key
  command({
    name: 'dump', arity: 2, flags: ['readonly'], keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Return a serialized version of the value stored at the specified key.', syntax: 'key',
    complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    handler: dump,
  }),
  // RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
  command({
    name: 'restore', arity: -4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
    syntax: 'key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    handler: restore,
  }),
];
