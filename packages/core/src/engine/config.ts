/**
 * Configuration (Redis's config.c). CONFIG GET/SET, `larder serve --name value` and the engine's
 * own options all go through `Config`, so a value is checked the same way wherever it comes from.
 * The parameter table lives in config-params.ts; a host adds its own (`larder serve`: the process
 * ones, pidfile and the title, and those a redis.conf sets for what Larder does not have).
 */
import { configSetFailed as setFailed, configUnknownOption as unknownOption } from '../reply/errors.ts';
import { globMatch } from '../keyspace/glob.ts';
import { CONFIG_PARAMS, type ConfigParam } from './config-params.ts';

export { CONFIG_PARAMS, saveRules, type ConfigParam } from './config-params.ts';

/**
 * Thrown by a host's configChanged when a new value cannot take effect (Redis's apply functions:
 * `appendonly yes` whose rewrite cannot start): CONFIG SET restores the old values and fails.
 */
export class ConfigApplyError extends Error {
  constructor(readonly param: string, reason: string) {
    super(reason);
  }
}

export class Config {
  /** Lower-case name or alias → parameter. */
  private readonly byName = new Map<string, ConfigParam>();
  private readonly values = new Map<string, string | number>();

  readonly params: readonly ConfigParam[];

  /** `extra`: a host's parameters, beside Redis's that the engine has. */
  constructor(extra: readonly ConfigParam[] = []) {
    this.params = [...CONFIG_PARAMS, ...extra];
    for (const p of this.params) {
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

  /** The value as CONFIG GET prints it. */
  text(name: string): string {
    const p = this.byName.get(name.toLowerCase());
    if (!p) throw new Error(`unknown config parameter '${name}'`);
    const v = this.values.get(p.name)!;
    return p.format ? p.format(v) : String(v);
  }

  /** Sets one parameter; throws Redis's CONFIG SET error. `initial` allows immutable and protected ones. */
  set(name: string, value: string, initial = false): void {
    this.setMany([[name, value]], initial);
  }

  /**
   * allowProtectedAction: whether a client may do what `name` guards (enable-protected-configs,
   * enable-debug-command): `yes` lets everyone, `local` only local clients, `no` nobody.
   */
  allows(name: 'enable-protected-configs' | 'enable-debug-command', local: boolean): boolean {
    const v = this.values.get(name);
    return v === 'yes' || (v === 'local' && local);
  }

  /**
   * Sets several parameters at once, all or none (Redis 7.0's configSetCommand): the first
   * unknown, immutable/protected or repeated name (an alias and its parameter are distinct
   * entries, as in Redis) fails the whole call, named as given; then the first value that fails
   * to parse, named in lower case. Nothing changes on error.
   */
  setMany(pairs: ReadonlyArray<readonly [string, string]>, initial = false, allowProtected = initial): void {
    const seen = new Set<string>();
    const found: Array<[string, ConfigParam, string]> = [];
    for (const [name, value] of pairs) {
      const lower = name.toLowerCase();
      const p = this.byName.get(lower);
      if (!p) throw unknownOption(name);
      if (!initial && (p.immutable || (p.protected && !allowProtected))) {
        throw setFailed(name, p.immutable ? "can't set immutable config" : "can't set protected config");
      }
      if (seen.has(lower)) throw setFailed(name, 'duplicate parameter');
      seen.add(lower);
      found.push([lower, p, value]);
    }
    const parsed: Array<[ConfigParam, string | number]> = [];
    for (const [lower, p, value] of found) {
      try {
        parsed.push([p, p.parse(value, this.values.get(p.name))]);
      } catch (e) {
        throw setFailed(lower, e instanceof Error ? e.message : String(e));
      }
    }
    for (const [p, v] of parsed) this.values.set(p.name, v);
  }

  /**
   * CONFIG GET: name/value pairs for every pattern, each name once (names compare
   * case-insensitively; an alias is a name of its own). A pattern without glob characters is an
   * exact lookup answered under the name as given, hidden parameters included; a glob matches
   * names and aliases, hidden parameters excepted.
   */
  get(patterns: readonly string[]): Array<[string, string]> {
    const out = new Map<string, [string, string]>();
    for (const pattern of patterns) {
      if (!/[[*?]/.test(pattern)) {
        const lower = pattern.toLowerCase();
        const p = this.byName.get(lower);
        if (p && !out.has(lower)) out.set(lower, [pattern, this.text(p.name)]);
        continue;
      }
      for (const [name, p] of this.byName) {
        if (p.hidden || out.has(name)) continue;
        if (globMatch(pattern, name, true)) out.set(name, [name, this.text(p.name)]);
      }
    }
    return [...out.values()];
  }

  /** name/value pairs matching one glob (aliases included), as CONFIG GET prints them. */
  match(pattern: string): Array<[string, string]> {
    return this.get([pattern]);
  }
}
