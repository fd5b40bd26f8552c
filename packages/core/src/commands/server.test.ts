/**
 * INFO, CONFIG, TIME, DEBUG and COMMAND. Expected replies and texts were recorded from
 * redis-server 7.0.15 running the same steps; INFO's field lists are Redis 7.0.15's, section by
 * section, so a renamed or missing field fails here.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { setInfoFields } from '../engine/info.ts';
import { plain2 as plain, type Plain } from './testing.ts';

const T0 = 1_700_000_000_000;
const OK = { s: 'OK' };

function setup() {
  let t = T0;
  // DEBUG is refused unless enabled, as in Redis 7.0 (the refusal has its own test).
  const e = createEngine({ activeExpire: false, now: () => t, random: () => 0.5, config: { 'enable-debug-command': 'yes' } });
  return { e, c: e.connect(), tick: (ms: number) => (t += ms) };
}

/** INFO text → section title → [field, value][] (checks the framing on the way). */
function sections(text: string): Map<string, Array<[string, string]>> {
  const out = new Map<string, Array<[string, string]>>();
  if (text === '') return out;
  expect(text.endsWith('\r\n')).toBe(true);
  for (const block of text.split('\r\n\r\n')) {
    const lines = block.split('\r\n').filter((l) => l !== '');
    const title = lines[0]!;
    expect(title).toMatch(/^# [A-Z][A-Za-z]+$/);
    out.set(title.slice(2), lines.slice(1).map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1)] as [string, string];
    }));
  }
  return out;
}

/** Redis 7.0.15's INFO fields, as `redis-cli info default` prints them. */
const REDIS_FIELDS: Record<string, string> = {
  Server: 'redis_version redis_git_sha1 redis_git_dirty redis_build_id redis_mode os arch_bits monotonic_clock multiplexing_api atomicvar_api gcc_version process_id process_supervised run_id tcp_port server_time_usec uptime_in_seconds uptime_in_days hz configured_hz lru_clock executable config_file io_threads_active',
  Clients: 'connected_clients cluster_connections maxclients client_recent_max_input_buffer client_recent_max_output_buffer blocked_clients tracking_clients clients_in_timeout_table',
  Memory: 'used_memory used_memory_human used_memory_rss used_memory_rss_human used_memory_peak used_memory_peak_human used_memory_peak_perc used_memory_overhead used_memory_startup used_memory_dataset used_memory_dataset_perc allocator_allocated allocator_active allocator_resident total_system_memory total_system_memory_human used_memory_lua used_memory_vm_eval used_memory_lua_human used_memory_scripts_eval number_of_cached_scripts number_of_functions number_of_libraries used_memory_vm_functions used_memory_vm_total used_memory_vm_total_human used_memory_functions used_memory_scripts used_memory_scripts_human maxmemory maxmemory_human maxmemory_policy allocator_frag_ratio allocator_frag_bytes allocator_rss_ratio allocator_rss_bytes rss_overhead_ratio rss_overhead_bytes mem_fragmentation_ratio mem_fragmentation_bytes mem_not_counted_for_evict mem_replication_backlog mem_total_replication_buffers mem_clients_slaves mem_clients_normal mem_cluster_links mem_aof_buffer mem_allocator active_defrag_running lazyfree_pending_objects lazyfreed_objects',
  Persistence: 'loading async_loading current_cow_peak current_cow_size current_cow_size_age current_fork_perc current_save_keys_processed current_save_keys_total rdb_changes_since_last_save rdb_bgsave_in_progress rdb_last_save_time rdb_last_bgsave_status rdb_last_bgsave_time_sec rdb_current_bgsave_time_sec rdb_saves rdb_last_cow_size rdb_last_load_keys_expired rdb_last_load_keys_loaded aof_enabled aof_rewrite_in_progress aof_rewrite_scheduled aof_last_rewrite_time_sec aof_current_rewrite_time_sec aof_last_bgrewrite_status aof_rewrites aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size module_fork_in_progress module_fork_last_cow_size',
  Stats: 'total_connections_received total_commands_processed instantaneous_ops_per_sec total_net_input_bytes total_net_output_bytes total_net_repl_input_bytes total_net_repl_output_bytes instantaneous_input_kbps instantaneous_output_kbps instantaneous_input_repl_kbps instantaneous_output_repl_kbps rejected_connections sync_full sync_partial_ok sync_partial_err expired_keys expired_stale_perc expired_time_cap_reached_count expire_cycle_cpu_milliseconds evicted_keys evicted_clients total_eviction_exceeded_time current_eviction_exceeded_time keyspace_hits keyspace_misses pubsub_channels pubsub_patterns pubsubshard_channels latest_fork_usec total_forks migrate_cached_sockets slave_expires_tracked_keys active_defrag_hits active_defrag_misses active_defrag_key_hits active_defrag_key_misses total_active_defrag_time current_active_defrag_time tracking_total_keys tracking_total_items tracking_total_prefixes unexpected_error_replies total_error_replies dump_payload_sanitizations total_reads_processed total_writes_processed io_threaded_reads_processed io_threaded_writes_processed reply_buffer_shrinks reply_buffer_expands',
  Replication: 'role connected_slaves master_failover_state master_replid master_replid2 master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size repl_backlog_first_byte_offset repl_backlog_histlen',
  CPU: 'used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children used_cpu_sys_main_thread used_cpu_user_main_thread',
  Modules: '',
  Errorstats: '',
  Cluster: 'cluster_enabled',
  Keyspace: '',
};

