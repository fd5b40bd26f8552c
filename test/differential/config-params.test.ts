/**
 * CONFIG SET and GET of the parameters added for redis.conf files written for redis-server: the
 * ones `larder serve` keeps without acting on them (cli/src/server-params.ts) and the process ones
 * it acts on (pidfile, set-proc-title, proc-title-template, with logfile and
 * daemonize). Each value, valid or not, goes to Larder's engine and to redis-server 7.0, and the
 * transcripts must be equal: the reply to the SET (error text included), then what GET reads
 * back. A bad pair fails a multi-pair SET whole, immutable parameters are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_PARAMS } from '../../packages/cli/src/server-params.ts';
import { createEngine } from '../support/larder.ts';
import { larderFrames, normKey, type Norm } from '../support/norm.ts';
import { startRedis, type RedisServer } from '../support/redis-server.ts';
import { RespClient } from '../support/resp-client.ts';

const BOOL = ['no', 'YES', 'maybe', '', '1'];

/** Values to set in turn, then the default again. */
const VALUES: Array<[name: string, values: string[], fallback: string]> = [
  ['replica-serve-stale-data', BOOL, 'yes'],
  ['slave-read-only', BOOL, 'yes'],
  ['replica-lazy-flush', BOOL, 'no'],
  ['repl-diskless-sync', BOOL, 'yes'],
  ['repl-disable-tcp-nodelay', BOOL, 'no'],
  ['jemalloc-bg-thread', BOOL, 'yes'],
  ['replica-priority', ['0', '7', '-1', '2147483647', '2147483648', 'abc', '1k', '', ' 5', '+5', '007'], '100'],
  ['slave-priority', ['8', '-8'], '100'],
  ['repl-diskless-sync-delay', ['0', '-1', '2147483648', 'x'], '5'],
  ['repl-diskless-sync-max-replicas', ['3', '-1'], '0'],
  ['repl-diskless-load', ['swapdb', 'ON-EMPTY-DB', 'x', ''], 'disabled'],
  ['acllog-max-len', ['0', '1000', '-1', '9223372036854775808', 'x', '1.5'], '128'],
  ['stream-node-max-entries', ['0', '5', '-1', '1k', '9223372036854775808'], '100'],
  ['hll-sparse-max-bytes', ['0', '1kb', '1mb', '-1', '1.5k', '+1', '9223372036854775808', '99999999999999999999', ''], '3000'],
  ['stream-node-max-bytes', ['4kb', '0', 'x', '2gb'], '4096'],
  ['oom-score-adj-values', ['1 2 3', '-2000 +5 2000', '0 5000 0', '1 2', '1 2 3 4', '1 2 x', '1 2 ', '1  2 3', '', '99999999999999999999 0 0', '1 2 0x10'], '0 200 800'],
  ['oom-score-adj', ['relative', 'absolute', 'YES', 'maybe', ''], 'no'],
  // The normal class keeps large limits: this connection is a normal client of the oracle.
  ['client-output-buffer-limit', [
    'pubsub 1 2 3', 'replica 1kb 2MB 3 normal 1gb 2gb 4', 'master 1 1 1', 'foo 1 1 1', 'normal 1 1', '',
    'normal -1 1 1', 'normal 1 1 -1', 'normal 1 1 x', 'normal 1x 1 1', 'NORMAL 5gb 5gb 4294967297',
    'normal 5gb 5gb 2147483648', 'normal 5gb 5gb 99999999999999999999', 'normal 99999999999999999999 5gb +1',
    'normal 9999999999999999gb 5gb 1', 'pubsub 1 1 1 foo 2 2 2', 'slave 1 2 3 slave 4 5 6', 'pubsub 1 2 ',
    'pubsub  1 1', 'normal 1gb 1gb 1 normal 2gb 2gb 2',
  ], 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
  ['proc-title-template', [
    '{port}', 'a {{b} }c', '{foo}', '{title}', '', '{server-mode} {unixsocket}', 'x {', 'x {port', '{Port}',
    '{tls-port} {config-file} {unixsocket} {listen-addr} {title}', ' {config-file} ',
  ], '{title} {listen-addr} {server-mode}'],
];

/** Set only at start-up: CONFIG SET is refused whatever the value. */
const IMMUTABLE: Array<[string, string]> = [
  ['pidfile', '/tmp/x.pid'], ['always-show-logo', 'yes'], ['set-proc-title', 'no'], ['disable-thp', 'no'],
  ['logfile', ''], ['daemonize', 'no'],
];

/** Glob patterns whose every match Larder has; pairs compared in any order. */
const PATTERNS = ['repl-diskless-*', '*oom*', 'stream-node-*', 'proc-title*', 'REPLICA-LAZY-FLUSH'];

let redis: RedisServer;
let conn: RespClient;
beforeAll(async () => {
  redis = await startRedis();
  conn = await RespClient.connect(redis.port);
});
afterAll(async () => {
  conn?.close();
  await redis?.stop();
});

/** A CONFIG GET reply with its name/value pairs sorted, as their order is the server's own. */
function sortedPairs(n: Norm): Norm {
  if (n.t !== 'array') return n;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < n.v.length; i += 2) pairs.push(normKey(n.v[i]!) + normKey(n.v[i + 1]!));
  return { t: 'bulk', v: pairs.sort().join('|') };
}

