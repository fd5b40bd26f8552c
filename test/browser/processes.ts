/**
 * Chromium's processes as /proc shows them: the browser's tree (zygotes, renderers, utilities),
 * SIGKILL by group or pid, and waiting until they are gone. Linux only, like the harness.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** `/proc/<pid>/stat` fields after the command name: state, ppid, pgrp, ... */
function statOf(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Every live process below `root` (zygotes, renderers, utilities), found through /proc ppids. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSyncSafe('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = statOf(pid);
    if (!st || st[0] === 'Z') continue;
    const ppid = Number(st[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/**
 * The browser, its descendants, and whatever else names its profile: chrome_crashpad_handler
 * double-forks away from the tree and its process group but carries `--database=<profile>/...`.
 */
export function familyOf(pid: number, profileDir: string): number[] {
  const family = new Set([pid, ...descendants(pid)]);
  for (const name of readdirSyncSafe('/proc')) {
    const p = Number(name);
    if (Number.isInteger(p) && p !== process.pid && readCmdline(p).includes(profileDir)) family.add(p);
  }
  return [...family];
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Resolves once none of `pids` is alive (a zombie counts as gone: its files are closed). */
export async function waitGone(pids: number[]): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (pids.every((p) => (statOf(p)?.[0] ?? 'Z') === 'Z')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Chromium processes still alive after 5 s: ${pids.filter((p) => statOf(p)?.[0] !== 'Z').join(' ')}`);
}
