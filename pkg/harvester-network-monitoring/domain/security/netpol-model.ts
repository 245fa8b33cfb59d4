import { Cidr, cidrContains, cidrOverlaps, parseCidr } from '../net/cidr';
import { isRecord, num, rec, records, str, strings } from '../guards';
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
 * A traffic endpoint: a pod (by namespace and labels, with its addresses when known), the nodes'
 * addresses (host-network pods, the kubelet, the API server's proxy), or one address. `node` names
 * the node an address or host-network pod belongs to, for the "pod's own node" rule.
 */
export type Endpoint =
  | { kind: 'pod'; namespace: string; labels: Record<string, string>; hostNetwork?: boolean; ports?: ContainerPort[]; ips?: string[]; node?: string }
  | { kind: 'node'; name?: string }
  | { kind: 'ip'; ip: string; node?: string };

export interface NetpolContext {
  namespaceLabels(namespace: string): Record<string, string>;
  /** Node addresses; empty when unknown. */
  nodeCidrs: Cidr[];
}

export interface TargetPod {
  namespace: string;
  labels: Record<string, string>;
  hostNetwork: boolean;
  ports: ContainerPort[];
  /** The pod's addresses, when known (a running Pod; templates have none). */
  ips?: string[];
  /** The node the pod runs on, when known. */
  node?: string;
}

export type Direction = 'ingress' | 'egress';

/** After expansion: a node-like endpoint becomes one known address per node, or stays 'node' when addresses are unknown. */
type Resolved =
  | (Extract<Endpoint, { kind: 'pod' }> & { cidrs?: (Cidr | null)[] })
  | { kind: 'node' }
  | { kind: 'address'; cidr: Cidr | null };

interface PolicyMemo {
  applying: Map<TargetPod, Record<Direction, ParsedPolicy[]>>;
  /** One list per distinct set of applying policies: pods alike share it, and the work keyed by it. */
  lists: Map<string, ParsedPolicy[]>;
  /** Per policy list, direction, protocol and port (nested maps: this is looked up for every decision). */
  candidates: Map<ParsedPolicy[], Record<Direction, Map<string, Map<number | undefined, Candidate[]>>>>;
  /** Weak: callers make endpoint objects freely, and a long-lived set must not keep them all. */
  resolved: WeakMap<Endpoint, Resolved[]>;
}

export interface PolicySet {
  policies: ParsedPolicy[];
  ctx: NetpolContext;
  /** Work remembered for this set (filled on first use): flow verdicts ask about the same pods and peers again and again. */
  memo?: PolicyMemo;
}

function memoOf(set: PolicySet): PolicyMemo {
  if (!set.memo) {
    // Not enumerable: a set stays a plain value for comparisons and serialization.
    Object.defineProperty(set, 'memo', {
      value: {
        applying: new Map(), lists: new Map(), candidates: new Map(), resolved: new WeakMap()
      },
      enumerable: false,
      writable:   true
    });
  }

  return set.memo as PolicyMemo;
}

const MAX_PARSED = 100_000;
const parsedAddresses = new Map<string, Cidr | null>();

/** parseCidr for addresses that recur in every flow row, remembered (bounded). */
function addressCidr(ip: string): Cidr | null {
  let cidr = parsedAddresses.get(ip);

  if (cidr === undefined) {
    cidr = parseCidr(ip);
    if (parsedAddresses.size < MAX_PARSED) {
      parsedAddresses.set(ip, cidr);
    }
  }

  return cidr;
}

function resolveUncached(e: Endpoint, ctx: NetpolContext): Resolved[] {
  if (e.kind === 'ip') {
    return [{ kind: 'address', cidr: addressCidr(e.ip) }];
  }
  if (e.kind === 'pod' && e.hostNetwork === true && e.ips && e.ips.length) {
    // A host-network pod's podIPs are its node's addresses.
    return e.ips.map((ip) => ({ kind: 'address' as const, cidr: addressCidr(ip) }));
  }
  if (e.kind === 'node' || (e.kind === 'pod' && e.hostNetwork === true)) {
    return ctx.nodeCidrs.length ? ctx.nodeCidrs.map((cidr) => ({ kind: 'address' as const, cidr })) : [{ kind: 'node' }];
  }

  return [e.ips && e.ips.length ? { ...e, cidrs: e.ips.map(addressCidr) } : e];
}

function resolveEndpoint(e: Endpoint, set: PolicySet): Resolved[] {
  const memo = memoOf(set).resolved;
  let found = memo.get(e);

  if (!found) {
    found = resolveUncached(e, set.ctx);
    memo.set(e, found);
  }

  return found;
}

/** The node an endpoint is on, when it is that node's own address (node, host-network pod, node IP). */
function nodeOf(e: Endpoint): string | undefined {
  if (e.kind === 'node') {
    return e.name;
  }
  if (e.kind === 'ip') {
    return e.node;
  }

  return e.hostNetwork ? e.node : undefined;
}

/** Why a verdict is 'unknown' or 'partial' rather than a plain allowed/blocked. */
export type UnknownReason =
  /** An ipBlock decides, and the pod's address is not known. */
  | 'pod-address-unknown'
  /** An ipBlock decides, and the node addresses are not known. */
  | 'node-addresses-unknown'
  /** An ipBlock (or its except list) covers only part of an address range. */
  | 'range-partly-covered'
  /** A named port decides, and the destination pod's ports are not known. */
  | 'named-port-unknown'
  /** NetworkPolicy is defined for TCP, UDP and SCTP only; other protocols depend on the plugin. */
  | 'protocol-undefined';

interface PeerResult { verdict: Verdict; reason?: UnknownReason }

const ALLOWED: PeerResult = Object.freeze({ verdict: 'allowed' as Verdict });
const BLOCKED: PeerResult = Object.freeze({ verdict: 'blocked' as Verdict });
const unknownFor = (reason: UnknownReason, verdict: Verdict = 'unknown'): PeerResult => ({ verdict, reason });

function ipBlockVerdictFor(peer: Extract<Peer, { kind: 'ipBlock' }>, address: Cidr): Verdict {
  if (!peer.cidr) {
    return 'blocked';
  }
  if (!cidrContains(peer.cidr, address)) {
    return cidrOverlaps(peer.cidr, address) ? 'partial' : 'blocked';
  }
  let overlapped = false;

  for (const e of peer.except) {
    if (e && cidrOverlaps(e, address)) {
      if (cidrContains(e, address)) {
        return 'blocked';
      }
      overlapped = true;
    }
  }

  return overlapped ? 'partial' : 'allowed';
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

function ipBlockMatches(peer: Extract<Peer, { kind: 'ipBlock' }>, other: Resolved): PeerResult {
  if (other.kind === 'node') {
    const v = ipBlockAdmitsNodes(peer, []);

    return v === 'unknown' ? unknownFor('node-addresses-unknown') : v === 'allowed' ? ALLOWED : BLOCKED;
  }
  if (other.kind === 'address') {
    const v = other.cidr ? ipBlockVerdictFor(peer, other.cidr) : 'blocked';

    return v === 'partial' ? unknownFor('range-partly-covered', 'partial') : v === 'allowed' ? ALLOWED : BLOCKED;
  }
  // A pod peer: its own addresses decide. Kubernetes' network-policy e2e tests expect an ipBlock
  // holding a pod's IP to admit that pod (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go,
  // "should allow egress access to server in CIDR block"); Canal/Calico enforce this, Cilium does not
  // (cilium/cilium#9209, skipped in its CI).
  if (other.cidrs && other.cidrs.length) {
    const v = combineAll(other.cidrs.map((cidr) => (cidr ? ipBlockVerdictFor(peer, cidr) : 'blocked')));

    return v === 'allowed' ? ALLOWED : v === 'blocked' ? BLOCKED : unknownFor('range-partly-covered', 'partial');
  }
  // Without the pod's address only a block of every address (no exceptions) is certain.
  if (peer.cidr && peer.cidr.prefix === 0 && !peer.exceptText.length) {
    return ALLOWED;
  }

  return peer.cidr ? unknownFor('pod-address-unknown') : BLOCKED;
}

function peerMatches(peer: Peer, policyNamespace: string, other: Resolved, ctx: NetpolContext): PeerResult {
  if (peer.kind === 'invalid') {
    return BLOCKED;
  }
  if (peer.kind === 'ipBlock') {
    return ipBlockMatches(peer, other);
  }
  // Traffic from the node network (host-network pods, kubelet, API server proxy) matches no pod selector.
  if (other.kind !== 'pod') {
    return BLOCKED;
  }
  if (peer.namespaceSelector !== undefined) {
    if (!selectorMatches(peer.namespaceSelector, ctx.namespaceLabels(other.namespace))) {
      return BLOCKED;
    }
  } else if (other.namespace !== policyNamespace) {
    return BLOCKED;
  }

  return peer.allPods || selectorMatches(peer.podSelector, other.labels) ? ALLOWED : BLOCKED;
}

/**
 * The cluster DNS as RKE2 (Harvester's Kubernetes) deploys it: chart rke2-coredns in kube-system,
 * pod labels `k8s-app: kube-dns` (values `k8sApp: "kube-dns"`) and `app.kubernetes.io/name:
 * rke2-coredns`, container ports `udp-53`/`tcp-53` (rancher/rke2-charts packages/rke2-coredns:
 * charts/templates/deployment.yaml, _helpers.tpl `coredns.containerPorts`, and the values.yaml patch).
 */
export const RKE2_CLUSTER_DNS: Extract<Endpoint, { kind: 'pod' }> = Object.freeze({
  kind:      'pod',
  namespace: 'kube-system',
  labels:    Object.freeze({ 'k8s-app': 'kube-dns', 'app.kubernetes.io/name': 'rke2-coredns' }) as Record<string, string>,
  ports:     [{ name: 'udp-53', port: 53, protocol: 'UDP' }, { name: 'tcp-53', port: 53, protocol: 'TCP' }],
});

/** The protocols NetworkPolicy is defined for; others vary by plugin. */
export const POLICY_PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

interface PortResult { verdict: Verdict; index?: number; reason?: UnknownReason }

/**
 * Does a rule's port list admit `port`? Named ports resolve against the ports of `portOwner` (the
 * receiving pod); `undefined` owner means its ports are not known.
 */
function rulePorts(rule: TrafficRule, port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined): PortResult {
  if (rule.ports === 'all') {
    return ALLOWED;
  }
  let unknown: PortResult | undefined;

  for (let i = 0; i < rule.ports.length; i++) {
    const p = rule.ports[i];

    if (p.protocol !== protocol) {
      continue;
    }
    if (p.port === undefined) {
      return { verdict: 'allowed', index: i };
    }
    if (port === undefined) {
      continue;
    }
    if (typeof p.port === 'number') {
      if (p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port) {
        return { verdict: 'allowed', index: i };
      }
      continue;
    }
    if (!portOwner) {
      unknown = unknown || { verdict: 'unknown', index: i, reason: 'named-port-unknown' };
    } else if (portOwner.some((cp) => cp.name === p.port && cp.protocol === protocol && cp.port === port)) {
      return { verdict: 'allowed', index: i };
    }
  }

  return unknown || BLOCKED;
}

/** Does a port rule admit `port`? Named ports resolve against the ports of `portOwner` (the receiving pod). */
export function portMatches(rule: PortRule, port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined): boolean {
  return rulePorts({ peers: 'all', ports: [rule] }, port, protocol, portOwner || []).verdict === 'allowed';
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

/** One rule of one policy, by position in its spec, and the peer and port entries that matched. */
export interface RuleRef {
  policy: string;
  namespace: string;
  direction: Direction;
  /** Index in spec.ingress / spec.egress. */
  rule: number;
  /** Index in the rule's from/to; undefined when the rule lists no peers (every peer). */
  peer?: number;
  /** Index in the rule's ports; undefined when the rule lists no ports (every port). */
  port?: number;
}

/**
 * Why traffic is allowed or not in one direction at one pod: the verdict, the policies that apply
 * (isolate the pod), the rules that admit it, and the reasons behind an 'unknown' or 'partial'.
 * `basis` names allowances that no rule gives: nothing isolates the pod, it is a host-network pod
 * (NetworkPolicy does not apply to it in the common implementation), or the traffic is with the
 * pod's own node.
 */
export interface Decision {
  verdict: Verdict;
  policies: ParsedPolicy[];
  allowedBy: RuleRef[];
  reasons: UnknownReason[];
  basis?: 'not-isolated' | 'host-network' | 'resident-node';
}

export function applyingPolicies(set: PolicySet, pod: TargetPod, direction: Direction): ParsedPolicy[] {
  const memo = memoOf(set).applying;
  let found = memo.get(pod);

  if (!found) {
    const lists = memoOf(set).lists;
    const ingress: ParsedPolicy[] = [];
    const egress: ParsedPolicy[] = [];
    let ingressKey = 'i';
    let egressKey = 'e';

    for (let i = 0; i < set.policies.length; i++) {
      const p = set.policies[i];

      if (!policySelects(p, pod)) {
        continue;
      }
      if (p.ingressType) {
        ingress.push(p);
        ingressKey += `,${ i }`;
      }
      if (p.egressType) {
        egress.push(p);
        egressKey += `,${ i }`;
      }
    }
    const interned = (key: string, list: ParsedPolicy[]) => {
      const had = lists.get(key);

      return had || (lists.set(key, list), list);
    };

    found = { ingress: interned(ingressKey, ingress), egress: interned(egressKey, egress) };
    memo.set(pod, found);
  }

  return found[direction];
}

const RANK: Record<Verdict, number> = {
  blocked: 0, unknown: 1, partial: 2, allowed: 3
};

/** Position of the peer bestPeer chose (kept outside its result so the hot path allocates nothing). */
let bestPeerIndex = -1;

/** The best peer of a rule for `other` (combineAny over the peers); its position is left in bestPeerIndex. */
function bestPeer(peers: Peer[], policyNamespace: string, other: Resolved, ctx: NetpolContext): PeerResult {
  let result: PeerResult = BLOCKED;

  bestPeerIndex = -1;
  for (let i = 0; i < peers.length; i++) {
    const r = peerMatches(peers[i], policyNamespace, other, ctx);

    if (bestPeerIndex < 0 || RANK[r.verdict] > RANK[result.verdict]) {
      result = r;
      bestPeerIndex = i;
      if (r.verdict === 'allowed') {
        break;
      }
    }
  }

  return result;
}

interface RuleOutcome { verdict: Verdict; ref?: RuleRef; reason?: UnknownReason }

const NO_VERDICTS: Verdict[] = [];
/** Shared empty lists for the common answers (frozen: nobody may add to them). */
const NO_REFS = Object.freeze([]) as unknown as RuleRef[];
const NO_REASONS = Object.freeze([]) as unknown as UnknownReason[];

/** A destination without ports of its own (one shared list, so answers keyed by it are found again). */
const NO_PORTS = Object.freeze([]) as unknown as ContainerPort[];

const RULE_BLOCKED: RuleOutcome = Object.freeze({ verdict: 'blocked' as Verdict });

/**
 * A rule whose ports may admit the port and protocol asked about, with that answer; null when the
 * rule names a port, which resolves against the receiving pod's ports, so is checked per decision.
 */
interface Candidate { policy: ParsedPolicy; rule: TrafficRule; index: number; ports: PortResult | null }

const namesPort = (rule: TrafficRule) => rule.ports !== 'all' && rule.ports.some((p) => typeof p.port === 'string');

/**
 * The rules of a policy list that may admit a port and protocol, in policy and rule order: numbered
 * ports are checked once per (policies, port, protocol), not once per flow.
 */
function candidateRules(set: PolicySet, policies: ParsedPolicy[], direction: Direction, port: number | undefined, protocol: string): Candidate[] {
  const memo = memoOf(set).candidates;
  let byDirection = memo.get(policies);

  if (!byDirection) {
    byDirection = { ingress: new Map(), egress: new Map() };
    memo.set(policies, byDirection);
  }
  let byPort = byDirection[direction].get(protocol);

  if (!byPort) {
    byPort = new Map();
    byDirection[direction].set(protocol, byPort);
  }
  let found = byPort.get(port);

  if (!found) {
    found = [];
    for (const policy of policies) {
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;

      for (let i = 0; i < rules.length; i++) {
        const ports = namesPort(rules[i]) ? null : rulePorts(rules[i], port, protocol, undefined);

        if (!ports || ports.verdict !== 'blocked') {
          found.push({
            policy, rule: rules[i], index: i, ports
          });
        }
      }
    }
    byPort.set(port, found);
  }

  return found;
}

function ruleDecision(
  policy: ParsedPolicy, rule: TrafficRule, ruleIndex: number, direction: Direction, ports: PortResult, other: Resolved, ctx: NetpolContext
): RuleOutcome {
  let peer: PeerResult = ALLOWED;
  let peerIndex: number | undefined;

  if (rule.peers !== 'all') {
    peer = bestPeer(rule.peers, policy.namespace, other, ctx);
    if (peer.verdict === 'blocked') {
      return RULE_BLOCKED;
    }
    peerIndex = bestPeerIndex;
  }
  const ref: RuleRef = {
    policy: policy.object.name, namespace: policy.namespace, direction, rule: ruleIndex
  };

  if (peerIndex !== undefined) {
    ref.peer = peerIndex;
  }
  if (ports.index !== undefined) {
    ref.port = ports.index;
  }
  if (peer.verdict === 'allowed' && ports.verdict === 'allowed') {
    return { verdict: 'allowed', ref };
  }
  // Both parts must hold: the weaker one (partial before unknown) decides.
  const weaker = peer.verdict === 'allowed' ? ports : peer;

  return { verdict: weaker.verdict, ref, reason: weaker.reason };
}

function decide(
  set: PolicySet, pod: TargetPod, direction: Direction, other: Endpoint, port: number | undefined, protocol: string, portOwner: ContainerPort[] | undefined
): Decision {
  if (pod.hostNetwork) {
    return {
      verdict: 'allowed', policies: [], allowedBy: [], reasons: [], basis: 'host-network'
    };
  }
  const policies = applyingPolicies(set, pod, direction);

  if (!policies.length) {
    return {
      verdict: 'allowed', policies, allowedBy: [], reasons: [], basis: 'not-isolated'
    };
  }
  const otherNode = nodeOf(other);

  if (pod.node && otherNode && otherNode === pod.node) {
    return {
      verdict: 'allowed', policies, allowedBy: [], reasons: [], basis: 'resident-node'
    };
  }
  if (!POLICY_PROTOCOLS.includes(protocol)) {
    return {
      verdict: 'unknown', policies, allowedBy: [], reasons: ['protocol-undefined']
    };
  }
  const addresses = resolveEndpoint(other, set);
  const candidates = candidateRules(set, policies, direction, port, protocol);
  const perAddress: Verdict[] = addresses.length > 1 ? [] : NO_VERDICTS;
  // Allocated only when something admits or is uncertain: most decisions on busy clusters block.
  let allowedBy: RuleRef[] | undefined;
  let reasons: UnknownReason[] | undefined;
  let verdict: Verdict = 'blocked';

  for (const resolved of addresses) {
    let best: Verdict = 'blocked';

    for (const c of candidates) {
      const ports = c.ports || rulePorts(c.rule, port, protocol, portOwner);

      if (ports.verdict === 'blocked') {
        continue;
      }
      const r = ruleDecision(c.policy, c.rule, c.index, direction, ports, resolved, set.ctx);

      if (r === RULE_BLOCKED) {
        continue;
      }
      if (RANK[r.verdict] > RANK[best]) {
        best = r.verdict;
      }
      const ref = r.ref as RuleRef;

      if (r.verdict === 'allowed' && !(allowedBy || []).some((a) => a.policy === ref.policy && a.rule === ref.rule && a.peer === ref.peer && a.port === ref.port)) {
        (allowedBy = allowedBy || []).push(ref);
      }
      if (r.reason && !(reasons || []).includes(r.reason)) {
        (reasons = reasons || []).push(r.reason);
      }
    }
    if (addresses.length > 1) {
      perAddress.push(best);
    } else {
      verdict = best;
    }
  }
  if (addresses.length > 1) {
    verdict = combineAll(perAddress);
  }

  return {
    verdict, policies, allowedBy: allowedBy || NO_REFS, reasons: verdict === 'allowed' || verdict === 'blocked' || !reasons ? NO_REASONS : reasons
  };
}

/**
 * May `source` open a connection to `target` on port/protocol, seen from the target's ingress
 * policies? `port` undefined asks about a port no rule names specifically, i.e. whether all ports
 * are open. Node-like sources must be admitted for every node address to count as allowed.
 */
export function ingressDecision(set: PolicySet, target: TargetPod, source: Endpoint, port: number | undefined, protocol = 'TCP'): Decision {
  return decide(set, target, 'ingress', source, port, protocol, target.ports);
}

/** The same for a pod's egress policies; named ports resolve against a destination pod's ports. */
export function egressDecision(set: PolicySet, source: TargetPod, destination: Endpoint, port: number | undefined, protocol = 'TCP'): Decision {
  // Only a pod on the pod network has ports a named port can resolve to; for a pod whose ports are
  // not known the answer is unknown.
  const destinationPorts = destination.kind === 'pod' && !destination.hostNetwork ? destination.ports : NO_PORTS;

  return decide(set, source, 'egress', destination, port, protocol, destinationPorts);
}

export function ingressVerdict(set: PolicySet, target: TargetPod, source: Endpoint, port: number | undefined, protocol = 'TCP'): Verdict {
  return ingressDecision(set, target, source, port, protocol).verdict;
}

export function egressVerdict(set: PolicySet, source: TargetPod, destination: Endpoint, port: number | undefined, protocol = 'TCP'): Verdict {
  return egressDecision(set, source, destination, port, protocol).verdict;
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
