/**
 * What the flow verdicts and proposals know about the cluster: the NetworkPolicies (parsed by the
 * Security Review's model), the pods with their labels, ports, addresses and nodes, each VM's
 * virt-launcher pods, Services with their selectors and ports, and the nodes' addresses. Built once
 * from the same raw object lists the flow views use (every list optional, every object untrusted).
 */
import { ClusterObjects, LAUNCHER_VM_LABEL } from '../flows/enrichment/enrich';
import { meta } from '../flows/enrichment/objects';
import {
  arr, isRecord, stringMap, text
} from '../guards';
import { parseIp } from '../net/ip';
import { targetOf } from '../security/netpol';
import {
  ParsedPolicy, PolicySet, TargetPod, buildPolicySet, parsePolicy, policySelects
} from '../security/netpol-model';
import { ObjectIndex, indexObjects } from '../security/objects';

export interface PolicyInput extends ClusterObjects {
  /** Namespaces with their labels, for namespaceSelectors (without them only kubernetes.io/metadata.name is known). */
  namespaces?: unknown[];
  networkPolicies?: unknown[];
}

export interface WorldPod {
  namespace: string;
  name: string;
  /** The pod as the policy model sees it: labels, container ports, addresses, node. */
  target: TargetPod;
  /** Running or pending, not being deleted. */
  live: boolean;
  /** The VM whose virt-launcher pod this is. */
  vm?: string;
}

export interface ServicePort {
  port: number;
  protocol: string;
  /** A container port number or name on the backends (defaults to `port`). */
  targetPort: number | string;
}

export interface WorldService {
  namespace: string;
  name: string;
  /** null: a Service without a selector, whose endpoints are managed by hand (or by the API server). */
  selector: Record<string, string> | null;
  ports: ServicePort[];
}

export interface PolicyWorld {
  set: PolicySet;
  pods: ReadonlyMap<string, WorldPod>;
  podsByIp: ReadonlyMap<string, WorldPod>;
  /** `namespace/vm` -> its virt-launcher pods, live ones first. */
  launchers: ReadonlyMap<string, WorldPod[]>;
  services: ReadonlyMap<string, WorldService>;
  /** Node name -> its addresses (InternalIP, ExternalIP). */
  nodes: ReadonlyMap<string, string[]>;
  nodeByIp: ReadonlyMap<string, string>;
  /** The live pods a Service sends to (its selector's matches in its namespace). */
  backends(service: WorldService): WorldPod[];
}

/** The fields the analyses read, under the kind they have (Steve models and list items may lack `kind`). */
function typed(items: unknown, kind: string, apiVersion: string): Record<string, unknown>[] {
  return arr(items).filter(isRecord).map((o) => ({
    apiVersion: text(o.apiVersion) || apiVersion, kind, metadata: o.metadata, spec: o.spec, status: o.status,
  }));
}

function nodeAddresses(nodes: unknown[]): Map<string, string[]> {
  const out = new Map<string, string[]>();

  for (const node of nodes) {
    const m = meta(node);
    const status = isRecord(node) && isRecord(node.status) ? node.status : {};

    if (!m.name) {
      continue;
    }
    const ips: string[] = [];

    for (const a of arr(status.addresses)) {
      const ip = isRecord(a) && (a.type === 'InternalIP' || a.type === 'ExternalIP') ? parseIp(a.address)?.text : undefined;

      if (ip && !ips.includes(ip)) {
        ips.push(ip);
      }
    }
    out.set(m.name, ips);
  }

  return out;
}

function servicesOf(items: unknown[]): Map<string, WorldService> {
  const out = new Map<string, WorldService>();

  for (const svc of items) {
    const m = meta(svc);
    const spec = isRecord(svc) && isRecord(svc.spec) ? svc.spec : {};

    if (!m.name || !m.namespace) {
      continue;
    }
    const selector = stringMap(spec.selector);
    const ports: ServicePort[] = [];

    for (const p of arr(spec.ports)) {
      if (!isRecord(p) || typeof p.port !== 'number') {
        continue;
      }
      const targetPort = typeof p.targetPort === 'number' || (typeof p.targetPort === 'string' && p.targetPort) ? p.targetPort : p.port;

      ports.push({ port: p.port, protocol: text(p.protocol) || 'TCP', targetPort });
    }
    // An empty selector selects nothing for a Service: its endpoints are maintained by someone else.
    out.set(`${ m.namespace }/${ m.name }`, {
      namespace: m.namespace, name: m.name, selector: Object.keys(selector).length ? selector : null, ports
    });
  }

  return out;
}

