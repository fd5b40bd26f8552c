/**
 * The JSON shape of a dataset (`larder export --format json`, `larder import`, the worker's
 * import/export):
 *
 *   { "<db index>": { "<key>": { "type": "string" | "list" | "set" | "hash" | "zset",
 *                                "value": ..., "expireAt"?: <unix ms> } } }
 *
 * Values: string → a Bin; list and set → [Bin, ...] (a list head to tail); hash → { "<field>": Bin };
 * zset → [[Bin, score], ...] in rank order, a score a JSON number or "inf" / "-inf".
 * Binary safety: a Bin is a JSON string when the bytes are valid UTF-8, else {"base64": "..."}.
 * An object key (key, hash field) is the UTF-8 text itself, or "base64:<base64>" when the bytes
 * are not valid UTF-8 or the text itself starts with "base64:". Empty databases are left out.
 *
 * Platform-free: UTF-8 through TextDecoder (fatal) and bytes.ts, base64 through btoa/atob, which
 * take and give exactly our byte strings (one char per byte).
 */
import { binaryToBytes, isAscii, textToBinary } from '../bytes.ts';

// Present in browsers, workers, Node >= 16, Deno and Bun; not in lib ES2023, which core compiles
// against to stay platform-free.
declare const TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };
declare function btoa(bytes: string): string;
declare function atob(b64: string): string;

export type Bin = string | { base64: string };
export type JsonScore = number | 'inf' | '-inf';
export type JsonValue =
  | { type: 'string'; value: Bin; expireAt?: number }
  | { type: 'list' | 'set'; value: Bin[]; expireAt?: number }
  | { type: 'hash'; value: Record<string, Bin>; expireAt?: number }
  | { type: 'zset'; value: Array<[Bin, JsonScore]>; expireAt?: number };
export type JsonDataset = Record<string, Record<string, JsonValue>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const B64 = 'base64:';

/** A byte string (one char per byte) as UTF-8 text, or undefined when it is not valid UTF-8. */
function asText(bytes: string): string | undefined {
  if (isAscii(bytes)) return bytes;
  try {
    return utf8.decode(binaryToBytes(bytes));
  } catch {
    return undefined;
  }
}

/** Base64 of a byte string. */
export const toBase64 = (bytes: string): string => btoa(bytes);

/** The byte string a base64 text holds; `where` names it in the error when it is not base64. */
export function fromBase64(b64: string, where = 'base64'): string {
  try {
    return atob(b64);
  } catch {
    throw new Error(`${where}: invalid base64 ${JSON.stringify(b64.length > 40 ? `${b64.slice(0, 40)}...` : b64)}`);
  }
}

export function encodeBin(bytes: string): Bin {
  const text = asText(bytes);
  return text === undefined ? { base64: toBase64(bytes) } : text;
}

export function decodeBin(b: unknown, where: string): string {
  if (typeof b === 'string') return textToBinary(b);
  if (typeof b === 'object' && b !== null && typeof (b as { base64?: unknown }).base64 === 'string') {
    return fromBase64((b as { base64: string }).base64, where);
  }
  throw new Error(`${where}: expected a string or {"base64": ...}`);
}

export function encodeName(bytes: string): string {
  const text = asText(bytes);
  return text === undefined || text.startsWith(B64) ? B64 + toBase64(bytes) : text;
}

export function decodeName(name: string, where = 'name'): string {
  return name.startsWith(B64) ? fromBase64(name.slice(B64.length), where) : textToBinary(name);
}

/** A score as JSON holds it: the number, or "inf" / "-inf". */
export const encodeScore = (s: number): JsonScore => (s === Infinity ? 'inf' : s === -Infinity ? '-inf' : s);

/** A score as ZADD takes it: JS's shortest round-trip decimal, which strtod reads back exactly. */
export function scoreArg(s: unknown, where: string): string {
  if (s === 'inf' || s === '-inf') return s;
  if (typeof s === 'number' && Number.isFinite(s)) return String(s);
  throw new Error(`${where}: a score is a number, "inf" or "-inf"`);
}

/**
 * Sets `obj[name]` as an own enumerable property, even for "__proto__" (a key or field Redis
 * allows), which a plain assignment would turn into a prototype change and lose.
 */
export function putName<T>(obj: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
  else obj[name] = value;
}
