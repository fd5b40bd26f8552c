/**
 * OBJECT (Redis's object.c objectCommand): introspection of a key's value.
 *
 * Entries carry no access clock (it would cost every key memory and every read a write), so
 * IDLETIME always answers 0 and FREQ 0; both still refuse under the maxmemory policy that Redis
 * would refuse them under. REFCOUNT reports Redis's shared integers (the strings "0".."9999" in
 * `int` encoding, shared unless an LRU/LFU policy with a maxmemory limit forbids it) as
 * INT_MAX, everything else as 1. (Redis's COPY of a shared integer makes a private one, with
 * refcount 1; we cannot tell such a copy apart and answer INT_MAX.)
 */
import type { Client } from '../engine/client.ts';
import { objectEncoding, type Entry } from '../keyspace/object.ts';
import { LFU_NOT_SELECTED, LFU_SELECTED } from '../reply/errors.ts';
import type { Reply } from '../reply/reply.ts';
import { helpReply } from './help.ts';
import { command, type CommandSpec } from './spec.ts';

/** Redis's OBJ_SHARED_REFCOUNT. */
const SHARED_REFCOUNT = 2147483647;

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

function policy(c: Client): string {
  return c.engine.config.value('maxmemory-policy') as string;
}

function isSharedInteger(c: Client, e: Entry): boolean {
  const v = e.value;
  if (typeof v !== 'string' || v.length > 4 || v.charCodeAt(0) === 45 /* '-' */) return false;
  if (objectEncoding(e) !== 'int') return false;
  const p = policy(c);
  return c.engine.config.num('maxmemory') === 0 || !(p.endsWith('-lru') || p.endsWith('-lfu'));
}

/** An OBJECT subcommand on argv[2]: nil when the key does not exist. */
function onKey(
  name: string,
  since: string,
  summary: string,
  reply: (c: Client, e: Entry) => Reply,
): CommandSpec {
  return command({
    name, arity: 3, flags: ['readonly'], keys: [2, 2, 1], group: 'generic', since,
    summary, syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => {
      const e = c.db.lookup(argv[2]!);
      return e === undefined ? null : reply(c, e);
    },
  });
}

// OBJECT <subcommand> [<arg> ...]
export const objectCommand: CommandSpec = command({
  name: 'object', arity: -2, group: 'generic', since: '2.2.3',
  summary: 'A container for object introspection commands', syntax: '', complexity: 'Depends on subcommand.',
  subcommands: [
    // OBJECT ENCODING key
    onKey('encoding', '2.2.3', 'Inspect the internal encoding of a Redis object', (_c, e) => objectEncoding(e)),
    // OBJECT FREQ key
    onKey('freq', '4.0.0', 'Get the logarithmic access frequency counter of a Redis object', (c) => {
      if (!policy(c).endsWith('-lfu')) throw LFU_NOT_SELECTED;
      return 0;
    }),
    // OBJECT HELP
    command({
      name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'generic', since: '6.2.0',
      summary: 'Show helpful text about the different subcommands', syntax: '', complexity: 'O(1)',
      handler: (_c, argv) => helpReply(argv[0]!, HELP),
    }),
    // OBJECT IDLETIME key
    onKey('idletime', '2.2.3', 'Get the time since a Redis object was last accessed', (c) => {
      if (policy(c).endsWith('-lfu')) throw LFU_SELECTED;
      return 0;
    }),
    // OBJECT REFCOUNT key
    onKey('refcount', '2.2.3', 'Get the number of references to the value of the key', (c, e) =>
      isSharedInteger(c, e) ? SHARED_REFCOUNT : 1),
  ],
});
