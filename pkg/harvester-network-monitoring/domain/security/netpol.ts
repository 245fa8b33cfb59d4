import { num, rec, records, str, stringMap } from '../guards';
import { ObjectIndex, PodTemplate } from './objects';
import { normalizeOptions } from './options';
import {
  ParsedPolicy, Peer, PolicySet, PortRule, TargetPod, TrafficRule, Verdict, buildPolicySet, ingressVerdict, ipBlockAdmitsNodes,
  podsMatchingPeer, policySelects
} from './netpol-model';
import { describeSelector } from './selectors';
import { ObjectRef, ReviewOptions } from './types';

export type {
  Verdict, Endpoint, TargetPod, Decision, RuleRef, UnknownReason
} from './netpol-model';
export {
  ingressVerdict, egressVerdict, ingressDecision, egressDecision, buildPolicySet
} from './netpol-model';

/**
 * Per pod template: is it isolated, who may reach it on which ports, and can the node network (the
 * host-network agent, the kubelet, the API server's service proxy) get in.
 */
export const DEFAULT_API_SERVER_PROXY_PORTS = [3000, 20416, 20419];

export interface PeerSummary {
  kind: 'pods' | 'ipBlock' | 'invalid';
  podSelector?: string;
  /** Selector text, or undefined when the peer means the policy's own namespace. */
  namespaceSelector?: string;
  cidr?: string;
  except?: string[];
  /** Workloads of the input the peer admits, as `namespace/Kind/name`. */
  workloads?: string[];
  /** Host-network workloads the selector names but can never admit (their traffic has the node's address). */
  unreachableHostNetworkWorkloads?: string[];
  /** For ipBlocks: whether the block admits the node addresses. */
  nodes?: Verdict;
}

export interface PortSummary {
  protocol: string;
  port?: string;
  endPort?: number;
  /** Numbers a named port resolves to on this pod; empty when the name matches no container port. */
  resolved?: number[];
}

export interface AllowEntry {
  policy: string;
  peers: PeerSummary[] | 'all';
  ports: PortSummary[] | 'all';
}

export interface PodReachability {
  pod: ObjectRef;
  hostNetwork: boolean;
  ingressIsolated: boolean;
  egressIsolated: boolean;
  ingressPolicies: string[];
  egressPolicies: string[];
  ingress: AllowEntry[];
  egress: AllowEntry[];
  /** For each declared container port: may the node network (host-network pods, the kubelet) reach it? */
  fromNodes: { port: number; protocol: string; verdict: Verdict }[];
  /** For each declared TCP port: may the API server's service proxy (apiServerCIDRs, default nodeCIDRs) reach it? */
  fromApiServer: { port: number; verdict: Verdict }[];
}

export function targetOf(t: PodTemplate): TargetPod {
  const target: TargetPod = {
    namespace: t.namespace, labels: t.labels, hostNetwork: t.hostNetwork, ports: t.containers.flatMap((c) => c.ports)
  };

  if (t.ips.length) {
    target.ips = t.ips;
  }
  if (t.nodeName) {
    target.node = t.nodeName;
  }

  return target;
}

const workloadName = (t: PodTemplate) => `${ t.namespace }/${ t.ref.kind }/${ t.ref.name }`;

/** The input's pod templates with their traffic view, built once per analysis. */
export interface PodCatalog {
  targets: TargetPod[];
  templateOf: Map<TargetPod, PodTemplate>;
}

export function catalogOf(templates: PodTemplate[]): PodCatalog {
  const templateOf = new Map<TargetPod, PodTemplate>();

  for (const t of templates) {
    templateOf.set(targetOf(t), t);
  }

  return { targets: [...templateOf.keys()], templateOf };
}

function summarizePeer(peer: Peer, policy: ParsedPolicy, pods: PodCatalog, set: PolicySet): PeerSummary {
  if (peer.kind === 'invalid') {
    return { kind: 'invalid' };
  }
  if (peer.kind === 'ipBlock') {
    return {
      kind: 'ipBlock', cidr: peer.cidrText, except: peer.exceptText, nodes: ipBlockAdmitsNodes(peer, set.ctx.nodeCidrs)
    };
  }
  const matched = podsMatchingPeer(peer, policy.namespace, pods.targets, set.ctx);
  const nameOf = (tp: TargetPod) => {
    const t = pods.templateOf.get(tp);

    return t ? workloadName(t) : '';
  };
  const summary: PeerSummary = {
    kind:                            'pods',
    podSelector:                     peer.allPods ? '(all)' : describeSelector(peer.podSelector),
    workloads:                       matched.pods.map(nameOf),
    unreachableHostNetworkWorkloads: matched.hostNetwork.map(nameOf),
  };

  if (peer.namespaceSelector !== undefined) {
    summary.namespaceSelector = describeSelector(peer.namespaceSelector);
  }

  return summary;
}

