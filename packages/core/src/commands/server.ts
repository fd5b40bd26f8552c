/**
 * Server commands (Redis 7.0's server.c / config.c): INFO, CONFIG, TIME, plus COMMAND
 * (command.ts) and DEBUG (debug.ts). DBSIZE, FLUSHDB & co are generic keyspace commands;
 * SAVE, BGSAVE and LASTSAVE belong to the persistence layer.
 */
import type { Client } from '../engine/client.ts';
import { infoString } from '../engine/info.ts';
import { ConfigApplyError } from '../engine/config.ts';
import { configSetFailed, NO_CONFIG_FILE, SYNTAX } from '../reply/errors.ts';
import { MapReply, OK, VerbatimString, type Reply } from '../reply/reply.ts';
import { commandCommand } from './command.ts';
import { debugCommand } from './debug.ts';
import { HELP, helpReply } from './help.ts';
import { command, type CommandSpec } from './spec.ts';

function configSet(c: Client, argv: string[]): Reply {
  if (argv.length % 2 !== 0) throw SYNTAX;
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
  const config = c.engine.config;
  const before = pairs.map(([name]) => [name, config.has(name) ? config.text(name) : ''] as const);
  config.setMany(pairs, false, config.allows('enable-protected-configs', c.isLocal));
  try {
    c.engine.configChanged();
  } catch (e) {
    if (!(e instanceof ConfigApplyError)) throw e;
    // All or none, as Redis restores every value of the call when one cannot be applied.
    config.setMany(before, true);
    c.engine.configChanged();
    throw configSetFailed(e.param, e.message);
  }
  return OK;
}

/** CONFIG RESETSTAT (resetServerStats + command and error tables). */
function resetStats(c: Client): Reply {
  const s = c.engine.stats;
  s.reset(c.engine.now());
  s.connections = 0;
  c.engine.ks.hits = 0;
  return OK;
}

const sub = (spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec => command({ group: 'server', ...spec });
const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;

export const serverCommands: CommandSpec[] = [
  // INFO [section [section ...]]
  sub({ name: 'info', arity: -1, flags: ['loading', 'stale'], since: '1.0.0',
    summary: 'Get information and statistics about the server', syntax: '[section [section ...]]', complexity: 'O(1)',
    handler: (c, argv) => new VerbatimString('txt', infoString(c.engine, argv.slice(1))) }),
  // TIME
  sub({ name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], since: '2.6.0',
    summary: 'Return the current server time', syntax: '', complexity: 'O(1)',
    handler: (c) => {
      const ms = c.engine.now();
      return [String(Math.floor(ms / 1000)), String(Math.floor((ms % 1000) * 1000))];
    } }),
  // CONFIG <subcommand> [<arg> [value] [opt] ...]
  sub({ name: 'config', arity: -2, since: '2.0.0', summary: 'A container for server configuration commands',
    syntax: '', complexity: 'Depends on subcommand.',
    subcommands: [
      // CONFIG GET parameter [parameter ...]
      sub({ name: 'get', arity: -3, flags: ADMIN, since: '2.0.0', summary: 'Get the values of configuration parameters',
        syntax: 'parameter [parameter ...]', complexity: 'O(N) when N is the number of configuration parameters provided',
        handler: (c, argv) => new MapReply(c.engine.config.get(argv.slice(2)).flat()) }),
      // CONFIG SET parameter value [parameter value ...]
      sub({ name: 'set', arity: -4, flags: ADMIN, since: '2.0.0', summary: 'Set configuration parameters to the given values',
        syntax: 'parameter value [parameter value ...]',
        complexity: 'O(N) when N is the number of configuration parameters provided', handler: configSet }),
      // CONFIG RESETSTAT
      sub({ name: 'resetstat', arity: 2, flags: ADMIN, since: '2.0.0', summary: 'Reset the stats returned by INFO',
        syntax: '', complexity: 'O(1)', handler: resetStats }),
      // CONFIG REWRITE
      sub({ name: 'rewrite', arity: 2, flags: ADMIN, since: '2.8.0',
        summary: 'Rewrite the configuration file with the in memory configuration', syntax: '', complexity: 'O(1)',
        handler: () => {
          throw NO_CONFIG_FILE;
        } }),
      // CONFIG HELP
      sub({ name: 'help', arity: 2, flags: ['loading', 'stale'], since: '5.0.0',
        summary: 'Show helpful text about the different subcommands', syntax: '', complexity: 'O(1)',
        handler: (_c, argv) => helpReply(argv[0]!, HELP.config) }),
    ] }),
  commandCommand,
  debugCommand,
];
