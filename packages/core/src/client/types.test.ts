/**
 * The typed API's types, as a TypeScript user meets them: each method's result, text or bytes as
 * the client was opened, pipelines and transactions typed command by command. The type assertions
 * are checked by `npm run typecheck:tests` (which `npm test` runs first); the runtime assertions
 * check that the values behind them have those shapes.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Decoded } from './decode.ts';
import { createLarder } from './in-process.ts';

describe('typed API', () => {
  it('types each result, as text by default', async () => {
    const larder = createLarder({ activeExpire: false });
    const set = larder.set('k', 'v');
    expectTypeOf(set).toEqualTypeOf<Promise<string | null>>();
    expect(await set).toBe('OK');
    const got = larder.get('k');
    expectTypeOf(got).toEqualTypeOf<Promise<string | null>>();
    expect(await got).toBe('v');
    expectTypeOf(larder.incr('n')).toEqualTypeOf<Promise<number>>();
    expect(await larder.incr('n')).toBe(2);
    await larder.hset('h', { f: 'x' });
    const all = larder.hgetall('h');
    expectTypeOf(all).toEqualTypeOf<Promise<Record<string, string>>>();
    expect(await all).toEqual({ f: 'x' });
    expectTypeOf(larder.call('OBJECT', 'ENCODING', 'h')).toEqualTypeOf<Promise<Decoded>>();
  });

  it('gives bytes to a client opened with { bytes: true }, and says so in the types', async () => {
    const larder = createLarder({ activeExpire: false, bytes: true });
    await larder.set('k', 'v');
    const got = larder.get('k');
    expectTypeOf(got).toEqualTypeOf<Promise<Uint8Array | null>>();
    expect(await got).toEqual(new TextEncoder().encode('v'));
    expectTypeOf(larder.lrange('l', 0, -1)).toEqualTypeOf<Promise<Uint8Array[]>>();
    // Known only at run time: either.
    const flag = [true, false][0] as boolean;
    expectTypeOf(createLarder({ bytes: flag }).get('k')).toEqualTypeOf<Promise<string | Uint8Array | null>>();
    expectTypeOf(createLarder({ bytes: false }).get('k')).toEqualTypeOf<Promise<string | null>>();
  });

  it('types a pipeline and a transaction command by command', async () => {
    const larder = createLarder({ activeExpire: false });
    const piped = larder.pipeline().set('a', '1').incr('a').get('a').zscore('z', 'm').exec();
    expectTypeOf(piped).toEqualTypeOf<Promise<[string | null, number, string | null, number | null]>>();
    expect(await piped).toEqual(['OK', 2, '2', null]);
    const tx = larder.multi().incr('a').lrange('l', 0, -1).exec();
    // A transaction resolves with null when a WATCHed key changed.
    expectTypeOf(tx).toEqualTypeOf<Promise<[number, string[]] | null>>();
    expect(await tx).toEqual([3, []]);
    expectTypeOf(larder.pipeline().call('PING').exec()).toEqualTypeOf<Promise<[Decoded]>>();
    expectTypeOf(larder.pipeline().exec()).toEqualTypeOf<Promise<[]>>();
  });

  it('refuses wrong arguments at compile time', () => {
    const larder = createLarder({ activeExpire: false });
    // @ts-expect-error: SET needs a value.
    void larder.set('k').catch(() => {});
    // @ts-expect-error: EXPIRE's option is NX, XX, GT or LT.
    void larder.expire('k', 10, 'SOON').catch(() => {});
    // @ts-expect-error: EX and PX exclude each other.
    void larder.set('k', 'v', { ex: 1, px: 1 }).catch(() => {});
    // @ts-expect-error: a pipeline has the same methods, with the same arguments.
    void larder.pipeline().incrby('k');
  });
});
