export { createClient, type Larder, type Pipeline, type Transport, type ClientOptions } from './larder.ts';
export { toArgv } from './build.ts';
export { createLarder, inProcessTransport, type OpenOptions } from './in-process.ts';
export type * from './commands.ts';
export type * from './options.ts';
export { decodeReply, type Decoded } from './decode.ts';
