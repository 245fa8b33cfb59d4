/**
 * One builder per view. Each aggregates on the server (GROUP BY / ORDER BY / LIMIT) so the browser
 * receives summaries, and returns the statement with the typed columns it yields.
 *
 * Endpoint matching: DeepFlow does not tag virt-launcher pods (deepflowio/deepflow#3244), so a VM
 * is found by its IPs; a scope therefore matches an endpoint by tag (namespace / pod) OR by IP.
 */
import { QUERY_LIMITS } from './constants';
import { ColumnSpecs, PreparedQuery } from './query-types';
import {
  DataPrecision, PRECISION_SECONDS, PROTOCOLS, ProtocolName, TABLE_DB, TableName, isProtocolName, tablePrecision
} from './schema';
import {
  QueryBuildError, SortDirection, SqlFragment, TimeRange, aggregate, alias, and, anyAddress, anyEqual, column, intLiteral, ipLiteral, nameLiteral, or,
  selectStatement, sql, timeBucket, timeCondition
} from './sql';

export interface QueryWindow {
  range: TimeRange;
  /** The current time in unix seconds; ranges ending after it (plus a minute of skew) are rejected. */
  nowSeconds: number;
  /** Which flow_metrics rows to read (schema.ts DataPrecision); minute rows when not given. */
  precision?: DataPrecision;
}

/** Who a view is about. Any given part may match: (namespace [and pod]) by DeepFlow tag, or IP. */
export interface EndpointScope {
  namespace?: string;
  pods?: string[];
  ips?: string[];
}

/** Narrowing filters from the filter bar; all given filters must hold. */
export interface FlowFilters {
  /** Either endpoint in this namespace (DeepFlow's pod_ns tag). */
  namespace?: string;
  /** Either endpoint is this pod. */
  pod?: string;
  /** Either endpoint has this address. */
  ip?: string;
  /** The server port. */
  port?: number;
  protocol?: ProtocolName;
}

type Side = '' | '_0' | '_1';

function nonEmpty(values: readonly string[] | undefined): string[] {
  return (values ?? []).filter((v) => v !== '');
}

function scopeSide(tableName: TableName, scope: EndpointScope, side: Side): SqlFragment {
  const parts: SqlFragment[] = [];
  const pods = nonEmpty(scope.pods);
  const ips = nonEmpty(scope.ips);
  const tagParts: SqlFragment[] = [];

  if (scope.namespace) {
    tagParts.push(sql`${ column(tableName, `pod_ns${ side }`) }=${ nameLiteral(scope.namespace, 'namespace') }`);
  }
  if (pods.length) {
    tagParts.push(anyEqual(column(tableName, `pod${ side }`), pods.map((p) => nameLiteral(p, 'pod'))));
  }
  if (tagParts.length) {
    parts.push(and(...tagParts));
  }
  if (ips.length) {
    parts.push(anyAddress(tableName, side, ips));
  }
  if (parts.length === 0) {
    throw new QueryBuildError('invalid-option', { option: 'scope' });
  }

  return or(...parts);
}

function scopeCondition(tableName: TableName, scope: EndpointScope, sided: boolean): SqlFragment {
  return sided ? or(scopeSide(tableName, scope, '_0'), scopeSide(tableName, scope, '_1')) : scopeSide(tableName, scope, '');
}

function eitherSide(tableName: TableName, tag: string, sided: boolean, value: SqlFragment): SqlFragment {
  if (!sided) {
    return sql`${ column(tableName, tag) }=${ value }`;
  }

  return or(sql`${ column(tableName, `${ tag }_0`) }=${ value }`, sql`${ column(tableName, `${ tag }_1`) }=${ value }`);
}

function filterConditions(tableName: TableName, filters: FlowFilters | undefined, sided: boolean): SqlFragment[] {
  const out: SqlFragment[] = [];

  if (!filters) {
    return out;
  }
  if (filters.namespace) {
    out.push(eitherSide(tableName, 'pod_ns', sided, nameLiteral(filters.namespace, 'namespace')));
  }
  if (filters.pod) {
    out.push(eitherSide(tableName, 'pod', sided, nameLiteral(filters.pod, 'pod')));
  }
  if (filters.ip) {
    out.push(eitherSide(tableName, 'ip', sided, ipLiteral(filters.ip)));
  }
  if (filters.port !== undefined) {
    out.push(sql`${ column(tableName, 'server_port') }=${ intLiteral(filters.port, 0, 65535) }`);
  }
  if (filters.protocol !== undefined) {
    if (!isProtocolName(filters.protocol)) {
      throw new QueryBuildError('invalid-option', { option: 'protocol', value: String(filters.protocol) });
    }
    out.push(sql`${ column(tableName, 'protocol') }=${ intLiteral(PROTOCOLS[filters.protocol], 0, 255) }`);
  }

  return out;
}

