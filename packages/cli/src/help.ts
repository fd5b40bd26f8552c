/**
 * The shell's `help`, `help <command>` and `help @<group>`, printed as redis-cli 7.0 prints them
 * (cliOutputHelp), from the command table's summary, syntax, since and group.
 */
import { commandTable, type CommandSpec } from '@larder/core';

const BOLD = '\x1b[1m';
const GREY = '\x1b[90m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

export const GENERAL_HELP = `larder (redis-cli compatible shell)
To get help about Redis commands type:
      "help @<group>" to get a list of commands in <group>
      "help <command>" for help on <command>
      "quit" to exit
`;

function entry(fullName: string, spec: CommandSpec, withGroup: boolean): string {
  let out = `  ${BOLD}${fullName}${RESET} ${GREY}${spec.syntax}${RESET}\r\n`;
  out += `  ${YELLOW}summary:${RESET} ${spec.summary}\r\n`;
  out += `  ${YELLOW}since:${RESET} ${spec.since}\r\n`;
  if (withGroup) out += `  ${YELLOW}group:${RESET} ${spec.group}\r\n`;
  return out;
}

/** Every command and subcommand with its display name (`CONFIG GET`). */
function* allCommands(): Generator<[string, CommandSpec]> {
  for (const spec of commandTable.all) {
    if (spec.subcommands && spec.subcommands.length > 0) {
      for (const sub of spec.subcommands) yield [`${spec.name} ${sub.name}`.toUpperCase(), sub];
    } else {
      yield [spec.name.toUpperCase(), spec];
    }
  }
}

/** What `help <args...>` prints; empty when nothing matches, as in redis-cli. */
export function helpText(args: readonly string[]): string {
  if (args.length === 0) return GENERAL_HELP;
  const first = args[0]!;
  if (first.startsWith('@')) {
    const group = first.slice(1).toLowerCase();
    let out = '';
    for (const [name, spec] of allCommands()) {
      if (spec.group === group) out += `${entry(name, spec, false)}\r\n`;
    }
    return out === '' ? '' : `\r\n${out}`;
  }
  const wanted = args.join(' ').toUpperCase();
  for (const [name, spec] of allCommands()) {
    if (name === wanted) return `\r\n${entry(name, spec, true)}\r\n`;
  }
  return '';
}
