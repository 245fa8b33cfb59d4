/**
 * The value sets the chart tests render, each rendered once per test file and reused. They cover what the
 * install wizard offers (exposure, anonymous access, sizing, storage, registry) plus the chart's other switches.
 */
import { ADDON_NAMESPACE, K8sObject, renderChart } from '../../support/helm';

export interface Variant {
  values: Record<string, unknown>;
  /** Release namespace; default the Addon's (the stack namespace). */
  namespace?: string;
}

/** An existing ClickHouse cluster and MySQL, as the chart README's "External databases" describes them. */
export const EXTERNAL_DB = {
  clickhouse: {
    external: {
      enabled: true, hosts: [{ ip: '10.20.0.11', port: 9000 }, { ip: '10.20.0.12' }, { ip: 'fd00::13', port: 9440 }], username: 'deepflow', existingSecret: 'ext-clickhouse'
    }
  },
  mysql: {
    external: {
      enabled: true, host: 'mysql.db.example.com', egressCIDRs: ['10.20.1.0/28'], username: 'deepflow', existingSecret: 'ext-mysql'
    }
  },
};

const TLS_INGRESS = { enabled: true, className: 'nginx', hosts: ['grafana.example.com'], path: '/', tlsSecretName: 'grafana-tls' };

export const VARIANTS = {
  defaults:            { values: {} },
  'server-1-replica':    { values: { server: { replicas: 1 } } },
  'server-3-replicas':   { values: { server: { replicas: 3 } } },
  nodeport:            { values: { grafana: { service: { type: 'NodePort', nodePort: 31999 } } } },
  'ingress-tls':         { values: { grafana: { ingress: TLS_INGRESS } } },
  'ingress-subpath':     { values: { grafana: { ingress: { enabled: true, hosts: ['harvester.example.com'], path: '/grafana' } } } },
  'ingress-no-host':     { values: { grafana: { ingress: { enabled: true } } } },
  'storage-class':       { values: { global: { storageClass: 'longhorn-ssd' } } },
  'external-registry':   { values: { global: { imageRegistry: 'registry.example.com:5000/mirror', imagePullSecrets: ['regcred'] } } },
  'rancher-registry':    { values: { global: { cattle: { systemDefaultRegistry: 'rancher-registry.example.com' } } } },
  'anonymous-on':        { values: { grafana: { anonymous: { enabled: true } } } },
  'anonymous-off':       { values: { grafana: { anonymous: { enabled: false } } } },
  medium:              { values: { sizing: { profile: 'medium' } } },
  'bpf-perfmon':         { values: { agent: { capabilityMode: 'bpfPerfmon', bpfJitInitContainer: { enabled: true } } } },
  'agent-nodes':         { values: { agent: { nodeNames: ['harvester-node-1', 'harvester-node-2'] } } },
  'no-network-policy':   { values: { networkPolicy: { enabled: false } } },
  'existing-secrets':    {
    values: {
      mysql:      { auth: { existingSecret: 'my-mysql' } },
      clickhouse: { auth: { existingSecret: 'my-clickhouse' } },
      grafana:    { admin: { existingSecret: 'hnm-grafana-admin-custom' } },
    }
  },
  'no-keep':             { values: { persistence: { keepOnUninstall: false } } },
  'priority-class':      { values: { priorityClass: { create: true } } },
  // A plain `helm install -n monitoring`: the chart then owns both namespaces and labels them.
  'other-release-ns':    { namespace: 'hnm-system', values: {} },
  // DeepFlow's distributed layout: three servers and three ClickHouse shards (README "Scale-out").
  'scale-out':           { values: { server: { replicas: 3 }, clickhouse: { replicas: 3 } } },
  'scale-out-no-keep':   { values: { clickhouse: { replicas: 2 }, persistence: { keepOnUninstall: false } } },
  // Existing databases by endpoint and Secret: MySQL by host name + CIDR, ClickHouse nodes by IPv4/IPv6 address.
  'external-db':         { values: EXTERNAL_DB },
  // Only MySQL external: the chart's ClickHouse reads it through its dictionaries.
  'external-mysql':      { values: { mysql: { external: { enabled: true, host: '10.20.1.5', port: 3307, existingSecret: 'ext-mysql' } } } },
  'narrow-cidrs':        {
    values: {
      networkPolicy: {
        nodeCIDRs: ['192.168.10.0/24', '10.52.0.0/32', '10.52.1.0/32', '10.52.2.0/32'], apiServerCIDRs: ['192.168.10.11/32', '10.52.0.0/32'],
      }
    }
  },
} satisfies Record<string, Variant>;

export type VariantName = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];

const cache = new Map<VariantName, { yaml: string; objects: K8sObject[] }>();

/** The variant rendered with real helm (once per test file). */
export function rendered(name: VariantName): { yaml: string; objects: K8sObject[] } {
  let hit = cache.get(name);

  if (!hit) {
    const v: Variant = VARIANTS[name];

    hit = renderChart({ values: v.values, namespace: v.namespace || ADDON_NAMESPACE });
    cache.set(name, hit);
  }

  return hit;
}

export const objectsOf = (name: VariantName): K8sObject[] => rendered(name).objects;
