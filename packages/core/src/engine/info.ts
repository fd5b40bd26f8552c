/**
 * INFO (Redis 7.0's genRedisInfoString): sections in Redis's order and format, `# Name` headers,
 * `field:value` lines, `\r\n` line ends and one empty line between sections.
 *
 * Fields keep Redis's names and order. Values are real where Larder has the thing (uptime,
 * clients, commands, keys, expiries, pub/sub, stats), an estimate for memory (memory.ts), and
 * what an idle Redis shows where the concept does not exist in-process (fork, replication
 * backlog, CPU, network bytes). Other parts of the engine fill or override fields of a section
 * with `setInfoFields` (the persistence layer owns `persistence`; `larder serve` sets the process
 * fields, CPU time and network counters).
 */
import type { Engine } from './engine.ts';
import { bytesToHuman, CLIENT_BYTES, datasetBytes, STARTUP_BYTES } from './memory.ts';

export type InfoFields = Array<[string, string | number]>;
export type InfoProvider = () => InfoFields;

const SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules',
  'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace',
] as const;
type Section = (typeof SECTIONS)[number];

const TITLES: Record<Section, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats',
  errorstats: 'Errorstats', latencystats: 'Latencystats', cluster: 'Cluster', keyspace: 'Keyspace',
};
const DEFAULT = new Set<Section>(SECTIONS.filter((s) => s !== 'commandstats' && s !== 'latencystats'));

/** Per-engine INFO state: identifiers made once, the memory peak, extra providers. */
interface InfoState {
  runId: string;
  replId: string;
  peak: number;
  providers: Map<string, InfoProvider[]>;
}
const states = new WeakMap<Engine, InfoState>();

function hex40(engine: Engine): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += Math.floor(engine.random() * 16).toString(16);
  return s;
}

function stateOf(engine: Engine): InfoState {
  let s = states.get(engine);
  if (!s) states.set(engine, (s = { runId: hex40(engine), replId: hex40(engine), peak: 0, providers: new Map() }));
  return s;
}

/**
 * Adds fields to `section`: a field Redis already prints there takes the provider's value in
 * place, a new one is appended. Providers run each time INFO prints the section.
 */
export function setInfoFields(engine: Engine, section: string, provider: InfoProvider): void {
  const providers = stateOf(engine).providers;
  const list = providers.get(section) ?? [];
  list.push(provider);
  providers.set(section, list);
}

const fixed2 = (n: number): string => n.toFixed(2);

function server(e: Engine): InfoFields {
  const now = e.now();
  const uptime = Math.floor((now - e.stats.startedAt) / 1000);
  return [
    ['redis_version', '7.0.15'], ['redis_git_sha1', '00000000'], ['redis_git_dirty', 0],
    ['redis_build_id', '0000000000000000'], ['redis_mode', 'standalone'], ['os', 'Larder'],
    ['arch_bits', 64], ['monotonic_clock', 'Date.now'], ['multiplexing_api', 'event-loop'],
    ['atomicvar_api', 'none'], ['gcc_version', '0.0.0'], ['process_id', 0], ['process_supervised', 'no'],
    ['run_id', stateOf(e).runId], ['tcp_port', e.config.num('port')], ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime], ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', e.config.num('hz')], ['configured_hz', e.config.num('hz')],
    ['lru_clock', Math.floor(now / 1000) & 0xffffff], ['executable', ''], ['config_file', ''],
    ['io_threads_active', 0],
  ];
}

function clients(e: Engine): InfoFields {
  return [
    ['connected_clients', e.clients.size], ['cluster_connections', 0], ['maxclients', e.config.num('maxclients')],
    ['client_recent_max_input_buffer', 0], ['client_recent_max_output_buffer', 0],
    ['blocked_clients', e.blocking.count], ['tracking_clients', 0], ['clients_in_timeout_table', 0],
  ];
}

