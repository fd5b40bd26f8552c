import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine, type Engine } from '@larder/core';
import { datasetToJson, loadJson } from './transfer.ts';
import { decodeBin, decodeName, encodeBin, encodeName } from './transfer-json.ts';

const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 12 });

describe('JSON encoding of byte strings', () => {
  it.each<[string, unknown, string]>([
    ['plain', 'plain', 'plain'],
    ['h\xc3\xa9', 'hé', 'hé'],
    ['\xff\x00', { base64: '/wA=' }, 'base64:/wA='],
    ['base64:x', 'base64:x', 'base64:YmFzZTY0Ong='],
  ])('%j', (b, bin, name) => {
    expect(encodeBin(b)).toEqual(bin);
    expect(encodeName(b)).toBe(name);
  });

  it('round-trips any bytes as a value and as a name', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(decodeBin(JSON.parse(JSON.stringify(encodeBin(b))), 'x')).toBe(b);
        expect(decodeName(JSON.parse(JSON.stringify(encodeName(b))) as string)).toBe(b);
      }),
    );
  });
});

function run(engine: Engine, cmds: string[][]): void {
  const c = engine.connect();
  for (const argv of cmds) c.exec(argv);
  c.close();
}

describe('datasetToJson / loadJson', () => {
  it('writes the documented shape', () => {
    const engine = createEngine({ activeExpire: false, now: () => 1000 });
    run(engine, [
      ['SET', 's', 'v'], ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', '\xff'], ['SADD', 'st', 'x'],
      ['ZADD', 'z', '2', 'b', '-inf', 'a'], ['PEXPIREAT', 's', '5000'], ['SELECT', '2'], ['SET', '\x80', '1'],
      ['SET', 'gone', 'x'], ['PEXPIREAT', 'gone', '1000'],
    ]);
    expect(datasetToJson(engine)).toEqual({
      0: {
        s: { type: 'string', value: 'v', expireAt: 5000 },
        l: { type: 'list', value: ['a', 'b'] },
        h: { type: 'hash', value: { f: { base64: '/w==' } } },
        st: { type: 'set', value: ['x'] },
        z: { type: 'zset', value: [['a', '-inf'], ['b', 2]] },
      },
      2: { 'base64:gA==': { type: 'string', value: '1' } },
    });
    engine.close();
  });

  it('loads back what it wrote, values, encodings and TTLs included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('string', 'list', 'hash', 'set', 'zset'), bytes, fc.array(bytes, { minLength: 1, maxLength: 140 }), fc.option(fc.integer({ min: 2000, max: 10 ** 13 }))), { maxLength: 12 }),
        (specs) => {
          const a = createEngine({ activeExpire: false, now: () => 1000 });
          const cmds: string[][] = [];
          for (const [db, type, key, items, at] of specs) {
            cmds.push(['SELECT', String(db)], ['DEL', key]);
            if (type === 'string') cmds.push(['SET', key, items[0]!]);
            if (type === 'list') cmds.push(['RPUSH', key, ...items]);
            if (type === 'set') cmds.push(['SADD', key, ...items]);
            if (type === 'hash') cmds.push(['HSET', key, ...items.flatMap((x) => [x, `${x}!`])]);
            if (type === 'zset') cmds.push(['ZADD', key, ...items.flatMap((x, i) => [String(i / 3 - 7), x])]);
            if (at !== null) cmds.push(['PEXPIREAT', key, String(at)]);
          }
          run(a, cmds);
          const json = JSON.parse(JSON.stringify(datasetToJson(a))) as unknown;
          const b = createEngine({ activeExpire: false, now: () => 1000 });
          loadJson(b, json);
          expect(datasetToJson(b)).toEqual(json);
          a.ks.dbs.forEach((db, i) => {
            for (const [key, e] of db.keys as Iterable<[string, { value: unknown }]>) {
              const other = b.ks.dbs[i]!.keys.get(key);
              const enc = (v: unknown): string => (typeof v === 'string' ? 'string' : (v as { encoding: string }).encoding);
              expect(other && enc(other.value)).toBe(enc(e.value));
            }
          });
          a.close();
          b.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a malformed file with a message naming the key', () => {
    const e = createEngine({ activeExpire: false });
    expect(() => loadJson(e, { 0: { k: { type: 'zset', value: [['m', 'x']] } } })).toThrow(/db 0 key "k": a score/);
    expect(() => loadJson(e, [])).toThrow(/expected an object/);
    e.close();
  });
});
