/**
 * Pub/sub and keyspace notifications with three clients: 0 subscribes in RESP2, 1 in RESP3 (its
 * first step is HELLO 3, so messages are pushes mixed with its own replies), 2 publishes and
 * writes keys. After every step each client's received messages are compared (session.ts reads
 * them through a PING barrier). CONFIG SET notify-keyspace-events turns notifications on and off.
 */
import fc from 'fast-check';
import { cmd, opt, pick, some, type Argv, type Step } from './dsl.ts';
import { element, key, keys, ttlSeconds, value } from './values.ts';
import type { Family } from '../harness.ts';

export const PUBSUB_COMMANDS = ['SUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'PUBLISH', 'PUBSUB'] as const;

const channel = fc.constantFrom('ch1', 'ch2', 'news.a', 'news.b', '\x00bin\xff', '__keyspace@0__:k1', '__keyevent@0__:set');
const pattern = fc.constantFrom('ch*', 'news.*', '*', '__key*__:*', '__keyevent@0__:*', '__keyspace@*__:k?', 'h?llo', '[cn]*', 'ch[');
const events = pick<string>(
  [6, fc.constantFrom('KEA', 'AK', 'AE', 'Kg$', 'El', 'Kx', 'KEg', 'E$lshz', '')],
  [1, fc.constantFrom('Q', 'KEAQ', 'n', 'Km')],
);

const subscriberCommand = pick<Argv>(
  [5, cmd('SUBSCRIBE', some(channel, 1, 3))],
  [4, cmd('PSUBSCRIBE', some(pattern, 1, 3))],
  [3, cmd('UNSUBSCRIBE', some(channel, 0, 2))],
  [3, cmd('PUNSUBSCRIBE', some(pattern, 0, 2))],
  [2, cmd('PING', opt(value))],
  [1, cmd('GET', key)],
  [1, cmd('PUBLISH', channel, value)],
  [1, cmd('SET', key, value)],
  [1, cmd('RESET')],
);

const publisherCommand = pick<Argv>(
  [6, cmd('PUBLISH', channel, value)],
  [2, cmd('PUBSUB', 'CHANNELS', opt(pattern))],
  [2, cmd('PUBSUB', 'NUMSUB', some(channel, 0, 3))],
  [1, cmd('PUBSUB', 'NUMPAT')],
  [1, cmd('PUBSUB', fc.constantFrom('FOO', 'numsub'))],
  [2, cmd('CONFIG', 'SET', 'notify-keyspace-events', events)],
  [3, cmd('SET', key, value)],
  [2, cmd('DEL', keys(1, 2))],
  [2, cmd('LPUSH', key, element)],
  [1, cmd('RPOP', key)],
  [1, cmd('EXPIRE', key, ttlSeconds)],
  [1, cmd('PEXPIREAT', key, '1')],
  [1, cmd('SADD', key, element)],
  [1, cmd('HSET', key, element, value)],
  [1, cmd('ZADD', key, '1', element)],
  [1, cmd('INCR', key)],
  [1, cmd('RENAME', key, key)],
  [1, cmd('APPEND', key, value)],
);

const step: fc.Arbitrary<Step> = pick<Step>(
  [3, subscriberCommand.map((argv) => ({ client: 0, argv }))],
  [3, subscriberCommand.map((argv) => ({ client: 1, argv }))],
  [5, publisherCommand.map((argv) => ({ client: 2, argv }))],
);

export const pubsub: Family = {
  name: 'pubsub',
  covers: PUBSUB_COMMANDS,
  clients: 3,
  runs: 100,
  session: { pubsub: true },
  run: { messages: true },
  steps: () => fc.array(step, { minLength: 1, maxLength: 35, size: 'max' }).map((xs): Step[] => [{ client: 1, argv: ['HELLO', '3'] }, ...xs]),
};
