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
