/**
 * The page: renders the list, turns clicks into calls to the store, and re-renders whenever the
 * store changes — in this tab or any other, through keyspace notifications.
 */
import { openLarder, type BrowserLarder } from '@larder/browser';
import * as todos from './todos.ts';

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#add');
const title = $<HTMLInputElement>('#title');
const listEl = $<HTMLUListElement>('#list');
const undoBar = $<HTMLParagraphElement>('#undo');
const statusEl = $<HTMLParagraphElement>('#status');

function say(text: string): void {
  statusEl.textContent = text;
}

/** Runs a user action; a failure (e.g. StorageError QUOTA_EXCEEDED: the site is out of space) is shown, not thrown away. */
function act(action: () => Promise<unknown>): void {
  action().catch((e: Error & { code?: string }) => say(`${e.code ?? e.name}: ${e.message}`));
}

function row(todo: todos.Todo, db: BrowserLarder): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.id = todo.id;
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: todo.done });
  box.addEventListener('change', () => act(() => todos.setDone(db, todo.id, box.checked)));
  const label = document.createElement('label');
  label.append(box, Object.assign(document.createElement('span'), { textContent: todo.title }));
  const del = Object.assign(document.createElement('button'), { className: 'delete', textContent: '×', title: 'Delete' });
  del.addEventListener('click', () =>
    act(async () => {
      await todos.remove(db, todo.id);
      offerUndo(db, todo);
    }),
  );
  li.append(label, del);
  return li;
}

let undoTimer: ReturnType<typeof setTimeout> | undefined;
function offerUndo(db: BrowserLarder, todo: todos.Todo): void {
  clearTimeout(undoTimer);
  undoBar.querySelector('span')!.textContent = todo.title;
  undoBar.querySelector('button')!.onclick = () =>
    act(async () => {
      undoBar.hidden = true;
      if (!(await todos.undo(db, todo.id))) say('Too late: that todo has expired.');
    });
  undoBar.hidden = false;
  undoTimer = setTimeout(() => (undoBar.hidden = true), todos.UNDO_SECONDS * 1000);
}

let db: BrowserLarder | undefined;

function showRole(role: 'owner' | 'follower'): void {
  const where = `${db?.info.storage ?? ''}${db?.info.persisted ? ', persistent' : ''}`;
  say(`${role === 'owner' ? 'This tab holds the store' : 'Another tab holds the store'} (${where}).`);
}

// Renders at most once per frame, however many notifications a change brings.
let queued = false;
function render(): void {
  if (queued || !db) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    act(async () => {
      const items = await todos.list(db!);
      listEl.replaceChildren(...items.map((t) => row(t, db!)));
      $('#count').textContent = `${items.filter((t) => !t.done).length} left`;
      document.body.dataset.ready = 'true';
    });
  });
}

async function main(): Promise<void> {
  // No `worker` option: the package starts its own worker, which Vite finds and bundles.
  db = await openLarder({
    name: 'todos',
    // Todos are typed by hand, a few a minute: each reply waits for its log flush, so whatever the
    // page shows has reached the disk (survives a killed browser and a power cut alike).
    appendfsync: 'always',
    // Keyspace events of hashes (h), sorted sets (z) and DEL/EXPIRE/PERSIST (g): every tab hears every change.
    notifyKeyspaceEvents: 'Kghz',
    persist: true,
    onEvent: (e) => {
      if (e.type === 'role') showRole(e.role);
      if (e.type === 'owner-changed') render(); // changes made during a takeover sent no notification here
    },
  });
  const store = db;
  store.psubscribe('__keyspace@0__:todo*', render);
  // An import sends no notification per key: the tab that imports tells the others on this channel.
  store.subscribe('todos:imported', render);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = title.value.trim();
    if (text) act(() => todos.add(store, text));
    title.value = '';
  });
  $('#clear').addEventListener('click', () => act(() => todos.clearCompleted(store)));
  $('#backup').addEventListener('click', () =>
    act(async () => {
      // A real dump.rdb: `redis-server --dir <the folder it is saved in>` starts with these todos.
      const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await store.export()), download: 'dump.rdb' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    }),
  );
  const restore = $<HTMLInputElement>('#restore');
  restore.addEventListener('change', () =>
    act(async () => {
      const file = restore.files?.[0];
      if (!file) return;
      // A dump.rdb (from this app or from redis-server) or a JSON export replaces every todo at once.
      const keys = await store.import(file);
      restore.value = '';
      await store.publish('todos:imported', file.name);
      say(`Restored ${keys} keys from ${file.name}.`);
    }),
  );
  showRole(store.info.role);
  render();
}

if ('serviceWorker' in navigator) void navigator.serviceWorker.register('./sw.js');
main().catch((e: Error) => say(`Could not open the store: ${e.message}`));
