import type { CommandSpec } from './spec.ts';

export const connectionCommands: CommandSpec[] = [];
