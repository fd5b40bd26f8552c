/**
 * Table-driven tests of the non-blocking list commands. Every case starts from the same dataset
 * (SETUP) and gives a command, its reply, and optionally follow-up commands with theirs. The
 * expected replies are redis-server 7.0.15's: the whole table, follow-ups included, was replayed
 * against it and matched (test/differential holds the generated counterpart).
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.ts';
import { ReplyError } from '../../reply/errors.ts';
import { NilArray, Status, type Reply } from '../../reply/reply.ts';

/** A reply as plain data: errors as `-text`, statuses as `+text`, the nil array as `*-1`. */
type Plain = string | number | null | Plain[] | { s: string };
function plain(r: Reply): Plain {
  if (r instanceof ReplyError) return { s: `-${r.message}` };
  if (r instanceof Status) return { s: `+${r.value}` };
  if (r instanceof NilArray) return { s: '*-1' };
  if (Array.isArray(r)) return r.map(plain);
  if (typeof r === 'bigint') return Number(r);
  return r as string | number | null;
}
const ok: Plain = { s: '+OK' };
const nilArray: Plain = { s: '*-1' };
const e = (text: string): Plain => ({ s: `-${text}` });
const WRONGTYPE = e('WRONGTYPE Operation against a key holding the wrong kind of value');
const SYNTAX = e('ERR syntax error');
const NOT_INT = e('ERR value is not an integer or out of range');

const SETUP = ['RPUSH l a b c a d a', 'SET s str', 'RPUSH one x'];

/** [command, reply, follow-ups]. Arguments are split on spaces. */
type Case = [string, Plain, Array<[string, Plain]>?];

