import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeManifest, EMPTY_MANIFEST, formatManifest, type AofManifest } from './manifest.ts';
import {
  filesToLoad,
  finishRewrite,
  lastIncrFile,
  needsUpgrade,
  newBaseFile,
  newIncrFile,
  openOnServerStart,
  startRewrite,
  tempIncrFileName,
  upgradeOldAof,
  withoutHistory,
  type AofState,
} from './manifest-state.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const redisWrote = (path: string): string => readFileSync(new URL(path, fixtures), 'latin1');
const F = 'appendonly.aof';

/** A BGREWRITEAOF that succeeds: open the new incr, then finish (with GC unless disabled). */
function rewrite(m: AofManifest, state: AofState, rdb: boolean, gc: boolean): AofManifest {
  const started = startRewrite(m, state, F).manifest;
  const done = finishRewrite(started, state, F, rdb).manifest;
  return gc ? withoutHistory(done).manifest : done;
}

describe('manifest transitions replay what redis-server 7.0.15 did', () => {
  // The sessions of __fixtures__/make-fixtures.mjs, step by step.
  it('start, two rewrites with aof-disable-auto-gc, a rewrite while off, enabling again', () => {
    const start = openOnServerStart(EMPTY_MANIFEST, F, true);
    expect(start.createBase).toBe('appendonly.aof.1.base.rdb');
    expect(start.incr).toBe('appendonly.aof.1.incr.aof');
    expect(start.newIncr).toBe(true);
    let m = rewrite(start.manifest, 'on', true, false);
    m = rewrite(m, 'on', true, false);
    expect(formatManifest(m)).toBe(redisWrote('rdb-history/appendonly.aof.manifest'));

    const off = startRewrite(m, 'off', F);
    expect(off).toEqual({ manifest: m, open: null, persist: false });
    const whileOff = finishRewrite(m, 'off', F, true);
    expect(whileOff.incr).toBeNull();
    m = whileOff.manifest;
    expect(formatManifest(m)).toBe(redisWrote('manifests/after-rewrite-while-off.manifest'));

    const waiting = startRewrite(m, 'wait-rewrite', F);
    expect(waiting).toEqual({ manifest: m, open: tempIncrFileName(F), persist: false });
    const enabled = finishRewrite(m, 'wait-rewrite', F, true);
    expect(enabled.base).toBe('appendonly.aof.5.base.rdb');
    // The in-memory counter kept 3, so the renamed temp incr is 4.
    expect(enabled.incr).toBe('appendonly.aof.4.incr.aof');
    expect(formatManifest(enabled.manifest)).toBe(redisWrote('manifests/after-reenable.manifest'));
  });

  it('failed rewrites leave incrs that the next success retires together', () => {
    let m = openOnServerStart(EMPTY_MANIFEST, F, true).manifest;
    for (let i = 0; i < 2; i++) {
      const started = startRewrite(m, 'on', F);
      expect(started.persist).toBe(true);
      m = started.manifest;
    }
    expect(m.incrs.map((i) => i.seq)).toEqual([1, 2, 3]);
    m = rewrite(m, 'on', true, false);
    expect(formatManifest(m)).toBe(redisWrote('manifests/after-failed-rewrites.manifest'));
  });

  it('RESP bases, then garbage collection', () => {
    const m = rewrite(openOnServerStart(EMPTY_MANIFEST, F, false).manifest, 'on', false, true);
    expect(formatManifest(m)).toBe(redisWrote('resp-ts-rewritten/appendonly.aof.manifest'));
  });

  it('names needing quotes', () => {
    const name = ' file seq \n\n.aof ';
    const start = openOnServerStart(EMPTY_MANIFEST, name, true).manifest;
    const done = finishRewrite(startRewrite(start, 'on', name).manifest, 'on', name, true).manifest;
    expect(formatManifest(withoutHistory(done).manifest)).toBe(redisWrote('manifests/quoted-names.manifest'));
  });
});

describe('manifest transitions', () => {
  const m = decodeManifest('file a.2.base.rdb seq 2 type b\nfile a.1.base.rdb seq 1 type h\nfile a.3.incr.aof seq 3 type i\n');

  it('hands out the next seqs', () => {
    expect(newBaseFile(m, 'a', false).name).toBe('a.3.base.aof');
    expect(newIncrFile(m, 'a').name).toBe('a.4.incr.aof');
    expect(lastIncrFile(m, 'a')).toEqual({ manifest: m, name: 'a.3.incr.aof' });
    expect(lastIncrFile(EMPTY_MANIFEST, 'a').name).toBe('a.1.incr.aof');
  });

  it('never changes the manifest it is given', () => {
    const before = formatManifest(m);
    finishRewrite(startRewrite(m, 'on', 'a').manifest, 'on', 'a', true);
    withoutHistory(m);
    expect(formatManifest(m)).toBe(before);
  });

  it('lists the files to load: base then incrs, never history', () => {
    expect(filesToLoad(m).map((f) => f.name)).toEqual(['a.2.base.rdb', 'a.3.incr.aof']);
  });

  it('removes history', () => {
    const { manifest, removed } = withoutHistory(m);
    expect(removed).toEqual(['a.1.base.rdb']);
    expect(manifest.history).toEqual([]);
  });

  it('reopens the last incr at server start', () => {
    const s = openOnServerStart(m, 'a', true);
    expect(s).toEqual({ manifest: m, createBase: null, incr: 'a.3.incr.aof', newIncr: false });
    const baseOnly = decodeManifest('file a.2.base.rdb seq 2 type b\n');
    expect(openOnServerStart(baseOnly, 'a', true)).toMatchObject({ createBase: null, incr: 'a.1.incr.aof', newIncr: true });
  });
});

describe('upgrade from a pre-7.0 appendonly.aof', () => {
  const probe = { oldFileExists: true, dirExists: true, movedFileExists: false };

  it.each<[string, AofManifest, typeof probe, boolean]>([
    ['no old file', EMPTY_MANIFEST, { ...probe, oldFileExists: false }, false],
    ['no dir', EMPTY_MANIFEST, { ...probe, dirExists: false }, true],
    ['an empty manifest', EMPTY_MANIFEST, probe, true],
    ['an interrupted upgrade', decodeManifest(`file ${F} seq 1 type b\n`), probe, true],
    ['a finished upgrade', decodeManifest(`file ${F} seq 1 type b\n`), { ...probe, movedFileExists: true }, false],
    ['a multi-part AOF', decodeManifest(`file ${F}.1.incr.aof seq 1 type i\n`), probe, false],
  ])('%s', (_what, m, p, expected) => {
    expect(needsUpgrade(m, F, p)).toBe(expected);
  });

  it('makes the old file the base, then opens incr 1 (aof-multi-part.tcl "old version redis")', () => {
    const m = upgradeOldAof(EMPTY_MANIFEST, F);
    expect(formatManifest(m)).toBe(`file ${F} seq 1 type b\n`);
    const started = openOnServerStart(m, F, true);
    expect(formatManifest(started.manifest)).toBe(`file ${F} seq 1 type b\nfile ${F}.1.incr.aof seq 1 type i\n`);
    const after = rewrite(started.manifest, 'on', true, true);
    expect(formatManifest(after)).toBe(`file ${F}.2.base.rdb seq 2 type b\nfile ${F}.2.incr.aof seq 2 type i\n`);
  });
});
