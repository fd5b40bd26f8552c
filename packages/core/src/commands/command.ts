/**
 * COMMAND and its subcommands (Redis 7.0's server.c commandCommand & co), all derived from the
 * command table: COUNT, LIST [FILTERBY ...], INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP.
 */
import type { Client } from '../engine/client.ts';
import type { CommandTable } from './table.ts';
import {
  GETKEYS_ARITY, GETKEYS_INVALID_ARGS, GETKEYS_INVALID_COMMAND, GETKEYS_NO_KEYS, ReplyError, SYNTAX,
} from '../reply/errors.ts';
import { globMatch } from '../keyspace/glob.ts';
import { MapReply, SetReply, Status, type Reply } from '../reply/reply.ts';
import { isOpt } from './args.ts';
import { aclCategories, commandDocs, commandInfo, keyFlags } from './command-info.ts';
import { HELP, helpReply } from './help.ts';
import { command, type CommandSpec } from './spec.ts';

/** `name` or `container|sub`, case-insensitive, to [spec, full name]. */
function byFullName(table: CommandTable, name: string): [CommandSpec, string] | undefined {
  const bar = name.indexOf('|');
  const top = table.get(bar < 0 ? name : name.slice(0, bar));
  if (!top) return undefined;
  if (bar < 0) return [top, top.name];
  const sub = top.subcommands?.find((s) => s.name === name.slice(bar + 1).toLowerCase());
  return sub ? [sub, `${top.name}|${sub.name}`] : undefined;
}

/** Every entry with its full name, containers followed by their subcommands. */
function* everyCommand(table: CommandTable): Generator<[CommandSpec, string]> {
  for (const spec of table.all) {
    yield [spec, spec.name];
    for (const s of spec.subcommands ?? []) yield [s, `${spec.name}|${s.name}`];
  }
}

function list(c: Client, argv: string[]): Reply {
  let filter: (spec: CommandSpec, fullName: string) => boolean = () => true;
  for (let i = 2; i < argv.length; i++) {
    if (!(isOpt(argv[i]!, 'filterby') && argv.length - 1 - i === 2)) throw SYNTAX;
    const type = argv[i + 1]!.toLowerCase();
    const arg = argv[i + 2]!;
    if (type === 'module') filter = () => false;
    else if (type === 'aclcat') filter = (s, n) => aclCategories(s, n).includes(`@${arg.toLowerCase()}`);
    else if (type === 'pattern') filter = (_s, n) => globMatch(arg, n, true);
    else throw SYNTAX;
    i += 2;
  }
  const out: Reply[] = [];
  for (const [spec, name] of everyCommand(c.engine.table)) if (filter(spec, name)) out.push(name);
  return out;
}

/** The key positions of a call of `spec` (argv[0] is the command name), or an error. */
export function keyPositions(spec: CommandSpec, argv: readonly string[]): number[] {
  if (spec.getKeys) {
    let keys: number[];
    try {
      keys = spec.getKeys(argv);
    } catch (e) {
      if (e instanceof ReplyError) throw GETKEYS_INVALID_ARGS;
      throw e;
    }
    if (keys.some((i) => !Number.isInteger(i) || i < 1 || i >= argv.length)) throw GETKEYS_INVALID_ARGS;
    return keys;
  }
  const [first, last, step] = spec.keys;
  if (first === 0) return [];
  const end = last < 0 ? argv.length + last : last;
  const out: number[] = [];
  for (let i = first; i <= end && i < argv.length; i += step) out.push(i);
  return out;
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS: the keys of `argv[2..]` as a call would see them. */
function getKeys(c: Client, argv: string[], withFlags: boolean): Reply {
  const call = argv.slice(2);
  let spec = c.engine.table.get(call[0]!);
  if (spec?.subcommands && call.length >= 2) spec = spec.subcommands.find((s) => s.name === call[1]!.toLowerCase());
  if (!spec) throw GETKEYS_INVALID_COMMAND;
  if (spec.keys[0] === 0 && !spec.getKeys) throw GETKEYS_NO_KEYS;
  if ((spec.arity > 0 && spec.arity !== call.length) || call.length < -spec.arity) throw GETKEYS_ARITY;
  const keys = keyPositions(spec, call);
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) throw GETKEYS_INVALID_ARGS;
  if (!withFlags) return keys.map((i) => call[i]!);
  const flags = new SetReply(keyFlags(spec).map((f) => new Status(f)));
  return keys.map((i) => [call[i]!, flags]);
}

