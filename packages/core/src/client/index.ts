export { createClient, type Larder, type Pipeline, type Transaction, type Transport, type ClientOptions, type StringsOf } from './larder.ts';
export { toArgv } from './build.ts';
export { createLarder, inProcessTransport, type OpenOptions } from './in-process.ts';
export type * from './commands.ts';
export type * from './options.ts';
export { decodeReply, type Decoded } from './decode.ts';