function memory(e: Engine): InfoFields {
  const dataset = datasetBytes(e.ks);
  const overhead = STARTUP_BYTES + e.clients.size * CLIENT_BYTES;
  const used = overhead + dataset;
  const st = stateOf(e);
  st.peak = Math.max(st.peak, used);
  const maxmemory = e.config.num('maxmemory');
  const perc = (part: number, whole: number) => `${fixed2(whole === 0 ? 0 : (part * 100) / whole)}%`;
  return [
    ['used_memory', used], ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', used], ['used_memory_rss_human', bytesToHuman(used)],
    ['used_memory_peak', st.peak], ['used_memory_peak_human', bytesToHuman(st.peak)],
    ['used_memory_peak_perc', perc(used, st.peak)], ['used_memory_overhead', overhead],
    ['used_memory_startup', STARTUP_BYTES], ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', perc(dataset, used - STARTUP_BYTES)],
    ['allocator_allocated', used], ['allocator_active', used], ['allocator_resident', used],
    ['total_system_memory', 0], ['total_system_memory_human', '0B'],
    ['used_memory_lua', 0], ['used_memory_vm_eval', 0], ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0], ['number_of_cached_scripts', 0], ['number_of_functions', 0],
    ['number_of_libraries', 0], ['used_memory_vm_functions', 0], ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'], ['used_memory_functions', 0], ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'], ['maxmemory', maxmemory], ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', e.config.value('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'], ['allocator_frag_bytes', 0], ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0], ['rss_overhead_ratio', '1.00'], ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', '1.00'], ['mem_fragmentation_bytes', 0], ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0], ['mem_total_replication_buffers', 0], ['mem_clients_slaves', 0],
    ['mem_clients_normal', e.clients.size * CLIENT_BYTES], ['mem_cluster_links', 0], ['mem_aof_buffer', 0],
    ['mem_allocator', 'js'], ['active_defrag_running', 0], ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

/** What a Redis that never saved shows; the persistence layer overrides these with its own. */
function persistence(e: Engine): InfoFields {
  return [
    ['loading', 0], ['async_loading', 0], ['current_cow_peak', 0], ['current_cow_size', 0],
    ['current_cow_size_age', 0], ['current_fork_perc', '0.00'], ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0], ['rdb_changes_since_last_save', e.dirty], ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(e.stats.startedAt / 1000)], ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1], ['rdb_current_bgsave_time_sec', -1], ['rdb_saves', 0],
    ['rdb_last_cow_size', 0], ['rdb_last_load_keys_expired', 0], ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', e.config.value('appendonly') === 'yes' ? 1 : 0], ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0], ['aof_last_rewrite_time_sec', -1], ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'], ['aof_rewrites', 0], ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'], ['aof_last_cow_size', 0], ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

function stats(e: Engine): InfoFields {
  const s = e.stats;
  const zeros = (...names: string[]): InfoFields => names.map((n) => [n, 0]);
  return [
    ['total_connections_received', s.connections], ['total_commands_processed', s.commandsProcessed],
    ['instantaneous_ops_per_sec', s.opsPerSec.perSecond],
    ...zeros('total_net_input_bytes', 'total_net_output_bytes', 'total_net_repl_input_bytes', 'total_net_repl_output_bytes'),
    ['instantaneous_input_kbps', '0.00'], ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'], ['instantaneous_output_repl_kbps', '0.00'],
    ...zeros('rejected_connections', 'sync_full', 'sync_partial_ok', 'sync_partial_err'),
    ['expired_keys', s.expiredKeys], ['expired_stale_perc', '0.00'],
    ...zeros('expired_time_cap_reached_count', 'expire_cycle_cpu_milliseconds', 'evicted_keys', 'evicted_clients',
      'total_eviction_exceeded_time', 'current_eviction_exceeded_time'),
    ['keyspace_hits', e.ks.hits], ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', e.pubsub.channels.size], ['pubsub_patterns', e.pubsub.patterns.size],
    ['pubsubshard_channels', e.pubsub.shardChannels.size],
    ...zeros('latest_fork_usec', 'total_forks', 'migrate_cached_sockets', 'slave_expires_tracked_keys',
      'active_defrag_hits', 'active_defrag_misses', 'active_defrag_key_hits', 'active_defrag_key_misses',
      'total_active_defrag_time', 'current_active_defrag_time', 'tracking_total_keys', 'tracking_total_items',
      'tracking_total_prefixes', 'unexpected_error_replies'),
    ['total_error_replies', s.totalErrorReplies],
    ...zeros('dump_payload_sanitizations', 'total_reads_processed', 'total_writes_processed',
      'io_threaded_reads_processed', 'io_threaded_writes_processed', 'reply_buffer_shrinks', 'reply_buffer_expands'),
  ];
}

