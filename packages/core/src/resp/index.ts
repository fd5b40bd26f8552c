/**
 * The RESP codec: replies → bytes for clients speaking RESP2 or RESP3 (`RespWriter`,
 * `encodeReply`), commands → bytes (`encodeCommand`, the AOF format), client bytes → commands
 * (`RequestDecoder`, multibulk and inline), server bytes → replies (`ReplyDecoder`). No platform
 * APIs: bytes are Uint8Array, arguments and values byte strings (see bytes.ts).
 */
export { RespWriter, encodeReply, encodeCommand } from './writer.ts';
export { RequestDecoder, PROTO_INLINE_MAX_SIZE, type RequestDecoderOptions } from './request-decoder.ts';
export {
  ReplyDecoder,
  RespProtocolError,
  type RespValue,
  type ReplyDecoderOptions,
} from './reply-decoder.ts';
export { VerbatimString } from '../reply/reply.ts';
export { splitArgs } from './split-args.ts';
/** For hosts: the reply to send when a handler fails with something other than a ReplyError. */
export { internalError } from '../reply/errors.ts';
