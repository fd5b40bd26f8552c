import type { CommandSpec } from './spec.ts';

export const transactionCommands: CommandSpec[] = [];
