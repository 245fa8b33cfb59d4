import { Cidr, cidrContains, cidrOverlaps, parseCidr } from './cidr';
import {
  isRecord, num, rec, records, str, strings
} from './guards';
import { ContainerPort, KubeObject, ObjectIndex } from './objects';
import { LabelSelector, parseSelector, selectorMatches } from './selectors';

/**
 * NetworkPolicy objects parsed into a model that can answer "may this source reach that pod on this
 * port?". The semantics follow the NetworkPolicy API; where the outcome depends on addresses the
 * input does not contain (node IPs not given), the answer is 'unknown' instead of a guess.
 */
export type Verdict = 'allowed' | 'partial' | 'unknown' | 'blocked';

export type Peer =
  | { kind: 'pods'; podSelector: LabelSelector | null; namespaceSelector?: LabelSelector | null; allPods: boolean }
  | { kind: 'ipBlock'; cidrText: string; cidr: Cidr | null; except: (Cidr | null)[]; exceptText: string[] }
  | { kind: 'invalid' };

export interface PortRule {
  protocol: string;
  /** undefined = every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface TrafficRule {
  /** 'all' when the rule lists no peers: every source (or destination), including non-pod addresses. */
  peers: Peer[] | 'all';
  /** 'all' when the rule lists no ports. */
  ports: PortRule[] | 'all';
}

export interface ParsedPolicy {
  object: KubeObject;
  namespace: string;
  podSelector: LabelSelector | null;
  ingressType: boolean;
  egressType: boolean;
  ingress: TrafficRule[];
  egress: TrafficRule[];
}

function parsePeer(raw: unknown): Peer {
  if (!isRecord(raw)) {
    return { kind: 'invalid' };
  }
  if (isRecord(raw.ipBlock)) {
    const cidrText = str(raw.ipBlock.cidr) || '';
    const exceptText = strings(raw.ipBlock.except);

    return {
      kind: 'ipBlock', cidrText, cidr: parseCidr(cidrText), except: exceptText.map(parseCidr), exceptText
    };
  }
  const hasPods = raw.podSelector !== undefined && raw.podSelector !== null;
  const hasNamespaces = raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;

  if (!hasPods && !hasNamespaces) {
    return { kind: 'invalid' };
  }
  const peer: Peer = {
    kind: 'pods', podSelector: hasPods ? parseSelector(raw.podSelector) : null, allPods: !hasPods
  };

  if (hasNamespaces) {
    peer.namespaceSelector = parseSelector(raw.namespaceSelector);
  }

  return peer;
}

function parsePorts(raw: unknown): PortRule[] | 'all' {
  const list = records(raw);

  if (!Array.isArray(raw) || raw.length === 0) {
    return 'all';
  }

  return list.map((p) => {
    const rule: PortRule = { protocol: str(p.protocol) || 'TCP' };
    const port = typeof p.port === 'string' ? p.port : num(p.port);
    const endPort = num(p.endPort);

    if (port !== undefined) {
      rule.port = port;
    }
    if (endPort !== undefined) {
      rule.endPort = endPort;
    }

    return rule;
  });
}

function parseRules(raw: unknown, peerKey: 'from' | 'to'): TrafficRule[] {
  return records(raw).map((r) => ({
    peers: Array.isArray(r[peerKey]) && (r[peerKey] as unknown[]).length > 0 ? (r[peerKey] as unknown[]).map(parsePeer) : 'all',
    ports: parsePorts(r.ports),
  }));
}

export function parsePolicy(obj: KubeObject): ParsedPolicy {
  const spec = rec(obj.raw.spec);
  const declared = strings(spec.policyTypes);
  // The API server defaults policyTypes: always Ingress, plus Egress when egress rules exist.
  const hasEgressRules = Array.isArray(spec.egress) && spec.egress.length > 0;
  const types = declared.length ? declared : ['Ingress', ...(hasEgressRules ? ['Egress'] : [])];

  return {
    object:      obj,
    namespace:   obj.namespace || 'default',
    podSelector: parseSelector(spec.podSelector === undefined || spec.podSelector === null ? {} : spec.podSelector),
    ingressType: types.includes('Ingress'),
    egressType:  types.includes('Egress'),
    ingress:     parseRules(spec.ingress, 'from'),
    egress:      parseRules(spec.egress, 'to'),
  };
}

/**
 * A traffic endpoint: a pod (by namespace and labels), the nodes' addresses (host-network pods, the
 * kubelet, the API server's proxy), or an outside address.
 */
export type Endpoint =
  | { kind: 'pod'; namespace: string; labels: Record<string, string>; hostNetwork?: boolean; ports?: ContainerPort[] }
  | { kind: 'node' }
  | { kind: 'ip'; ip: string };

