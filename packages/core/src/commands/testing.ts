/**
 * Support for the command tests (*.test.ts): an engine on a frozen clock that records keyspace
 * events and propagated commands, and a replay of `[argv, expected reply]` steps. It imports no
 * test framework, so it compiles with the package; index.ts does not export it.
 */
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { ReplyError } from '../reply/errors.ts';
import { Double, formatDouble17g, Push, Status } from '../reply/reply.ts';

export const T0 = 1_700_000_000_000;

/** A reply in a comparable shape: `+status`, `-error`, doubles as RESP2 text, arrays mapped. */
export function show(r: unknown): unknown {
  if (r instanceof ReplyError) return `-${r.message}`;
  if (r instanceof Status) return `+${r.value}`;
  if (r instanceof Double) return formatDouble17g(r.value);
  if (Array.isArray(r)) return r.map(show);
  return r;
}

/** argv and the expected shown reply. `[['@db', n], null]` selects db n instead (no SELECT needed). */
export type Step = [string[], unknown];

/**
 * Runs `steps` on `c`; returns what each step answered and what it should have, both labelled
 * with the command line, for one `expect(got).toEqual(want)`.
 */
export function replay(c: Client, steps: Step[]): { got: unknown[]; want: unknown[] } {
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (const [argv, expected] of steps) {
    if (argv[0] === '@db') {
      c.dbIndex = Number(argv[1]);
      continue;
    }
    const line = argv.join(' ');
    got.push([line, show(c.exec(argv))]);
    want.push([line, expected]);
  }
  return { got, want };
}

export interface Setup {
  e: Engine;
  c: Client;
  /** Keyevent notifications as `<db> <event> <key>`. */
  events: string[];
  /** Propagated commands, each prefixed with its db (MULTI/EXEC without one). */
  ops: string[][];
  /** Moves the clock. */
  advance(ms: number): void;
}

export function setup(): Setup {
  let t = T0;
  const e = createEngine({ now: () => t, activeExpire: false });
  const c = e.connect();
  const events: string[] = [];
  const ops: string[][] = [];
  const listener = e.connect({
    onPush: (m) => {
      const [, , channel, key] = (m as Push).items as string[];
      const match = /^__keyevent@(\d+)__:(.*)$/s.exec(channel!);
      if (match) events.push(`${match[1]} ${match[2]} ${key}`);
    },
  });
  e.config.set('notify-keyspace-events', 'KEA');
  e.configChanged();
  e.pubsub.psubscribe(listener, '__keyevent@*');
  e.propagation.listen((batch) => {
    for (const op of batch) ops.push(op.db >= 0 ? [String(op.db), ...op.argv] : op.argv);
  });
  return { e, c, events, ops, advance: (ms) => (t += ms) };
}
