/**
 * The RDB codec: Redis's snapshot file format and DUMP payloads, byte-compatible with Redis
 * 2.x..7.4 files on read and Redis 7.0 on write. Pure: bytes in, engine values out, and back.
 */
export * from './constants.ts';
export { RdbError } from './errors.ts';
export { Crc64, crc64 } from './crc64.ts';
export { lzfCompress, lzfDecompress } from './lzf.ts';
export { createRdbDecoder, decodeRdb, type RdbDecoder, type RdbDecoderOptions, type RdbHandler, type RdbRecord, type RdbSummary } from './decoder.ts';
export { createRdbEncoder, datasetVersion, defaultAux, encodeRdb, type DatasetEntry, type RdbEncoder, type RdbEncoderOptions } from './encoder.ts';
export { decodeDump, encodeDump, verifyDumpPayload, type DumpOptions, type RestoreOptions } from './dump.ts';
export { DEFAULT_LIMITS, limitsFromConfig, type LoadLimits } from './value-decode.ts';
export { valueType, versionFor } from './value-encode.ts';