function whereParts(tableName: TableName, window: QueryWindow, scope: EndpointScope | undefined, filters: FlowFilters | undefined, sided: boolean) {
  const where = [timeCondition(window.range, window.nowSeconds)];

  if (scope) {
    where.push(scopeCondition(tableName, scope, sided));
  }

  return [...where, ...filterConditions(tableName, filters, sided)];
}

function prepared<S extends ColumnSpecs>(tableName: TableName, window: QueryWindow, statement: SqlFragment, columns: S): PreparedQuery<S> {
  const dataPrecision = tablePrecision(tableName, window.precision);

  return {
    db: TABLE_DB[tableName], sql: statement.text, columns, ...(dataPrecision ? { dataPrecision } : {})
  };
}

// ---------------------------------------------------------------------------------------------
// Top talkers (flow_metrics `network`: one endpoint per row)

/**
 * What one talker query ranks, grouped by what the view shows so the LIMIT cuts the right list:
 * - pod: DeepFlow's pod tag (pod_ns, pod);
 * - namespace: DeepFlow's pod_ns tag;
 * - address: given addresses (a VM's NICs: DeepFlow does not tag virt-launcher pods, #3244), or every address,
 *   with pod_ns so traffic the tag already counts is not counted twice.
 */
export type TalkerQueryGroup = 'pod' | 'namespace' | 'address';
export type TalkerQueryRank = 'bytes' | 'connections';

export interface TopTalkersQueryOptions {
  window: QueryWindow;
  groupBy: TalkerQueryGroup;
  rankBy?: TalkerQueryRank;
  limit?: number;
  scope?: EndpointScope;
  /** With groupBy 'address': the addresses to rank (non-empty); without, every address. */
  addresses?: string[];
}

const GROUP_COLUMNS: Record<TalkerQueryGroup, { endpoint: string; tags: string[] }> = {
  pod:       { endpoint: 'pod', tags: ['pod_ns', 'pod'] },
  namespace: { endpoint: 'pod_ns', tags: ['pod_ns'] },
  address:   { endpoint: 'ip', tags: ['ip', 'pod_ns'] },
};

const talkerColumns = (endpoint: string) => ({
  endpoint:  { column: endpoint, kind: 'text' as const },
  namespace: { column: 'pod_ns', kind: 'text' as const },
  bytesTx:   { column: 'sum_byte_tx', kind: 'count' as const },
  bytesRx:   { column: 'sum_byte_rx', kind: 'count' as const },
  bytes:     { column: 'sum_byte', kind: 'count' as const },
  packets:   { column: 'sum_packet', kind: 'count' as const },
  newFlows:  { column: 'sum_new_flow', kind: 'count' as const },
});

export type TalkerColumns = ReturnType<typeof talkerColumns>;

export function topTalkersQuery(options: TopTalkersQueryOptions): PreparedQuery<TalkerColumns> {
  const t: TableName = 'network';
  const groupBy = options.groupBy;
  const group = Object.prototype.hasOwnProperty.call(GROUP_COLUMNS, groupBy) ? GROUP_COLUMNS[groupBy] : undefined;

  if (!group) {
    throw new QueryBuildError('invalid-option', { option: 'groupBy', value: String(groupBy) });
  }
  const rankBy = options.rankBy ?? 'bytes';

  if (rankBy !== 'bytes' && rankBy !== 'connections') {
    throw new QueryBuildError('invalid-option', { option: 'rankBy', value: String(rankBy) });
  }
  const groupCols = group.tags.map((tag) => column(t, tag));
  const metrics = ['byte_tx', 'byte_rx', 'byte', 'packet', 'new_flow'].map((m) => aggregate('Sum', t, m));
  const where = whereParts(t, options.window, options.scope, undefined, false);

  if (groupBy === 'address') {
    if (options.addresses) {
      where.push(anyAddress(t, '', nonEmpty(options.addresses)));
    }
  } else {
    // Rows without the tag (non-pod traffic) would otherwise pile up in one '' group.
    where.push(sql`exist(${ column(t, group.endpoint) })`);
  }
  const statement = selectStatement({
    select:  [...groupCols, ...metrics.map((m) => m.expr)],
    from:    t,
    where,
    groupBy: groupCols,
    orderBy: [{ expr: alias(rankBy === 'bytes' ? 'sum_byte' : 'sum_new_flow'), dir: 'desc' }],
    limit:   options.limit ?? 50,
  });

  return prepared(t, options.window, statement, talkerColumns(group.endpoint));
}

