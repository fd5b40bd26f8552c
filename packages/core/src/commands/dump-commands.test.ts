/**
 * DUMP / RESTORE against redis-server 7.0.15: payloads, errors, BUSYKEY, TTLs and what is
 * propagated (checked on a live server's AOF).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToBinary, binaryToBytes } from '../bytes.ts';
import { Crc64 } from '../rdb/crc64.ts';
import { setup, show, T0 } from './testing.ts';

const hex = (h: string): string => bytesToBinary(Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16)));
/** `DUMP src` of `SET src v` on redis-server 7.0.15. */
const PAYLOAD_V = hex('0001760a009108ceb219388ace');
/** `DUMP l` of `RPUSH l a b` on redis-server 7.0.15. */
const PAYLOAD_LIST = hex('1201020d0d000000020081610281620' + '2ff0a0068eb0a891341bbb1');

/** A payload with a sound footer around `body`. */
function withFooter(body: string, version = 10): string {
  const bytes = binaryToBytes(body + String.fromCharCode(version & 0xff, version >> 8));
  const crc = new Uint8Array(8);
  new Crc64().update(bytes).write(crc, 0);
  return body + String.fromCharCode(version & 0xff, version >> 8) + bytesToBinary(crc);
}

describe('DUMP', () => {
  it('answers redis-server 7.0.15\'s payloads, nil for a missing key', () => {
    const { c } = setup();
    c.exec(['SET', 'src', 'v']);
    c.exec(['RPUSH', 'l', 'a', 'b']);
    expect(c.exec(['DUMP', 'src'])).toBe(PAYLOAD_V);
    expect(c.exec(['DUMP', 'l'])).toBe(PAYLOAD_LIST);
    expect(c.exec(['DUMP', 'nokey'])).toBe(null);
  });

  it('counts keyspace hits and misses', () => {
    const { e, c } = setup();
    c.exec(['SET', 'a', '1']);
    const hits = e.ks.hits;
    const misses = e.stats.keyspaceMisses;
    c.exec(['DUMP', 'a']);
    c.exec(['DUMP', 'b']);
    expect([e.ks.hits - hits, e.stats.keyspaceMisses - misses]).toEqual([1, 1]);
  });

  it('round-trips any value through DUMP and RESTORE', () => {
    const el = fc.oneof(fc.integer({ min: -100000, max: 100000 }).map(String), fc.string({ maxLength: 30 }));
    const cmd = fc.oneof(
      el.map((v) => ['SET', 'k', v]),
      fc.array(el, { minLength: 1, maxLength: 40 }).map((v) => ['RPUSH', 'k', ...v]),
      fc.array(el, { minLength: 1, maxLength: 40 }).map((v) => ['SADD', 'k', ...v]),
      fc.array(fc.tuple(el, el), { minLength: 1, maxLength: 40 }).map((v) => ['HSET', 'k', ...v.flat()]),
      fc.array(fc.tuple(fc.double({ noNaN: true }), el), { minLength: 1, maxLength: 40 }).map((v) => ['ZADD', 'k', ...v.flatMap(([s, m]) => [String(s), m])]),
    );
    fc.assert(
      fc.property(cmd, (argv) => {
        const { c } = setup();
        c.exec(argv);
        const payload = c.exec(['DUMP', 'k']) as string;
        expect(show(c.exec(['RESTORE', 'copy', '0', payload]))).toBe('+OK');
        expect(c.exec(['DUMP', 'copy'])).toBe(payload);
        expect(show(c.exec(['OBJECT', 'ENCODING', 'copy']))).toEqual(show(c.exec(['OBJECT', 'ENCODING', 'k'])));
      }),
      { numRuns: 200 },
    );
  });
});