describe('INFO', () => {
  const titles = (e: ReturnType<typeof setup>['e'], args: string[]) =>
    [...sections(plain(e.connect().exec(['info', ...args])) as string).keys()];

  it('prints the default sections, in order, with Redis 7.0.15 field names', () => {
    const { c } = setup();
    const s = sections(plain(c.exec(['info'])) as string);
    expect([...s.keys()]).toEqual(Object.keys(REDIS_FIELDS));
    for (const [title, fields] of Object.entries(REDIS_FIELDS)) {
      expect([title, s.get(title)!.map(([k]) => k).join(' ')]).toEqual([title, fields]);
    }
  });

  it('selects sections as Redis does: names, default, all, everything, unknown names ignored', () => {
    const { e } = setup();
    const all = ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules',
      'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace'];
    expect(titles(e, ['server', 'clients'])).toEqual(['Server', 'Clients']);
    expect(titles(e, ['keyspace', 'SERVER'])).toEqual(['Server', 'Keyspace']);
    expect(titles(e, ['all'])).toEqual(all);
    expect(titles(e, ['everything'])).toEqual(all);
    expect(titles(e, ['all', 'server'])).toEqual(all);
    expect(titles(e, ['default', 'commandstats'])).toEqual(all.filter((t) => t !== 'Latencystats'));
    expect(titles(e, ['keyspace', 'foo'])).toEqual(['Keyspace']);
    expect(plain(e.connect().exec(['info', 'foo']))).toBe('');
    expect(plain(e.connect().exec(['info', 'cluster', 'keyspace']))).toBe('# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
  });

  it('reports real clients, commands, keys, expiries, errors and uptime', () => {
    const { e, c, tick } = setup();
    e.connect();
    c.exec(['set', 'a', '1']);
    c.exec(['set', 'b', '1', 'px', '100']);
    c.exec(['select', '2']);
    c.exec(['set', 'c', '1']);
    c.exec(['select', '0']);
    c.exec(['nosuch']);
    c.exec(['get', 'a', 'b']);
    c.exec(['subscribe', 'x']);
    c.exec(['unsubscribe']);
    tick(90_000);
    c.exec(['get', 'b']); // expired now
    const s = sections(plain(c.exec(['info', 'everything'])) as string);
    const f = (sec: string, k: string) => new Map(s.get(sec)!).get(k);
    expect(f('Server', 'uptime_in_seconds')).toBe('90');
    expect(f('Server', 'server_time_usec')).toBe(String((T0 + 90_000) * 1000));
    expect(f('Server', 'run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(f('Clients', 'connected_clients')).toBe('2');
    expect(f('Stats', 'total_connections_received')).toBe('2');
    expect(f('Stats', 'total_commands_processed')).toBe('8');
    expect(f('Stats', 'expired_keys')).toBe('1');
    expect(f('Stats', 'total_error_replies')).toBe('2');
    expect(f('Persistence', 'rdb_changes_since_last_save')).toBe('3'); // expiry is not counted as a change (checked on 7.0.15)
    expect(s.get('Keyspace')).toEqual([['db0', 'keys=1,expires=0,avg_ttl=0'], ['db2', 'keys=1,expires=0,avg_ttl=0']]);
    expect(s.get('Errorstats')).toEqual([['errorstat_ERR', 'count=2']]);
    expect(new Map(s.get('Commandstats')!).get('cmdstat_get')).toMatch(
      /^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/,
    );
    expect(Number(f('Memory', 'used_memory'))).toBeGreaterThan(Number(f('Memory', 'used_memory_startup')));
  });

  it('CONFIG RESETSTAT clears command, error and server counters, then counts itself', () => {
    const { c } = setup();
    c.exec(['get', 'a']);
    c.exec(['nosuch']);
    expect(plain(c.exec(['config', 'resetstat']))).toEqual(OK);
    const s = sections(plain(c.exec(['info', 'commandstats', 'errorstats', 'stats'])) as string);
    expect(s.get('Commandstats')!.map(([k]) => k)).toEqual(['cmdstat_config|resetstat']);
    expect(s.get('Errorstats')).toEqual([]);
    expect(new Map(s.get('Stats')!).get('total_connections_received')).toBe('0');
  });

  it('lets other modules add and override fields', () => {
    const { e, c } = setup();
    setInfoFields(e, 'persistence', () => [['loading', 1], ['aof_storage', 'opfs']]);
    const p = new Map(sections(plain(c.exec(['info', 'persistence'])) as string).get('Persistence'));
    expect([p.get('loading'), p.get('aof_storage')]).toEqual(['1', 'opfs']);
  });
});

describe('CONFIG', () => {
  const steps: Array<[string[], Plain]> = [
    [['config', 'get'], { err: "ERR wrong number of arguments for 'config|get' command" }],
    [['config', 'get', 'maxmemory'], ['maxmemory', '0']],
    [['config', 'get', 'HZ'], ['HZ', '10']],
    [['config', 'get', 'hz', 'HZ'], ['hz', '10']],
    [['config', 'get', 'Hz*'], ['hz', '10']],
    [['config', 'get', 'nosuch'], []],
    [['config', 'get', 'loading-process-events-interval-bytes'], ['loading-process-events-interval-bytes', '2097152']],
    [['config', 'get', 'loading-process-events-interval-byte*'], []],
    [['config', 'set'], { err: "ERR wrong number of arguments for 'config|set' command" }],
    [['config', 'set', 'hz', '10', 'maxmemory'], { err: 'ERR syntax error' }],
    [['config', 'set', 'nosuch', '1'], { err: "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'" }],
    [['config', 'set', 'hz', 'x'], { err: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer" }],
    [['config', 'set', 'HZ', 'x'], { err: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer" }],
    [['config', 'set', 'hz', '10', 'HZ', '11'], { err: "ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter" }],
    [['config', 'set', 'databases', '1', 'nosuch', '2'], { err: "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config" }],
    [['config', 'set', 'hz', '1', 'hz', '2', 'databases', '3'], { err: "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter" }],
    [['config', 'set', 'hz', '11', 'maxmemory', 'bad'], { err: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value" }],
    [['config', 'get', 'hz'], ['hz', '10']],
    [['config', 'set', 'hash-max-listpack-entries', '1', 'hash-max-ziplist-entries', '2'], OK],
    [['config', 'get', 'hash-max-listpack-entries'], ['hash-max-listpack-entries', '2']],
    [['config', 'set', 'hash-max-ziplist-entries', 'x'], { err: "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument couldn't be parsed into an integer" }],
    [['config', 'set', 'maxmemory', '10KB'], OK],
    [['config', 'get', 'maxmemory'], ['maxmemory', '10240']],
    [['config', 'set', 'maxmemory', '10k'], OK],
    [['config', 'get', 'maxmemory'], ['maxmemory', '10000']],
    [['config', 'set', 'maxmemory', '99999999999999999999'], OK],
    [['config', 'get', 'maxmemory'], ['maxmemory', '18446744073709551615']],
    [['config', 'set', 'maxmemory', '1t'], { err: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value" }],
    [['config', 'set', 'maxmemory', '-1'], { err: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value" }],
    [['config', 'set', 'maxmemory', '0'], OK],
    [['config', 'set', 'hz', '00012'], { err: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer" }],
    [['config', 'set', 'hz', '-1'], { err: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive" }],
    [['config', 'set', 'hz', '1000'], OK],
    [['config', 'get', 'hz'], ['hz', '500']],
    [['config', 'set', 'hz', '0'], OK],
    [['config', 'get', 'hz'], ['hz', '1']],
    [['config', 'set', 'appendfsync', 'foo'], { err: "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no" }],
    [['config', 'set', 'appendonly', 'maybe'], { err: "ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'" }],
    [['config', 'set', 'notify-keyspace-events', 'xyz'], { err: "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'." }],
    [['config', 'set', 'notify-keyspace-events', 'KEA'], OK],
    [['config', 'get', 'notify-keyspace-events'], ['notify-keyspace-events', 'AKE']],
    [['config', 'set', 'notify-keyspace-events', ''], OK],
    [['config', 'set', 'set-max-intset-entries', '-1'], { err: "ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument must be between 0 and 9223372036854775807 inclusive" }],
    [['config', 'set', 'list-max-listpack-size', '99999999999'], { err: "ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument must be between -2147483648 and 2147483647 inclusive" }],
    [['config', 'set', 'hash-max-listpack-entries', '99999999999999999999'], { err: "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument couldn't be parsed into an integer" }],
    [['config', 'set', 'proto-max-bulk-len', '10'], { err: "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive" }],
    [['config', 'set', 'lazyfree-lazy-expire', 'YES'], OK],
    [['config', 'get', 'lazyfree-lazy-expire'], ['lazyfree-lazy-expire', 'yes']],
    [['config', 'set', 'save', 'bad'], { err: "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters" }],
    [['config', 'set', 'save', '100 10 '], { err: "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters" }],
    [['config', 'set', 'save', '+5 -0'], OK],
    [['config', 'get', 'save'], ['save', '5 0']],
    [['config', 'set', 'save', ''], OK],
    [['config', 'get', 'save'], ['save', '']],
    [['config', 'set', 'maxmemory-policy', 'foo'], { err: "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction" }],
    [['config', 'set', 'loglevel', 'foo'], { err: "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning" }],
    [['config', 'set', 'dbfilename', 'a/b'], { err: "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config" }],
    [['config', 'set', 'dir', '/tmp'], { err: "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config" }],
    [['config', 'set', 'hash-max-listpack-value', '1kb'], OK],
    [['config', 'get', 'hash-max-listpack-value'], ['hash-max-listpack-value', '1024']],
    [['config', 'set', 'maxclients', '0'], { err: "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive" }],
    [['config', 'set', 'slowlog-log-slower-than', '-2'], { err: "ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive" }],
    [['config', 'set', 'client-query-buffer-limit', '1'], { err: "ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive" }],
    [['config', 'set', 'sanitize-dump-payload', 'foo'], { err: "ERR CONFIG SET failed (possibly related to argument 'sanitize-dump-payload') - argument(s) must be one of the following: no, yes, clients" }],
    [['config', 'set', 'appendfilename', 'x'], { err: "ERR CONFIG SET failed (possibly related to argument 'appendfilename') - can't set immutable config" }],
    [['config', 'foo'], { err: "ERR unknown subcommand 'foo'. Try CONFIG HELP." }],
    [['config', 'rewrite'], { err: 'ERR The server is running without a config file' }],
    [['config', 'help'], [
      { s: 'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' },
      { s: 'GET <pattern>' }, { s: '    Return parameters matching the glob-like <pattern> and their values.' },
      { s: 'SET <directive> <value>' }, { s: '    Set the configuration <directive> to <value>.' },
      { s: 'RESETSTAT' }, { s: '    Reset statistics reported by the INFO command.' },
      { s: 'REWRITE' }, { s: '    Rewrite the configuration file.' },
      { s: 'HELP' }, { s: '    Prints this help.' },
    ]],
  ];

  it('expires a lone volatile key at the first cron tick after its time, every tick (not every other)', () => {
    const { e, c, tick } = setup();
    for (let round = 0; round < 4; round++) {
      c.exec(['SET', 'k', 'v', 'PX', '150']);
      e.cron(); // reaches the key, alive
      tick(100);
      e.cron();
      expect(e.ks.dbs[0]!.keys.size).toBe(1);
      tick(100); // 200 ms: past its 150
      e.cron();
      expect([round, e.ks.dbs[0]!.keys.size]).toEqual([round, 0]);
    }
  });

  it('resets avg_ttl once a db has no volatile key left, as the expire cycle does in Redis', () => {
    const { e, c, tick } = setup();
    c.exec(['SET', 'k', 'v', 'EX', '100']);
    e.cron();
    const keyspace = () => sections(plain(c.exec(['INFO', 'keyspace'])) as string).get('Keyspace');
    expect(keyspace()).toEqual([['db0', 'keys=1,expires=1,avg_ttl=100000']]);
    c.exec(['PERSIST', 'k']);
    tick(100);
    e.cron();
    expect(keyspace()).toEqual([['db0', 'keys=1,expires=0,avg_ttl=0']]);
  });

  it('gets and sets parameters with Redis 7.0.15 validation and errors', () => {
    const { c } = setup();
    for (const [argv, want] of steps) expect([argv, plain(c.exec(argv))]).toEqual([argv, want]);
  });

  it('refuses DEBUG unless enable-debug-command allows the client (Redis 7.0 protects it by default)', () => {
    const refused = { err: 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.' };
    for (const [mode, local, remote] of [['no', false, false], ['local', true, false], ['yes', true, true]] as const) {
      const e = createEngine({ activeExpire: false, config: { 'enable-debug-command': mode } });
      const debug = (addr?: string) => plain(e.connect(addr === undefined ? {} : { addr }).exec(['DEBUG', 'SLEEP', '0']));
      expect([mode, debug(), debug('127.0.0.1:5000'), debug('tab:ab12:1')]).toEqual([mode, ...Array(3).fill(local ? OK : refused)]);
      expect([mode, debug('10.1.2.3:5000')]).toEqual([mode, remote ? OK : refused]);
      // Checked after arity, before MULTI queues it (EXEC then aborts), as processCommand does.
      const c = e.connect({ addr: '10.1.2.3:5000' });
      expect(plain(c.exec(['DEBUG']))).toEqual({ err: "ERR wrong number of arguments for 'debug' command" });
      c.exec(['MULTI']);
      expect(plain(c.exec(['DEBUG', 'SLEEP', '0']))).toEqual(remote ? { s: 'QUEUED' } : refused);
      expect(plain(c.exec(['EXEC']))).toEqual(remote ? [OK] : { err: 'EXECABORT Transaction discarded because of previous errors.' });
      e.close();
    }
  });

  it('lets enable-protected-configs open dir and dbfilename to everyone, or to local clients only', () => {
    const refused = (name: string) => ({ err: `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set protected config` });
    for (const [mode, local, remote] of [['no', false, false], ['local', true, false], ['yes', true, true]] as const) {
      const e = createEngine({ activeExpire: false, config: { 'enable-protected-configs': mode } });
      const set = (addr: string) => plain(e.connect({ addr }).exec(['CONFIG', 'SET', 'dbfilename', 'x.rdb']));
      // In-process clients, and TCP peers on loopback (v4, v6, v4-mapped), are local; others are not.
      for (const addr of ['127.0.0.1:5000', '[::1]:5000'.replace(/[[\]]/g, ''), '::ffff:127.0.0.1:5000', 'tab:ab12:1']) {
        expect([mode, addr, set(addr)]).toEqual([mode, addr, local ? OK : refused('dbfilename')]);
      }
      expect([mode, set('10.1.2.3:5000')]).toEqual([mode, remote ? OK : refused('dbfilename')]);
      expect(plain(e.connect().exec(['CONFIG', 'SET', 'enable-protected-configs', 'yes']))).toEqual({
        err: "ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config",
      });
      e.close();
    }
  });

  it('matches names and aliases with one pattern, each name once across patterns', () => {
    const { c } = setup();
    const pairs = (argv: string[]) => {
      const flat = plain(c.exec(argv)) as string[];
      return new Map(flat.flatMap((_, i) => (i % 2 === 0 ? [[flat[i]!, flat[i + 1]!] as [string, string]] : [])));
    };
    expect(pairs(['config', 'get', 'hash-max-*'])).toEqual(new Map([
      ['hash-max-listpack-entries', '512'], ['hash-max-ziplist-entries', '512'],
      ['hash-max-listpack-value', '64'], ['hash-max-ziplist-value', '64'],
    ]));
    expect([...pairs(['config', 'get', '*max-*-entries*', 'zset*']).keys()].sort()).toEqual([
      'hash-max-listpack-entries', 'hash-max-ziplist-entries', 'set-max-intset-entries',
      'zset-max-listpack-entries', 'zset-max-listpack-value', 'zset-max-ziplist-entries', 'zset-max-ziplist-value',
    ]);
  });

  it('applies what the engine caches (notify-keyspace-events) and keeps failed sets atomic', () => {
    const { e, c } = setup();
    c.exec(['config', 'set', 'hz', '20', 'notify-keyspace-events', 'K$']);
    expect(e.config.num('hz')).toBe(20);
    c.exec(['config', 'set', 'hz', '30', 'appendonly', 'maybe']);
    expect(e.config.num('hz')).toBe(20);
  });
});

/** DEBUG OBJECT's line without the address and LRU clock, which differ from run to run. */
function debugObject(c: Client, key: string): string {
  const r = plain(c.exec(['debug', 'object', key]));
  if (typeof r !== 'object' || r === null || !('s' in r)) return JSON.stringify(r);
  return r.s.replace(/^Value at:0x[0-9a-f]+ /, '').replace(/ lru:\d+ /, ' ');
}

describe('TIME and DEBUG', () => {
  it('TIME answers seconds and microseconds of the engine clock', () => {
    const { c, tick } = setup();
    tick(1234);
    expect(plain(c.exec(['time']))).toEqual([String((T0 + 1234 - 234) / 1000), '234000']);
    expect(plain(c.exec(['time', 'x']))).toEqual({ err: "ERR wrong number of arguments for 'time' command" });
  });

  it('DEBUG OBJECT prints Redis 7.0.15 lines', () => {
    const { c } = setup();
    const obj = (k: string) => debugObject(c, k);
    c.exec(['set', 's', 'hello']);
    c.exec(['set', 'n', '123']);
    c.exec(['set', 'n2', '12345']);
    c.exec(['set', 'neg', '-5']);
    c.exec(['set', 'r', '12345678901234567890abc']);
    c.exec(['hset', 'h', 'f', 'v', 'n', '123']);
    c.exec(['sadd', 'st', '1', '2', '70000']);
    c.exec(['sadd', 'ss', 'a', 'b']);
    expect(obj('s')).toBe('refcount:1 encoding:embstr serializedlength:6 lru_seconds_idle:0');
    expect(obj('n')).toBe('refcount:2147483647 encoding:int serializedlength:2 lru_seconds_idle:0');
    expect(obj('n2')).toBe('refcount:1 encoding:int serializedlength:3 lru_seconds_idle:0');
    expect(obj('neg')).toBe('refcount:1 encoding:int serializedlength:2 lru_seconds_idle:0');
    expect(obj('r')).toBe('refcount:1 encoding:embstr serializedlength:24 lru_seconds_idle:0');
    expect(obj('h')).toBe('refcount:1 encoding:listpack serializedlength:19 lru_seconds_idle:0');
    expect(obj('st')).toBe('refcount:1 encoding:intset serializedlength:21 lru_seconds_idle:0');
    expect(obj('ss')).toBe('refcount:1 encoding:hashtable serializedlength:5 lru_seconds_idle:0');
    c.exec(['config', 'set', 'hash-max-listpack-entries', '1']);
    c.exec(['hset', 'h2', 'a', '1', 'b', '2']);
    expect(obj('h2')).toBe('refcount:1 encoding:hashtable serializedlength:9 lru_seconds_idle:0');
  });

  it('DEBUG OBJECT of a list: quicklist fields', () => {
    const { c } = setup();
    c.exec(['rpush', 'l', 'a', 'b', '12345', 'hello']);
    expect(debugObject(c, 'l')).toBe('refcount:1 encoding:quicklist serializedlength:27 lru_seconds_idle:0 ql_nodes:1 ql_avg_node:4.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:24');
  });

  it('DEBUG OBJECT of a sorted set: scores as listpack entries', () => {
    const { c } = setup();
    c.exec(['zadd', 'z', '1', 'a', '2.5', 'b']);
    expect(debugObject(c, 'z')).toBe('refcount:1 encoding:listpack serializedlength:21 lru_seconds_idle:0');
  });

  it('DEBUG errors, SLEEP 0 and SET-ACTIVE-EXPIRE', () => {
    const { e, c } = setup();
    const steps: Array<[string[], Plain]> = [
      [['debug', 'object', 'nope'], { err: 'ERR no such key' }],
      [['debug', 'object'], { err: "ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP." }],
      [['debug', 'sleep'], { err: "ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP." }],
      [['debug', 'foo'], { err: "ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP." }],
      [['debug'], { err: "ERR wrong number of arguments for 'debug' command" }],
      [['debug', 'sleep', '0'], OK],
      [['debug', 'sleep', 'x'], OK],
      [['debug', 'log', 'hi'], OK],
      [['debug', 'set-active-expire', '0'], OK],
    ];
    for (const [argv, want] of steps) expect([argv, plain(c.exec(argv))]).toEqual([argv, want]);
    expect(e.config.value('active-expire-enabled')).toBe('no');
    c.exec(['debug', 'set-active-expire', '1']);
    expect(e.config.value('active-expire-enabled')).toBe('yes');
    expect((plain(c.exec(['debug', 'help'])) as Plain[]).length).toBe(106);
  });
});

describe('COMMAND', () => {
  const { c } = setup();
  const run = (argv: string[]) => plain(c.exec(argv));

  it('COUNT, INFO and the no-argument form agree with the table', () => {
    const n = run(['command', 'count']) as number;
    expect((run(['command']) as Plain[]).length).toBe(n);
    expect((run(['command', 'info']) as Plain[]).length).toBe(n);
  });

  it('INFO prints Redis 7.0.15 entries for our commands', () => {
    expect(run(['command', 'info', 'nosuch', 'get', 'config|get', 'CLIENT|ID', 'client|nosuch'])).toEqual([
      null,
      ['get', 2, [{ s: 'readonly' }, { s: 'fast' }], 1, 1, 1, [{ s: '@read' }, { s: '@string' }, { s: '@fast' }], [],
        [['flags', [{ s: 'RO' }, { s: 'access' }], 'begin_search', ['type', 'index', 'spec', ['index', 1]],
          'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]]], []],
      ['config|get', -3, [{ s: 'admin' }, { s: 'noscript' }, { s: 'loading' }, { s: 'stale' }], 0, 0, 0,
        [{ s: '@admin' }, { s: '@slow' }, { s: '@dangerous' }], [], [], []],
      ['client|id', 2, [{ s: 'noscript' }, { s: 'loading' }, { s: 'stale' }], 0, 0, 0, [{ s: '@slow' }, { s: '@connection' }], [], [], []],
      null,
    ]);
    const config = run(['command', 'info', 'config']) as Plain[][];
    expect(config[0]!.slice(0, 8)).toEqual(['config', -2, [], 0, 0, 0, [{ s: '@slow' }], []]);
    expect((config[0]![9] as Plain[][]).map((s) => s[0]).sort()).toEqual(
      ['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set'],
    );
  });

  it('DOCS prints summary, since, group, complexity and the arguments from the syntax line', () => {
    expect(run(['command', 'docs', 'nosuch'])).toEqual([]);
    expect(run(['command', 'docs', 'echo', 'config|get'])).toEqual([
      'echo', ['summary', 'Echo the given string', 'since', '1.0.0', 'group', 'connection', 'complexity', 'O(1)',
        'arguments', [['name', 'message', 'type', 'string']]],
      'config|get', ['summary', 'Get the values of configuration parameters', 'since', '2.0.0', 'group', 'server',
        'complexity', 'O(N) when N is the number of configuration parameters provided',
        'arguments', [['name', 'parameter', 'type', 'string', 'flags', [{ s: 'multiple' }]]]],
    ]);
  });

  it('GETKEYS and GETKEYSANDFLAGS find keys or fail as Redis does', () => {
    const steps: Array<[string[], Plain]> = [
      [['command', 'getkeys'], { err: "ERR wrong number of arguments for 'command|getkeys' command" }],
      [['command', 'getkeys', 'get'], { err: "ERR wrong number of arguments for 'command|getkeys' command" }],
      [['command', 'getkeys', 'nosuch', 'a'], { err: 'ERR Invalid command specified' }],
      [['command', 'getkeys', 'get', 'a', 'b'], { err: 'ERR Invalid number of arguments specified for command' }],
      [['command', 'getkeys', 'config', 'get', 'x'], { err: 'ERR The command has no key arguments' }],
      [['command', 'getkeys', 'get', 'a'], ['a']],
      [['command', 'getkeys', 'watch', 'a', 'b'], ['a', 'b']],
      [['command', 'getkeys', 'mset', 'a', '1', 'b', '2'], ['a', 'b']],
      [['command', 'getkeysandflags', 'get', 'a'], [['a', [{ s: 'RO' }, { s: 'access' }]]]],
    ];
    for (const [argv, want] of steps) expect([argv, run(argv)]).toEqual([argv, want]);
  });

  it('LIST filters by pattern, ACL category or module', () => {
    expect(run(['command', 'list', 'filterby', 'aclcat', 'transaction'])).toEqual(['discard', 'exec', 'multi', 'unwatch', 'watch']);
    expect(run(['command', 'list', 'filterby', 'pattern', 'config*'])).toEqual([
      'config', 'config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help',
    ]);
    expect(run(['command', 'list', 'filterby', 'module', 'x'])).toEqual([]);
    expect(run(['command', 'list', 'filterby', 'aclcat', 'nosuchcat'])).toEqual([]);
    for (const argv of [['command', 'list', 'filterby'], ['command', 'list', 'filterby', 'foo', 'x'], ['command', 'list', 'foo']]) {
      expect(run(argv)).toEqual({ err: 'ERR syntax error' });
    }
    const all = run(['command', 'list']) as string[];
    expect(all).toContain('client|kill');
    expect(all).toContain('get');
  });

  it('HELP and errors', () => {
    expect(run(['command', 'foo'])).toEqual({ err: "ERR unknown subcommand 'foo'. Try COMMAND HELP." });
    expect(run(['command', 'count', 'x'])).toEqual({ err: "ERR wrong number of arguments for 'command|count' command" });
    expect((run(['command', 'help']) as Plain[]).length).toBe(21);
  });
});
