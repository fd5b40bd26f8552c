/**
 * COMMAND INFO / COMMAND DOCS replies, derived from the table (Redis 7.0's addReplyCommandInfo
 * and addReplyCommandDocs):
 * - flags in Redis's print order, without the ones Redis hides (may_replicate, protected,
 *   sentinel, only_sentinel), plus `movablekeys` for entries with `getKeys`;
 * - ACL categories as Redis's setImplicitACLCategories computes them from the flags, plus the
 *   category of the command's group, plus the few extra categories Redis's command JSON names
 *   (ACL_EXTRA below); containers get no group category;
 * - key specs from [first, last, step] (an index begin-search and a range find-keys), and an
 *   `unknown` one for movable keys. Their flags (RO/RW + access/update) follow the command flags,
 *   so they are coarser than Redis's hand-written specs. Tips are not kept in the table: empty.
 */
import { MapReply, SetReply, Status, type Reply } from '../reply/reply.ts';
import { argumentsReply } from './command-docs.ts';
import type { CommandFlag, CommandGroup, CommandSpec } from './spec.ts';

const FLAG_ORDER: readonly CommandFlag[] = [
  'write', 'readonly', 'denyoom', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy',
];

const ACL_ORDER = [
  '@keyspace', '@read', '@write', '@set', '@sortedset', '@list', '@hash', '@string', '@bitmap',
  '@hyperloglog', '@geo', '@stream', '@pubsub', '@admin', '@fast', '@slow', '@blocking', '@dangerous',
  '@connection', '@transaction', '@scripting',
];

const GROUP_CATEGORY: Partial<Record<CommandGroup, string>> = {
  generic: '@keyspace', string: '@string', bitmap: '@bitmap', list: '@list', hash: '@hash', set: '@set',
  'sorted-set': '@sortedset', pubsub: '@pubsub', transactions: '@transaction', connection: '@connection',
};

const COMMAND_FAMILY = ['command', 'command|count', 'command|docs', 'command|getkeys', 'command|getkeysandflags',
  'command|help', 'command|info', 'command|list'];

/** Categories Redis 7.0's command JSON files add (+) to or remove (-) from the derived ones. */
const ACL_EXTRA: Record<string, readonly string[]> = {
  ...Object.fromEntries(COMMAND_FAMILY.map((n) => [n, ['+@connection']])),
  dbsize: ['+@keyspace'],
  flushall: ['+@keyspace', '+@dangerous'],
  flushdb: ['+@keyspace', '+@dangerous'],
  swapdb: ['+@keyspace', '+@dangerous'],
  'restore-asking': ['+@keyspace', '+@dangerous'],
  info: ['+@dangerous'],
  keys: ['+@dangerous'],
  migrate: ['+@dangerous'],
  restore: ['+@dangerous'],
  lastsave: ['+@admin', '+@dangerous'],
  role: ['+@admin', '+@dangerous'],
  sort: ['+@set', '+@sortedset', '+@list', '+@dangerous', '-@keyspace'],
  sort_ro: ['+@set', '+@sortedset', '+@list', '+@dangerous', '-@keyspace'],
  wait: ['+@connection', '-@keyspace'],
  'pubsub|help': ['-@pubsub'],
};

/** The flags COMMAND INFO prints for `spec`. */
export function infoFlags(spec: CommandSpec): CommandFlag[] {
  const has = new Set<CommandFlag>(spec.flags);
  if (spec.getKeys) has.add('movablekeys');
  return FLAG_ORDER.filter((f) => has.has(f));
}

/** The ACL categories of `spec` (with its full name, `config|get` for a subcommand). */
export function aclCategories(spec: CommandSpec, fullName: string): string[] {
  const f = new Set(spec.flags);
  const cats = new Set<string>();
  if (f.has('write')) cats.add('@write');
  if (f.has('readonly')) cats.add('@read');
  if (f.has('admin')) cats.add('@admin').add('@dangerous');
  if (f.has('pubsub')) cats.add('@pubsub');
  if (f.has('fast')) cats.add('@fast');
  if (f.has('blocking')) cats.add('@blocking');
  if (!f.has('fast')) cats.add('@slow');
  const groupCat = GROUP_CATEGORY[spec.group];
  if (groupCat && !spec.subcommands) cats.add(groupCat);
  for (const x of ACL_EXTRA[fullName] ?? []) {
    if (x[0] === '+') cats.add(x.slice(1));
    else cats.delete(x.slice(1));
  }
  return ACL_ORDER.filter((c) => cats.has(c));
}

/** Key-spec flags for every key of `spec` (coarse: from the command flags). */
export function keyFlags(spec: CommandSpec): string[] {
  if (spec.flags.includes('pubsub')) return ['not_key'];
  if (spec.flags.includes('write')) return ['RW', 'update'];
  if (spec.flags.includes('readonly')) return ['RO', 'access'];
  return ['RO'];
}

const statuses = (names: readonly string[]): SetReply => new SetReply(names.map((n) => new Status(n)));

function keySpecs(spec: CommandSpec): Reply[] {
  const flags = statuses(keyFlags(spec));
  const out: Reply[] = [];
  const [first, last, step] = spec.keys;
  if (first > 0) {
    out.push(new MapReply([
      'flags', flags,
      'begin_search', new MapReply(['type', 'index', 'spec', new MapReply(['index', first])]),
      'find_keys', new MapReply(['type', 'range', 'spec',
        new MapReply(['lastkey', last < 0 ? last : last - first, 'keystep', step, 'limit', 0])]),
    ]));
  }
  if (spec.getKeys) {
    out.push(new MapReply([
      'flags', statuses([...keyFlags(spec), 'incomplete']),
      'begin_search', new MapReply(['type', 'unknown', 'spec', new MapReply([])]),
      'find_keys', new MapReply(['type', 'unknown', 'spec', new MapReply([])]),
    ]));
  }
  return out;
}

/** One COMMAND INFO entry: name, arity, flags, first, last, step, ACL categories, tips, key specs, subcommands. */
export function commandInfo(spec: CommandSpec, fullName: string): Reply {
  const subs = spec.subcommands;
  return [
    fullName,
    spec.arity,
    statuses(infoFlags(spec)),
    spec.keys[0],
    spec.keys[1],
    spec.keys[2],
    statuses(aclCategories(spec, fullName)),
    new SetReply([]),
    new SetReply(keySpecs(spec)),
    subs && subs.length > 0 ? subs.map((s) => commandInfo(s, `${fullName}|${s.name}`)) : new SetReply([]),
  ];
}

/** One COMMAND DOCS value: summary, since, group, complexity, arguments, subcommands. */
export function commandDocs(spec: CommandSpec, fullName: string): Reply {
  const items: Reply[] = ['summary', spec.summary, 'since', spec.since, 'group', spec.group];
  if (spec.complexity !== undefined) items.push('complexity', spec.complexity);
  if (spec.syntax !== '') items.push('arguments', argumentsReply(spec.syntax));
  const subs = spec.subcommands;
  if (subs && subs.length > 0) {
    const map: Reply[] = [];
    for (const s of subs) map.push(`${fullName}|${s.name}`, commandDocs(s, `${fullName}|${s.name}`));
    items.push('subcommands', new MapReply(map));
  }
  return new MapReply(items);
}
