/**
 * @larder/core/transfer: a dataset in and out as a dump.rdb or JSON (json.ts), platform-free, for
 * hosts' import/export (the CLI's `larder export`/`import`, the browser worker).
 */
export {
  decodeBin, decodeName, encodeBin, encodeName, encodeScore, fromBase64, scoreArg, toBase64,
  type Bin, type JsonDataset, type JsonScore, type JsonValue,
} from './json.ts';
export { datasetToJson, loadJson } from './dataset.ts';
export { exportDataset, exportJson, exportRdb, importDataset, isRdb, type TransferOptions } from './import.ts';
