import { command, type CommandSpec } from '../../commands/spec.ts';
import { OK } from '../../reply/reply.ts';

export const stringCommands: CommandSpec[] = [
  // GET key
  command({
    name: 'get', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Returns the string value of a key.', syntax: 'key',
    handler: (c, argv) => c.db.read(argv[1]!, 'string') ?? null,
  }),
  // SET key value (options to come)
  command({
    name: 'set', arity: -3, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Sets the string value of a key, ignoring its type.', syntax: 'key value',
    handler: (c, argv) => {
      c.db.set(argv[1]!, argv[2]!);
      c.changed(argv[1]!, 'set', '$');
      return OK;
    },
  }),
];
