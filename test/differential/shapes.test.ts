/**
 * Replies whose text is per-server (INFO, CLIENT LIST, COMMAND) are not compared byte for byte in
 * the sequences; here their shape is: reply kinds in RESP2 and RESP3, INFO's sections, line format
 * and key fields, INFO keyspace exactly, CLIENT LIST's field names in order, and COMMAND INFO's
 * arity, flags, key positions and ACL categories for every command the families cover.
 */
import { describe, expect, test } from 'vitest';
import { beginRun, endRun, familyEnabled, useRedis } from './harness.ts';
import { formatNorm, items, type Norm } from '../support/norm.ts';
import { RedisSide, type Session } from './session.ts';
import { STRING_COMMANDS } from './commands/strings.ts';
import { BITMAP_COMMANDS } from './commands/bitmaps.ts';
import { LIST_COMMANDS } from './commands/lists.ts';
import { HASH_COMMANDS } from './commands/hashes.ts';
import { SET_COMMANDS } from './commands/sets.ts';
import { ZSET_COMMANDS } from './commands/zsets.ts';
import { GENERIC_COMMANDS } from './commands/generic.ts';
import { TRANSACTION_COMMANDS } from './commands/transactions.ts';
import { PUBSUB_COMMANDS } from './commands/pubsub.ts';
import { SERVER_COMMANDS } from './commands/server.ts';

const COVERED = [
  ...STRING_COMMANDS, ...BITMAP_COMMANDS, ...LIST_COMMANDS, ...HASH_COMMANDS, ...SET_COMMANDS, ...ZSET_COMMANDS,
  ...GENERIC_COMMANDS, ...TRANSACTION_COMMANDS, ...PUBSUB_COMMANDS, ...SERVER_COMMANDS,
];

/** Fields every INFO section must carry (a subset of Redis's; the ones tools read). */
const REQUIRED_FIELDS: Record<string, string[]> = {
  Server: ['redis_version', 'redis_mode', 'arch_bits', 'process_id', 'run_id', 'tcp_port', 'uptime_in_seconds', 'uptime_in_days', 'hz'],
  Clients: ['connected_clients', 'blocked_clients'],
  Memory: ['used_memory', 'used_memory_human', 'maxmemory', 'maxmemory_policy'],
  Persistence: ['loading', 'rdb_changes_since_last_save', 'rdb_bgsave_in_progress', 'rdb_last_save_time', 'aof_enabled', 'aof_rewrite_in_progress'],
  Stats: ['total_connections_received', 'total_commands_processed', 'expired_keys', 'keyspace_hits', 'keyspace_misses', 'total_error_replies'],
  Replication: ['role', 'connected_slaves'],
  CPU: ['used_cpu_sys', 'used_cpu_user'],
};

async function both(s: Session, argv: string[], client = 0): Promise<[Norm, Norm]> {
  const { redis, larder } = await s.exec(client, argv);
  return [redis[0]!, larder[0]!];
}

const text = (n: Norm) => (n.t === 'bulk' || n.t === 'verbatim' ? n.v : '');

function sections(info: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | undefined;
  for (const line of info.split('\r\n')) {
    if (line.startsWith('# ')) out.set(line.slice(2), (cur = new Map()));
    else if (line !== '' && cur) {
      const i = line.indexOf(':');
      cur.set(line.slice(0, i), line.slice(i + 1));
    }
  }
  return out;
}

