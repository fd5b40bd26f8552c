/**
 * Support for the sorted set tests: replies in the notation of a RESP2 client (the notation the
 * expected values were captured in from redis-server 7.0.15), and a table runner. It imports no
 * test framework, so it compiles with the package; index.ts does not export it.
 */
import type { Client } from '../../engine/client.ts';
import { ReplyError } from '../../reply/errors.ts';
import { Double, MapReply, NilArray, SetReply, Status, formatDouble17g, type Reply } from '../../reply/reply.ts';

/**
 * A reply as RESP2 carries it: integers as numbers, bulk strings and scores as text, `null` for a
 * nil bulk, '*-1' for a nil array, '+OK' for a status and '-ERR ...' for an error.
 */
export function wire2(r: Reply | Promise<Reply>): unknown {
  if (r instanceof Promise) return 'blocked';
  if (typeof r === 'string' || r === null) return r;
  if (typeof r === 'number' || typeof r === 'bigint') return Number(r);
  if (Array.isArray(r)) return r.map(wire2);
  if (r instanceof Double) return formatDouble17g(r.value);
  if (r instanceof ReplyError) return `-${r.message}`;
  if (r instanceof Status) return `+${r.value}`;
  if (r instanceof NilArray) return '*-1';
  if (r instanceof MapReply || r instanceof SetReply) return r.items.map(wire2);
  return r;
}

/** argv and the reply redis-server 7.0.15 gave, in `wire2` notation. */
export type Step = [string[], unknown];

/** Runs `steps` on `c`; both sides labelled with the command line for one `toEqual`. */
export function runSteps(c: Client, steps: readonly Step[]): { got: unknown[]; want: unknown[] } {
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (const [argv, expected] of steps) {
    const line = argv.join(' ');
    got.push([line, wire2(c.exec(argv))]);
    want.push([line, expected]);
  }
  return { got, want };
}
