/**
 * DUMP-free snapshots of a whole dataset, to check that both sides hold the same keys with the
 * same type, value, encoding and TTL. The oracle is read with commands on a separate connection
 * (KEYS, TYPE, PEXPIRETIME, OBJECT ENCODING, then GET / LRANGE / HGETALL / SMEMBERS / ZRANGE);
 * Larder is read through its keyspace and the container contract (each value iterable), so the
 * snapshot works even while some read commands are still missing. Values are canonical: hashes
 * and sets sorted, zsets in rank order with scores as %.17g text.
 */
import { formatDouble17g, type Engine } from './larder.ts';
import { items, pairs, quote, type Norm } from './norm.ts';
import type { RespClient } from './resp-client.ts';

export interface KeyState {
  type: string;
  /** Canonical value as JSON text. */
  value: string;
  encoding: string | undefined;
  /** Absolute unix ms, -1 for none. */
  expireAt: number;
}

/** `db:key` → state. */
export type Snapshot = Map<string, KeyState>;

const id = (db: number, key: string) => `${db}:${key}`;
const text = (n: Norm | undefined): string =>
  n && (n.t === 'bulk' || n.t === 'simple' || n.t === 'verbatim' || n.t === 'double' || n.t === 'int') ? n.v : '';
const flat = (n: Norm | undefined): string[] => {
  if (!n) return [];
  const xs = items(n);
  return xs ? xs.flatMap(flat) : [text(n)];
};

/** Reads every database of the oracle. `inspector` must be a connection nobody else uses. */
export async function redisSnapshot(inspector: RespClient): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const info = text(await inspector.call(['INFO', 'keyspace']));
  const dbs = [...info.matchAll(/^db(\d+):keys=/gm)].map((m) => Number(m[1]));
  for (const db of dbs) {
    await inspector.call(['SELECT', String(db)]);
    const keys = flat(await inspector.call(['KEYS', '*']));
    const meta = await inspector.pipeline(keys.flatMap((k) => [['TYPE', k], ['PEXPIRETIME', k], ['OBJECT', 'ENCODING', k]]));
    const reads = keys.map((k, i) => readCommand(text(meta[i * 3]), k));
    const values = await inspector.pipeline(reads);
    keys.forEach((k, i) => {
      const type = text(meta[i * 3]);
      if (type === 'none') return; // expired between KEYS and TYPE
      const ttl = meta[i * 3 + 1]!;
      out.set(id(db, k), {
        type,
        value: canonical(type, flat(values[i])),
        encoding: text(meta[i * 3 + 2]),
        expireAt: ttl.t === 'int' ? Math.max(-1, Number(ttl.v)) : -1,
      });
    });
  }
  await inspector.call(['SELECT', '0']);
  return out;
}

function readCommand(type: string, k: string): string[] {
  switch (type) {
    case 'string': return ['GET', k];
    case 'list': return ['LRANGE', k, '0', '-1'];
    case 'hash': return ['HGETALL', k];
    case 'set': return ['SMEMBERS', k];
    case 'zset': return ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
    default: return ['TYPE', k];
  }
}

function canonical(type: string, xs: string[]): string {
  switch (type) {
    case 'string': return JSON.stringify(xs[0] ?? '');
    case 'hash': return JSON.stringify(pairs(xs).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    case 'set': return JSON.stringify([...xs].sort());
    case 'zset': return JSON.stringify(pairs(xs));
    default: return JSON.stringify(xs);
  }
}

type Iter = Iterable<unknown>;

/**
 * Reads every database of `engine` without going through commands, except OBJECT ENCODING when the
 * table has it (string encodings live there); `encodingOf` runs it.
 */
export function larderSnapshot(engine: Engine, encodingOf?: (db: number, key: string) => string | undefined): Snapshot {
  const out: Snapshot = new Map();
  const now = engine.now();
  engine.ks.dbs.forEach((db, dbIndex) => {
    for (const [key, e] of db.keys) {
      if (e.expireAt !== -1 && now > e.expireAt) continue; // logically gone; the oracle hides it too
      const v = e.value as unknown;
      let type: string;
      let xs: string[];
      if (typeof v === 'string') {
        type = 'string';
        xs = [v];
      } else {
        type = String((v as { type?: unknown }).type);
        const it = v as Iter;
        if (typeof it[Symbol.iterator] !== 'function') throw new Error(`Larder ${type} value of key ${quote(key)} is not iterable (container contract)`);
        xs = [...it].flatMap((x) => {
          if (!Array.isArray(x)) return [String(x)];
          return type === 'zset' ? [String(x[0]), formatDouble17g(Number(x[1]))] : x.map(String);
        });
      }
      let encoding = encodingOf?.(dbIndex, key);
      if (encoding === undefined && typeof v !== 'string') encoding = (v as { encoding?: string }).encoding;
      out.set(id(dbIndex, key), { type, value: canonical(type, xs), encoding, expireAt: e.expireAt });
    }
  });
  return out;
}

/** TTLs set relative to each side's clock may differ by the time between the two executions. */
const TTL_TOLERANCE_MS = 2000;

/** Differences between two snapshots, one line each; empty when they agree. */
export function diffSnapshots(redis: Snapshot, larder: Snapshot, labels = ['redis', 'larder']): string[] {
  const out: string[] = [];
  const [ra, la] = labels as [string, string];
  const show = (k: string) => {
    const i = k.indexOf(':');
    return `db${k.slice(0, i)} ${quote(k.slice(i + 1))}`;
  };
  for (const [k, r] of redis) {
    const l = larder.get(k);
    if (!l) {
      out.push(`${show(k)}: only in ${ra} (${r.type} ${r.value.slice(0, 120)})`);
      continue;
    }
    if (r.type !== l.type) out.push(`${show(k)}: type ${ra}=${r.type} ${la}=${l.type}`);
    else if (r.value !== l.value) out.push(`${show(k)}: value ${ra}=${r.value.slice(0, 300)} ${la}=${l.value.slice(0, 300)}`);
    if (r.encoding !== undefined && l.encoding !== undefined && r.encoding !== l.encoding) {
      out.push(`${show(k)}: encoding ${ra}=${r.encoding} ${la}=${l.encoding}`);
    }
    const ttlDiffers = r.expireAt === -1 || l.expireAt === -1
      ? r.expireAt !== l.expireAt
      : Math.abs(r.expireAt - l.expireAt) > TTL_TOLERANCE_MS;
    if (ttlDiffers) out.push(`${show(k)}: expire-at ms ${ra}=${r.expireAt} ${la}=${l.expireAt}`);
  }
  for (const [k, l] of larder) if (!redis.has(k)) out.push(`${show(k)}: only in ${la} (${l.type} ${l.value.slice(0, 120)})`);
  return out;
}
