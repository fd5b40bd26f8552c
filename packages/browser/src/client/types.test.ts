/**
 * The page client's types follow its `bytes` option, as core's do: the methods of
 * `openLarder({ name, bytes: true })` resolve to `Uint8Array`s. Checked by `npm run typecheck:tests`
 * (which `npm test` runs first); Chromium tests (test/browser) check the values.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Message } from './pubsub.ts';
import type { openLarder } from './open.ts';

type Opened<O> = Awaited<ReturnType<typeof openLarder<O & { name: string }>>>;

describe('openLarder types', () => {
  it('types bulk strings as text, or bytes with { bytes: true }', () => {
    expectTypeOf<Opened<{}>['get']>().returns.toEqualTypeOf<Promise<string | null>>();
    expectTypeOf<Opened<{ bytes: true }>['get']>().returns.toEqualTypeOf<Promise<Uint8Array | null>>();
    expectTypeOf<Opened<{ bytes: true }>['pipeline']>().returns.toHaveProperty('exec');
    expectTypeOf<Parameters<Opened<{ bytes: true }>['subscribe']>[1]>().toEqualTypeOf<((m: Message<Uint8Array>) => void) | undefined>();
  });
});
