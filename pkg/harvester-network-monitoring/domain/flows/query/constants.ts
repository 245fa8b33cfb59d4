/**
 * Where the DeepFlow querier lives and the bounds every query respects. The namespace and service
 * name follow the monitoring chart (charts/harvester-network-monitoring-stack: objects are named
 * "<fullnameOverride>-<component>", default `hnm-server`); change them here if the chart does.
 */
export const QUERIER = {
  namespace:       'harvester-network-monitoring',
  service:         'hnm-server',
  port:            20416,
  queryPath:       'v1/query/',
  timeoutMs:       15_000,
  /**
   * Kubernetes RBAC a user needs to reach the querier through the API server's service proxy: its SQL
   * endpoint takes POST, which the API server authorizes as `create` (k8s.io/apiserver v0.34
   * pkg/endpoints/request/requestinfo.go maps the HTTP method to the verb).
   */
  proxyPermission: { verb: 'create', resource: 'services/proxy' },
} as const;

/** Limits that keep queries cheap for ClickHouse and results small for the browser. */
export const QUERY_LIMITS = {
  /** Longest time range a query may cover (flow_metrics keeps 1m data for a week or more by default). */
  maxRangeSeconds:      31 * 24 * 3600,
  /** How far in the future `end` may lie, to absorb clock skew between browser and server. */
  maxFutureSkewSeconds: 60,
  maxRows:              10_000,
  maxOffset:            100_000,
  /** Values in one OR chain (sql.ts anyEqual), e.g. pod names. */
  maxListValues:        256,
  /**
   * Addresses in one address list (sql.ts anyAddress): the VMs of a namespace, up to 2,048 two-NIC VMs. An IN list on
   * DeepFlow's stored columns costs ClickHouse a hash lookup per row whatever its length (tests/bench/
   * clickhouse-flows-bench.py times 4,096); the bound keeps an edge statement, which lists them for both ends, near
   * 130 KB.
   */
  maxAddresses:         4_096,
  /** Characters in one string literal; Kubernetes names are at most 253. */
  maxLiteralLength:     1024,
  /** Buckets in one time series. */
  maxBuckets:           1_500,
} as const;

/** The graph view shows a table instead of a map above this many nodes (Grafana's Node Graph caps at 1,500 too). */
export const GRAPH_NODE_CAP = 1_500;
