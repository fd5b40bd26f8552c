import type { CommandSpec } from './spec.ts';

export const serverCommands: CommandSpec[] = [];
