/**
 * Support for the command tests (*.test.ts): an engine on a frozen clock that records keyspace
 * events and propagated commands, and a replay of `[argv, expected reply]` steps. It imports no
 * test framework, so it compiles with the package; index.ts does not export it.
 */
import { createEngine, type Engine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { ReplyError } from '../reply/errors.ts';
import { Double, formatDouble17g, MapReply, NilArray, Push, Replies, SetReply, Status, VerbatimString, type Reply } from '../reply/reply.ts';

export const T0 = 1_700_000_000_000;

/** A reply in a comparable shape: `+status`, `-error`, doubles as RESP2 text, arrays mapped. */
export function show(r: unknown): unknown {
  if (r instanceof ReplyError) return `-${r.message}`;
  if (r instanceof Status) return `+${r.value}`;
  if (r instanceof Double) return formatDouble17g(r.value);
  if (Array.isArray(r)) return r.map(show);
  return r;
}

/**
 * A reply as plain data, for tables of expected replies: `{ s }` status, `{ err }` error, 'nilarray'
 * the nil array, integers as numbers, verbatim strings as their text, MULTI's reply lists as arrays;
 * `plain` tags maps, sets and pushes (`{ map }`, `{ set }`, `{ push }`), `plain2` flattens them into
 * arrays as a RESP2 client sees them.
 */
export type Plain =
  | string | number | null | Plain[] | 'nilarray' | { s: string } | { err: string }
  | { map: Plain[] } | { set: Plain[] } | { push: Plain[] };

export const plain = (r: Reply | Promise<Reply>): Plain => toPlain(r, true);
export const plain2 = (r: Reply | Promise<Reply>): Plain => toPlain(r, false);

function toPlain(r: Reply | Promise<Reply>, tag: boolean): Plain {
  if (r instanceof Promise) throw new Error('unexpected blocking reply');
  if (typeof r === 'string' || typeof r === 'number' || r === null) return r;
  if (typeof r === 'bigint') return Number(r);
  if (r instanceof VerbatimString) return r.text; // INFO / CLIENT LIST: RESP3 verbatim text
  if (Array.isArray(r) || r instanceof Replies) return (Array.isArray(r) ? r : r.items).map((x) => toPlain(x, tag));
  if (r instanceof MapReply || r instanceof SetReply || r instanceof Push) {
    const items = r.items.map((x) => toPlain(x, tag));
    if (!tag) return items;
    return r instanceof MapReply ? { map: items } : r instanceof SetReply ? { set: items } : { push: items };
  }
  if (r instanceof Status) return { s: r.value };
  if (r instanceof ReplyError) return { err: r.message };
  if (r instanceof NilArray) return 'nilarray';
  throw new Error(`unexpected reply ${String(r)}`);
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

/** A fixed Park-Miller sequence from `seed`: for tests that check only what does not depend on it. */
export function parkMiller(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

export interface EffectsSetup {
  e: Engine;
  c: Client;
  /** Propagated commands, without their db. */
  ops: string[][];
  /** Turns on KEA notifications and returns db 0's keyevent stream from then on, as `<event> <key>`. */
  keyevents(): string[];
}

/** An engine on the real clock and a seeded random, for the propagation and event tests of a type. */
export function effectsSetup(seed: number): EffectsSetup {
  const e = createEngine({ activeExpire: false, random: parkMiller(seed) });
  const ops: string[][] = [];
  e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
  const keyevents = (): string[] => {
    e.config.set('notify-keyspace-events', 'KEA');
    e.configChanged();
    const events: string[] = [];
    const sub = e.connect({
      onPush: (m) => {
        const [, , channel, key] = (m as Push).items as string[];
        events.push(`${channel!.slice(channel!.indexOf(':') + 1)} ${key}`);
      },
    });
    e.pubsub.psubscribe(sub, '__keyevent@0__:*');
    return events;
  };
  return { e, c: e.connect(), ops, keyevents };
}
