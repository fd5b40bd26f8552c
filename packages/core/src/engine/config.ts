/**
 * Configuration parameters (Redis's config.c standardConfig table): name, default, how a value is
 * parsed and validated. CONFIG GET/SET, `larder serve --name value` and the engine's own options
 * all go through `Config.set`, so a value is checked the same way wherever it comes from.
 */
import { errorReply } from '../reply/errors.ts';
import { globMatch } from '../keyspace/glob.ts';
import { parseNotifyFlags, formatNotifyFlags } from './notify.ts';

export interface ConfigParam {
  readonly name: string;
  readonly alias?: string;
  readonly default: string;
  /** Parses a value given to CONFIG SET; throws the reason Redis gives. Returns the canonical form. */
  readonly parse: (value: string) => string | number;
  /** How CONFIG GET prints the parsed value. */
  readonly format?: (value: string | number) => string;
  readonly immutable?: boolean;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3,
};

function integer(min: number, max: number) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new Error("argument couldn't be parsed into an integer");
    const n = Number(v);
    if (n < min || n > max) throw new Error(`argument must be between ${min} and ${max} inclusive`);
    return n;
  };
}

function memory(v: string): number {
  const m = /^(\d+)([a-z]*)$/i.exec(v);
  const unit = m ? MEMORY_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error("argument must be a memory value");
  return Number(m[1]) * unit;
}

function boolean(v: string): string {
  const l = v.toLowerCase();
  if (l !== 'yes' && l !== 'no') throw new Error("argument must be 'yes' or 'no'");
  return l;
}

function oneOf(...values: string[]) {
  return (v: string): string => {
    const l = v.toLowerCase();
    if (!values.includes(l)) throw new Error(`argument(s) must be one of the following: ${values.join(', ')}`);
    return l;
  };
}

const text = (v: string): string => v;

/** NOTE: keep in the order Redis's CONFIG GET * would not guarantee anyway; lookups are by name. */
export const CONFIG_PARAMS: readonly ConfigParam[] = [
  { name: 'databases', default: '16', parse: integer(1, 2 ** 31 - 1), immutable: true },
  { name: 'port', default: '6379', parse: integer(0, 65535), immutable: true },
  { name: 'bind', default: '127.0.0.1', parse: text, immutable: true },
  { name: 'hz', default: '10', parse: integer(0, 2 ** 31 - 1) },
  { name: 'maxmemory', default: '0', parse: memory },
  { name: 'timeout', default: '0', parse: integer(0, 2 ** 31 - 1) },
  { name: 'notify-keyspace-events', default: '', parse: parseNotifyFlags, format: (v) => formatNotifyFlags(v as number) },
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', default: '128', parse: integer(0, 2 ** 63 - 1) },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', default: '64', parse: integer(0, 2 ** 63 - 1) },
  { name: 'set-max-intset-entries', default: '512', parse: integer(0, 2 ** 63 - 1) },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', default: '128', parse: integer(0, 2 ** 63 - 1) },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', default: '64', parse: integer(0, 2 ** 63 - 1) },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', default: '-2', parse: integer(-(2 ** 31), 2 ** 31 - 1) },
  { name: 'list-compress-depth', default: '0', parse: integer(0, 2 ** 31 - 1) },
  { name: 'proto-max-bulk-len', default: '536870912', parse: memory },
  { name: 'lazyfree-lazy-expire', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-user-del', default: 'no', parse: boolean },
  { name: 'lazyfree-lazy-user-flush', default: 'no', parse: boolean },
  { name: 'appendonly', default: 'no', parse: boolean },
  { name: 'appendfsync', default: 'everysec', parse: oneOf('always', 'everysec', 'no') },
  { name: 'dir', default: '.', parse: text },
  { name: 'dbfilename', default: 'dump.rdb', parse: text },
  { name: 'save', default: '3600 1 300 100 60 10000', parse: text },
  { name: 'active-expire-enabled', default: 'yes', parse: boolean },
];

export class Config {
  private readonly byName = new Map<string, ConfigParam>();
  private readonly values = new Map<string, string | number>();

  constructor(readonly params: readonly ConfigParam[] = CONFIG_PARAMS) {
    for (const p of params) {
      this.byName.set(p.name, p);
      if (p.alias) this.byName.set(p.alias, p);
      this.values.set(p.name, p.parse(p.default));
    }
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** The parsed value: a number for integer and memory parameters, a string otherwise. */
  value(name: string): string | number {
    const p = this.byName.get(name);
    if (!p) throw new Error(`unknown config parameter '${name}'`);
    return this.values.get(p.name)!;
  }

  num(name: string): number {
    return this.value(name) as number;
  }

  /**
   * Sets a parameter; throws Redis's CONFIG SET error text. `initial` allows immutable ones
   * (command-line flags at start-up).
   */
  set(name: string, value: string, initial = false): void {
    const p = this.byName.get(name.toLowerCase());
    if (!p) throw errorReply(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (p.immutable && !initial) {
      throw errorReply(`ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
    }
    try {
      this.values.set(p.name, p.parse(value));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw errorReply(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`);
    }
  }

  /** name/value pairs matching a glob, as CONFIG GET returns them (aliases matched too). */
  match(pattern: string): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const [name, p] of this.byName) {
      if (!globMatch(pattern, name, true)) continue;
      const v = this.values.get(p.name)!;
      out.set(name, p.format ? p.format(v) : String(v));
    }
    return [...out];
  }
}
