/**
 * The part of DeepFlow's querier schema the extension queries, as allow-lists. Names follow the
 * querier's table descriptions in deepflowio/deepflow v7.1.8
 * (server/querier/db_descriptions/clickhouse/{tag,metrics}/{flow_metrics/network,flow_metrics/network_map,flow_log/l4_flow_log}):
 * `network` carries one endpoint per row, `network_map` a client (`_0`) / server (`_1`) pair, and
 * `l4_flow_log` one row per flow. Nothing outside these lists can appear in a statement.
 */

export type QuerierDb = 'flow_metrics' | 'flow_log' | 'deepflow_tenant';

/**
 * Tables as the querier names them. The flow_metrics tables are stored per precision
 * (`network.1m`, `network.1s`), but the querier's table and metric lookup knows only the bare names
 * and picks the stored table from the `data_precision` form field (router/query.go reads it into
 * DataSource; engine/clickhouse/clickhouse.go reads `<db>.<table>.<precision>`). A dotted name in
 * FROM fails translation ("function: Sum(byte) not support").
 */
export type TableName = 'network' | 'network_map' | 'l4_flow_log';

export const TABLE_DB: Readonly<Record<TableName, QuerierDb>> = {
  network:     'flow_metrics',
  network_map: 'flow_metrics',
  l4_flow_log: 'flow_log',
};

/**
 * The flow_metrics rows the extension reads: minute rows, or the hourly rollups for long ranges. DeepFlow v7.1.8
 * keeps both out of the box: its ingester creates `network.1h` and `network_map.1h` beside the minute tables
 * (server/ingester/pkg/ckwriter/ckwriter.go initTable for tables with Aggr1H1D, recorded in
 * tests/contract/fixtures/deepflow-v7.1.8-ddl.json: `<table>.1h_mv` sums `<table>.1m_local` per toStartOfHour), and
 * a fresh install registers their data sources (server/controller/db/metadb/migrator/schema/rawsql/mysql/dml_insert.sql:
 * id 2 "1m" kept 7 days, id 21 "1h" kept 30 days), which the querier looks up for `data_precision`
 * (engine/clickhouse/common/utils.go GetDatasourceInterval). The time filter passes to ClickHouse unchanged (recorded),
 * so an hourly row counts when its hour's start is in the range.
 */
export type DataPrecision = '1m' | '1h';

/** Seconds one row of each precision covers. */
export const PRECISION_SECONDS: Readonly<Record<DataPrecision, number>> = { '1m': 60, '1h': 3600 };

/** The `data_precision` a table needs: flow_metrics tables do not resolve without one. */
export function tablePrecision(name: TableName, precision: DataPrecision = '1m'): DataPrecision | undefined {
  return TABLE_DB[name] === 'flow_metrics' ? precision : undefined;
}

/** Aggregate functions of the querier's SQL dialect we use (case as in DeepFlow's docs). */
export type AggregateFunction = 'Sum' | 'Avg' | 'Max' | 'Min' | 'Uniq';

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set<AggregateFunction>(['Sum', 'Avg', 'Max', 'Min', 'Uniq']);

/**
 * Endpoint tags that exist once per row in `network` and twice (`_0`, `_1`) in the map and log tables.
 * `chost` is left out on purpose: grouping by it makes the querier add `l3_device_id!=0 AND
 * l3_device_type=1` (engine/clickhouse/clickhouse.go, the "vpc/l2_vpc not null filter" for GROUP BY),
 * which drops every peer that is not a cloud VM; `auto_instance` names a chost where there is one.
 */
const ENDPOINT_TAGS = [
  'ip', 'pod', 'pod_ns', 'pod_node', 'pod_group', 'pod_cluster', 'pod_service', 'auto_instance', 'auto_service',
] as const;

const SIDES = ['_0', '_1'] as const;

const sided = (tags: readonly string[]): string[] => tags.flatMap((t) => SIDES.map((s) => `${ t }${ s }`));

const FLOW_METRICS = [
  'byte', 'byte_tx', 'byte_rx', 'packet', 'packet_tx', 'packet_rx', 'new_flow', 'closed_flow',
  'retrans', 'retrans_tx', 'retrans_rx', 'zero_win', 'tcp_establish_fail', 'client_establish_fail', 'server_establish_fail',
  'rtt', 'rtt_client', 'rtt_server', 'srt', 'art',
];