const CASES: Record<string, Case[]> = {
  'LPUSH / RPUSH / LPUSHX / RPUSHX': [
    ['LPUSH n 1 2 3', 3, [['LRANGE n 0 -1', ['3', '2', '1']]]],
    ['RPUSH l x y', 8, [['LRANGE l -3 -1', ['a', 'x', 'y']]]],
    ['lpush l z', 7, [['LINDEX l 0', 'z']]],
    ['LPUSH s x', WRONGTYPE, [['GET s', 'str']]],
    ['LPUSHX n 1', 0, [['EXISTS n', 0]]],
    ['RPUSHX n 1 2', 0],
    ['LPUSHX one y z', 3, [['LRANGE one 0 -1', ['z', 'y', 'x']]]],
    ['RPUSHX one y z', 3, [['LRANGE one 0 -1', ['x', 'y', 'z']]]],
    ['RPUSHX s y', WRONGTYPE],
    ['LPUSH', e("ERR wrong number of arguments for 'lpush' command")],
    ['RPUSH n', e("ERR wrong number of arguments for 'rpush' command")],
  ],
  'LPOP / RPOP': [
    ['LPOP l', 'a', [['LLEN l', 5]]],
    ['RPOP l', 'a', [['LINDEX l -1', 'd']]],
    ['LPOP n', null],
    ['LPOP n 0', nilArray],
    ['LPOP n 2', nilArray],
    ['LPOP l 0', [], [['LLEN l', 6]]],
    ['LPOP l 2', ['a', 'b'], [['LRANGE l 0 -1', ['c', 'a', 'd', 'a']]]],
    ['RPOP l 3', ['a', 'd', 'a'], [['LRANGE l 0 -1', ['a', 'b', 'c']]]],
    ['RPOP l 100', ['a', 'd', 'a', 'c', 'b', 'a'], [['EXISTS l', 0]]],
    ['LPOP one', 'x', [['EXISTS one', 0]]],
    ['LPOP l -1', e('ERR value is out of range, must be positive')],
    ['LPOP n -1', e('ERR value is out of range, must be positive')],
    ['RPOP l abc', e('ERR value is out of range, must be positive')],
    ['RPOP l 9223372036854775808', e('ERR value is out of range, must be positive')],
    ['LPOP s', WRONGTYPE],
    ['LPOP s 0', WRONGTYPE],
    ['LPOP s -1', e('ERR value is out of range, must be positive')],
    ['LPOP l 1 2', e("ERR wrong number of arguments for 'lpop' command")],
    ['RPOP l 1 2', e("ERR wrong number of arguments for 'rpop' command")],
  ],
  'LLEN / LINDEX / LRANGE': [
    ['LLEN l', 6],
    ['LLEN n', 0],
    ['LLEN s', WRONGTYPE],
    ['LINDEX l 0', 'a'],
    ['LINDEX l 2', 'c'],
    ['LINDEX l -1', 'a'],
    ['LINDEX l -6', 'a'],
    ['LINDEX l -7', null],
    ['LINDEX l 6', null],
    ['LINDEX l x', NOT_INT],
    ['LINDEX n x', null],
    ['LINDEX s x', WRONGTYPE],
    ['LRANGE l 0 -1', ['a', 'b', 'c', 'a', 'd', 'a']],
    ['LRANGE l 1 2', ['b', 'c']],
    ['LRANGE l -2 -1', ['d', 'a']],
    ['LRANGE l -100 1', ['a', 'b']],
    ['LRANGE l 4 100', ['d', 'a']],
    ['LRANGE l 3 2', []],
    ['LRANGE l 6 10', []],
    ['LRANGE l -1 -2', []],
    ['LRANGE l 0 -7', []],
    ['LRANGE n 0 -1', []],
    ['LRANGE l x 1', NOT_INT],
    ['LRANGE s x y', NOT_INT],
    ['LRANGE s 0 1', WRONGTYPE],
  ],
  LSET: [
    ['LSET l 1 B', ok, [['LRANGE l 0 2', ['a', 'B', 'c']]]],
    ['LSET l -1 Z', ok, [['LINDEX l 5', 'Z']]],
    ['LSET l 6 v', e('ERR index out of range')],
    ['LSET l -7 v', e('ERR index out of range')],
    ['LSET l x v', NOT_INT],
    ['LSET n x v', e('ERR no such key')],
    ['LSET n 0 v', e('ERR no such key')],
    ['LSET s 0 v', WRONGTYPE],
    ['LSET s x v', WRONGTYPE],
  ],
  LINSERT: [
    ['LINSERT l BEFORE c X', 7, [['LRANGE l 0 -1', ['a', 'b', 'X', 'c', 'a', 'd', 'a']]]],
    ['LINSERT l after a X', 7, [['LRANGE l 0 2', ['a', 'X', 'b']]]],
    ['LINSERT l AFTER d X', 7, [['LRANGE l -3 -1', ['d', 'X', 'a']]]],
    ['LINSERT one after x y', 2, [['LRANGE one 0 -1', ['x', 'y']]]],
    ['LINSERT l BEFORE zz b', -1],
    ['LINSERT n before a b', 0],
    ['LINSERT s foo a b', SYNTAX],
    ['LINSERT n around a b', SYNTAX],
    ['LINSERT s before a b', WRONGTYPE],
  ],
  LREM: [
    ['LREM l 0 a', 3, [['LRANGE l 0 -1', ['b', 'c', 'd']]]],
    ['LREM l 2 a', 2, [['LRANGE l 0 -1', ['b', 'c', 'd', 'a']]]],
    ['LREM l -2 a', 2, [['LRANGE l 0 -1', ['a', 'b', 'c', 'd']]]],
    ['LREM l -9223372036854775808 a', 3, [['LRANGE l 0 -1', ['b', 'c', 'd']]]],
    ['LREM l 9223372036854775807 a', 3],
    ['LREM l 1 zz', 0],
    ['LREM one 0 x', 1, [['EXISTS one', 0]]],
    ['LREM n 0 x', 0],
    ['LREM l 9223372036854775808 a', NOT_INT],
    ['LREM l x a', NOT_INT],
    ['LREM s x v', NOT_INT],
    ['LREM s 0 v', WRONGTYPE],
  ],
  LTRIM: [
    ['LTRIM l 1 2', ok, [['LRANGE l 0 -1', ['b', 'c']]]],
    ['LTRIM l -2 -1', ok, [['LRANGE l 0 -1', ['d', 'a']]]],
    ['LTRIM l 0 -1', ok, [['LLEN l', 6]]],
    ['LTRIM l -100 100', ok, [['LLEN l', 6]]],
    ['LTRIM l 3 1', ok, [['EXISTS l', 0]]],
    ['LTRIM l 6 10', ok, [['EXISTS l', 0]]],
    ['LTRIM n 0 1', ok],
    ['LTRIM l x 1', NOT_INT],
    ['LTRIM s x 1', NOT_INT],
    ['LTRIM s 0 1', WRONGTYPE],
  ],
  LPOS: [
    ['LPOS l a', 0],
    ['LPOS l d', 4],
    ['LPOS l zz', null],
    ['LPOS l a RANK 2', 3],
    ['LPOS l a rank -1', 5],
    ['LPOS l a RANK -2 COUNT 2', [3, 0]],
    ['LPOS l a COUNT 0', [0, 3, 5]],
    ['LPOS l a COUNT 2', [0, 3]],
    ['LPOS l a RANK 2 COUNT 2 MAXLEN 3', []],
    ['LPOS l a RANK 2 COUNT 0 MAXLEN 4', [3]],
    ['LPOS l a RANK -1 MAXLEN 2 COUNT 0', [5]],
    ['LPOS l a MAXLEN 1', 0],
    ['LPOS l a MAXLEN 2 RANK 2', null],
    ['LPOS l a RANK 5', null],
    ['LPOS l a RANK 5 COUNT 0', []],
    ['LPOS l a RANK 1 RANK 2', 3],
    ['LPOS l a COUNT 1 COUNT 0', [0, 3, 5]],
    ['LPOS l a RANK -9223372036854775808', 5],
    ['LPOS l a RANK -9223372036854775808 COUNT 1', [5, 3, 0]],
    ['LPOS l a RANK -9223372036854775808 MAXLEN 3 COUNT 0', [5, 3]],
    ['LPOS l a RANK -9223372036854775807 COUNT 0', []],
    ['LPOS l a RANK 9223372036854775807', null],
    ['LPOS n a', null],
    ['LPOS n a COUNT 0', []],
    ['LPOS s a', WRONGTYPE],
    ['LPOS l a RANK 0', e("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")],
    ['LPOS s a RANK 0', e("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")],
    ['LPOS l a RANK abc', NOT_INT],
    ['LPOS l a RANK 9223372036854775808', NOT_INT],
    ['LPOS l a COUNT -1', e("ERR COUNT can't be negative")],
    ['LPOS l a COUNT 9223372036854775808', e("ERR COUNT can't be negative")],
    ['LPOS l a MAXLEN -1', e("ERR MAXLEN can't be negative")],
    ['LPOS l a MAXLEN abc', e("ERR MAXLEN can't be negative")],
    ['LPOS l a foo', SYNTAX],
    ['LPOS l a RANK', SYNTAX],
  ],
  'LMOVE / RPOPLPUSH': [
    ['LMOVE l n LEFT RIGHT', 'a', [['LRANGE n 0 -1', ['a']], ['LLEN l', 5]]],
    ['LMOVE l one right left', 'a', [['LRANGE one 0 -1', ['a', 'x']]]],
    ['LMOVE l l LEFT RIGHT', 'a', [['LRANGE l 0 -1', ['b', 'c', 'a', 'd', 'a', 'a']]]],
    ['LMOVE l l RIGHT LEFT', 'a', [['LRANGE l 0 1', ['a', 'a']]]],
    ['LMOVE one one left left', 'x', [['LRANGE one 0 -1', ['x']]]],
    ['LMOVE one n left left', 'x', [['EXISTS one', 0], ['LRANGE n 0 -1', ['x']]]],
    ['LMOVE n l left left', null],
    ['LMOVE n s left right', null],
    ['LMOVE l s left right', WRONGTYPE, [['LLEN l', 6]]],
    ['LMOVE s l left right', WRONGTYPE],
    ['LMOVE l l up right', SYNTAX],
    ['LMOVE n l left down', SYNTAX],
    ['RPOPLPUSH l one', 'a', [['LRANGE one 0 -1', ['a', 'x']]]],
    ['RPOPLPUSH one one', 'x', [['LLEN one', 1]]],
    ['RPOPLPUSH n l', null],
    ['RPOPLPUSH l s', WRONGTYPE],
  ],
  LMPOP: [
    ['LMPOP 1 l LEFT', ['l', ['a']]],
    ['LMPOP 2 n l right COUNT 2', ['l', ['a', 'd']], [['LLEN l', 4]]],
    ['LMPOP 2 one l LEFT COUNT 10', ['one', ['x']], [['EXISTS one', 0]]],
    ['LMPOP 1 n left', nilArray],
    ['LMPOP 2 n s left', WRONGTYPE],
    ['LMPOP 2 l s left', ['l', ['a']]],
    ['LMPOP 1 s left', WRONGTYPE],
    ['LMPOP 0 l left', e('ERR numkeys should be greater than 0')],
    ['LMPOP -1 l left', e('ERR numkeys should be greater than 0')],
    ['LMPOP abc l left', e('ERR numkeys should be greater than 0')],
    ['LMPOP 2 l left', SYNTAX],
    ['LMPOP 9223372036854775807 l left', SYNTAX],
    ['LMPOP 1 l up', SYNTAX],
    ['LMPOP 1 l left foo', SYNTAX],
    ['LMPOP 1 l left COUNT', SYNTAX],
    ['LMPOP 1 l left COUNT 1 COUNT 1', SYNTAX],
    ['LMPOP 1 l left COUNT 0', e('ERR count should be greater than 0')],
    ['LMPOP 1 l left COUNT 9223372036854775808', e('ERR count should be greater than 0')],
  ],
  'blocking commands with data at hand': [
    ['BLPOP n l 0', ['l', 'a'], [['LLEN l', 5]]],
    ['BRPOP l n 1.5', ['l', 'a']],
    ['BLPOP one 0', ['one', 'x'], [['EXISTS one', 0]]],
    ['BLPOP n s 0', WRONGTYPE],
    ['BLPOP l abc', e('ERR timeout is not a float or out of range')],
    ['BLPOP l -1', e('ERR timeout is negative')],
    ['BLMOVE l n right LEFT 0', 'a', [['LRANGE n 0 -1', ['a']]]],
    ['BLMOVE l s right LEFT 0', WRONGTYPE, [['LLEN l', 6]]],
    ['BLMOVE s l left left 0', WRONGTYPE],
    ['BLMOVE l s up left abc', SYNTAX],
    ['BLMOVE l s left left abc', e('ERR timeout is not a float or out of range')],
    ['BRPOPLPUSH l one 0', 'a', [['LRANGE one 0 -1', ['a', 'x']]]],
    ['BRPOPLPUSH s l abc', e('ERR timeout is not a float or out of range')],
    ['BRPOPLPUSH s l 0', WRONGTYPE],
    ['BLMPOP 0 2 n l RIGHT COUNT 2', ['l', ['a', 'd']]],
    ['BLMPOP 0 1 s left', WRONGTYPE],
    ['BLMPOP abc 0 k left', e('ERR numkeys should be greater than 0')],
    ['BLMPOP abc 1 k left', e('ERR timeout is not a float or out of range')],
    ['BLMPOP -1 1 k up', SYNTAX],
  ],
};

describe.each(Object.entries(CASES))('%s', (_family, cases) => {
  it.each(cases)('%s', (line, reply, then) => {
    const engine = createEngine({ activeExpire: false });
    const c = engine.connect();
    const run = (l: string): Plain => plain(c.exec(l.split(' ')) as Reply);
    for (const s of SETUP) run(s);
    expect(run(line)).toEqual(reply);
    for (const [l, r] of then ?? []) expect(run(l), l).toEqual(r);
    engine.close();
  });
});

describe('OBJECT ENCODING and COPY', () => {
  it('answers quicklist for any list and copies deeply', () => {
    const engine = createEngine({ activeExpire: false });
    const c = engine.connect();
    c.exec(['RPUSH', 'l', 'a']);
    expect(c.exec(['OBJECT', 'ENCODING', 'l'])).toBe('quicklist');
    c.exec(['COPY', 'l', 'm']);
    c.exec(['RPUSH', 'm', 'b']);
    expect(c.exec(['LRANGE', 'l', '0', '-1'])).toEqual(['a']);
    expect(c.exec(['TYPE', 'l'])).toEqual(new Status('list'));
    engine.close();
  });
});
