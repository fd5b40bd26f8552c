/**
 * Pub/sub commands (Redis 7.0's pubsub.c). (UN)SUBSCRIBE and friends answer one confirmation per
 * channel, as pushes: RESP3 clients see `>` frames, RESP2 clients plain arrays. The count in each
 * confirmation is the client's channels + patterns, or its shard channels for the S* commands.
 * PUBLISH is not a write: nothing is propagated to the AOF, as in Redis.
 */
import type { Client } from '../engine/client.ts';
import type { PubSub, Subscriptions } from '../engine/pubsub.ts';
import { globMatch } from '../keyspace/glob.ts';
import { subcommandSyntax } from '../reply/errors.ts';
import { Push, Replies, type Reply } from '../reply/reply.ts';
import { HELP, helpReply } from './help.ts';
import { command, type CommandFlag, type CommandSpec } from './spec.ts';

type Kind = 'subscribe' | 'psubscribe' | 'ssubscribe';

interface KindOps {
  add: (ps: PubSub, c: Client, name: string) => boolean;
  remove: (ps: PubSub, c: Client, name: string) => boolean;
  mine: (c: Client) => Set<string>;
  count: (ps: PubSub, c: Client) => number;
}

const OPS: Record<Kind, KindOps> = {
  subscribe: {
    add: (ps, c, n) => ps.subscribe(c, n), remove: (ps, c, n) => ps.unsubscribe(c, n),
    mine: (c) => c.channels, count: (ps, c) => ps.count(c),
  },
  psubscribe: {
    add: (ps, c, n) => ps.psubscribe(c, n), remove: (ps, c, n) => ps.punsubscribe(c, n),
    mine: (c) => c.patterns, count: (ps, c) => ps.count(c),
  },
  ssubscribe: {
    add: (ps, c, n) => ps.ssubscribe(c, n), remove: (ps, c, n) => ps.sunsubscribe(c, n),
    mine: (c) => c.shardChannels, count: (ps, c) => ps.shardCount(c),
  },
};

function subscribe(kind: Kind, c: Client, argv: string[]): Reply {
  const ops = OPS[kind];
  const ps = c.engine.pubsub;
  const out: Reply[] = [];
  for (let i = 1; i < argv.length; i++) {
    ops.add(ps, c, argv[i]!);
    out.push(new Push([kind, argv[i]!, ops.count(ps, c)]));
  }
  return new Replies(out);
}

/** Without names: every subscription of that kind, or one confirmation with a nil name when none. */
function unsubscribe(kind: Kind, c: Client, argv: string[]): Reply {
  const ops = OPS[kind];
  const ps = c.engine.pubsub;
  const verb = `${kind.slice(0, -9)}unsubscribe`;
  const names = argv.length > 1 ? argv.slice(1) : [...ops.mine(c)];
  if (names.length === 0) return new Replies([new Push([verb, null, ops.count(ps, c)])]);
  const out: Reply[] = [];
  for (const name of names) {
    ops.remove(ps, c, name);
    out.push(new Push([verb, name, ops.count(ps, c)]));
  }
  return new Replies(out);
}

/** Active channels (with at least one subscriber) matching an optional pattern. */
function channels(subs: Subscriptions, argv: string[]): Reply {
  if (argv.length > 3) throw subcommandSyntax(argv[0]!, argv[1]!);
  const pattern = argv[2];
  const out: Reply[] = [];
  for (const name of subs.keys()) if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  return out;
}

function numsub(subs: Subscriptions, argv: string[]): Reply {
  const out: Reply[] = [];
  for (let i = 2; i < argv.length; i++) out.push(argv[i]!, subs.get(argv[i]!)?.size ?? 0);
  return out;
}

