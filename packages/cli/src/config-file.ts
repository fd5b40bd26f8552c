/**
 * `larder serve <redis.conf> [--name value ...]`: a config file read as redis-server 7.0 reads one
 * (config.c, loadServerConfigFromString): one directive per line, trimmed; `#` lines and blank
 * lines skipped; arguments split as redis-cli splits them (sdssplitargs: quotes and escapes); the
 * name case-insensitive; `include <file>` reads another file in its place, and a pattern in the
 * file name (`include /etc/redis/conf.d/*.conf`) the files it matches, in name order, as one text
 * (none: nothing, so an empty conf.d is fine). A parameter takes one
 * argument, except the multi-argument ones (`save`, `bind`, `client-output-buffer-limit`,
 * `oom-score-adj-values`), whose single argument is split at blanks. Later lines win, except that
 * `save` lines add up (`save ""` clears them) and each `client-output-buffer-limit` line sets only
 * the classes it names; the command line's options are read after the file's lines, the same way.
 *
 * A line Larder cannot take stops the start with redis-server's report (the line number, the
 * line, why). That includes directives redis-server knows and Larder does not implement
 * (replication, TLS, ACL, `requirepass`, ...): ignoring one would run a server other than the one
 * the file describes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Config, globMatch } from '@larder/core';
import { splitArgs } from '@larder/core/resp';
import { SERVE_PARAMS } from './server-params.ts';

/** MULTI_ARG_CONFIG parameters that Larder has. */
const MULTI_ARG = new Set(['save', 'bind', 'client-output-buffer-limit', 'oom-score-adj-values']);
/** Parameters whose lines add to the earlier ones': the joined value parses as the lines in turn. */
const ADDS_UP = new Set(['save', 'client-output-buffer-limit']);

export class ConfigFileError extends Error {}

/** Sets `name` as a config file line does: a `save` or `client-output-buffer-limit` line adds to the earlier ones. */
export function applyLine(config: Record<string, string>, name: string, value: string): void {
  const before = config[name];
  config[name] = ADDS_UP.has(name) && value !== '' && before ? `${before} ${value}` : value;
}

/** The file's text; throws the report redis-server logs when it cannot open one. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : (e as Error).message;
    throw new ConfigFileError(`Fatal error, can't open config file '${path}': ${why}\n`);
  }
}

/** What `include <path>` reads: the file, or with a pattern in its name the matching files joined (glob(3) in redis-server). */
function included(path: string): string {
  const name = basename(path);
  if (!/[*?[]/.test(name)) return readText(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return '';
  }
  // As glob(3): a leading dot is matched only by a pattern that has one.
  const matches = names.filter((n) => globMatch(name, n) && (!n.startsWith('.') || name.startsWith('.')));
  return matches.sort().map((n) => readText(join(dirname(path), n))).join('');
}

/** Reads `path` (and what it includes) into config values; throws ConfigFileError with the report to print. */
export function readConfigFile(path: string, version: string): Record<string, string> {
  return parseConfig(readText(path), version, {});
}

function parseConfig(text: string, version: string, config: Record<string, string>): Record<string, string> {
  const scratch = new Config(SERVE_PARAMS);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const fail = (why: string): ConfigFileError =>
      new ConfigFileError(`\n*** FATAL CONFIG FILE ERROR (Larder ${version}) ***\nReading the configuration file, at line ${i + 1}\n>>> '${line}'\n${why}\n`);
    const argv = splitArgs(line);
    if (argv === null) throw fail('Unbalanced quotes in configuration line');
    if (argv.length === 0) continue;
    const name = argv[0]!.toLowerCase();
    if (name === 'include' && argv.length === 2) {
      parseConfig(included(argv[1]!), version, config);
      continue;
    }
    if (!scratch.has(name)) {
      throw fail(`Bad directive or wrong number of arguments\n(Larder takes the parameters CONFIG GET * lists; '${name}' is not one of them.)`);
    }
    if (!MULTI_ARG.has(name) && argv.length !== 2) throw fail('wrong number of arguments');
    const value = argv.slice(1).join(' ');
    try {
      scratch.set(name, value, true);
    } catch (e) {
      // CONFIG SET's wording around the reason, which is what redis-server prints here.
      throw fail((e as Error).message.replace(/^ERR CONFIG SET failed \(possibly related to argument '[^']*'\) - /, ''));
    }
    applyLine(config, name, value);
  }
  return config;
}
