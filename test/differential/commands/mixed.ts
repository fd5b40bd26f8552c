/**
 * Every single-client family at once over the same six keys: the family that writes a key is
 * rarely the one that reads it next, so WRONGTYPE, type-overwriting SET, COPY/RENAME of every
 * type and OBJECT ENCODING after mixed histories all come up. `resp3` runs the same after
 * HELLO 3, so every command's RESP3 reply shape (maps, sets, doubles, nulls) is compared too.
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
import { single, type Family } from '../harness.ts';

export function anyCommand(): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, stringCommand()], [1, bitmapCommand()], [3, listCommand()], [3, hashCommand()],
    [3, setCommand()], [3, zsetCommand()], [3, genericCommand()],
  );
}

export const mixed: Family = {
  name: 'mixed',
  covers: [],
  runs: 100,
  steps: () => single(anyCommand(), 1, 50),
};

export const resp3: Family = {
  name: 'resp3',
  covers: [],
  runs: 100,
  steps: () => single(anyCommand(), 1, 50).map((xs): Step[] => [{ client: 0, argv: ['HELLO', '3'] }, ...xs]),
};
