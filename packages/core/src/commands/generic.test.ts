/**
 * DEL, UNLINK, EXISTS, TOUCH, TYPE, RENAME, RENAMENX, MOVE, COPY. Every expected reply and error
 * text below was checked against redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '../engine/client.ts';
import { Status } from '../reply/reply.ts';
import { replay, setup, type Step } from './testing.ts';

function check(c: Client, steps: Step[]): void {
  const { got, want } = replay(c, steps);
  expect(got).toEqual(want);
}

const OK = '+OK';
const NOT_INT = '-ERR value is not an integer or out of range';
const SAME = '-ERR source and destination objects are the same';
const DB_RANGE = '-ERR DB index is out of range';

const cases: Array<[string, Step[]]> = [
  ['DEL counts existing keys once', [
    [['SET', 'a', '1'], OK], [['SET', 'b', '2'], OK],
    [['DEL', 'a', 'b', 'c', 'a'], 2], [['EXISTS', 'a', 'b'], 0], [['DEL', 'a'], 0],
  ]],
  ['UNLINK is DEL', [[['SET', 'a', '1'], OK], [['UNLINK', 'a', 'a', 'x'], 1], [['EXISTS', 'a'], 0]]],
  ['DEL needs a key', [[['DEL'], "-ERR wrong number of arguments for 'del' command"]]],
  ['EXISTS and TOUCH count repeats', [
    [['SET', 'a', '1'], OK], [['EXISTS', 'a', 'a', 'b'], 2], [['TOUCH', 'a', 'a', 'b'], 2], [['TOUCH', 'z'], 0],
  ]],
  ['TYPE', [[['SET', 'a', '1'], OK], [['TYPE', 'a'], '+string'], [['TYPE', 'nope'], '+none']]],
  ['RENAME of a missing key', [[['RENAME', 'a', 'b'], '-ERR no such key'], [['RENAMENX', 'a', 'b'], '-ERR no such key']]],
  ['RENAME onto itself', [
    [['RENAME', 'a', 'a'], '-ERR no such key'], [['SET', 'a', '1'], OK],
    [['RENAME', 'a', 'a'], OK], [['RENAMENX', 'a', 'a'], 0], [['GET', 'a'], '1'],
  ]],
  ['RENAME overwrites, RENAMENX does not', [
    [['SET', 'a', '1'], OK], [['SET', 'b', '2'], OK], [['RENAMENX', 'a', 'b'], 0], [['GET', 'b'], '2'],
    [['RENAME', 'a', 'b'], OK], [['GET', 'b'], '1'], [['EXISTS', 'a'], 0], [['RENAMENX', 'b', 'c'], 1],
    [['GET', 'c'], '1'],
  ]],
  ['RENAME keeps the source TTL and drops the destination one', [
    [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '100'], 1], [['RENAME', 'a', 'b'], OK], [['TTL', 'b'], 100],
    [['SET', 'c', '1'], OK], [['RENAME', 'c', 'b'], OK], [['TTL', 'b'], -1],
  ]],
  ['MOVE argument errors', [
    [['MOVE', 'a', '0'], SAME], [['MOVE', 'a', '16'], DB_RANGE], [['MOVE', 'a', '-1'], DB_RANGE],
    [['MOVE', 'a', 'x'], NOT_INT],
    [['MOVE', 'a', '99999999999'], '-ERR value is out of range, value must between -2147483648 and 2147483647'],
    [['MOVE', 'a', '99999999999999999999'], NOT_INT],
  ]],
  ['MOVE', [
    [['MOVE', 'a', '1'], 0], [['SET', 'a', '1'], OK], [['EXPIRE', 'a', '50'], 1],
    [['MOVE', 'a', '1'], 1], [['EXISTS', 'a'], 0],
    [['@db', '1'], null], [['GET', 'a'], '1'], [['TTL', 'a'], 50],
    [['@db', '0'], null], [['SET', 'a', '2'], OK], [['MOVE', 'a', '1'], 0], [['GET', 'a'], '2'],
  ]],
  ['COPY argument errors', [
    [['COPY', 'a', 'a'], SAME], [['COPY', 'a', 'b', 'DB', '16'], DB_RANGE], [['COPY', 'a', 'b', 'db'], '-ERR syntax error'],
    [['COPY', 'a', 'b', 'foo'], '-ERR syntax error'], [['COPY', 'a', 'b', 'db', 'x'], NOT_INT],
    [['COPY', 'a', 'a', 'db', '0'], SAME], [['COPY', 'a', 'b', 'db', '1', 'db', '99'], DB_RANGE],
  ]],
  ['COPY', [
    [['COPY', 'a', 'b'], 0], [['SET', 'a', '1'], OK], [['SET', 'b', '2'], OK],
    [['COPY', 'a', 'b'], 0], [['GET', 'b'], '2'], [['COPY', 'a', 'b', 'REPLACE'], 1], [['GET', 'b'], '1'],
    [['EXPIRE', 'a', '70'], 1], [['COPY', 'a', 'c'], 1], [['TTL', 'c'], 70], [['TTL', 'a'], 70],
    [['COPY', 'a', 'a', 'db', '1'], 1], [['@db', '1'], null], [['TTL', 'a'], 70], [['GET', 'a'], '1'],
    [['@db', '0'], null], [['EXPIRE', 'b', '10'], 1], [['PERSIST', 'a'], 1],
    [['COPY', 'a', 'b', 'replace', 'replace'], 1], [['TTL', 'b'], -1],
  ]],
];

describe('generic key commands', () => {
  it.each(cases)('%s', (_name, steps) => {
    const { c } = setup();
    check(c, steps);
  });

  it('sends the key events Redis sends, in its dbs', () => {
    const { c, events } = setup();
    check(c, [
      [['SET', 'a', '1'], OK], [['SET', 'b', '1'], OK], [['RENAME', 'a', 'b'], OK],
      [['MOVE', 'b', '3'], 1], [['@db', '3'], null], [['COPY', 'b', 'c', 'DB', '2'], 1],
      [['DEL', 'b', 'zz'], 1], [['RENAMENX', 'c', 'c'], '-ERR no such key'],
    ]);
    expect(events).toEqual([
      '0 set a', '0 set b', '0 rename_from a', '0 rename_to b',
      '0 move_from b', '3 move_to b', '2 copy_to c', '3 del b',
    ]);
  });

  it('propagates writes that changed something, as received, counting dirty as Redis', () => {
    const { e, c, ops } = setup();
    check(c, [[['SET', 'a', '1'], OK]]);
    const d0 = e.dirty;
    check(c, [
      [['RENAME', 'a', 'b'], OK], [['RENAMENX', 'x', 'y'], '-ERR no such key'], [['DEL', 'nope'], 0],
      [['COPY', 'b', 'c'], 1], [['COPY', 'b', 'c'], 0], [['MOVE', 'c', '1'], 1], [['MOVE', 'zz', '1'], 0],
      [['DEL', 'b', 'q'], 1], [['EXISTS', 'b'], 0],
    ]);
    expect(e.dirty - d0).toBe(4);
    expect(ops.slice(1)).toEqual([
      ['0', 'RENAME', 'a', 'b'], ['0', 'COPY', 'b', 'c'], ['0', 'MOVE', 'c', '1'], ['0', 'DEL', 'b', 'q'],
    ]);
  });

  // Redis 7.0.15's AOF holds a single `DEL a` here (checked): the expiry, not the commands.
  it('DEL or EXPIRE of a key that expired propagates the expiry only', () => {
    const { c, ops, advance } = setup();
    c.exec(['SET', 'a', '1']);
    c.exec(['PEXPIRE', 'a', '10']);
    ops.length = 0;
    advance(11);
    expect(c.exec(['DEL', 'a'])).toBe(0);
    expect(c.exec(['EXPIRE', 'a', '10'])).toBe(0);
    expect(ops).toEqual([['0', 'DEL', 'a']]);
  });

  // Redis 7.0.15 (propagateDeletion → alsoPropagate): an expiry joins the unit of the command that
  // met it, before the command's own effect, except under SCAN and RANDOMKEY run directly
  // (touches_arbitrary_keys), whose deletions go bare, as active expiry's do.
  it('a write that meets expired keys is logged in MULTI/EXEC with their DELs; SCAN and RANDOMKEY are not', () => {
    const { c, ops, advance } = setup();
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) c.exec(['SET', k, '1', 'PX', '10']);
    ops.length = 0;
    advance(11);
    c.exec(['LPUSH', 'a', 'x']);
    c.exec(['MGET', 'b', 'c', 'nokey']);
    c.exec(['SCAN', '0']);
    expect(ops).toEqual([
      ['0', 'MULTI'], ['0', 'DEL', 'a'], ['0', 'LPUSH', 'a', 'x'], ['0', 'EXEC'],
      ['0', 'MULTI'], ['0', 'DEL', 'b'], ['0', 'DEL', 'c'], ['0', 'EXEC'],
      ['0', 'DEL', 'd'], ['0', 'DEL', 'e'], ['0', 'DEL', 'f'], ['0', 'DEL', 'g'],
    ]);
    ops.length = 0;
    c.exec(['SET', 'h', '1', 'PX', '10']);
    advance(11);
    ops.length = 0;
    c.exec(['MULTI']);
    c.exec(['SCAN', '0']);
    c.exec(['SET', 'i', '1']);
    c.exec(['EXEC']);
    expect(ops).toEqual([['0', 'MULTI'], ['0', 'DEL', 'h'], ['0', 'SET', 'i', '1'], ['0', 'EXEC']]);
  });

  it('RENAME, MOVE and COPY keep the string encoding', () => {
    const { c } = setup();
    c.exec(['SET', 'n', '123']);
    c.exec(['SET', 'long', 'x'.repeat(50)]);
    c.exec(['SET', 's', 'hello']);
    for (const [key, enc] of [['n', 'int'], ['long', 'raw'], ['s', 'embstr']] as const) {
      expect(c.exec(['COPY', key, `${key}2`])).toBe(1);
      expect(c.exec(['OBJECT', 'ENCODING', `${key}2`])).toBe(enc);
      expect(c.exec(['RENAME', `${key}2`, `${key}3`])).toEqual(new Status('OK'));
      expect(c.exec(['OBJECT', 'ENCODING', `${key}3`])).toBe(enc);
    }
  });

  it('RENAME and MOVE never clear a map: the old entries stay for a snapshot', () => {
    const { e, c } = setup();
    c.exec(['SET', 'a', '1']);
    const seen: string[] = [];
    e.ks.beforeWrite = (db, key) => seen.push(`${e.ks.indexOf(db)}:${key}`);
    e.ks.epoch++;
    c.exec(['RENAME', 'a', 'b']);
    c.exec(['MOVE', 'b', '1']);
    expect(seen).toEqual(['0:a']);
  });
});

describe('generic commands on containers', () => {
  it('TYPE, OBJECT ENCODING and SCAN TYPE see hashes and sets', () => {
    const { c } = setup();
    check(c, [
      [['HSET', 'h', 'f', 'v'], 1], [['SADD', 's', '1', '2'], 2], [['SADD', 't', 'x'], 1],
      [['TYPE', 'h'], '+hash'], [['TYPE', 's'], '+set'],
      [['OBJECT', 'ENCODING', 'h'], 'listpack'], [['OBJECT', 'ENCODING', 's'], 'intset'],
      [['OBJECT', 'ENCODING', 't'], 'hashtable'], [['OBJECT', 'REFCOUNT', 'h'], 1],
      [['SCAN', '0', 'TYPE', 'hash'], ['0', ['h']]], [['SCAN', '0', 'TYPE', 'set'], ['0', ['s', 't']]],
      [['RPUSH', 'l', 'a', 'b'], 2], [['ZADD', 'z', '1', 'a'], 1], [['TYPE', 'l'], '+list'], [['TYPE', 'z'], '+zset'],
      [['OBJECT', 'ENCODING', 'l'], 'quicklist'], [['OBJECT', 'ENCODING', 'z'], 'listpack'],
      [['SCAN', '0', 'TYPE', 'zset'], ['0', ['z']]],
    ]);
  });

  it('COPY of a list and a sorted set is deep', () => {
    const { c } = setup();
    check(c, [
      [['RPUSH', 'l', 'a', 'b'], 2], [['COPY', 'l', 'l2'], 1], [['RPUSH', 'l2', 'c'], 3], [['LLEN', 'l'], 2],
      [['OBJECT', 'ENCODING', 'l2'], 'quicklist'],
      [['ZADD', 'z', '1', 'a'], 1], [['COPY', 'z', 'z2'], 1], [['ZADD', 'z2', '2', 'b'], 1], [['ZCARD', 'z'], 1],
      [['ZSCORE', 'z2', 'a'], '1'], [['OBJECT', 'ENCODING', 'z2'], 'listpack'],
    ]);
  });

  it('COPY is deep and keeps the encoding; RENAME and MOVE keep the value itself', () => {
    const { e, c } = setup();
    e.config.set('hash-max-listpack-entries', '2');
    check(c, [
      [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], 3], [['OBJECT', 'ENCODING', 'h'], 'hashtable'],
      [['COPY', 'h', 'h2'], 1], [['OBJECT', 'ENCODING', 'h2'], 'hashtable'],
      [['HDEL', 'h2', 'a', 'b'], 2], [['HLEN', 'h'], 3], [['OBJECT', 'ENCODING', 'h2'], 'hashtable'],
      [['SADD', 's', '1', '2'], 2], [['COPY', 's', 's2', 'DB', '1'], 1], [['SADD', 's', '3'], 1],
      [['@db', '1'], null], [['SCARD', 's2'], 2], [['OBJECT', 'ENCODING', 's2'], 'intset'],
      [['MOVE', 's2', '0'], 1], [['@db', '0'], null], [['RENAME', 's2', 's3'], OK], [['SCARD', 's3'], 2],
      [['HSET', 'h', 'd', '4'], 1], [['HLEN', 'h2'], 1],
    ]);
    const h = e.ks.dbs[0]!.keys.get('h')!.value;
    c.exec(['RENAME', 'h', 'h4']);
    expect(e.ks.dbs[0]!.keys.get('h4')!.value).toBe(h);
  });

  it('RENAME, MOVE and COPY wake clients blocked on the key they create', async () => {
    const { e, c } = setup();
    const blocked = (db: number, key: string) => {
      const b = e.connect();
      b.dbIndex = db;
      return e.blocking.block(b, [key], 0, () => (b.db.lookup(key) ? `${db}:${key}` : undefined), null);
    };
    const waits = [blocked(0, 'r'), blocked(2, 'm'), blocked(3, 'cp')];
    c.exec(['HSET', 'h', 'f', 'v']);
    c.exec(['RENAME', 'h', 'r']);
    c.exec(['SADD', 'm', 'x']);
    c.exec(['MOVE', 'm', '2']);
    c.exec(['COPY', 'r', 'cp', 'DB', '3']);
    await expect(Promise.all(waits)).resolves.toEqual(['0:r', '2:m', '3:cp']);
  });
});
