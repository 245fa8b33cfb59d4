import { PssViolation } from '@pkg/domain/security/pss';

export type Json = Record<string, any>;

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A pod spec that passes the Restricted level, to mutate one field at a time. */
export function restrictedSpec(): Json {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers:      [{
      name: 'app', image: 'registry.example/app:1.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
    }],
  };
}

/** A minimal pod spec with one container and nothing set: passes Baseline, fails Restricted. */
export function plainSpec(containerExtra: Json = {}, specExtra: Json = {}): Json {
  return { containers: [{ name: 'app', image: 'registry.example/app:1.0', ...containerExtra }], ...specExtra };
}

export function rulesOf(violations: PssViolation[]): string[] {
  return [...new Set(violations.map((v) => v.rule))].sort();
}

export function workload(kind: string, name: string, namespace: string, spec: Json, opts: { labels?: Json; annotations?: Json; metaLabels?: Json } = {}): Json {
  const template = { metadata: { labels: opts.labels || { app: name }, annotations: opts.annotations || {} }, spec };

  if (kind === 'Pod') {
    return {
      apiVersion: 'v1', kind, metadata: { name, namespace, labels: opts.labels || { app: name }, annotations: opts.annotations || {} }, spec
    };
  }
  if (kind === 'CronJob') {
    return {
      apiVersion: 'batch/v1', kind, metadata: { name, namespace, labels: opts.metaLabels || {} }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } }
    };
  }

  return {
    apiVersion: 'apps/v1', kind, metadata: { name, namespace, labels: opts.metaLabels || {} }, spec: { selector: { matchLabels: opts.labels || { app: name } }, template }
  };
}

export function namespace(name: string, labels: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function psaLabels(enforce?: string, warn?: string, audit?: string): Json {
  const labels: Json = {};

  if (enforce) {
    labels['pod-security.kubernetes.io/enforce'] = enforce;
  }
  if (warn) {
    labels['pod-security.kubernetes.io/warn'] = warn;
  }
  if (audit) {
    labels['pod-security.kubernetes.io/audit'] = audit;
  }

  return labels;
}
