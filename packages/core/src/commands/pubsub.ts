import type { CommandSpec } from './spec.ts';

export const pubsubCommands: CommandSpec[] = [];
