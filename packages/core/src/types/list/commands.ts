import type { CommandSpec } from '../../commands/spec.ts';

export const listCommands: CommandSpec[] = [];
