// The model against core's in-process engine (same typed API as the page's), with a clock the test moves.
import { createLarder } from '@larder/core';
import { describe, expect, it } from 'vitest';
import * as todos from './todos.ts';

function store() {
  const clock = { now: 1_000_000 };
  return { db: createLarder({ now: () => clock.now }), clock };
}

describe('the todo model', () => {
  it('adds todos in order, as hashes listed by a sorted set', async () => {
    const { db } = store();
    for (const t of ['milk', 'eggs', 'bread', 'jam', 'tea', 'salt', 'rice', 'oats', 'figs', 'kale']) await todos.add(db, t);
    const listed = await todos.list(db);
    // Ten and more: ordered by number (the zset score), not as text ('10' < '2').
    expect(listed.map((t) => t.title)).toEqual(['milk', 'eggs', 'bread', 'jam', 'tea', 'salt', 'rice', 'oats', 'figs', 'kale']);
    expect(await db.hgetall('todo:10')).toEqual({ title: 'kale', done: '0' });
    expect(await db.call('OBJECT', 'ENCODING', 'todos')).toBe('listpack');
  });

  it('marks todos done, and does not recreate one deleted meanwhile', async () => {
    const { db } = store();
    const a = await todos.add(db, 'a');
    const b = await todos.add(db, 'b');
    expect(await todos.setDone(db, a, true)).toBe(true);
    await db.del(`todo:${b}`);
    expect(await todos.setDone(db, b, true)).toBe(false);
    expect(await db.exists(`todo:${b}`)).toBe(0);
    expect((await todos.list(db)).find((t) => t.id === a)?.done).toBe(true);
  });

  it('takes a deleted todo back within the undo window, not after', async () => {
    const { db, clock } = store();
    const a = await todos.add(db, 'a');
    const b = await todos.add(db, 'b');
    await todos.remove(db, a);
    await todos.remove(db, b);
    expect(await todos.list(db)).toEqual([]);
    expect(await db.ttl(`todo:${a}`)).toBe(todos.UNDO_SECONDS);
    clock.now += (todos.UNDO_SECONDS - 1) * 1000;
    expect(await todos.undo(db, a)).toBe(true);
    clock.now += 2000;
    expect(await todos.undo(db, b)).toBe(false);
    expect(await todos.list(db)).toEqual([{ id: a, title: 'a', done: false }]);
    expect(await db.ttl(`todo:${a}`)).toBe(-1); // kept for good
  });

  it('clears the completed ones and only those', async () => {
    const { db } = store();
    const ids = [await todos.add(db, 'a'), await todos.add(db, 'b'), await todos.add(db, 'c')];
    await todos.setDone(db, ids[0]!, true);
    await todos.setDone(db, ids[2]!, true);
    expect(await todos.clearCompleted(db)).toBe(2);
    expect((await todos.list(db)).map((t) => t.title)).toEqual(['b']);
    expect(await db.exists(`todo:${ids[0]}`, `todo:${ids[2]}`)).toBe(0);
    expect(await todos.clearCompleted(db)).toBe(0);
  });
});
