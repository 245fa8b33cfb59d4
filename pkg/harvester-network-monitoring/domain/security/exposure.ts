import { finding } from './finding';
import {
  anonymousFromEnv, anonymousFromIni, AnonymousAccess, grafanaIniFindings
} from './grafana-ini';
import { num, rec, records, strings, text, uniqueSorted } from '../guards';
import { reviewCredentials } from './exposure-credentials';
import { reviewWorkloadHygiene } from './exposure-workloads';
import { reviewAgentStateProxy } from './exposure-agent-state';
import { reviewExternalDatabases } from './exposure-external-db';
import { KubeObject, ObjectIndex, focusedConfigMaps } from './objects';
import { Finding, ObjectRef } from './types';

/**
 * Exposure review: how the stack can be reached from outside (NodePort / LoadBalancer Services,
 * Ingresses), anonymous Grafana, plain-text credentials, and container hygiene.
 */

function serviceFindings(svc: KubeObject): Finding[] {
  const spec = rec(svc.raw.spec);
  const type = text(spec.type);
  const ports = records(spec.ports);
  const base = { service: svc.name, namespace: svc.namespace || '' };
  const out: Finding[] = [];

  if (type === 'NodePort' || type === 'LoadBalancer') {
    const nodePorts = ports.map((p) => num(p.nodePort)).filter((p): p is number => p !== undefined);
    const servicePorts = ports.map((p) => num(p.port)).filter((p): p is number => p !== undefined);
    const params = {
      ...base,
      ports:     servicePorts.map(String),
      nodePorts: nodePorts.length ? nodePorts.map(String) : 'auto',
    };

    out.push(finding(type === 'NodePort' ? 'exposure.nodePort' : 'exposure.loadBalancer', 'exposure', 'warning', svc.ref, params));
    // externalTrafficPolicy Cluster (the default) SNATs clients to a node address on their way to the pod.
    if (text(spec.externalTrafficPolicy) !== 'Local') {
      out.push(finding('exposure.clientAddressHidden', 'exposure', 'warning', svc.ref, { ...params, policy: text(spec.externalTrafficPolicy) || 'Cluster' }));
    }
  }
  const externalIPs = strings(spec.externalIPs);

  if (externalIPs.length) {
    out.push(finding('exposure.externalIPs', 'exposure', 'warning', svc.ref, { ...base, addresses: externalIPs }));
  }

  return out;
}

function ingressFindings(ing: KubeObject): Finding[] {
  const spec = rec(ing.raw.spec);
  const hosts = uniqueSorted(records(spec.rules).map((r) => text(r.host) || '*'));
  const tls = records(spec.tls);
  const tlsHosts = new Set(tls.flatMap((t) => strings(t.hosts)));
  // A TLS entry without hosts serves the controller's default certificate for every host.
  const coversAll = tls.some((t) => strings(t.hosts).length === 0);
  const uncovered = coversAll ? [] : hosts.filter((h) => !tlsHosts.has(h) && !(h === '*' && tls.length));
  const base = { ingress: ing.name, namespace: ing.namespace || '' };

  if (!tls.length || uncovered.length) {
    return [finding('exposure.ingressNoTls', 'exposure', 'warning', ing.ref, { ...base, hosts: tls.length ? uncovered : hosts.length ? hosts : ['*'] })];
  }

  return [finding('exposure.ingressTls', 'exposure', 'info', ing.ref, { ...base, hosts: hosts.length ? hosts : ['*'] })];
}

function anonymousFinding(access: AnonymousAccess | null, ref: ObjectRef, source: string): Finding[] {
  if (!access || !access.enabled) {
    return [];
  }
  const elevated = access.orgRole.trim().toLowerCase() !== 'viewer';

  return [finding(elevated ? 'exposure.grafanaAnonymousElevated' : 'exposure.grafanaAnonymous', 'exposure', elevated ? 'critical' : 'warning', ref, {
    source, namespace: ref.namespace || '', orgRole: access.orgRole
  })];
}

/** Literal env values of a container (values from Secrets or ConfigMaps are not known here). */
export function literalEnv(container: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(records(container.env)
    .filter((e) => typeof e.name === 'string' && typeof e.value === 'string')
    .map((e) => [e.name as string, e.value as string]));
}

function grafanaFindings(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const { cm, data, keys } of focusedConfigMaps(index)) {
    for (const key of keys) {
      if (key.endsWith('.ini')) {
        out.push(...anonymousFinding(anonymousFromIni(data[key]), cm.ref, `${ cm.name }/${ key }`), ...grafanaIniFindings(data[key], cm.ref, `${ cm.name }/${ key }`));
      }
    }
    // ConfigMaps consumed through envFrom carry GF_* variables as keys.
    out.push(...anonymousFinding(anonymousFromEnv(data), cm.ref, cm.name));
  }
  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    for (const c of t.containers) {
      out.push(...anonymousFinding(anonymousFromEnv(literalEnv(c.raw)), { ...t.ref, container: c.name }, `${ t.ref.name }/${ c.name }`));
    }
  }

  return out;
}

export function reviewExposure(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const svc of index.ofKind('Service')) {
    if (index.inFocus(svc.namespace)) {
      out.push(...serviceFindings(svc));
    }
  }
  for (const ing of index.ofKind('Ingress')) {
    if (index.inFocus(ing.namespace)) {
      out.push(...ingressFindings(ing));
    }
  }
  out.push(...grafanaFindings(index), ...reviewCredentials(index), ...reviewWorkloadHygiene(index), ...reviewAgentStateProxy(index),
    ...reviewExternalDatabases(index));

  return out;
}
