import type { CommandSpec } from './spec.ts';

export const genericCommands: CommandSpec[] = [];