const sub = (spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec => command({ group: 'server', ...spec });
const FLAGS = ['loading', 'stale'] as const;

// COMMAND [<subcommand> [<arg> ...]]
export const commandCommand: CommandSpec = sub({
  name: 'command', arity: -1, flags: FLAGS, since: '2.8.13', summary: 'Get array of Redis command details',
  syntax: '', complexity: 'O(N) where N is the total number of Redis commands',
  handler: (c) => c.engine.table.all.map((s) => commandInfo(s, s.name)),
  subcommands: [
    // COMMAND COUNT
    sub({ name: 'count', arity: 2, flags: FLAGS, since: '2.8.13', summary: 'Get total number of Redis commands',
      syntax: '', complexity: 'O(1)', handler: (c) => c.engine.table.all.length }),
    // COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
    sub({ name: 'list', arity: -2, flags: FLAGS, since: '7.0.0', summary: 'Get an array of Redis command names',
      syntax: '[FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]',
      complexity: 'O(N) where N is the total number of Redis commands', handler: list }),
    // COMMAND INFO [command-name [command-name ...]]
    sub({ name: 'info', arity: -2, flags: FLAGS, since: '2.8.13',
      summary: 'Get array of specific Redis command details, or all when no argument is given.',
      syntax: '[command-name [command-name ...]]', complexity: 'O(N) where N is the number of commands to look up',
      handler: (c, argv) => {
        if (argv.length === 2) return c.engine.table.all.map((s) => commandInfo(s, s.name));
        return argv.slice(2).map((n) => {
          const found = byFullName(c.engine.table, n);
          return found ? commandInfo(...found) : null;
        });
      } }),
    // COMMAND DOCS [command-name [command-name ...]]
    sub({ name: 'docs', arity: -2, flags: FLAGS, since: '7.0.0', summary: 'Get array of specific Redis command documentation',
      syntax: '[command-name [command-name ...]]', complexity: 'O(N) where N is the number of commands to look up',
      handler: (c, argv) => {
        const found = argv.length === 2
          ? c.engine.table.all.map((s): [CommandSpec, string] => [s, s.name])
          : argv.slice(2).map((n) => byFullName(c.engine.table, n)).filter((x) => x !== undefined);
        const items: Reply[] = [];
        for (const [spec, name] of found) items.push(name, commandDocs(spec, name));
        return new MapReply(items);
      } }),
    // COMMAND GETKEYS command [arg [arg ...]]
    sub({ name: 'getkeys', arity: -4, flags: FLAGS, since: '2.8.13', summary: 'Extract keys given a full Redis command',
      syntax: 'command [arg [arg ...]]', complexity: 'O(N) where N is the number of arguments to the command',
      handler: (c, argv) => getKeys(c, argv, false) }),
    // COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
    sub({ name: 'getkeysandflags', arity: -4, flags: FLAGS, since: '7.0.0',
      summary: 'Extract keys and access flags given a full Redis command', syntax: 'command [arg [arg ...]]',
      complexity: 'O(N) where N is the number of arguments to the command', handler: (c, argv) => getKeys(c, argv, true) }),
    // COMMAND HELP
    sub({ name: 'help', arity: 2, flags: FLAGS, since: '5.0.0', summary: 'Show helpful text about the different subcommands',
      syntax: '', complexity: 'O(1)', handler: (_c, argv) => helpReply(argv[0]!, HELP.command) }),
  ],
});
