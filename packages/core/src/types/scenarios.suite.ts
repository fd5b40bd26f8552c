/**
 * The scenario runner of the hash and set command tables (hash/commands.test.ts,
 * set/commands.test.ts): each scenario runs on a fresh engine and compares every reply in plain form
 * (`{ s }` status, `{ err }` error, `{ i }` an integer beyond 2^53, `{ len }` only the length is
 * deterministic; a trailing `true` compares as a multiset because the order is a hashtable's).
 */
import { expect, it } from 'vitest';
import { parkMiller } from '../commands/testing.ts';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { ReplyError } from '../reply/errors.ts';
import { MapReply, NilArray, OK, SetReply, Status, type Reply } from '../reply/reply.ts';
import { objectEncoding, typeOf } from '../keyspace/object.ts';

export type Plain = string | number | null | Plain[] | { s: string } | { err: string } | { i: string } | { len: number } | { nilarray: true };
export interface Scenario {
  name: string;
  steps: Array<[string[], Plain] | [string[], Plain, boolean]>;
}

const NOW = 1_700_000_000_000;

function plain(r: Reply): Plain {
  if (typeof r === 'string' || typeof r === 'number' || r === null) return r;
  if (typeof r === 'bigint') return Number.isSafeInteger(Number(r)) ? Number(r) : { i: String(r) };
  if (Array.isArray(r)) return r.map(plain);
  if (r instanceof MapReply || r instanceof SetReply) return r.items.map(plain);
  if (r instanceof Status) return { s: r.value };
  if (r instanceof ReplyError) return { err: r.message };
  if (r instanceof NilArray) return { nilarray: true };
  throw new Error(`unexpected reply ${String(r)}`);
}

/**
 * Runs one step. The few commands of other families the scenarios use are answered from the
 * keyspace directly, so these tests depend on nothing outside this type.
 */
function run(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  switch (argv[0]!.toLowerCase()) {
    case 'object': {
      const e = c.db.lookup(argv[2]!);
      return e === undefined ? null : objectEncoding(e);
    }
    case 'config':
      c.engine.config.set(argv[2]!, argv[3]!);
      return OK;
    case 'exists':
      return c.db.lookup(key) === undefined ? 0 : 1;
    case 'type': {
      const e = c.db.lookup(key);
      return new Status(e === undefined ? 'none' : typeOf(e.value));
    }
    case 'expire': {
      const e = c.db.lookup(key);
      if (e === undefined) return 0;
      c.db.setExpire(key, e, NOW + Number(argv[2]) * 1000);
      return 1;
    }
    case 'ttl': {
      const e = c.db.lookup(key);
      return e === undefined ? -2 : e.expireAt === -1 ? -1 : Math.round((e.expireAt - NOW) / 1000);
    }
  }
  const r = c.exec(argv);
  if (r instanceof Promise) throw new Error('unexpected blocking reply');
  return r;
}

function sorted(p: Plain): Plain {
  return Array.isArray(p) ? [...p].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : p;
}

export function runScenarios(scenarios: Scenario[]): void {
  for (const sc of scenarios) {
    it(sc.name, () => {
      const engine = createEngine({ activeExpire: false, now: () => NOW, random: parkMiller(12345) });
      const c = engine.connect();
      for (const [argv, expected, unordered] of sc.steps) {
        const actual = plain(run(c, argv));
        const label = argv.join(' ').slice(0, 120);
        if (expected !== null && typeof expected === 'object' && 'len' in expected) {
          expect((actual as Plain[]).length, label).toBe(expected.len);
        } else if (unordered) {
          expect(sorted(actual), label).toEqual(sorted(expected));
        } else {
          expect(actual, label).toEqual(expected);
        }
      }
      engine.close();
    });
  }
}