/** After expansion: a node-like endpoint becomes one known address per node, or stays 'node' when addresses are unknown. */
type Resolved = Exclude<Endpoint, { kind: 'ip' }> | { kind: 'address'; cidr: Cidr | null };

function resolveEndpoint(e: Endpoint, ctx: NetpolContext): Resolved[] {
  const nodeLike = e.kind === 'node' || (e.kind === 'pod' && e.hostNetwork === true);

  if (nodeLike) {
    return ctx.nodeCidrs.length ? ctx.nodeCidrs.map((cidr) => ({ kind: 'address' as const, cidr })) : [{ kind: 'node' }];
  }
  if (e.kind === 'ip') {
    return [{ kind: 'address', cidr: parseCidr(e.ip) }];
  }

  return [e];
}

export interface NetpolContext {
  namespaceLabels(namespace: string): Record<string, string>;
  /** Node addresses; empty when unknown. */
  nodeCidrs: Cidr[];
}

function ipBlockVerdictFor(peer: Extract<Peer, { kind: 'ipBlock' }>, address: Cidr): Verdict {
  if (!peer.cidr) {
    return 'blocked';
  }
  if (!cidrContains(peer.cidr, address)) {
    return cidrOverlaps(peer.cidr, address) ? 'partial' : 'blocked';
  }
  const excepted = peer.except.filter((e): e is Cidr => !!e && cidrOverlaps(e, address));

  if (!excepted.length) {
    return 'allowed';
  }

  return excepted.some((e) => cidrContains(e, address)) ? 'blocked' : 'partial';
}

/** Whether an ipBlock admits every node address, some of them, none, or (addresses unknown) cannot be told. */
export function ipBlockAdmitsNodes(peer: Extract<Peer, { kind: 'ipBlock' }>, nodeCidrs: Cidr[]): Verdict {
  if (!peer.cidr) {
    return 'blocked';
  }
  if (!nodeCidrs.length) {
    return peer.cidr.prefix === 0 && peer.exceptText.length === 0 ? 'allowed' : 'unknown';
  }

  return combineAll(nodeCidrs.map((n) => ipBlockVerdictFor(peer, n)));
}

/** Verdict that holds for every part (all nodes reachable?). */
export function combineAll(list: Verdict[]): Verdict {
  if (list.every((v) => v === 'allowed')) {
    return 'allowed';
  }
  if (list.every((v) => v === 'blocked')) {
    return 'blocked';
  }

  return list.some((v) => v === 'unknown') && !list.some((v) => v === 'allowed' || v === 'partial') ? 'unknown' : 'partial';
}

/** Verdict when any one of several alternatives is enough (rules and policies add up). */
export function combineAny(list: Verdict[]): Verdict {
  for (const v of ['allowed', 'partial', 'unknown'] as Verdict[]) {
    if (list.includes(v)) {
      return v;
    }
  }

  return 'blocked';
}

function peerMatches(peer: Peer, policyNamespace: string, other: Resolved, ctx: NetpolContext): Verdict {
  if (peer.kind === 'invalid') {
    return 'blocked';
  }
  if (peer.kind === 'ipBlock') {
    if (other.kind === 'node') {
      return ipBlockAdmitsNodes(peer, []);
    }
    if (other.kind === 'address') {
      return other.cidr ? ipBlockVerdictFor(peer, other.cidr) : 'blocked';
    }

    // ipBlocks are meant for addresses outside the cluster; only a /0 block reliably covers pod IPs.
    return peer.cidr && peer.cidr.prefix === 0 && !peer.exceptText.length ? 'allowed' : 'blocked';
  }
  // Traffic from the node network (host-network pods, kubelet, API server proxy) matches no pod selector.
  if (other.kind !== 'pod') {
    return 'blocked';
  }
  if (peer.namespaceSelector !== undefined) {
    if (!selectorMatches(peer.namespaceSelector, ctx.namespaceLabels(other.namespace))) {
      return 'blocked';
    }
  } else if (other.namespace !== policyNamespace) {
    return 'blocked';
  }

  return peer.allPods || selectorMatches(peer.podSelector, other.labels) ? 'allowed' : 'blocked';
}

/** Does a port rule admit `port`? Named ports resolve against the ports of `portOwner` (the receiving pod). */
export function portMatches(rule: PortRule, port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined): boolean {
  if (rule.protocol !== protocol) {
    return false;
  }
  if (rule.port === undefined) {
    return true;
  }
  if (port === undefined) {
    return false;
  }
  if (typeof rule.port === 'number') {
    return rule.endPort !== undefined ? port >= rule.port && port <= rule.endPort : port === rule.port;
  }

  return (portOwner || []).some((p) => p.name === rule.port && p.protocol === protocol && p.port === port);
}