// ---------------------------------------------------------------------------------------------
// Edges (flow_metrics `network_map`: client `_0`, server `_1`)

export interface EdgesQueryOptions {
  window: QueryWindow;
  scope?: EndpointScope;
  filters?: FlowFilters;
  limit?: number;
}

/**
 * No `chost`: see schema.ts (grouping by it keeps only VM-to-VM flows). No `auto_service` or `auto_instance`: no view
 * reads them (every network_map row has an address, and an address decides the endpoint: enrichment/enrich.ts).
 * `auto_instance` alone is four more GROUP BY keys per side in DeepFlow's translation (its IPv4, IPv6, type and id).
 * Without it the edge statement over the scale seed took ClickHouse 29 % less time and CPU
 * (tests/bench/clickhouse-flows-bench.py, net of chdb's cost per call).
 */
const EDGE_TAGS = ['ip', 'pod', 'pod_ns', 'pod_node'] as const;

const EDGE_METRICS = [
  ['Sum', 'byte'], ['Sum', 'byte_tx'], ['Sum', 'byte_rx'], ['Sum', 'packet_tx'], ['Sum', 'packet_rx'], ['Avg', 'rtt'],
  ['Sum', 'retrans'], ['Sum', 'tcp_establish_fail'], ['Sum', 'new_flow'],
] as const;

export const EDGE_COLUMNS = {
  clientIp:          { column: 'ip_0', kind: 'text' },
  serverIp:          { column: 'ip_1', kind: 'text' },
  clientPod:         { column: 'pod_0', kind: 'text' },
  serverPod:         { column: 'pod_1', kind: 'text' },
  clientNamespace:   { column: 'pod_ns_0', kind: 'text' },
  serverNamespace:   { column: 'pod_ns_1', kind: 'text' },
  clientNode:        { column: 'pod_node_0', kind: 'text' },
  serverNode:        { column: 'pod_node_1', kind: 'text' },
  protocol:          { column: 'protocol', kind: 'integer' },
  serverPort:        { column: 'server_port', kind: 'integer' },
  bytes:             { column: 'sum_byte', kind: 'count' },
  bytesTx:           { column: 'sum_byte_tx', kind: 'count' },
  bytesRx:           { column: 'sum_byte_rx', kind: 'count' },
  packetsTx:         { column: 'sum_packet_tx', kind: 'count' },
  packetsRx:         { column: 'sum_packet_rx', kind: 'count' },
  rttUs:             { column: 'avg_rtt', kind: 'measure' },
  retrans:           { column: 'sum_retrans', kind: 'count' },
  tcpEstablishFail:  { column: 'sum_tcp_establish_fail', kind: 'count' },
  newFlows:          { column: 'sum_new_flow', kind: 'count' },
} as const;

export type EdgeColumns = typeof EDGE_COLUMNS;

/** Client/server pairs with traffic totals, biggest first. */
export function edgesQuery(options: EdgesQueryOptions): PreparedQuery<EdgeColumns> {
  const t: TableName = 'network_map';
  const tags = EDGE_TAGS.flatMap((tag) => [column(t, `${ tag }_0`), column(t, `${ tag }_1`)]);
  const groupCols = [...tags, column(t, 'protocol'), column(t, 'server_port')];
  const metrics = EDGE_METRICS.map(([fn, m]) => aggregate(fn, t, m));
  const statement = selectStatement({
    select:  [...groupCols, ...metrics.map((m) => m.expr)],
    from:    t,
    where:   whereParts(t, options.window, options.scope, options.filters, true),
    groupBy: groupCols,
    orderBy: [{ expr: alias('sum_byte'), dir: 'desc' }],
    limit:   options.limit ?? 2000,
  });

  return prepared(t, options.window, statement, EDGE_COLUMNS);
}