const SUBSCRIBE_FLAGS: CommandFlag[] = ['pubsub', 'noscript', 'loading', 'stale'];
const PUBSUB_FLAGS: CommandFlag[] = ['pubsub', 'loading', 'stale'];
const sub = (spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec => command({ group: 'pubsub', ...spec });

export const pubsubCommands: CommandSpec[] = [
  // SUBSCRIBE channel [channel ...]
  sub({ name: 'subscribe', arity: -2, flags: SUBSCRIBE_FLAGS, since: '2.0.0',
    summary: 'Listen for messages published to the given channels', syntax: 'channel [channel ...]',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    handler: (c, argv) => subscribe('subscribe', c, argv) }),
  // UNSUBSCRIBE [channel [channel ...]]
  sub({ name: 'unsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, since: '2.0.0',
    summary: 'Stop listening for messages posted to the given channels', syntax: '[channel [channel ...]]',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    handler: (c, argv) => unsubscribe('subscribe', c, argv) }),
  // PSUBSCRIBE pattern [pattern ...]
  sub({ name: 'psubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, since: '2.0.0',
    summary: 'Listen for messages published to channels matching the given patterns', syntax: 'pattern [pattern ...]',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    handler: (c, argv) => subscribe('psubscribe', c, argv) }),
  // PUNSUBSCRIBE [pattern [pattern ...]]
  sub({ name: 'punsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, since: '2.0.0',
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    syntax: '[pattern [pattern ...]]',
    complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    handler: (c, argv) => unsubscribe('psubscribe', c, argv) }),
  // SSUBSCRIBE shardchannel [shardchannel ...]
  sub({ name: 'ssubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, keys: [1, -1, 1], since: '7.0.0',
    summary: 'Listen for messages published to the given shard channels', syntax: 'shardchannel [shardchannel ...]',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    handler: (c, argv) => subscribe('ssubscribe', c, argv) }),
  // SUNSUBSCRIBE [shardchannel [shardchannel ...]]
  sub({ name: 'sunsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, keys: [1, -1, 1], since: '7.0.0',
    summary: 'Stop listening for messages posted to the given shard channels',
    syntax: '[shardchannel [shardchannel ...]]',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    handler: (c, argv) => unsubscribe('ssubscribe', c, argv) }),
  // PUBLISH channel message
  sub({ name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], since: '2.0.0',
    summary: 'Post a message to a channel', syntax: 'channel message',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    handler: (c, argv) => c.engine.pubsub.publish(argv[1]!, argv[2]!) }),
  // SPUBLISH shardchannel message
  sub({ name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], keys: [1, 1, 1], since: '7.0.0',
    summary: 'Post a message to a shard channel', syntax: 'shardchannel message',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    handler: (c, argv) => c.engine.pubsub.spublish(argv[1]!, argv[2]!) }),
  // PUBSUB <subcommand> [<arg> [value] [opt] ...]
  sub({ name: 'pubsub', arity: -2, since: '2.8.0', summary: 'A container for Pub/Sub commands', syntax: '',
    complexity: 'Depends on subcommand.',
    subcommands: [
      // PUBSUB CHANNELS [pattern]
      sub({ name: 'channels', arity: -2, flags: PUBSUB_FLAGS, since: '2.8.0', summary: 'List active channels',
        syntax: '[pattern]',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        handler: (c, argv) => channels(c.engine.pubsub.channels, argv) }),
      // PUBSUB NUMSUB [channel [channel ...]]
      sub({ name: 'numsub', arity: -2, flags: PUBSUB_FLAGS, since: '2.8.0', summary: 'Get the count of subscribers for channels',
        syntax: '[channel [channel ...]]',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        handler: (c, argv) => numsub(c.engine.pubsub.channels, argv) }),
      // PUBSUB NUMPAT
      sub({ name: 'numpat', arity: 2, flags: PUBSUB_FLAGS, since: '2.8.0',
        summary: 'Get the count of unique patterns pattern subscriptions', syntax: '', complexity: 'O(1)',
        handler: (c) => c.engine.pubsub.patterns.size }),
      // PUBSUB SHARDCHANNELS [pattern]
      sub({ name: 'shardchannels', arity: -2, flags: PUBSUB_FLAGS, since: '7.0.0', summary: 'List active shard channels',
        syntax: '[pattern]',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        handler: (c, argv) => channels(c.engine.pubsub.shardChannels, argv) }),
      // PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
      sub({ name: 'shardnumsub', arity: -2, flags: PUBSUB_FLAGS, since: '7.0.0',
        summary: 'Get the count of subscribers for shard channels', syntax: '[shardchannel [shardchannel ...]]',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        handler: (c, argv) => numsub(c.engine.pubsub.shardChannels, argv) }),
      // PUBSUB HELP
      sub({ name: 'help', arity: 2, flags: ['loading', 'stale'], since: '6.2.0',
        summary: 'Show helpful text about the different subcommands', syntax: '', complexity: 'O(1)',
        handler: (_c, argv) => helpReply(argv[0]!, HELP.pubsub) }),
    ] }),
];