function replication(e: Engine): InfoFields {
  return [
    ['role', 'master'], ['connected_slaves', 0], ['master_failover_state', 'no-failover'],
    ['master_replid', stateOf(e).replId], ['master_replid2', '0'.repeat(40)], ['master_repl_offset', 0],
    ['second_repl_offset', -1], ['repl_backlog_active', 0], ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0], ['repl_backlog_histlen', 0],
  ];
}

function cpu(): InfoFields {
  return ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children',
    'used_cpu_sys_main_thread', 'used_cpu_user_main_thread'].map((n) => [n, '0.000000']);
}

function commandstats(e: Engine): InfoFields {
  const out: InfoFields = [];
  for (const [name, s] of e.stats.commands) {
    if (s.calls === 0 && s.failedCalls === 0 && s.rejectedCalls === 0) continue;
    const usec = Math.floor(s.usec);
    out.push([`cmdstat_${name}`, `calls=${s.calls},usec=${usec},usec_per_call=${fixed2(s.calls === 0 ? 0 : usec / s.calls)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`]);
  }
  return out;
}

function errorstats(e: Engine): InfoFields {
  return [...e.stats.errors].map(([prefix, n]) => [`errorstat_${prefix}`, `count=${n}`]);
}

function keyspace(e: Engine): InfoFields {
  const out: InfoFields = [];
  e.ks.dbs.forEach((db, i) => {
    if (db.keys.size === 0 && db.expires.size === 0) return;
    out.push([`db${i}`, `keys=${db.keys.size},expires=${db.expires.size},avg_ttl=${Math.floor(db.avgTtl)}`]);
  });
  return out;
}

const BUILDERS: Record<Section, (e: Engine) => InfoFields> = {
  server, clients, memory, persistence, stats, replication, cpu,
  modules: () => [], commandstats, errorstats, latencystats: () => [],
  cluster: () => [['cluster_enabled', 0]], keyspace,
};

function fieldsOf(e: Engine, section: Section): InfoFields {
  const fields = BUILDERS[section](e);
  const providers = states.get(e)?.providers.get(section);
  if (!providers) return fields;
  const index = new Map(fields.map(([k], i) => [k, i]));
  for (const p of providers) {
    for (const [k, v] of p()) {
      const i = index.get(k);
      if (i === undefined) index.set(k, fields.push([k, v]) - 1);
      else fields[i] = [k, v];
    }
  }
  return fields;
}

/** Which sections `INFO args...` prints: default, all, everything or names, in Redis's order. */
function selected(args: readonly string[]): Section[] {
  if (args.length === 0) return SECTIONS.filter((s) => DEFAULT.has(s));
  const want = new Set<Section>();
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === 'all' || a === 'everything') return [...SECTIONS];
    if (a === 'default') for (const s of DEFAULT) want.add(s);
    else if ((SECTIONS as readonly string[]).includes(a)) want.add(a as Section);
  }
  return SECTIONS.filter((s) => want.has(s));
}

/** The INFO text for `args` (the section names after INFO). */
export function infoString(engine: Engine, args: readonly string[] = []): string {
  const parts: string[] = [];
  for (const section of selected(args)) {
    let text = `# ${TITLES[section]}\r\n`;
    for (const [k, v] of fieldsOf(engine, section)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}
