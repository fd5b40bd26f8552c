/**
 * Issue 3's damage requirement, end to end: `larder serve` on a real directory it wrote, broken
 * in one way per case (cases.ts). A torn tail is cut and reported; anything else stops the start
 * with a non-zero exit, a message naming the file and the byte offset (and what to do), and every
 * file byte-identical. redis-server 7.0.15 runs on a copy of the same broken directory: it must
 * refuse or accept the same ones (and a torn tail must be cut to the same bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, writeSources, type DamageCase, type Sources, type Where } from './cases.ts';
import { copyDir, hashDir, scratch, startLarderOn, startRedisOn, type StartRun } from './harness.ts';

const tmp = scratch('larder-damage-serve-');
afterAll(() => tmp.cleanup());
let sources: Sources;
beforeAll(async () => {
  sources = await writeSources(tmp.fresh);
}, 60_000);

interface Outcome extends StartRun {
  before: Record<string, string>;
  after: Record<string, string>;
}

describe.each(CASES)('$name', (c: DamageCase) => {
  let where: Where;
  let larder: Outcome;
  let redis: Outcome;
  let original: Record<string, string>;

  beforeAll(async () => {
    original = hashDir(sources[c.source]);
    const broken = copyDir(sources[c.source], tmp.fresh(`${c.name}-broken`));
    where = c.damage(broken);
    const run = async (start: typeof startLarderOn, name: string): Promise<Outcome> => {
      const dir = copyDir(broken, tmp.fresh(`${c.name}-${name}`));
      const before = hashDir(dir);
      const r = await start(dir, c.args);
      return { ...r, before, after: hashDir(dir) };
    };
    [larder, redis] = await Promise.all([run(startLarderOn, 'larder'), run(startRedisOn, 'redis')]);
  }, 60_000);

  it(`redis-server 7.0.15 ${c.redis === 'starts' ? 'starts' : 'refuses to start'}${c.redisChangesFiles ? ', changing the files' : ', changing nothing'}`, () => {
    expect(hashDir(sources[c.source])).toEqual(original);
    expect({ started: redis.started, failed: redis.code !== 0 }).toEqual({ started: c.redis === 'starts', failed: c.redis === 'refuses' });
    expect(JSON.stringify(redis.after) !== JSON.stringify(redis.before)).toBe(c.redisChangesFiles);
  });

  if (c.redis === 'refuses') {
    it('larder serve refuses too: non-zero exit, every file byte-identical', () => {
      expect({ started: larder.started, failed: larder.code !== 0 && larder.code !== null }, larder.output).toEqual({ started: false, failed: true });
      expect(larder.after).toEqual(larder.before);
    });
  } else {
    it('larder serve starts too, cutting the files to the same bytes as redis-server', () => {
      expect(larder.started, larder.output).toBe(true);
      expect(larder.after).toEqual(redis.after);
      const changed = Object.keys(larder.before).filter((f) => larder.before[f] !== larder.after[f]);
      expect(changed.map((f) => f.split('/').pop())).toEqual([where.file]);
    });
  }

  const names = { offset: 'the file and the byte offset', line: 'the manifest and the line', file: 'the file' }[c.position];
  it(`larder's message names ${names}${c.remedy ? ' and says what to do' : ''}`, () => {
    const lines = larder.output.split('\n').filter((l) => l.includes(where.file));
    expect(lines.length, `no line names ${where.file}:\n${larder.output}`).toBeGreaterThan(0);
    if (c.position !== 'file') {
      const { lo, hi } = where as Required<Where>;
      const unit = c.position === 'line' ? /\bline (\d+)/ : /\boffset (\d+)/;
      const named = lines.some((l) => {
        const n = Number(unit.exec(l)?.[1] ?? NaN);
        return n >= lo && n <= hi;
      });
      expect(named, `no line names ${where.file} with ${c.position} ${lo}..${hi}:\n${larder.output}`).toBe(true);
    }
    if (c.remedy) expect(larder.output).toMatch(c.remedy);
  });
});
