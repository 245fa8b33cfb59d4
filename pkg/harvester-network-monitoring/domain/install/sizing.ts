import { millicores, mebibytes, gibibytes } from './quantity';

export type ProfileId = 'small' | 'medium' | 'custom';
export type SizedComponent = 'agent' | 'server' | 'clickhouse' | 'mysql' | 'grafana';

export interface ResourceSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export type ResourceSet = Record<SizedComponent, ResourceSpec>;

const spec = (reqCpu: string, reqMem: string, limCpu: string, limMem: string): ResourceSpec => ({
  requests: { cpu: reqCpu, memory: reqMem }, limits: { cpu: limCpu, memory: limMem }
});

/**
 * The chart's resource presets (sizing.profile; tests/chart pins that they match). "small" is the
 * default and fits a 3-node Harvester cluster next to its VMs; "medium" suits busier clusters.
 * The agent's small limits follow DeepFlow's default (1 core, 768Mi).
 */
export const PROFILES: Record<Exclude<ProfileId, 'custom'>, ResourceSet> = {
  small: {
    agent:      spec('100m', '256Mi', '1000m', '768Mi'),
    server:     spec('250m', '512Mi', '1000m', '2Gi'),
    clickhouse: spec('500m', '1Gi', '2000m', '4Gi'),
    mysql:      spec('100m', '512Mi', '1000m', '1Gi'),
    grafana:    spec('100m', '128Mi', '500m', '512Mi'),
  },
  medium: {
    agent:      spec('200m', '512Mi', '2000m', '1536Mi'),
    server:     spec('500m', '1Gi', '2000m', '4Gi'),
    clickhouse: spec('1000m', '2Gi', '4000m', '8Gi'),
    mysql:      spec('200m', '1Gi', '1000m', '2Gi'),
    grafana:    spec('200m', '256Mi', '1000m', '1Gi'),
  },
};

export interface SizingInput {
  nodeCount: number;
  /** Nodes that run an agent; defaults to every node. */
  agentNodeCount?: number;
  serverReplicas: number;
  /** The chart's ClickHouse nodes (each with its own volume); default 1. */
  clickhouseReplicas?: number;
  /** External databases run no pod and take no volume in the cluster. */
  externalClickhouse?: boolean;
  externalMysql?: boolean;
  resources: ResourceSet;
  clickhouseStorage: string;
  mysqlStorage: string;
}

export interface Totals {
  requests: { millicores: number; mebibytes: number };
  limits: { millicores: number; mebibytes: number };
  storageGi: number;
  /** Pods per component, as the totals count them. */
  pods: Record<SizedComponent, number>;
}

/** Sums what the install asks of the cluster; invalid quantities count as 0 (validation reports them). */
export function computeTotals(input: SizingInput): Totals {
  const pods: Record<SizedComponent, number> = {
    agent:      Math.max(0, input.agentNodeCount ?? input.nodeCount),
    server:     Math.max(0, input.serverReplicas),
    clickhouse: input.externalClickhouse ? 0 : Math.max(1, input.clickhouseReplicas ?? 1),
    mysql:      input.externalMysql ? 0 : 1,
    grafana:    1,
  };
  const totals: Totals = {
    requests: { millicores: 0, mebibytes: 0 }, limits: { millicores: 0, mebibytes: 0 }, storageGi: 0, pods
  };

  (Object.keys(pods) as SizedComponent[]).forEach((component) => {
    const r = input.resources[component];
    const n = pods[component];

    totals.requests.millicores += n * (millicores(r.requests.cpu) || 0);
    totals.requests.mebibytes += n * (mebibytes(r.requests.memory) || 0);
    totals.limits.millicores += n * (millicores(r.limits.cpu) || 0);
    totals.limits.mebibytes += n * (mebibytes(r.limits.memory) || 0);
  });
  totals.storageGi = pods.clickhouse * (gibibytes(input.clickhouseStorage) || 0) + pods.mysql * (gibibytes(input.mysqlStorage) || 0);

  return totals;
}

export type SizingError = { component: SizedComponent | 'storage'; field: string; code: 'invalid-quantity' | 'limit-below-request' };

/** Field-level problems in a resource set, so the wizard can show them next to the field. */
export function validateResources(resources: ResourceSet): SizingError[] {
  const errors: SizingError[] = [];

  (Object.keys(resources) as SizedComponent[]).forEach((component) => {
    const r = resources[component];
    const checks: [string, number | undefined][] = [
      ['requests.cpu', millicores(r.requests.cpu)], ['requests.memory', mebibytes(r.requests.memory)],
      ['limits.cpu', millicores(r.limits.cpu)], ['limits.memory', mebibytes(r.limits.memory)],
    ];

    checks.forEach(([field, value]) => {
      if (value === undefined || value <= 0) {
        errors.push({ component, field, code: 'invalid-quantity' });
      }
    });
    if ((millicores(r.limits.cpu) || 0) < (millicores(r.requests.cpu) || 0)) {
      errors.push({ component, field: 'limits.cpu', code: 'limit-below-request' });
    }
    if ((mebibytes(r.limits.memory) || 0) < (mebibytes(r.requests.memory) || 0)) {
      errors.push({ component, field: 'limits.memory', code: 'limit-below-request' });
    }
  });

  return errors;
}

export function cloneResources(resources: ResourceSet): ResourceSet {
  return JSON.parse(JSON.stringify(resources));
}
