/**
 * `@larder/browser`: the page client. The store itself runs in a dedicated worker
 * (`@larder/browser/worker`); see the package README for policies, tabs, quota and bundling.
 */
export { openLarder, type OpenLarderOptions, type BrowserLarder } from './client/open.ts';
export type { Message, Subscription } from './client/pubsub.ts';
export type { HostEvent, OpenInfo, Appendfsync } from './protocol.ts';
export { ReplyError, StorageError, LarderError } from '@larder/core/client';