/** Runs `commands` on a fresh engine and on the oracle; returns both transcripts. */
async function both(commands: string[][]): Promise<[larder: string[], redis: string[]]> {
  const client = createEngine({ activeExpire: false, configParams: SERVE_PARAMS }).connect();
  const larder: string[] = [];
  const oracle: string[] = [];
  for (const argv of commands) {
    const label = JSON.stringify(argv);
    const mine = larderFrames(await client.exec(argv), 2)[0]!;
    const theirs = await conn.call(argv);
    larder.push(`${label} → ${JSON.stringify(sortedPairs(mine))}`);
    oracle.push(`${label} → ${JSON.stringify(sortedPairs(theirs))}`);
  }
  return [larder, oracle];
}

describe('CONFIG SET/GET of the parameters kept for redis.conf, beside redis-server 7.0', () => {
  it.each(VALUES)('%s', async (name, values, fallback) => {
    const commands = [['CONFIG', 'GET', name]];
    for (const v of [...values, fallback]) commands.push(['CONFIG', 'SET', name, v], ['CONFIG', 'GET', name]);
    const [larder, oracle] = await both(commands);
    expect(larder).toEqual(oracle);
  });

  it('refuses the immutable ones, and reads them', async () => {
    const [larder, oracle] = await both(IMMUTABLE.flatMap(([name, v]) => [['CONFIG', 'SET', name, v], ['CONFIG', 'GET', name]]));
    expect(larder).toEqual(oracle);
    expect(oracle[0]).toContain("can't set immutable config");
  });

  it('sets several at once, all or none, and matches patterns and aliases', async () => {
    const [larder, oracle] = await both([
      ['CONFIG', 'SET', 'replica-priority', '5', 'repl-diskless-load', 'bogus'],
      ['CONFIG', 'SET', 'replica-priority', '5', 'disable-thp', 'no'],
      ['CONFIG', 'GET', 'replica-priority'],
      ['CONFIG', 'SET', 'slave-priority', '6', 'client-output-buffer-limit', 'pubsub 9 9 9', 'oom-score-adj-values', '3 2 1'],
      ...PATTERNS.map((p) => ['CONFIG', 'GET', p]),
      ['CONFIG', 'GET', 'slave-priority', 'slave-lazy-flush', 'slave-serve-stale-data', 'slave-read-only'],
      ['CONFIG', 'SET', 'replica-priority', '100', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60', 'oom-score-adj-values', '0 200 800'],
    ]);
    expect(larder).toEqual(oracle);
  });
});
