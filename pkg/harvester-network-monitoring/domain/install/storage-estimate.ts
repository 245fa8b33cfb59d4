import { gibibytes } from './quantity';

/**
 * How much ClickHouse storage the chosen retention needs, from the node and VM counts. The same formula and its
 * sources are in the chart README ("Storage estimate").
 *
 *   flows/s      = nodes x FLOWS_PER_NODE + VMs x FLOWS_PER_VM                       (assumption, see below)
 *   flow logs/d  = flows/s x 86,400 x 150 B                                            (DeepFlow: ~150 B per l4_flow_log row)
 *   metrics/d    = flow logs/d x 1/10                                                  (DeepFlow: flow_metrics ~1/10 of the logs)
 *   stored       = flow logs/d x flow-log days + metrics/d x metrics days
 *   volume       = stored / (diskCleanupUsedPercent / 100)                            (DeepFlow drops the oldest data above it)
 *
 * Sources: DeepFlow documentation "Reducing Storage Overhead" (https://www.deepflow.io/docs/best-practice/
 * reduce-storage-overhead/; deepflowio/docs commit b7cdfe9, translate/translated/04-best-practice/
 * 04-reduce-storage-overhead.md): an l4_flow_log row takes about 150 bytes in ClickHouse and flow_metrics about a
 * tenth of the flow logs. The disk-cleanup threshold is the chart's retention.diskCleanupUsedPercent
 * (DeepFlow 7.1.8 server.yaml ingester.ck-disk-monitor). Metrics are counted for the 1-minute retention as a whole
 * (the 1-second table keeps 24 hours), which errs on the large side.
 *
 * The flow rates are this product's assumption, not DeepFlow's: a Harvester node's own traffic (kubelet, Longhorn
 * replicas, the API server, monitoring) and a VM's typical mix of client and server connections. A VM that serves
 * many short connections (a web front end, DNS) can exceed it many times; the README says how to measure it.
 */
export const FLOW_LOG_BYTES = 150;
export const METRICS_SHARE = 0.1;
export const FLOWS_PER_NODE = 20;
export const FLOWS_PER_VM = 5;
const SECONDS_PER_DAY = 86_400;
const GIB = 2 ** 30;

export interface StorageEstimateInput {
  nodeCount: number;
  vmCount: number;
  flowLogHours: number;
  flowMetricsHours: number;
  /** retention.diskCleanupUsedPercent of the chart. */
  cleanupUsedPercent: number;
  /** ClickHouse nodes the data is spread over (the chart's clickhouse.replicas). */
  clickhouseNodes: number;
  /** The volume size of each ClickHouse node (clickhouse.persistence.size). */
  volumeSize: string;
}

export interface StorageEstimate {
  flowsPerSecond: number;
  /** What one day adds, in GiB (flow logs + metrics). */
  perDayGi: number;
  /** What the retention keeps at most, in GiB. */
  storedGi: number;
  /** The total volume that keeps it below the cleanup threshold, in GiB, and per ClickHouse node. */
  neededGi: number;
  neededPerNodeGi: number;
  /** Total volume the settings give (per-node size x nodes), in GiB; undefined when the size is invalid. */
  volumeGi?: number;
  /** The settings' volume is smaller than needed: DeepFlow will drop data before the retention ends. */
  tooSmall: boolean;
}

const positive = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

export function estimateStorage(input: StorageEstimateInput): StorageEstimate {
  const flowsPerSecond = positive(input.nodeCount) * FLOWS_PER_NODE + positive(input.vmCount) * FLOWS_PER_VM;
  const logsPerDayGi = flowsPerSecond * SECONDS_PER_DAY * FLOW_LOG_BYTES / GIB;
  const metricsPerDayGi = logsPerDayGi * METRICS_SHARE;
  const storedGi = logsPerDayGi * positive(input.flowLogHours) / 24 + metricsPerDayGi * positive(input.flowMetricsHours) / 24;
  const threshold = Math.min(100, Math.max(1, positive(input.cleanupUsedPercent) || 100)) / 100;
  const neededGi = storedGi / threshold;
  const nodes = Math.max(1, Math.floor(positive(input.clickhouseNodes)));
  const size = gibibytes(input.volumeSize);
  const volumeGi = size === undefined ? undefined : size * nodes;

  return {
    flowsPerSecond,
    perDayGi:        logsPerDayGi + metricsPerDayGi,
    storedGi,
    neededGi,
    neededPerNodeGi: neededGi / nodes,
    volumeGi,
    tooSmall:        volumeGi !== undefined && volumeGi < neededGi,
  };
}
