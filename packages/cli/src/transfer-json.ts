/**
 * The JSON shape of `larder export --format json` and `larder import`:
 *
 *   { "<db index>": { "<key>": { "type": "string" | "list" | "set" | "hash" | "zset",
 *                                "value": ..., "expireAt"?: <unix ms> } } }
 *
 * Values: string → a Bin; list and set → [Bin, ...] (a list head to tail); hash → { "<field>": Bin };
 * zset → [[Bin, score], ...] in rank order, a score a JSON number or "inf" / "-inf".
 * Binary safety: a Bin is a JSON string when the bytes are valid UTF-8, else {"base64": "..."}.
 * An object key (key, hash field) is the UTF-8 text itself, or "base64:<base64>" when the bytes
 * are not valid UTF-8 or the text itself starts with "base64:". Empty databases are left out.
 */

export type Bin = string | { base64: string };
export type JsonValue =
  | { type: 'string'; value: Bin; expireAt?: number }
  | { type: 'list' | 'set'; value: Bin[]; expireAt?: number }
  | { type: 'hash'; value: Record<string, Bin>; expireAt?: number }
  | { type: 'zset'; value: Array<[Bin, number | 'inf' | '-inf']>; expireAt?: number };
export type JsonDataset = Record<string, Record<string, JsonValue>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const B64 = 'base64:';

/** A byte string (one char per byte) as UTF-8 text, or undefined when it is not valid UTF-8. */
function asText(bytes: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(bytes)) return bytes;
  try {
    return utf8.decode(Buffer.from(bytes, 'latin1'));
  } catch {
    return undefined;
  }
}

const base64 = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('base64');
const fromBase64 = (b64: string): string => Buffer.from(b64, 'base64').toString('latin1');
const fromText = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

export function encodeBin(bytes: string): Bin {
  const text = asText(bytes);
  return text === undefined ? { base64: base64(bytes) } : text;
}

export function decodeBin(b: unknown, where: string): string {
  if (typeof b === 'string') return fromText(b);
  if (typeof b === 'object' && b !== null && typeof (b as { base64?: unknown }).base64 === 'string') {
    return fromBase64((b as { base64: string }).base64);
  }
  throw new Error(`${where}: expected a string or {"base64": ...}`);
}

export function encodeName(bytes: string): string {
  const text = asText(bytes);
  return text === undefined || text.startsWith(B64) ? B64 + base64(bytes) : text;
}

export const decodeName = (name: string): string => (name.startsWith(B64) ? fromBase64(name.slice(B64.length)) : fromText(name));

/** A score as JSON holds it: the number, or "inf" / "-inf". */
export const encodeScore = (s: number): number | 'inf' | '-inf' => (s === Infinity ? 'inf' : s === -Infinity ? '-inf' : s);

/** A score as ZADD takes it: JS's shortest round-trip decimal, which strtod reads back exactly. */
export function scoreArg(s: unknown, where: string): string {
  if (s === 'inf' || s === '-inf') return s;
  if (typeof s === 'number' && Number.isFinite(s)) return String(s);
  throw new Error(`${where}: a score is a number, "inf" or "-inf"`);
}
