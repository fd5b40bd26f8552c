import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../engine/engine.ts';
import { datasetToJson, loadJson } from './dataset.ts';
import { commandsFor, contents, keySpec, run, SMALL_LIMITS } from './datasets.suite.ts';

const T0 = 1_700_000_000_000;

describe('datasetToJson', () => {
  it('writes the documented shape', () => {
    const engine = createEngine({ activeExpire: false, now: () => 1000 });
    run(engine, [
      ['SET', 's', 'v'], ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', '\xff', '__proto__', 'p'], ['SADD', 'st', 'x'],
      ['ZADD', 'z', '2', 'b', '-inf', 'a', '0.5', 'c'], ['PEXPIREAT', 's', '5000'], ['SELECT', '2'], ['SET', '\x80', '1'],
      ['SET', '__proto__', 'x'], ['SET', 'gone', 'x'], ['PEXPIREAT', 'gone', '1000'], ['SELECT', '15'], ['SET', 'base64:', '\xc3\xa9'],
    ]);
    const json = datasetToJson(engine);
    expect(json).toEqual({
      0: {
        s: { type: 'string', value: 'v', expireAt: 5000 },
        l: { type: 'list', value: ['a', 'b'] },
        h: { type: 'hash', value: { f: { base64: '/w==' }, ['__proto__']: 'p' } },
        st: { type: 'set', value: ['x'] },
        z: { type: 'zset', value: [['a', '-inf'], ['c', 0.5], ['b', 2]] },
      },
      2: { 'base64:gA==': { type: 'string', value: '1' }, ['__proto__']: { type: 'string', value: 'x' } },
      15: { 'base64:YmFzZTY0Og==': { type: 'string', value: 'é' } },
    });
    expect(JSON.stringify(json)).toContain('"__proto__":{"type":"string","value":"x"}');
    engine.close();
  });

  it('leaves out keys whose TTL has passed and empty dbs', () => {
    let now = 1000;
    const engine = createEngine({ activeExpire: false, now: () => now });
    run(engine, [['SELECT', '3'], ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '2000']]);
    expect(datasetToJson(engine)).toEqual({ 3: { k: { type: 'string', value: 'v', expireAt: 2000 } } });
    now = 2000;
    expect(datasetToJson(engine)).toEqual({});
    engine.close();
  });
});

describe('loadJson', () => {
  it('loads back what datasetToJson wrote: values, encodings and TTLs, in every db', () => {
    fc.assert(
      fc.property(fc.array(keySpec(40), { maxLength: 14 }), (specs) => {
        const a = createEngine({ activeExpire: false, now: () => T0, config: SMALL_LIMITS });
        run(a, commandsFor(specs, T0));
        const json = JSON.parse(JSON.stringify(datasetToJson(a))) as unknown;
        const b = createEngine({ activeExpire: false, now: () => T0, config: SMALL_LIMITS });
        loadJson(b, json);
        expect(contents(b)).toEqual(contents(a));
        expect(datasetToJson(b)).toEqual(json);
        a.close();
        b.close();
      }),
      { numRuns: 80 },
    );
  });

  it('loads containers larger than one command batch', () => {
    const items = Array.from({ length: 1500 }, (_, i) => `m${i}`);
    const a = createEngine({ activeExpire: false });
    run(a, [['RPUSH', 'l', ...items], ['SADD', 's', ...items], ['HSET', 'h', ...items.flatMap((x) => [x, x])], ['ZADD', 'z', ...items.flatMap((x, i) => [String(i), x])]]);
    const b = createEngine({ activeExpire: false });
    loadJson(b, JSON.parse(JSON.stringify(datasetToJson(a))));
    expect(contents(b)).toEqual(contents(a));
    a.close();
    b.close();
  });

  it('drops keys whose TTL has passed and empty containers', () => {
    const e = createEngine({ activeExpire: false, now: () => T0 });
    loadJson(e, {
      0: {
        old: { type: 'string', value: 'v', expireAt: T0 - 1 },
        empty: { type: 'list', value: [] },
        kept: { type: 'hash', value: { f: 'v' }, expireAt: T0 + 1 },
      },
    });
    expect(contents(e)).toEqual([[0, 'kept', 'hash', 'listpack', [['f', 'v']], T0 + 1]]);
    e.close();
  });

  it.each<[string, unknown, string | RegExp]>([
    ['not an object', [], 'expected an object of databases'],
    ['null', null, 'expected an object of databases'],
    ['a db that is not an index', { x: {} }, 'db "x": not a database index (0 to 15)'],
    ['a db out of range', { 16: {} }, 'db "16": not a database index (0 to 15)'],
    ['a db with a sign', { '-1': {} }, 'db "-1": not a database index'],
    ['a db that is not an object', { 0: [] }, 'db 0: expected an object of keys'],
    ['a key that is not an object', { 0: { k: 'v' } }, 'db 0 key "k": expected {"type": ..., "value": ...}'],
    ['an unknown type', { 1: { k: { type: 'stream', value: [] } } }, 'db 1 key "k": unknown type stream'],
    ['a missing type', { 1: { k: { value: [] } } }, 'db 1 key "k": unknown type undefined'],
    ['a string that is not a Bin', { 0: { k: { type: 'string', value: 5 } } }, 'db 0 key "k": expected a string or {"base64": ...}'],
    ['a list that is not an array', { 0: { k: { type: 'list', value: 'a' } } }, 'db 0 key "k": a list value is an array'],
    ['a set member that is not a Bin', { 0: { k: { type: 'set', value: ['a', 1] } } }, 'db 0 key "k": expected a string'],
    ['a hash that is not an object', { 0: { k: { type: 'hash', value: [] } } }, 'db 0 key "k": a hash value is an object of fields'],
    ['a hash field with bad base64', { 0: { k: { type: 'hash', value: { 'base64:#': 'v' } } } }, 'db 0 key "k" field "base64:#": invalid base64 "#"'],
    ['a zset element that is not a pair', { 0: { k: { type: 'zset', value: [['m']] } } }, 'db 0 key "k": a zset element is [member, score]'],
    ['a bad score', { 0: { k: { type: 'zset', value: [['m', 'x']] } } }, /db 0 key "k": a score/],
    ['a key with bad base64', { 0: { 'base64:*': { type: 'string', value: 'v' } } }, 'db 0 key "base64:*": invalid base64 "*"'],
    ['a fractional expireAt', { 0: { k: { type: 'string', value: 'v', expireAt: 1.5 } } }, 'db 0 key "k": expireAt is a unix time in milliseconds'],
    ['a text expireAt', { 0: { k: { type: 'string', value: 'v', expireAt: '5' } } }, 'db 0 key "k": expireAt'],
    ['two names for one key', { 0: { a: { type: 'string', value: 'v' }, 'base64:YQ==': { type: 'string', value: 'w' } } }, 'db 0 key "base64:YQ==": the same key as another name in this db'],
  ])('refuses %s, naming where', (_, data, message) => {
    const e = createEngine({ activeExpire: false });
    expect(() => loadJson(e, data)).toThrow(message);
    expect(e.clients.size).toBe(0); // its connection is closed
    e.close();
  });
});
