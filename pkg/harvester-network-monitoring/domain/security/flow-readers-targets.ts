import { QUERIER } from '../flows/query/constants';
import { GRAFANA } from '../grafana/url';
import { reviewExposure } from './exposure';
import { Json, num, rec, records, text, uniqueSorted } from '../guards';
import { ObjectIndex } from './objects';
import { Finding } from './types';

/**
 * What in the stack's namespace gives access to the flow data: the querier's and Grafana's Services
 * (reached through the API server's service proxy), the credential Secrets the stack's workloads
 * read, and the ways Grafana or the querier are exposed outside Kubernetes RBAC.
 */
export type FlowService = 'querier' | 'grafana';

export interface ServiceTarget {
  role: FlowService;
  service: string;
  /** The Service port that serves the data (the chart: querier 20416 "querier", Grafana 80 "http"). */
  portName: string;
  portNumber: number;
}

/** Port names the chart gives these ports (charts/.../templates/server/service.yaml, grafana/service.yaml). */
const CHART_PORT_NAMES: Record<FlowService, string> = { querier: 'querier', grafana: 'http' };

function target(index: ObjectIndex, namespace: string, role: FlowService, service: string, port: number): ServiceTarget {
  const svc = index.ofKind('Service').find((s) => s.namespace === namespace && s.name === service);
  const declared = records(rec(svc?.raw.spec).ports).find((p) => num(p.port) === port);

  return {
    role, service, portNumber: port, portName: declared ? text(declared.name) : CHART_PORT_NAMES[role]
  };
}

/** The querier's and Grafana's Services, with the port names the live (or rendered) Services declare. */
export function serviceTargets(index: ObjectIndex, namespace: string): ServiceTarget[] {
  return [
    target(index, namespace, 'querier', QUERIER.service, QUERIER.port),
    target(index, namespace, 'grafana', GRAFANA.service, GRAFANA.port),
  ];
}

/**
 * Whether a service-proxy name (the `resourceNames` entry a rule must list) reaches the target's port.
 * The API server takes the proxied Service as "name", "name:port" or "scheme:name:port" and authorizes
 * that whole string as the resource name (k8s.io/apimachinery v0.34.3 pkg/util/net/port_split.go
 * SplitSchemeNamePort; k8s.io/apiserver v0.34.3 pkg/endpoints/request/requestinfo.go). The port is a
 * port name or number; without one only an unnamed port is found (kubernetes v1.34.3
 * pkg/registry/core/service/storage/storage.go ResourceLocation). The stack's ports speak plain HTTP,
 * so the scheme must be empty or "http".
 */
export function proxyNameReaches(id: string, t: ServiceTarget): boolean {
  const parts = id.split(':');

  if (parts.length > 3) {
    return false;
  }
  const [scheme, name, port] = parts.length === 3 ? parts : ['', parts[0], parts[1] ?? ''];

  if ((scheme !== '' && scheme !== 'http') || name !== t.service) {
    return false;
  }

  return port === t.portName || port === String(t.portNumber);
}

/** The name the dashboard uses for a target (`http:<service>:<port>`, as serviceProxyPath builds it). */
export function canonicalProxyName(t: ServiceTarget): string {
  return `http:${ t.service }:${ t.portNumber }`;
}

function secretsOfPodSpec(spec: Json): string[] {
  const out: string[] = [];

  for (const v of records(spec.volumes)) {
    out.push(text(rec(v.secret).secretName));
    for (const source of records(rec(v.projected).sources)) {
      out.push(text(rec(source.secret).name));
    }
  }
  for (const c of [...records(spec.initContainers), ...records(spec.containers)]) {
    for (const e of records(c.env)) {
      out.push(text(rec(rec(e.valueFrom).secretKeyRef).name));
    }
    for (const e of records(c.envFrom)) {
      out.push(text(rec(e.secretRef).name));
    }
  }

  return out.filter(Boolean);
}

/**
 * The Secrets the stack's workloads read (Grafana's admin login, the MySQL and ClickHouse passwords,
 * or the existing Secrets the values name instead): whoever reads them can log in to Grafana or query
 * ClickHouse directly.
 */
export function credentialSecrets(index: ObjectIndex, namespace: string): string[] {
  return uniqueSorted(index.podTemplates.filter((t) => t.namespace === namespace).flatMap((t) => secretsOfPodSpec(t.spec)));
}

function ingressServices(raw: Json): string[] {
  const spec = rec(raw.spec);
  const backends = [rec(spec.defaultBackend), ...records(spec.rules).flatMap((r) => records(rec(r.http).paths).map((p) => rec(p.backend)))];

  return backends.map((b) => text(rec(b.service).name)).filter(Boolean);
}

const SERVICE_EXPOSURE = ['exposure.nodePort', 'exposure.loadBalancer', 'exposure.externalIPs'];
const INGRESS_EXPOSURE = ['exposure.ingressNoTls', 'exposure.ingressTls'];
const ANONYMOUS = ['exposure.grafanaAnonymous', 'exposure.grafanaAnonymousElevated'];

/**
 * The exposure review's findings (exposure.ts) that open the querier or Grafana outside RBAC: their
 * Services as NodePort/LoadBalancer/external IPs, Ingresses to them, and anonymous Grafana.
 */
export function flowExposure(index: ObjectIndex, namespace: string, targets: ServiceTarget[]): Finding[] {
  const services = new Set(targets.map((t) => t.service));
  const ingresses = new Set(index.ofKind('Ingress')
    .filter((i) => i.namespace === namespace && ingressServices(i.raw).some((s) => services.has(s))).map((i) => i.name));

  return reviewExposure(index).filter((f) => f.object.namespace === namespace && (
    (SERVICE_EXPOSURE.includes(f.id) && f.object.kind === 'Service' && services.has(f.object.name)) ||
    (INGRESS_EXPOSURE.includes(f.id) && f.object.kind === 'Ingress' && ingresses.has(f.object.name)) ||
    ANONYMOUS.includes(f.id)));
}

/** Whether one of the findings says anonymous Grafana access is on. */
export function anonymousGrafana(exposure: Finding[]): boolean {
  return exposure.some((f) => ANONYMOUS.includes(f.id));
}
