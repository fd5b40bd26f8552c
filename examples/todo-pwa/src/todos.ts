/**
 * The todo list as Redis data, laid out so that any Redis user can read it and `redis-server` can
 * load its backup: a hash per todo (`todo:<id>` with `title`, `done`), a sorted set `todos` that
 * orders them (score: the id), and a counter `todo:seq` for ids. A deleted todo leaves the list at
 * once but its hash lives UNDO_SECONDS more (EXPIRE), so that Undo can bring it back (PERSIST);
 * after that, Redis's expiry removes it.
 */
import type { BrowserLarder } from '@larder/browser';

export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

/** What the model uses of a store: a page's `openLarder()`, or in tests core's `createLarder()`. */
export type Store = Pick<BrowserLarder, 'incr' | 'zrange' | 'zadd' | 'hgetall' | 'hset' | 'exists' | 'persist' | 'multi'>;

export const UNDO_SECONDS = 10;
const item = (id: string): string => `todo:${id}`;

export async function list(db: Store): Promise<Todo[]> {
  const ids = (await db.zrange('todos', 0, -1)) as string[];
  // Calls made in the same tick travel to the worker in one message: one round trip for all.
  const rows = await Promise.all(ids.map((id) => db.hgetall(item(id))));
  return ids.map((id, i) => ({ id, title: rows[i]?.title ?? '', done: rows[i]?.done === '1' }));
}

export async function add(db: Store, title: string): Promise<string> {
  const id = String(await db.incr('todo:seq'));
  // One transaction, so that no tab ever lists a todo whose hash is not there yet.
  await db.multi().hset(item(id), { title, done: '0' }).zadd('todos', { score: Number(id), member: id }).exec();
  return id;
}

/** False when the todo is gone (deleted in another tab): writing its hash would recreate it. */
export async function setDone(db: Store, id: string, done: boolean): Promise<boolean> {
  if (!(await db.exists(item(id)))) return false;
  await db.hset(item(id), { done: done ? '1' : '0' });
  return true;
}

export async function remove(db: Store, id: string): Promise<void> {
  await db.multi().zrem('todos', id).expire(item(id), UNDO_SECONDS).exec();
}

/** Brings a deleted todo back; false once its undo window has passed. */
export async function undo(db: Store, id: string): Promise<boolean> {
  if ((await db.persist(item(id))) === 0) return false;
  await db.zadd('todos', { score: Number(id), member: id });
  return true;
}

export async function clearCompleted(db: Store): Promise<number> {
  const done = (await list(db)).filter((t) => t.done).map((t) => t.id);
  if (done.length > 0) await db.multi().zrem('todos', ...done).del(...done.map(item)).exec();
  return done.length;
}
