/**
 * The two table runners every sorted set command test uses: replies alone, and replies with the
 * keyspace events and propagated commands (db 0's, shown without the db) they caused. Called
 * inside a `describe`, so each file keeps its own titles and may add its own tests beside them.
 */
import { expect, it } from 'vitest';
import { setup } from '../../commands/testing.ts';
import { runSteps, type Step } from './testing.ts';

/** Steps with the events (`<db> <event> <key>`) and propagation redis-server 7.0.15 showed for them. */
export interface Effects {
  steps: Step[];
  events: string[];
  ops: string[][];
}

/** One test per table, each on a fresh engine. */
export function itReplies(tables: Record<string, Step[]>): void {
  it.each(Object.entries(tables))('%s', (_name, steps) => {
    const { c } = setup();
    const { got, want } = runSteps(c, steps);
    expect(got).toEqual(want);
  });
}

/** One test per table, each on a fresh engine: replies, then events, then propagation. */
export function itEffects(tables: Record<string, Effects>): void {
  it.each(Object.entries(tables))('%s', (_name, { steps, events, ops }) => {
    const s = setup();
    const { got, want } = runSteps(s.c, steps);
    expect(got).toEqual(want);
    expect(s.events).toEqual(events);
    expect(s.ops.map((op) => (op[0] === '0' ? op.slice(1) : op))).toEqual(ops);
  });
}
