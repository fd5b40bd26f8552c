/**
 * Keyspace notifications for every command: client 1 subscribes to every keyspace and keyevent
 * channel, client 0 turns notifications on (KEA, sometimes with n for new keys) and then runs the
 * mixed generators; after each step client 1's messages are compared, so each command's event
 * names, classes, keys and order are checked against Redis's notifyKeyspaceEvent calls.
 * Not `m` (key miss): the suite's own reads (random and scan checks) would add misses on one side.
 */
import fc from 'fast-check';
import { pick, type Argv, type Step } from './dsl.ts';
import { stringCommand } from './strings.ts';
import { bitmapCommand } from './bitmaps.ts';
import { listCommand } from './lists.ts';
import { hashCommand } from './hashes.ts';
import { setCommand } from './sets.ts';
import { zsetCommand } from './zsets.ts';
import { genericCommand } from './generic.ts';
import type { Family } from '../harness.ts';

const command = pick<Argv>(
  [3, stringCommand()], [1, bitmapCommand()], [3, listCommand()], [3, hashCommand()],
  [3, setCommand()], [3, zsetCommand()], [3, genericCommand()],
);

export const notifications: Family = {
  name: 'notifications',
  covers: [],
  clients: 2,
  runs: 100,
  run: { messages: true },
  steps: () =>
    fc
      .tuple(fc.constantFrom('KEA', 'KEA', 'KEA', 'KEAn'), fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }))
      .map(([flags, cmds]): Step[] => [
        { client: 1, argv: ['PSUBSCRIBE', '__key*__:*'] },
        { client: 0, argv: ['CONFIG', 'SET', 'notify-keyspace-events', flags] },
        ...cmds.map((argv) => ({ client: 0, argv })),
      ]),
};
