import type { CommandSpec } from '../../commands/spec.ts';

export const setCommands: CommandSpec[] = [];
