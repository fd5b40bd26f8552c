import type { CommandSpec } from '../../commands/spec.ts';

export const bitmapCommands: CommandSpec[] = [];
