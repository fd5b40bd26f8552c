/**
 * Support for the transfer tests: random datasets built through commands (every type, binary keys
 * and values, TTLs, several dbs, sizes on both sides of the listpack/intset limits) and a
 * comparable view of an engine's whole dataset. Not a test file itself; not built.
 */
import fc from 'fast-check';
import { objectEncoding, typeOf } from '../keyspace/object.ts';
import type { Engine } from '../engine/engine.ts';
import { shape } from '../rdb/testing.ts';

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
export const bytes = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: byte, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'base64:x', '123', '-5', 'é', '\xff\xfe') },
  { weight: 1, arbitrary: fc.string({ unit: byte, minLength: 65, maxLength: 80 }) }, // past *-max-listpack-value
);

export type KeySpec = [db: number, type: 'string' | 'list' | 'hash' | 'set' | 'iset' | 'zset', key: string, items: string[], ttl: number | null];

export const keySpec = (maxItems: number) => fc.tuple(
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom('string' as const, 'list' as const, 'hash' as const, 'set' as const, 'iset' as const, 'zset' as const),
  bytes,
  fc.array(bytes, { minLength: 1, maxLength: maxItems }),
  fc.option(fc.integer({ min: 1, max: 10 ** 7 })),
);

/** The commands creating `specs` (later specs for the same key replace earlier ones); TTLs relative to `now`. */
export function commandsFor(specs: readonly KeySpec[], now: number): string[][] {
  const cmds: string[][] = [];
  specs.forEach(([db, type, key, items, ttl], n) => {
    cmds.push(['SELECT', String(db)], ['DEL', key]);
    if (type === 'string') cmds.push(['SET', key, items[0]!]);
    if (type === 'list') cmds.push(['RPUSH', key, ...items]);
    if (type === 'set') cmds.push(['SADD', key, ...items]);
    if (type === 'iset') cmds.push(['SADD', key, ...items.map((_, i) => String(i * 7919 - 300 + n))]);
    if (type === 'hash') cmds.push(['HSET', key, ...items.flatMap((x) => [x, `${x}!`])]);
    if (type === 'zset') cmds.push(['ZADD', key, ...items.flatMap((x, i) => [i % 7 === 3 ? '-inf' : String(i / 3 - 7), x])]);
    if (ttl !== null) cmds.push(['PEXPIREAT', key, String(now + ttl)]);
  });
  return cmds;
}

/** Small container limits, so a few dozen elements cross them. */
export const SMALL_LIMITS: Record<string, string> = {
  'hash-max-listpack-entries': '16', 'set-max-intset-entries': '16', 'zset-max-listpack-entries': '16',
};

export function run(engine: Engine, cmds: readonly string[][]): void {
  const c = engine.connect();
  for (const argv of cmds) {
    const r = c.exec(argv);
    if (r instanceof Error) throw r;
  }
  c.close();
}

export type Row = [db: number, key: string, type: string, encoding: string, value: unknown, expireAt: number];

/** Every key of every db, as comparable rows in (db, key) order. */
export function contents(engine: Engine): Row[] {
  const rows: Row[] = [];
  engine.ks.dbs.forEach((db, i) => {
    for (const [key, e] of db.keys) rows.push([i, key, typeOf(e.value), objectEncoding(e), shape(e.value), e.expireAt]);
  });
  return rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}
