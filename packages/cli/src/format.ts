/**
 * Replies printed exactly as redis-cli 7.0 prints them (redis-cli.c cliFormatReplyTTY and
 * cliFormatReplyRaw). `resp` is the protocol the client speaks, because it decides what redis-cli
 * would have received: in RESP2 a Double arrives as a bulk string, a map as a flat array.
 * Output is a byte string (one char per byte), to be written as latin1.
 */
import {
  Double,
  formatDouble17g,
  MapReply,
  NilArray,
  Push,
  ReplyError,
  Replies,
  SetReply,
  Status,
} from '@larder/core';
import { VerbatimString, type RespValue } from '@larder/core/resp';

export type OutputMode = 'tty' | 'raw';

/**
 * One reply as redis-cli prints it: `tty` when stdout is a terminal, `raw` when it is not (or with
 * --raw). Ends with the newline redis-cli writes.
 */
export function formatReply(v: RespValue, resp: 2 | 3, mode: OutputMode): string {
  if (v instanceof Replies) return v.items.map((r) => formatReply(r, resp, mode)).join('');
  if (mode === 'raw') return `${formatRaw(v, resp)}\n`;
  return (resp === 3 && formatInvalidate(v)) || formatTTY(v, resp, '');
}

/**
 * redis-cli prints the replies of INFO, CLIENT LIST, MEMORY DOCTOR and a few more as raw text
 * whatever the output mode, without adding a newline: the text ends with its own.
 */
export function printsRawStrings(argv: readonly string[]): boolean {
  const cmd = (argv[0] ?? '').toLowerCase();
  const sub = (argv[1] ?? '').toLowerCase();
  const n = argv.length;
  return (
    cmd === 'info' ||
    (cmd === 'debug' && n >= 2 && sub === 'htstats') ||
    (cmd === 'memory' && n >= 2 && (sub === 'malloc-stats' || sub === 'doctor')) ||
    (cmd === 'cluster' && n === 2 && (sub === 'nodes' || sub === 'info')) ||
    (cmd === 'client' && n === 2 && (sub === 'list' || sub === 'info')) ||
    (cmd === 'latency' && n === 3 && sub === 'graph') ||
    (cmd === 'latency' && n === 2 && sub === 'doctor')
  );
}

/** A reply of a command for which `printsRawStrings` holds. */
export function formatRawStrings(v: RespValue, resp: 2 | 3): string {
  return formatRaw(v, resp);
}

type Aggregate = { items: readonly RespValue[]; sep: ')' | '~' | '#'; empty: string };

/** The aggregate redis-cli would see for `v` in protocol `resp`, or undefined for a scalar. */
function aggregateOf(v: RespValue, resp: 2 | 3): Aggregate | undefined {
  if (Array.isArray(v)) return { items: v, sep: ')', empty: '(empty array)' };
  if (v instanceof MapReply) {
    return resp === 3 ? { items: v.items, sep: '#', empty: '(empty hash)' } : { items: v.items, sep: ')', empty: '(empty array)' };
  }
  if (v instanceof SetReply) {
    return resp === 3 ? { items: v.items, sep: '~', empty: '(empty set)' } : { items: v.items, sep: ')', empty: '(empty array)' };
  }
  if (v instanceof Push) {
    return { items: v.items, sep: ')', empty: resp === 3 ? '(empty push)' : '(empty array)' };
  }
  return undefined;
}

function formatTTY(v: RespValue, resp: 2 | 3, prefix: string): string {
  if (typeof v === 'string') return `${repr(v)}\n`;
  if (typeof v === 'number' || typeof v === 'bigint') return `(integer) ${v}\n`;
  if (v === null || v instanceof NilArray) return '(nil)\n';
  if (typeof v === 'boolean') return v ? '(true)\n' : '(false)\n';
  if (v instanceof Status) return `${v.value}\n`;
  if (v instanceof ReplyError) return `(error) ${v.message}\n`;
  if (v instanceof Double) return resp === 3 ? `(double) ${formatDouble17g(v.value)}\n` : `${repr(formatDouble17g(v.value))}\n`;
  if (v instanceof VerbatimString) return `${v.text}\n`;
  const agg = aggregateOf(v, resp);
  if (agg === undefined) return '';
  const { items, sep } = agg;
  if (items.length === 0) return `${agg.empty}\n`;
  const isMap = sep === '#';
  const count = isMap ? items.length / 2 : items.length;
  const width = String(count).length;
  const childPrefix = prefix + ' '.repeat(width + 2);
  let out = '';
  for (let i = 0, n = 1; i < items.length; i++, n++) {
    // The first index follows the parent's own index on the same line.
    out += `${i === 0 ? '' : prefix}${String(n).padStart(width)}${sep} `;
    out += formatTTY(items[i]!, resp, childPrefix);
    if (isMap) {
      const value = items[++i]!;
      const nested = isMultiline(value, resp) ? `\n${childPrefix}` : '';
      out = `${out.slice(0, -1)} => ${nested}${formatTTY(value, resp, childPrefix)}`;
    }
  }
  return out;
}

/** cliIsMultilineValueTTY: a map value printed on several lines starts on a line of its own. */
function isMultiline(v: RespValue, resp: 2 | 3): boolean {
  const agg = aggregateOf(v, resp);
  if (agg === undefined || agg.items.length === 0) return false;
  if (agg.sep === '#') return agg.items.length > 2 || isMultiline(agg.items[1]!, resp);
  return agg.items.length > 1 || isMultiline(agg.items[0]!, resp);
}

/** cliFormatInvalidateTTY: client-side caching invalidations, on a terminal. */
function formatInvalidate(v: RespValue): string | undefined {
  if (!(v instanceof Push) || v.items.length !== 2 || v.items[0] !== 'invalidate' || !Array.isArray(v.items[1])) {
    return undefined;
  }
  return `-> invalidate: ${v.items[1].map((k) => `'${String(k)}'`).join(', ')}\n`;
}

function formatRaw(v: RespValue, resp: 2 | 3): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v === null || v instanceof NilArray) return '';
  if (typeof v === 'boolean') return v ? '(true)' : '(false)';
  if (v instanceof Status) return v.value;
  if (v instanceof ReplyError) return `${v.message}\n`;
  if (v instanceof Double) return formatDouble17g(v.value);
  if (v instanceof VerbatimString) return v.text;
  const agg = aggregateOf(v, resp);
  if (agg === undefined) return '';
  const { items } = agg;
  const parts: string[] = [];
  if (agg.sep === '#') {
    for (let i = 0; i < items.length; i += 2) parts.push(`${formatRaw(items[i]!, resp)} ${formatRaw(items[i + 1]!, resp)}`);
  } else {
    for (const item of items) parts.push(formatRaw(item, resp));
  }
  return parts.join('\n');
}

/** sds.c sdscatrepr: the quoted form redis-cli shows strings in. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${(c & 0xff).toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}