/** Lines that are neither a section header, a `field:value` pair nor empty, or end in a bare \n. */
function malformedLines(info: string): string[] {
  const bad = info.split('\r\n').filter((l) => l !== '' && !/^# [A-Za-z]+$/.test(l) && !/^[a-z0-9_]+:[^\r\n]*$/.test(l));
  return info.replace(/\r\n/g, '').includes('\n') ? [...bad, '(a line ends in a bare \\n)'] : bad;
}

const fieldNames = (line: string) => line.trim().split(' ').map((kv) => kv.slice(0, kv.indexOf('=')));

describe.runIf(familyEnabled('shapes'))('differential shapes', () => {
  const pools = useRedis(2);

  async function withSession(fn: (s: Session) => Promise<void>): Promise<void> {
    const s = await beginRun(pools, { seed: 1 });
    let error: unknown;
    try {
      await fn(s);
    } catch (e) {
      error = e;
      throw e;
    } finally {
      endRun(pools, s, error);
    }
  }

  test('INFO: kinds, sections, line format, key fields', () =>
    withSession(async (s) => {
      const [r, l] = await both(s, ['INFO']);
      expect(l.t, `INFO reply kind (${formatNorm(l, 120)})`).toBe(r.t);
      const rs = sections(text(r));
      const ls = sections(text(l));
      expect(malformedLines(text(l)), 'malformed INFO lines').toEqual([]);
      expect([...ls.keys()], 'default INFO sections, in order').toEqual([...rs.keys()]);
      const missing = Object.entries(REQUIRED_FIELDS).flatMap(([sec, fields]) =>
        fields.filter((f) => !ls.get(sec)?.has(f)).map((f) => `${sec}.${f}`));
      expect(missing, 'INFO fields Larder lacks').toEqual([]);
      for (const arg of ['everything', 'all', 'default', 'server', 'keyspace', 'commandstats', 'errorstats', 'nosuchsection', 'server clients']) {
        const [ra, la] = await both(s, ['INFO', ...arg.split(' ')]);
        expect([...sections(text(la)).keys()], `sections of INFO ${arg}`).toEqual([...sections(text(ra)).keys()]);
      }
    }));

  test('INFO keyspace is exact', () =>
    withSession(async (s) => {
      for (const argv of [['SET', 'a', '1'], ['SET', 'b', '2'], ['SELECT', '2'], ['SET', 'c', '3'], ['SELECT', '0']]) await both(s, argv);
      const [r, l] = await both(s, ['INFO', 'keyspace']);
      expect(formatNorm(l)).toBe(formatNorm(r));
    }));

  test('RESP3 kinds of INFO, CLIENT INFO, CLIENT LIST', () =>
    withSession(async (s) => {
      await both(s, ['HELLO', '3']);
      const kinds: string[] = [];
      for (const argv of [['INFO', 'server'], ['CLIENT', 'INFO'], ['CLIENT', 'LIST']]) {
        const [r, l] = await both(s, argv);
        kinds.push(`${argv.join(' ')}: redis ${r.t}, larder ${l.t}`);
      }
      expect(kinds.filter((k) => !/redis (\w+), larder \1$/.test(k))).toEqual([]);
    }));

  test('CLIENT LIST and CLIENT INFO: one line per client, Redis field names in order', () =>
    withSession(async (s) => {
      await both(s, ['CLIENT', 'SETNAME', 'other'], 1);
      const [r, l] = await both(s, ['CLIENT', 'LIST']);
      expect(l.t).toBe(r.t);
      // The servers' inspector connections (snapshots) are not clients of the test.
      const inspectors = await Promise.all([s.oracle, s.subject].map(async (side) =>
        side instanceof RedisSide ? `id=${formatNorm(await side.pool.inspector.call(['CLIENT', 'ID'])).replace('(integer) ', '')} ` : '\0'));
      const lines = (n: Norm) => text(n).split('\n').filter((x) => x !== '' && !inspectors.some((i) => x.startsWith(i)));
      const rl = lines(r);
      const ll = lines(l);
      expect(text(l).endsWith('\n'), 'CLIENT LIST ends with \\n').toBe(true);
      expect(ll.length, 'one line per connected client').toBe(rl.length);
      expect(fieldNames(ll[0] ?? ''), 'CLIENT LIST field names').toEqual(fieldNames(rl[0] ?? ''));
      expect(ll.some((x) => x.includes(' name=other ')), 'the other client\'s name').toBe(true);
      const [ri, li] = await both(s, ['CLIENT', 'INFO']);
      expect(fieldNames(text(li)), 'CLIENT INFO field names').toEqual(fieldNames(text(ri)));
      expect(text(li)).toMatch(/ cmd=client\|info /);
    }));

  test('COMMAND LIST: every redis-server command but the ones README says are missing', () =>
    withSession(async (s) => {
      // README's "What works" names these; keep the two in step.
      const MISSING = [
        'xack', 'xadd', 'xautoclaim', 'xclaim', 'xdel', 'xgroup', 'xinfo', 'xlen', 'xpending', 'xrange', 'xread', 'xreadgroup',
        'xrevrange', 'xsetid', 'xtrim', 'pfadd', 'pfcount', 'pfdebug', 'pfmerge', 'pfselftest', 'geoadd', 'geodist', 'geohash',
        'geopos', 'georadius', 'georadius_ro', 'georadiusbymember', 'georadiusbymember_ro', 'geosearch', 'geosearchstore',
        'eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'script', 'fcall', 'fcall_ro', 'function', 'sort', 'sort_ro', 'bitfield',
        'bitfield_ro', 'memory', 'slowlog', 'latency', 'monitor', 'acl', 'module', 'lolwut', 'replicaof', 'slaveof', 'role',
        'wait', 'failover', 'sync', 'psync', 'replconf', 'cluster', 'migrate', 'readonly', 'readwrite', 'asking', 'restore-asking',
      ];
      const [r, l] = await both(s, ['COMMAND', 'LIST']);
      const names = (n: Norm) => new Set((items(n) ?? []).map((x) => text(x)).filter((x) => !x.includes('|')));
      const redis = names(r);
      const larder = names(l);
      expect([...larder].filter((c) => !redis.has(c)), 'commands redis-server lacks').toEqual([]);
      expect([...redis].filter((c) => !larder.has(c)).sort()).toEqual([...MISSING].sort());
    }));

  test('COMMAND COUNT, COMMAND INFO: arity, flags, key positions, ACL categories', () =>
    withSession(async (s) => {
      const [rc, lc] = await both(s, ['COMMAND', 'COUNT']);
      expect(lc.t).toBe(rc.t);
      const names = [...new Set(COVERED)];
      const [r, l] = await both(s, ['COMMAND', 'INFO', ...names]);
      const ri = items(r) ?? [];
      const li = items(l) ?? [];
      expect(li.length, 'COMMAND INFO entries').toBe(ri.length);
      const show = (e: Norm | undefined) => {
        const xs = e ? items(e) : undefined;
        if (!xs) return e ? formatNorm(e) : 'missing';
        const set = (n: Norm | undefined) => (n && items(n) ? items(n)!.map((x) => formatNorm(x)).sort().join(' ') : 'none');
        return `arity ${formatNorm(xs[1]!)} flags [${set(xs[2])}] keys ${[3, 4, 5].map((i) => formatNorm(xs[i] ?? { t: 'nil' })).join(',')} acl [${set(xs[6])}] fields ${xs.length}`;
      };
      const diffs = names.flatMap((n, i) => (show(ri[i]) === show(li[i]) ? [] : [`${n}: redis ${show(ri[i])}\n      larder ${show(li[i])}`]));
      expect(diffs, 'COMMAND INFO differences').toEqual([]);
    }));
});
