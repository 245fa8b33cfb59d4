import { load } from 'js-yaml';
import { finding } from './finding';
import {
  num, rec, records, str, text, uniqueSorted
} from '../guards';
import { cidrContains, hostCidr, parseCidr } from '../net/cidr';
import { parseIp } from '../net/ip';
import { KubeObject, ObjectIndex, focusedConfigMaps } from './objects';
import { Finding } from './types';

/**
 * Databases outside the stack's pods (chart: clickhouse.external / mysql.external, README "External databases"):
 * where DeepFlow's data and credentials go, which NetworkPolicies let them out, and credentials kept in Secrets
 * the chart does not create. DeepFlow 7.1.8 connects to ClickHouse and MySQL without TLS (server/ingester/pkg/
 * ckwriter/ckwriter.go ch.Options and server/controller/db/metadb set no TLS), so the path matters.
 */

/** An address with its port, as the findings show it: 10.0.0.1:9000, [fd00::1]:9000. */
function hostPort(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ ip }]:${ port }` : `${ ip }:${ port }`;
}

/** NetworkPolicies in the namespace with an egress rule to an ipBlock that admits this address (or any, for a name) and port. */
function egressPolicies(index: ObjectIndex, namespace: string, address: string, port: number): string[] {
  const ip = parseIp(address);
  const target = ip ? parseCidr(hostCidr(ip.bytes)) : null;

  return uniqueSorted(index.ofKind('NetworkPolicy').filter((np) => np.namespace === namespace).filter((np) => {
    return records(rec(np.raw.spec).egress).some((rule) => {
      const ports = records(rule.ports);
      const portOk = !ports.length || ports.some((p) => num(p.port) === port);
      const blocks = records(rule.to).map((peer) => parseCidr(rec(peer.ipBlock).cidr)).filter((c) => c !== null);

      return portOk && blocks.some((c) => !target || cidrContains(c, target));
    });
  }).map((np) => np.name));
}

/** A Service without selector whose same-named Endpoints list addresses: traffic to it leaves for those addresses. */
function externalEndpointFindings(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];
  const endpoints = index.ofKind('Endpoints');

  for (const svc of index.ofKind('Service')) {
    const spec = rec(svc.raw.spec);

    if (!index.inFocus(svc.namespace) || spec.selector !== undefined || text(spec.type) === 'ExternalName') {
      continue;
    }
    const ep = endpoints.find((e) => e.namespace === svc.namespace && e.name === svc.name);
    const targets = records(ep?.raw.subsets).flatMap((subset) => records(subset.addresses).flatMap((a) => records(subset.ports)
      .map((p) => ({ ip: text(a.ip), port: num(p.port) ?? 0 }))));

    if (!targets.length) {
      continue;
    }
    const policies = targets.flatMap((t) => egressPolicies(index, svc.namespace || '', t.ip, t.port));

    out.push(finding('exposure.externalEndpoints', 'exposure', 'warning', svc.ref, {
      service:   svc.name,
      namespace: svc.namespace || '',
      addresses: targets.map((t) => hostPort(t.ip, t.port)),
      policies:  policies.length ? uniqueSorted(policies) : '-',
    }));
  }

  return out;
}

/** DeepFlow's MySQL (server.yaml controller.mysql) when its host is not a Service of the same namespace. */
function externalMysqlFindings(index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const { cm, data } of focusedConfigMaps(index)) {
    if (!data['server.yaml']) {
      continue;
    }
    let mysql: Record<string, unknown>;

    try {
      mysql = rec(rec(rec(load(data['server.yaml'])).controller).mysql);
    } catch {
      continue;
    }
    const host = str(mysql.host) || '';
    const port = num(mysql.port) ?? 3306;
    const local = index.ofKind('Service').some((s) => s.namespace === cm.namespace && (host === s.name || host.startsWith(`${ s.name }.${ cm.namespace }.`)));

    if (!host || local) {
      continue;
    }
    const policies = egressPolicies(index, cm.namespace || '', host, port);

    out.push(finding('exposure.externalMysql', 'exposure', 'warning', cm.ref, {
      configMap: cm.name, namespace: cm.namespace || '', address: parseIp(host) ? hostPort(host, port) : `${ host }:${ port }`, policies: policies.length ? policies : '-'
    }));
  }

  return out;
}

/** Names of the Secrets a pod template reads: volumes, env secretKeyRef, envFrom secretRef. */
function secretsRead(spec: Record<string, unknown>): string[] {
  const containers = [...records(spec.initContainers), ...records(spec.containers)];
  const fromVolumes = records(spec.volumes).map((v) => str(rec(v.secret).secretName));
  const fromEnv = containers.flatMap((c) => records(c.env).map((e) => str(rec(rec(e.valueFrom).secretKeyRef).name)));
  const fromEnvFrom = containers.flatMap((c) => records(c.envFrom).map((e) => str(rec(e.secretRef).name)));

  return uniqueSorted([...fromVolumes, ...fromEnv, ...fromEnvFrom].filter((n): n is string => !!n));
}

/** Secrets a workload reads that are not among the reviewed objects: someone else creates, rotates and guards them. */
function unmanagedSecretFindings(index: ObjectIndex): Finding[] {
  const present = new Set(index.ofKind('Secret').map((s: KubeObject) => `${ s.namespace }/${ s.name }`));
  const bySecret = new Map<string, { namespace: string; name: string; workloads: string[] }>();

  for (const t of index.podTemplates) {
    if (!index.inFocus(t.namespace)) {
      continue;
    }
    secretsRead(t.spec).filter((name) => !present.has(`${ t.namespace }/${ name }`)).forEach((name) => {
      const key = `${ t.namespace }/${ name }`;
      const entry = bySecret.get(key) || { namespace: t.namespace, name, workloads: [] };

      entry.workloads.push(t.ref.name);
      bySecret.set(key, entry);
    });
  }

  return [...bySecret.values()].map((s) => finding('exposure.unmanagedSecret', 'exposure', 'info', { kind: 'Secret', name: s.name, namespace: s.namespace }, {
    secret: s.name, namespace: s.namespace, workloads: uniqueSorted(s.workloads)
  }));
}

export function reviewExternalDatabases(index: ObjectIndex): Finding[] {
  return [...externalEndpointFindings(index), ...externalMysqlFindings(index), ...unmanagedSecretFindings(index)];
}
