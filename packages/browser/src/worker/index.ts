/**
 * `@larder/browser/worker`: the module a page's dedicated worker runs. Loading it exposes the host
 * (host.ts) over comlink to the page that created the worker; `openLarder()` talks to it.
 *
 * @example
 * // In the page (Vite, webpack 5, esbuild and plain ESM all understand this form):
 * const larder = await openLarder({
 *   name: 'app',
 *   worker: () => new Worker(new URL('@larder/browser/worker', import.meta.url), { type: 'module' }),
 * });
 */
import { expose } from 'comlink';
import { createHost } from './host.ts';

expose(createHost());

export { createHost };