export interface VmRef {
  namespace: string;
  /** The addresses of the VM's NICs (VMI status.interfaces[].ipAddress(es)). */
  ips: string[];
  /** The virt-launcher pod, matched by tag when DeepFlow's KubeVirt plugin tags it. */
  launcherPod?: string;
}

/** Every peer of one VM: edges where either side is one of its IPs or its virt-launcher pod. */
export function vmPeersQuery(options: { window: QueryWindow; vm: VmRef; filters?: FlowFilters; limit?: number }): PreparedQuery<EdgeColumns> {
  const { vm } = options;
  const scope: EndpointScope = { ips: vm.ips };

  if (vm.launcherPod) {
    scope.namespace = vm.namespace;
    scope.pods = [vm.launcherPod];
  }

  return edgesQuery({
    window: options.window, scope, filters: options.filters, limit: options.limit ?? 500
  });
}

/** Every peer of one pod, by its DeepFlow tags and (when known) its IPs. */
export function podPeersQuery(options: {
  window: QueryWindow; namespace: string; pod: string; ips?: string[]; filters?: FlowFilters; limit?: number
}): PreparedQuery<EdgeColumns> {
  return edgesQuery({
    window:  options.window,
    scope:   { namespace: options.namespace, pods: [options.pod], ips: options.ips },
    filters: options.filters,
    limit:   options.limit ?? 500,
  });
}

// ---------------------------------------------------------------------------------------------
// Traffic over time (flow_metrics `network`) for one endpoint

/** Bucket sizes offered (whole minutes; hourly rows take the whole hours among them). */
export const BUCKET_STEPS_SECONDS = [60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400] as const;

/** The smallest bucket, at least one row of `precision` long, that keeps a range within `maxPoints` points. */
export function bucketSecondsFor(range: TimeRange, maxPoints = 360, precision: DataPrecision = '1m'): number {
  const span = Math.max(1, range.end - range.start);
  const steps = BUCKET_STEPS_SECONDS.filter((b) => b % PRECISION_SECONDS[precision] === 0);

  return steps.find((b) => Math.ceil(span / b) <= maxPoints) ?? steps[steps.length - 1];
}

export const SERIES_COLUMNS = {
  time:     { column: 'time_bucket', kind: 'time' },
  bytesTx:  { column: 'sum_byte_tx', kind: 'count' },
  bytesRx:  { column: 'sum_byte_rx', kind: 'count' },
  packets:  { column: 'sum_packet', kind: 'count' },
  newFlows: { column: 'sum_new_flow', kind: 'count' },
  retrans:  { column: 'sum_retrans', kind: 'count' },
} as const;

export type SeriesColumns = typeof SERIES_COLUMNS;

export interface TrafficSeriesQueryOptions {
  window: QueryWindow;
  endpoint: EndpointScope;
  bucketSeconds?: number;
  filters?: FlowFilters;
}

export function trafficSeriesQuery(options: TrafficSeriesQueryOptions): PreparedQuery<SeriesColumns> {
  const t: TableName = 'network';
  const where = whereParts(t, options.window, options.endpoint, options.filters, false);
  const range = options.window.range;
  const precision = options.window.precision ?? '1m';
  const row = PRECISION_SECONDS[precision];
  const bucket = options.bucketSeconds ?? bucketSecondsFor(range, undefined, precision);

  // A bucket holds whole rows: DeepFlow's time(time, N) over hourly rows puts each hour in one bucket.
  if (!Number.isSafeInteger(bucket) || bucket < row || bucket > 86400 || bucket % row !== 0) {
    throw new QueryBuildError('invalid-number', { value: String(bucket), min: row, max: 86400 });
  }
  const buckets = Math.ceil((range.end - range.start) / bucket);

  if (buckets > QUERY_LIMITS.maxBuckets) {
    throw new QueryBuildError('invalid-option', { option: 'bucketSeconds', value: bucket });
  }
  const metrics = ['byte_tx', 'byte_rx', 'packet', 'new_flow', 'retrans'].map((m) => aggregate('Sum', t, m));
  const statement = selectStatement({
    select:  [timeBucket(bucket, 'time_bucket', row, 86400), ...metrics.map((m) => m.expr)],
    from:    t,
    where,
    groupBy: [alias('time_bucket')],
    orderBy: [{ expr: alias('time_bucket'), dir: 'asc' }],
    limit:   Math.min(QUERY_LIMITS.maxRows, buckets + 1),
  });

  return prepared(t, options.window, statement, SERIES_COLUMNS);
}

