/**
 * Checklist cases that need a real directory (reference §4; see /work/briefs/checklist-coverage.md):
 * starting on nothing, on an empty appendonlydir, on an empty dump.rdb. `larder serve` and
 * redis-server 7.0.15 both start, empty, and Larder leaves what Redis leaves.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyDir, dataOf, liveLarder, scratch } from './harness.ts';

const tmp = scratch('larder-damage-startup-');
afterAll(() => tmp.cleanup());
const AOF = ['--appendonly', 'yes'];
const RDB = ['--appendonly', 'no'];

/** Starts both servers on copies of `dir`; both must start; returns what each held and left. */
async function both(dir: string, args: string[]) {
  const l = copyDir(dir, tmp.fresh('larder'));
  const r = copyDir(dir, tmp.fresh('redis'));
  const [larder, redis] = await Promise.all([dataOf('larder', l, args), dataOf('redis', r, args)]);
  const files = (d: string): string[] => {
    const out: string[] = [];
    const walk = (p: string, rel: string): void => {
      for (const f of readdirSync(p, { withFileTypes: true })) {
        if (f.isDirectory()) walk(join(p, f.name), `${rel}${f.name}/`);
        else out.push(`${rel}${f.name}`);
      }
    };
    walk(d, '');
    return out.sort();
  };
  return { larder, redis, larderFiles: files(l), redisFiles: files(r) };
}

describe('startup on an empty or missing dataset', () => {
  it('Multi Part AOF can start when no aof and no manifest (aof-multi-part.tcl)', async () => {
    const dir = tmp.fresh('nothing');
    mkdirSync(dir);
    const r = await both(dir, AOF);
    expect(r.larder).toEqual({});
    expect(r.redis).toEqual({});
    expect(r.larderFiles).toEqual(r.redisFiles);
  });

  it('Multi Part AOF can start when we have en empty AOF dir (aof-multi-part.tcl)', async () => {
    const dir = tmp.fresh('empty-aof-dir');
    mkdirSync(join(dir, 'appendonlydir'), { recursive: true });
    const r = await both(dir, AOF);
    expect(r.larder).toEqual({});
    expect(r.redis).toEqual({});
    expect(r.larderFiles).toEqual(r.redisFiles);
  });

  it('Server started empty with non-existing RDB file (rdb.tcl)', async () => {
    const dir = tmp.fresh('no-rdb');
    mkdirSync(dir);
    const r = await both(dir, RDB);
    expect(r.larder).toEqual({});
    expect(r.redis).toEqual({});
    expect(r.larderFiles).toEqual([]);
    expect(r.redisFiles).toEqual([]);
  });

  it('Server started empty with empty RDB file (rdb.tcl: SAVE of an empty dataset, then a restart)', async () => {
    const dir = tmp.fresh('empty-rdb');
    mkdirSync(dir);
    const l = await liveLarder(dir, RDB);
    try {
      expect(await l.call(['SAVE'])).toBe('OK');
    } finally {
      await l.stop();
    }
    expect(readdirSync(dir)).toEqual(['dump.rdb']);
    const r = await both(dir, RDB);
    expect(r.larder).toEqual({});
    expect(r.redis).toEqual({});
  });
});