const FLOW_LOG_METRICS = [
  'byte', 'byte_tx', 'byte_rx', 'packet', 'packet_tx', 'packet_rx', 'retrans', 'retrans_tx', 'retrans_rx',
  'tcp_establish_fail', 'rtt', 'duration', 'new_flow', 'closed_flow',
];

interface TableSchema {
  tags: ReadonlySet<string>;
  metrics: ReadonlySet<string>;
}

const networkTable: TableSchema = {
  tags:    new Set(['time', ...ENDPOINT_TAGS, 'protocol', 'server_port', 'role']),
  metrics: new Set(FLOW_METRICS),
};

const networkMapTable: TableSchema = {
  tags:    new Set(['time', ...sided(ENDPOINT_TAGS), 'protocol', 'server_port']),
  metrics: new Set(FLOW_METRICS),
};

const flowLogTable: TableSchema = {
  tags: new Set([
    'time', '_id', ...sided(ENDPOINT_TAGS), 'protocol', 'server_port', 'client_port', 'start_time', 'end_time', 'close_type', 'status',
  ]),
  metrics: new Set(FLOW_LOG_METRICS),
};

export const TABLES: Readonly<Record<TableName, TableSchema>> = {
  network:     networkTable,
  network_map: networkMapTable,
  l4_flow_log: flowLogTable,
};

/**
 * The stored ClickHouse columns behind the `ip` tags, for address lists (sql.ts anyAddress): `is_ipv4` (UInt8) and
 * `ip4`/`ip6` in `network`, `ip4_0`, `ip4_1`, `ip6_0`, `ip6_1` in `network_map` and `l4_flow_log` (IPv4/IPv6), as
 * DeepFlow v7.1.8's ingester creates them (tests/contract/fixtures/deepflow-v7.1.8-ddl.json) and as the `ip` tag's
 * translation reads them (`if(is_ipv4=1, IPv4NumToString(ip4), IPv6NumToString(ip6))`, recorded). They are not
 * tags: the querier passes them through to ClickHouse as written (probe/stored-address-columns).
 */
export const ADDRESS_COLUMNS: Readonly<Record<TableName, ReadonlySet<string>>> = {
  network:     new Set(['is_ipv4', 'ip4', 'ip6']),
  network_map: new Set(['is_ipv4', ...sided(['ip4', 'ip6'])]),
  l4_flow_log: new Set(['is_ipv4', ...sided(['ip4', 'ip6'])]),
};

/** IP protocols users can filter by, with their IANA numbers (DeepFlow's `protocol` enum). */
export const PROTOCOLS = {
  icmp:   1,
  tcp:    6,
  udp:    17,
  icmpv6: 58,
  sctp:   132,
} as const;

export type ProtocolName = keyof typeof PROTOCOLS;

export function isProtocolName(value: unknown): value is ProtocolName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PROTOCOLS, value);
}

/** The protocol name for an IANA number, or undefined for numbers outside the filterable set. */
export function protocolName(num: number): ProtocolName | undefined {
  return (Object.keys(PROTOCOLS) as ProtocolName[]).find((name) => PROTOCOLS[name] === num);
}

/**
 * DeepFlow's own statistics of its agents (database `deepflow_tenant`; DeepFlow 7.1.8 stores them in
 * `deepflow_tenant.deepflow_collector` with `virtual_table_name` = the table below, tags in
 * `tag_names`/`tag_values` and metrics in `metrics_float_names`/`metrics_float_values`:
 * ingester/ext_metrics/dbwriter/ext_metrics.go; the querier maps `tag.<name>` and `metrics.<name>`
 * onto those arrays, engine/clickhouse/{from.go GetVirtualTableFilter, metrics/ext_common.go}).
 * The names are the ones DeepFlow's "DeepFlow Agent" dashboard reads (deepflowio/deepflow-dashboards
 * dashboards/DeepFlow-System/DeepFlow-Agent.json): `tag.host` is the agent's host name.
 */
export type AgentTableName = 'deepflow_agent_dispatcher' | 'deepflow_agent_flow_map';

export const AGENT_TABLES: Readonly<Record<AgentTableName, TableSchema>> = {
  // Panels "Packets per Second" (rx), "Packet Drops in Kernel (Agent Can't Process)" (kernel_drops).
  deepflow_agent_dispatcher: { tags: new Set(['host']), metrics: new Set(['rx', 'kernel_drops']) },
  // Panels "Packet drop by out-of-window" (drop_by_window), "Packet drop by out-of-capacity" (drop_by_capacity).
  deepflow_agent_flow_map:   { tags: new Set(['host']), metrics: new Set(['drop_by_window', 'drop_by_capacity']) },
};