// ---------------------------------------------------------------------------------------------
// Flow records (flow_log `l4_flow_log`), paged

export const FLOW_SORT_COLUMNS = ['start_time', 'end_time', 'byte', 'packet', 'rtt', 'duration'] as const;
export type FlowSortColumn = typeof FLOW_SORT_COLUMNS[number];

export const FLOW_RECORD_COLUMNS = {
  startTime:       { column: 'start_time', kind: 'time' },
  endTime:         { column: 'end_time', kind: 'time' },
  clientIp:        { column: 'ip_0', kind: 'text' },
  serverIp:        { column: 'ip_1', kind: 'text' },
  clientPort:      { column: 'client_port', kind: 'integer' },
  serverPort:      { column: 'server_port', kind: 'integer' },
  protocol:        { column: 'protocol', kind: 'integer' },
  clientPod:       { column: 'pod_0', kind: 'text' },
  serverPod:       { column: 'pod_1', kind: 'text' },
  clientNamespace: { column: 'pod_ns_0', kind: 'text' },
  serverNamespace: { column: 'pod_ns_1', kind: 'text' },
  clientNode:      { column: 'pod_node_0', kind: 'text' },
  serverNode:      { column: 'pod_node_1', kind: 'text' },
  bytes:           { column: 'byte', kind: 'count' },
  bytesTx:         { column: 'byte_tx', kind: 'count' },
  bytesRx:         { column: 'byte_rx', kind: 'count' },
  packets:         { column: 'packet', kind: 'count' },
  rttUs:           { column: 'rtt', kind: 'measure' },
  durationUs:      { column: 'duration', kind: 'measure' },
  retrans:         { column: 'retrans', kind: 'count' },
  closeType:       { column: 'close_type', kind: 'integer' },
  status:          { column: 'status', kind: 'integer' },
} as const;

export type FlowRecordColumns = typeof FLOW_RECORD_COLUMNS;

export interface FlowRecordsQueryOptions {
  window: QueryWindow;
  filters?: FlowFilters;
  scope?: EndpointScope;
  sortBy?: FlowSortColumn;
  direction?: SortDirection;
  /** Rows per page, 1..500. */
  pageSize?: number;
  /** Zero-based page. */
  page?: number;
}

export const MAX_FLOW_PAGE_SIZE = 500;

export function flowRecordsQuery(options: FlowRecordsQueryOptions): PreparedQuery<FlowRecordColumns> {
  const t: TableName = 'l4_flow_log';
  const sortBy = options.sortBy ?? 'start_time';

  if (!(FLOW_SORT_COLUMNS as readonly string[]).includes(sortBy)) {
    throw new QueryBuildError('invalid-option', { option: 'sortBy', value: String(sortBy) });
  }
  const pageSize = options.pageSize ?? 100;
  const page = options.page ?? 0;

  intLiteral(pageSize, 1, MAX_FLOW_PAGE_SIZE);
  intLiteral(page, 0, Math.floor(QUERY_LIMITS.maxOffset / pageSize));
  const select = Object.values(FLOW_RECORD_COLUMNS).map((c) => column(t, c.column));
  const statement = selectStatement({
    select,
    from:    t,
    where:   whereParts(t, options.window, options.scope, options.filters, true),
    orderBy: [{ expr: column(t, sortBy), dir: options.direction ?? 'desc' }],
    limit:   pageSize,
    offset:  page * pageSize,
  });

  return prepared(t, options.window, statement, FLOW_RECORD_COLUMNS);
}

/** A range of `seconds` ending at `nowSeconds` (whole seconds). */
export function rangeEndingAt(nowSeconds: number, seconds: number): TimeRange {
  const end = Math.floor(nowSeconds);

  return { start: end - Math.floor(seconds), end };
}