function summarizePorts(ports: PortRule[] | 'all', receiver: TargetPod | undefined): PortSummary[] | 'all' {
  if (ports === 'all') {
    return 'all';
  }

  return ports.map((p) => {
    const s: PortSummary = { protocol: p.protocol };

    if (p.port !== undefined) {
      s.port = String(p.port);
    }
    if (p.endPort !== undefined) {
      s.endPort = p.endPort;
    }
    if (typeof p.port === 'string' && receiver) {
      s.resolved = receiver.ports.filter((cp) => cp.name === p.port && cp.protocol === p.protocol).map((cp) => cp.port);
    }

    return s;
  });
}

function entries(policies: ParsedPolicy[], pick: (p: ParsedPolicy) => TrafficRule[], receiver: TargetPod | undefined, pods: PodCatalog, set: PolicySet): AllowEntry[] {
  return policies.flatMap((p) => pick(p).map((rule) => ({
    policy: p.object.name,
    peers:  rule.peers === 'all' ? 'all' as const : rule.peers.map((peer) => summarizePeer(peer, p, pods, set)),
    ports:  summarizePorts(rule.ports, receiver),
  })));
}

export function reachabilityOf(t: PodTemplate, pods: PodCatalog, set: PolicySet, apiSet: PolicySet = set): PodReachability {
  const target = targetOf(t);
  const selecting = t.hostNetwork ? [] : set.policies.filter((p) => policySelects(p, target));
  const ingressPolicies = selecting.filter((p) => p.ingressType);
  const egressPolicies = selecting.filter((p) => p.egressType);

  return {
    pod:             t.ref,
    hostNetwork:     t.hostNetwork,
    ingressIsolated: ingressPolicies.length > 0,
    egressIsolated:  egressPolicies.length > 0,
    ingressPolicies: ingressPolicies.map((p) => p.object.name),
    egressPolicies:  egressPolicies.map((p) => p.object.name),
    ingress:         entries(ingressPolicies, (p) => p.ingress, target, pods, set),
    // Named egress ports resolve against each destination, so they are listed unresolved.
    egress:          entries(egressPolicies, (p) => p.egress, undefined, pods, set),
    fromNodes:       target.ports.map((cp) => ({ port: cp.port, protocol: cp.protocol, verdict: ingressVerdict(set, target, { kind: 'node' }, cp.port, cp.protocol) })),
    fromApiServer:   target.ports.filter((cp) => cp.protocol === 'TCP').map((cp) => ({ port: cp.port, verdict: ingressVerdict(apiSet, target, { kind: 'node' }, cp.port, 'TCP') })),
  };
}

/** Reachability of every pod template in the input (in focus), for the Security Review page's tables. */
export function analyzeNetworkPolicies(index: ObjectIndex, options: ReviewOptions = {}): PodReachability[] {
  const opts = normalizeOptions(options);
  const set = buildPolicySet(index, opts.nodeCIDRs || []);
  const apiSet = opts.apiServerCIDRs && opts.apiServerCIDRs.length ? buildPolicySet(index, opts.apiServerCIDRs) : set;
  const pods = catalogOf(index.podTemplates);

  return index.podTemplates.filter((t) => index.inFocus(t.namespace)).map((t) => reachabilityOf(t, pods, set, apiSet));
}

/**
 * Ports on a pod that Rancher reaches through the API server's service proxy: configured ports
 * (Grafana 3000, querier 20416) the pod declares, and the target ports of Grafana Services selecting it.
 */
export function apiServerProxyPortsOf(t: PodTemplate, index: ObjectIndex, proxyPorts: number[]): number[] {
  const declared = t.containers.flatMap((c) => c.ports);
  const out = new Set(declared.filter((p) => p.protocol === 'TCP' && proxyPorts.includes(p.port)).map((p) => p.port));

  for (const svc of index.ofKind('Service')) {
    const spec = rec(svc.raw.spec);
    const selector = stringMap(spec.selector);

    if (svc.namespace !== t.namespace || !/grafana/i.test(svc.name) || !Object.keys(selector).length) {
      continue;
    }
    if (!Object.entries(selector).every(([k, v]) => t.labels[k] === v)) {
      continue;
    }
    for (const sp of records(spec.ports)) {
      if ((str(sp.protocol) || 'TCP') !== 'TCP') {
        continue;
      }
      const target = typeof sp.targetPort === 'string' ? sp.targetPort : num(sp.targetPort) ?? num(sp.port);

      if (typeof target === 'number') {
        out.add(target);
      } else if (typeof target === 'string') {
        declared.filter((p) => p.name === target && p.protocol === 'TCP').forEach((p) => out.add(p.port));
      }
    }
  }

  return [...out].sort((a, b) => a - b);
}
