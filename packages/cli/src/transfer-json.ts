/**
 * The JSON shape of `larder export --format json` and `larder import` now lives in core
 * (@larder/core/transfer, platform-free so the browser worker shares it); re-exported here for
 * the CLI's existing imports.
 */
export {
  decodeBin, decodeName, encodeBin, encodeName, encodeScore, scoreArg,
  type Bin, type JsonDataset, type JsonValue,
} from '@larder/core/transfer';
