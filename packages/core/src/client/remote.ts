/**
 * The typed client without the engine, for hosts that run the engine elsewhere (a Web Worker, a
 * Durable Object): `createClient` over a transport that carries `Wire` replies. Importing this
 * entry (`@larder/core/client`) bundles the client and the reply classes only.
 */
export { createClient, type Larder, type Pipeline, type Transaction, type Transport, type ClientOptions, type StringsOf } from './larder.ts';
export { toArgv } from './build.ts';
export { decodeReply, type Decoded } from './decode.ts';
export { toWire, fromWire, errorToWire, errorFromWire, LarderError, type Wire, type WireError } from './wire.ts';
export { ReplyError } from '../reply/reply-error.ts';
export { StorageError, type StorageErrorCode } from '../storage/storage.ts';
export type * from './commands.ts';
export type * from './options.ts';
export { Push, type Reply } from '../reply/reply.ts';
export { binaryToText, binaryToBytes, importBytes, toBinary, type ImportData, type Input } from '../bytes.ts';