describe('RESTORE', () => {
  it('keeps each restored value intact through the RESTOREs after it (they reuse one payload buffer)', () => {
    const { c } = setup();
    const fill: string[][] = [
      ['SET', 's', 'x'.repeat(60)],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
      ['SADD', 'si', '1', '2', '3'],
      ['SADD', 'ss', 'm1', 'm2'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b'],
    ];
    for (const argv of fill) c.exec(argv);
    const keys = fill.map((argv) => argv[1]!);
    const payloads = keys.map((k) => c.exec(['DUMP', k]) as string);
    keys.forEach((k, i) => expect(show(c.exec(['RESTORE', `${k}:copy`, '0', payloads[i]!]))).toBe('+OK'));
    // Each copy's DUMP equals its source's, though later RESTOREs overwrote the payload bytes.
    expect(keys.map((k) => c.exec(['DUMP', `${k}:copy`]))).toEqual(payloads);
  });

  it('answers and fails as redis-server 7.0.15', () => {
    const { c } = setup();
    c.exec(['SET', 'k', 'v']);
    const bad = withFooter('\x63xyz');
    const cases: Array<[string[], unknown]> = [
      [['RESTORE', 'k', '0', 'x'], '-BUSYKEY Target key name already exists.'],
      [['RESTORE', 'new', '0', 'x'], '-ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'new', '-1', 'x'], '-ERR Invalid TTL value, must be >= 0'],
      [['RESTORE', 'new', 'abc', 'x'], '-ERR value is not an integer or out of range'],
      [['RESTORE', 'k', '0', 'x', 'REPLACE'], '-ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'new', '0', 'x', 'idletime', '-1'], '-ERR Invalid IDLETIME value, must be >= 0'],
      [['RESTORE', 'new', '0', 'x', 'FREQ', '256'], '-ERR Invalid FREQ value, must be >= 0 and <= 255'],
      [['RESTORE', 'new', '0', 'x', 'FREQ', '1', 'IDLETIME', '1'], '-ERR syntax error'],
      [['RESTORE', 'new', '0', 'x', 'IDLETIME', '1', 'FREQ', '1'], '-ERR syntax error'],
      [['RESTORE', 'new', '0', 'x', 'foo'], '-ERR syntax error'],
      [['RESTORE', 'new', '0', 'x', 'IDLETIME'], '-ERR syntax error'],
      [['RESTORE', 'new', '0', 'x', 'FREQ', 'abc'], '-ERR value is not an integer or out of range'],
      [['RESTORE', 'new', '0', ''], '-ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'new', '0', PAYLOAD_V.slice(0, -10) + '\x0b\x00' + PAYLOAD_V.slice(-8)], '-ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'new', '0', withFooter('\x00\x01v', 11)], '-ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'new', '0', bad], '-ERR Bad data format'],
      [['RESTORE', 'new', '0', withFooter('\x02\x00')], '-ERR Bad data format'],
      [['RESTORE', 'new', '0', PAYLOAD_V, 'IDLETIME', '5'], '+OK'],
      [['RESTORE', 'k', '0', PAYLOAD_LIST, 'REPLACE', 'FREQ', '5'], '+OK'],
      [['LRANGE', 'k', '0', '-1'], ['a', 'b']],
      [['GET', 'new'], 'v'],
    ];
    for (const [argv, want] of cases) expect([argv.join(' '), show(c.exec(argv))]).toEqual([argv.join(' '), want]);
  });

  it('propagates a relative TTL as absolute, and a TTL in the past over a replaced key as DEL', () => {
    const { c, ops, events } = setup();
    c.exec(['SET', 'src', 'v']);
    ops.length = 0;
    events.length = 0;
    expect(show(c.exec(['RESTORE', 'k', '5000', PAYLOAD_V]))).toBe('+OK');
    expect(c.exec(['PTTL', 'k'])).toBe(5000);
    expect(show(c.exec(['RESTORE', 'k', '1', PAYLOAD_V, 'ABSTTL', 'REPLACE']))).toBe('+OK');
    expect(c.exec(['EXISTS', 'k'])).toBe(0);
    expect(show(c.exec(['RESTORE', 'k2', '1', PAYLOAD_V, 'ABSTTL']))).toBe('+OK');
    expect(c.exec(['EXISTS', 'k2'])).toBe(0);
    expect(show(c.exec(['RESTORE', 'k3', '0', PAYLOAD_V, 'IDLETIME', '5']))).toBe('+OK');
    expect(show(c.exec(['RESTORE', 'k4', String(T0 + 10_000), PAYLOAD_V, 'ABSTTL']))).toBe('+OK');
    expect(c.exec(['PEXPIRETIME', 'k4'])).toBe(T0 + 10_000);
    expect(show(c.exec(['RESTORE', 'src', '0', PAYLOAD_V, 'REPLACE']))).toBe('+OK');
    expect(ops).toEqual([
      ['0', 'RESTORE', 'k', String(T0 + 5000), PAYLOAD_V, 'ABSTTL'],
      ['0', 'DEL', 'k'],
      ['0', 'RESTORE', 'k3', '0', PAYLOAD_V, 'IDLETIME', '5'],
      ['0', 'RESTORE', 'k4', String(T0 + 10_000), PAYLOAD_V, 'ABSTTL'],
      ['0', 'RESTORE', 'src', '0', PAYLOAD_V, 'REPLACE'],
    ]);
    expect(events).toEqual(['0 restore k', '0 del k', '0 restore k3', '0 restore k4', '0 restore src']);
  });

  it('replaces a key whatever its type, keeping no old TTL', () => {
    const { c } = setup();
    c.exec(['SADD', 'k', 'x']);
    c.exec(['EXPIRE', 'k', '100']);
    expect(show(c.exec(['RESTORE', 'k', '0', PAYLOAD_V, 'REPLACE']))).toBe('+OK');
    expect([c.exec(['GET', 'k']), c.exec(['TTL', 'k'])]).toEqual(['v', -1]);
  });

  it('treats an expired key as missing (no BUSYKEY)', () => {
    const { c, advance } = setup();
    c.exec(['SET', 'k', 'old', 'PX', '10']);
    advance(20);
    expect(show(c.exec(['RESTORE', 'k', '0', PAYLOAD_V]))).toBe('+OK');
    expect(c.exec(['GET', 'k'])).toBe('v');
  });
});
