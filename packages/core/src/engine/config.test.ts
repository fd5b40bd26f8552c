/**
 * The Config class on its own (CONFIG GET/SET replies are tested in commands/server.test.ts):
 * start-up values, what only start-up may set, parsed values, and the parsers' edge cases as
 * Redis 7.0's config.c reads them.
 */
import { describe, expect, it } from 'vitest';
import { Config, saveRules } from './config.ts';
import { createEngine } from './engine.ts';
import { ReplyError } from '../reply/errors.ts';

const error = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as ReplyError).message;
  }
  return 'no error';
};

describe('Config', () => {
  it('starts from Redis 7.0 defaults', () => {
    const c = new Config();
    expect([
      c.num('hash-max-listpack-entries'), c.num('hash-max-listpack-value'), c.num('set-max-intset-entries'),
      c.num('zset-max-listpack-entries'), c.num('zset-max-listpack-value'), c.num('list-max-listpack-size'),
      c.num('proto-max-bulk-len'), c.num('maxmemory'), c.value('maxmemory-policy'), c.value('appendfsync'),
      c.value('save'), c.num('databases'), c.num('notify-keyspace-events'),
    ]).toEqual([512, 64, 512, 128, 64, -2, 512 * 1024 * 1024, 0, 'noeviction', 'everysec', '3600 1 300 100 60 10000', 16, 0]);
  });

  it('lets start-up set immutable and protected parameters, and CONFIG SET not', () => {
    const c = new Config();
    c.setMany([['databases', '4'], ['dir', '/data'], ['dbfilename', 'x.rdb']], true);
    expect([c.num('databases'), c.value('dir'), c.value('dbfilename')]).toEqual([4, '/data', 'x.rdb']);
    expect(error(() => c.set('dir', '/tmp'))).toBe("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    expect(error(() => c.set('dbfilename', 'a/b', true))).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename",
    );
  });

  it('reads aliases and names in any case, and hides hidden parameters from patterns only', () => {
    const c = new Config();
    c.set('HASH-MAX-ZIPLIST-ENTRIES', '7');
    expect(c.num('hash-max-listpack-entries')).toBe(7);
    expect(c.get(['active-expire-enabled'])).toEqual([['active-expire-enabled', 'yes']]);
    expect(c.get(['active-expire-en*'])).toEqual([]);
    expect(c.get(['*']).length).toBeGreaterThan(60);
  });

  it('parses memory values as memtoull does', () => {
    const c = new Config();
    const mem = (v: string) => {
      c.set('maxmemory', v);
      return c.text('maxmemory');
    };
    expect([mem('1b'), mem('1K'), mem('1kb'), mem('2m'), mem('2MB'), mem('1g'), mem('1GB'), mem('')]).toEqual([
      '1', '1000', '1024', '2000000', '2097152', '1000000000', '1073741824', '0',
    ]);
    expect(error(() => mem('1.5mb'))).toMatch(/argument must be a memory value$/);
    expect(error(() => mem('+1'))).toMatch(/argument must be a memory value$/);
  });

  it('wraps a memory value past 2^64 as memtoull multiplies, and refuses 128 digits', () => {
    const c = new Config();
    c.set('maxmemory', '17179869185gb'); // (2^34 + 1) GiB: 2^64 + 2^30, which wraps to 2^30
    expect(c.text('maxmemory')).toBe('1073741824');
    expect(error(() => c.set('maxmemory', `${'1'.repeat(128)}`))).toMatch(/argument must be a memory value$/);
  });

  it('turns save into rules', () => {
    expect(saveRules('3600 1 300 100')).toEqual([{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }]);
    expect(saveRules('')).toEqual([]);
  });

  it('is what CONFIG SET changes, and the engine rereads what it caches', () => {
    const e = createEngine({ activeExpire: false, config: { 'notify-keyspace-events': 'KEA', port: '7000' } });
    expect([e.config.text('notify-keyspace-events'), e.config.num('port')]).toEqual(['AKE', 7000]);
    const got: unknown[] = [];
    e.connect({ onPush: (m) => got.push(m) }).exec(['subscribe', '__keyevent@0__:set']);
    const c = e.connect();
    c.exec(['set', 'k', 'v']);
    expect(got.length).toBe(1);
    c.exec(['config', 'set', 'notify-keyspace-events', '']);
    c.exec(['set', 'k', 'v']);
    expect(got.length).toBe(1);
  });
});