function podsOf(index: ObjectIndex): { pods: Map<string, WorldPod>; byIp: Map<string, WorldPod>; launchers: Map<string, WorldPod[]> } {
  const pods = new Map<string, WorldPod>();
  const byIp = new Map<string, WorldPod>();
  const launchers = new Map<string, WorldPod[]>();

  for (const t of index.podTemplates) {
    if (t.ref.kind !== 'Pod') {
      continue;
    }
    const raw = t.owner.raw;
    const phase = isRecord(raw.status) ? text(raw.status.phase) : '';
    const deleting = isRecord(raw.metadata) && !!raw.metadata.deletionTimestamp;
    const live = !deleting && phase !== 'Succeeded' && phase !== 'Failed';
    const vm = t.labels[LAUNCHER_VM_LABEL] || undefined;
    const pod: WorldPod = {
      namespace: t.namespace, name: t.ref.name, target: targetOf(t), live, ...(vm ? { vm } : {})
    };

    pods.set(`${ pod.namespace }/${ pod.name }`, pod);
    if (!t.hostNetwork) {
      for (const ip of t.ips) {
        // A finished pod's address may be reused: a live pod keeps it.
        const had = byIp.get(ip);

        if (!had || (!had.live && live)) {
          byIp.set(ip, pod);
        }
      }
    }
    if (vm) {
      const key = `${ pod.namespace }/${ vm }`;

      launchers.set(key, [...(launchers.get(key) || []), pod].sort((a, b) => Number(b.live) - Number(a.live) || a.name.localeCompare(b.name)));
    }
  }

  return { pods, byIp, launchers };
}

export function buildPolicyWorld(input: PolicyInput): PolicyWorld {
  const index = indexObjects([
    ...typed(input.namespaces, 'Namespace', 'v1'),
    ...typed(input.networkPolicies, 'NetworkPolicy', 'networking.k8s.io/v1'),
    ...typed(input.pods, 'Pod', 'v1'),
  ]);
  const nodes = nodeAddresses(arr(input.nodes));
  const nodeByIp = new Map<string, string>();

  nodes.forEach((ips, name) => ips.forEach((ip) => nodeByIp.set(ip, name)));
  const { pods, byIp, launchers } = podsOf(index);
  const services = servicesOf(arr(input.services));
  const backendCache = new Map<WorldService, WorldPod[]>();
  const podList = [...pods.values()];

  return {
    set:      buildPolicySet(index, [...nodeByIp.keys()]),
    pods,
    podsByIp: byIp,
    launchers,
    services,
    nodes,
    nodeByIp,
    backends(service) {
      let found = backendCache.get(service);

      if (!found) {
        const selector = service.selector;

        found = selector ? podList.filter((p) => p.live && p.namespace === service.namespace && Object.entries(selector).every(([k, v]) => p.target.labels[k] === v)) : [];
        backendCache.set(service, found);
      }

      return found;
    },
  };
}

/**
 * Where a Service sends a connection to `port`: its targetPort (a number, or a container port name
 * each backend resolves), or `port` itself when no Service port matches (the flow was recorded
 * after the Service address was translated).
 */
export function serviceTarget(service: WorldService, port: number, protocol: string): number | string {
  return service.ports.find((p) => p.port === port && p.protocol === protocol)?.targetPort ?? port;
}

/**
 * The pods a connection to a Service port can reach, each with the port it arrives on. A pod
 * without the named target port is no endpoint of that Service port (kubernetes/kubernetes
 * pkg/controller/endpoint/endpoints_controller.go: when podutil.FindPort fails the pod is skipped).
 */
export function serviceEndpoints(world: PolicyWorld, service: WorldService, port: number, protocol: string): { pod: WorldPod; targetPort: number }[] {
  const target = serviceTarget(service, port, protocol);
  const out: { pod: WorldPod; targetPort: number }[] = [];

  for (const pod of world.backends(service)) {
    const targetPort = typeof target === 'number' ? target : pod.target.ports.find((cp) => cp.name === target && cp.protocol === protocol)?.port;

    if (targetPort !== undefined) {
      out.push({ pod, targetPort });
    }
  }

  return out;
}

/** Policy objects (API objects or proposals) parsed by the Security Review's model. */
export function parsePolicies(objects: unknown[]): ParsedPolicy[] {
  return indexObjects(typed(objects, 'NetworkPolicy', 'networking.k8s.io/v1')).ofKind('NetworkPolicy').map(parsePolicy);
}

/**
 * The same cluster with `extra` policies added; one with the namespace and name of an existing
 * policy replaces it (as applying it would).
 */
export function withPolicies(world: PolicyWorld, extra: unknown[]): PolicyWorld {
  const added = parsePolicies(extra);
  const replaced = new Set(added.map((p) => `${ p.namespace }/${ p.object.name }`));

  return {
    ...world,
    set: { ctx: world.set.ctx, policies: [...world.set.policies.filter((p) => !replaced.has(`${ p.namespace }/${ p.object.name }`)), ...added] },
  };
}

/** Policies of any type that select the pod. */
export function selectingPolicies(world: PolicyWorld, pod: TargetPod): ParsedPolicy[] {
  return pod.hostNetwork ? [] : world.set.policies.filter((p) => policySelects(p, pod));
}
