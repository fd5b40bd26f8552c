/**
 * The command table: every command Larder knows, assembled from the per-type modules. Lookup is
 * case-insensitive; the map also holds each name in upper case so the common spellings skip
 * lowercasing.
 */
import type { CommandSpec } from './spec.ts';
import { genericCommands } from './generic.ts';
import { serverCommands } from './server.ts';
import { connectionCommands } from './connection.ts';
import { transactionCommands } from './multi.ts';
import { pubsubCommands } from './pubsub.ts';
import { persistenceCommands } from './persistence-commands.ts';
import { dumpCommands } from './dump-commands.ts';
import { stringCommands } from '../types/string/commands.ts';
import { bitmapCommands } from '../types/string/bitmap-commands.ts';
import { listCommands } from '../types/list/commands.ts';
import { hashCommands } from '../types/hash/commands.ts';
import { setCommands } from '../types/set/commands.ts';
import { zsetCommands } from '../types/zset/commands.ts';

export interface CommandTable {
  get(name: string): CommandSpec | undefined;
  readonly all: readonly CommandSpec[];
}

export function buildTable(specs: readonly CommandSpec[]): CommandTable {
  const byName = new Map<string, CommandSpec>();
  for (const s of specs) {
    if (byName.has(s.name)) throw new Error(`command '${s.name}' is in the table twice`);
    byName.set(s.name, s);
    byName.set(s.name.toUpperCase(), s);
  }
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    get: (name) => byName.get(name) ?? byName.get(name.toLowerCase()),
    all: sorted,
  };
}

export const commandTable: CommandTable = buildTable([
  ...genericCommands,
  ...serverCommands,
  ...connectionCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...persistenceCommands,
  ...dumpCommands,
  ...stringCommands,
  ...bitmapCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
]);