function rulePortsMatch(rule: TrafficRule, port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined): boolean {
  return rule.ports === 'all' || rule.ports.some((p) => portMatches(p, port, protocol, portOwner));
}

export interface PolicySet {
  policies: ParsedPolicy[];
  ctx: NetpolContext;
}

export function buildPolicySet(index: ObjectIndex, nodeCIDRs: string[] = []): PolicySet {
  const labelsCache = new Map<string, Record<string, string>>();

  return {
    policies: index.ofKind('NetworkPolicy').map(parsePolicy),
    ctx:      {
      nodeCidrs: (Array.isArray(nodeCIDRs) ? nodeCIDRs : []).map(parseCidr).filter((c): c is Cidr => !!c),
      namespaceLabels(namespace: string) {
        let labels = labelsCache.get(namespace);

        if (!labels) {
          labels = index.namespaces.get(namespace)?.labels || { 'kubernetes.io/metadata.name': namespace };
          labelsCache.set(namespace, labels);
        }

        return labels;
      },
    },
  };
}

export function policySelects(policy: ParsedPolicy, pod: { namespace: string; labels: Record<string, string> }): boolean {
  return policy.namespace === pod.namespace && selectorMatches(policy.podSelector, pod.labels);
}

export interface TargetPod {
  namespace: string;
  labels: Record<string, string>;
  hostNetwork: boolean;
  ports: ContainerPort[];
}

function rulesVerdict(rules: { policy: ParsedPolicy; rule: TrafficRule }[], port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined, other: Resolved, ctx: NetpolContext): Verdict {
  const verdicts: Verdict[] = [];

  for (const { policy, rule } of rules) {
    if (rulePortsMatch(rule, port, protocol, portOwner)) {
      verdicts.push(rule.peers === 'all' ? 'allowed' : combineAny(rule.peers.map((peer) => peerMatches(peer, policy.namespace, other, ctx))));
    }
  }

  return combineAny(verdicts);
}

/**
 * May `source` open a connection to `target` on port/protocol? `port` undefined asks about a port
 * no rule names specifically, i.e. whether all ports are open. Node-like sources must be admitted
 * for every node address to count as allowed.
 */
export function ingressVerdict(set: PolicySet, target: TargetPod, source: Endpoint, port: number | undefined, protocol = 'TCP'): Verdict {
  if (target.hostNetwork) {
    return 'allowed';
  }
  const policies = set.policies.filter((p) => p.ingressType && policySelects(p, target));

  if (!policies.length) {
    return 'allowed';
  }
  const rules = policies.flatMap((policy) => policy.ingress.map((rule) => ({ policy, rule })));

  return combineAll(resolveEndpoint(source, set.ctx).map((s) => rulesVerdict(rules, port, protocol, target.ports, s, set.ctx)));
}

/** May `source` (a pod) open a connection to `destination`? Named ports resolve against a destination pod's ports. */
export function egressVerdict(set: PolicySet, source: TargetPod, destination: Endpoint, port: number | undefined, protocol = 'TCP'): Verdict {
  if (source.hostNetwork) {
    return 'allowed';
  }
  const policies = set.policies.filter((p) => p.egressType && policySelects(p, source));

  if (!policies.length) {
    return 'allowed';
  }
  const rules = policies.flatMap((policy) => policy.egress.map((rule) => ({ policy, rule })));
  const destinationPorts = destination.kind === 'pod' && !destination.hostNetwork ? destination.ports : undefined;

  return combineAll(resolveEndpoint(destination, set.ctx).map((d) => rulesVerdict(rules, port, protocol, destinationPorts, d, set.ctx)));
}

/** Which pods of the input a pod peer selects, seen from a policy in `policyNamespace`; host-network pods are listed apart. */
export function podsMatchingPeer(peer: Peer, policyNamespace: string, pods: TargetPod[], ctx: NetpolContext): { pods: TargetPod[]; hostNetwork: TargetPod[] } {
  const matched: TargetPod[] = [];
  const hostNetwork: TargetPod[] = [];

  if (peer.kind !== 'pods') {
    return { pods: matched, hostNetwork };
  }
  for (const pod of pods) {
    const nsOk = peer.namespaceSelector !== undefined ? selectorMatches(peer.namespaceSelector, ctx.namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;

    if (nsOk && (peer.allPods || selectorMatches(peer.podSelector, pod.labels))) {
      (pod.hostNetwork ? hostNetwork : matched).push(pod);
    }
  }

  return { pods: matched, hostNetwork };
}
