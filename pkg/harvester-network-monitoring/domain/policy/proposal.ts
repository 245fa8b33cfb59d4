/**
 * A NetworkPolicy proposed from observed flows, for one VM (its virt-launcher pod, selected by
 * `vm.kubevirt.io/name`) or for a whole namespace (`podSelector: {}`): ingress from every peer seen
 * connecting to it, egress to every peer it connected to, on the ports seen, plus DNS egress to the
 * cluster DNS. Peers on the pod network become pod/namespace selectors from their labels, Services
 * their selector and target ports, everything else (nodes, host-network pods, VLAN NICs, outside
 * addresses) an ipBlock of the single address. The output is deterministic: the same flows give the
 * same object, whatever their order.
 */
import { parseIp } from '../net/ip';
import { hostCidr } from '../net/cidr';
import { POLICY_PROTOCOLS, RKE2_CLUSTER_DNS } from '../security/netpol-model';
import { NAMESPACE_NAME_LABEL } from '../security/objects';
import { PolicyEnd, endAddresses } from './flow-endpoints';
import { FlowEvaluator, FlowLike, policyProtocol } from './flow-verdict';
import { WorldPod, serviceEndpoints, serviceTarget } from './policy-world';
import { LAUNCHER_VM_LABEL } from '../flows/enrichment/enrich';

export type ProposalSubject =
  | { kind: 'vm'; namespace: string; name: string }
  | { kind: 'namespace'; namespace: string };

export interface ProposalOptions {
  /** Propose ingress rules (policyTypes Ingress). Default true. */
  ingress?: boolean;
  /** Propose egress rules (policyTypes Egress), always with DNS to the cluster DNS. Default true. */
  egress?: boolean;
  /** Annotations to put on the object (e.g. the window the flows come from). */
  annotations?: Record<string, string>;
}

/** Why a flow of the subject gives no rule. */
export type SkipReason =
  /** On a VM NIC attached to a VLAN network: not subject to NetworkPolicy, nothing to allow. */
  | 'vlan-nic'
  /** Not TCP, UDP or SCTP: NetworkPolicy does not define what happens to it. */
  | 'protocol-undefined'
  /** A port NetworkPolicy cannot name (0). */
  | 'port-invalid'
  /** The other end cannot be placed (pod or Service not listed, no address). */
  | 'peer-unknown'
  /** A Service without selector: its backends are not known. */
  | 'service-without-selector'
  /** A Service with no running pod that has the target port. */
  | 'service-without-backends';

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
}

export interface PeerObject {
  podSelector?: LabelSelectorObject;
  namespaceSelector?: LabelSelectorObject;
  ipBlock?: { cidr: string };
}

export interface PortObject {
  protocol: string;
  port: number | string;
  endPort?: number;
}

export interface RuleObject {
  ports: PortObject[];
  from?: PeerObject[];
  to?: PeerObject[];
}

export interface NetworkPolicyObject {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: {
    podSelector: LabelSelectorObject;
    policyTypes: ('Ingress' | 'Egress')[];
    ingress?: RuleObject[];
    egress?: RuleObject[];
  };
}

export interface Proposal {
  subject: ProposalSubject;
  policies: NetworkPolicyObject[];
  /** The flows the rules were built from. */
  sources: FlowLike[];
  skipped: { flow: FlowLike; reason: SkipReason }[];
}

/** Labels that identify a workload across restarts, in order of preference. */
const STABLE_LABELS = [
  'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app', 'k8s-app', 'name', 'component', 'role', 'tier',
];

/** Labels that change with every rollout or pod; a selector on them would stop matching. */
const VOLATILE_LABELS = new Set([
  'pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index', 'controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name',
  'kubevirt.io/created-by', 'kubevirt.io/nodeName', 'kubevirt.io/migrationJobUID',
]);

const NAME_MAX = 253;

/** A short stable hash (FNV-1a, 32 bit) to keep clipped names unique. */
function fnv(text: string): string {
  let h = 0x811c9dc5;

  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }

  return h.toString(16).padStart(8, '0');
}

export function proposalName(subject: ProposalSubject): string {
  const name = subject.kind === 'vm' ? `allow-observed-${ subject.name }` : 'allow-observed-traffic';

  return name.length <= NAME_MAX ? name : `${ name.slice(0, NAME_MAX - 9).replace(/[-.]+$/, '') }-${ fnv(name) }`;
}

/** The selector of a pod peer: the VM name for a launcher pod, else its stable labels, else every non-volatile label. */
function podLabels(pod: WorldPod): Record<string, string> {
  if (pod.vm) {
    return { [LAUNCHER_VM_LABEL]: pod.vm };
  }
  const labels = pod.target.labels;
  const stable = STABLE_LABELS.filter((k) => labels[k] !== undefined);
  const keys = stable.length ? stable : Object.keys(labels).filter((k) => !VOLATILE_LABELS.has(k)).sort();

  return Object.fromEntries(keys.map((k) => [k, labels[k]]));
}

function selectorPeer(namespace: string, policyNamespace: string, matchLabels: Record<string, string>): PeerObject {
  const peer: PeerObject = { podSelector: { matchLabels } };

  if (namespace !== policyNamespace) {
    // The API server sets this immutable label on every namespace (network-policies docs, "Targeting a Namespace by its name").
    peer.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
  }

  return peer;
}

function ipPeers(ips: string[]): PeerObject[] {
  return ips.map((ip) => parseIp(ip)).filter((p): p is NonNullable<typeof p> => !!p).map((p) => ({ ipBlock: { cidr: hostCidr(p.bytes) } }));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Accumulates peers and the ports seen with each, then turns them into sorted rules. */
class RuleSet {
  private readonly peers = new Map<string, { peer: PeerObject; ports: Set<string> }>();

  add(peers: PeerObject[], protocol: string, port: number | string): void {
    for (const peer of peers) {
      const key = JSON.stringify(peer);
      let entry = this.peers.get(key);

      if (!entry) {
        entry = { peer, ports: new Set() };
        this.peers.set(key, entry);
      }
      entry.ports.add(`${ protocol }/${ port }`);
    }
  }

  /** Peers with the same ports share a rule; rules and peers sorted; runs of 3+ consecutive ports become a range. */
  rules(direction: 'from' | 'to'): RuleObject[] {
    const byPorts = new Map<string, { ports: PortObject[]; peers: { key: string; peer: PeerObject }[] }>();

    this.peers.forEach(({ peer, ports }, key) => {
      const list = portList(ports);
      const signature = JSON.stringify(list);
      const entry = byPorts.get(signature) || { ports: list, peers: [] };

      entry.peers.push({ key, peer });
      byPorts.set(signature, entry);
    });

    return [...byPorts.entries()].sort((a, b) => compare(a[0], b[0])).map(([, e]) => ({
      [direction]: e.peers.sort((a, b) => compare(a.key, b.key)).map((p) => p.peer),
      ports:       e.ports,
    }) as RuleObject);
  }
}

function portList(ports: Set<string>): PortObject[] {
  const numbers = new Map<string, number[]>();
  const named: PortObject[] = [];

  for (const entry of ports) {
    const [protocol, port] = entry.split('/');

    if (/^\d+$/.test(port)) {
      numbers.set(protocol, [...(numbers.get(protocol) || []), Number(port)]);
    } else {
      named.push({ protocol, port });
    }
  }
  const out: PortObject[] = [];

  for (const protocol of [...numbers.keys()].sort()) {
    const sorted = [...new Set(numbers.get(protocol))].sort((a, b) => a - b);

    for (let i = 0; i < sorted.length;) {
      let j = i;

      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) {
        j++;
      }
      if (j - i >= 2) {
        out.push({ protocol, port: sorted[i], endPort: sorted[j] });
      } else {
        for (let k = i; k <= j; k++) {
          out.push({ protocol, port: sorted[k] });
        }
      }
      i = j + 1;
    }
  }

  return [...out, ...named.sort((a, b) => compare(`${ a.protocol }/${ a.port }`, `${ b.protocol }/${ b.port }`))];
}

/** Pods of the subject, as the policy will select them. */
function isMember(subject: ProposalSubject, end: PolicyEnd): boolean {
  if (end.kind !== 'pod') {
    return false;
  }

  return subject.kind === 'vm' ? end.pod.namespace === subject.namespace && end.pod.vm === subject.name : end.pod.namespace === subject.namespace;
}

function onSubjectVlan(subject: ProposalSubject, end: PolicyEnd, flowEnd: FlowLike['client']): boolean {
  if (end.kind !== 'vlan') {
    return false;
  }

  return subject.kind === 'vm' ? flowEnd.namespace === subject.namespace && flowEnd.name === subject.name : flowEnd.namespace === subject.namespace;
}

export function proposePolicy(evaluator: FlowEvaluator, subject: ProposalSubject, flows: readonly FlowLike[], options: ProposalOptions = {}): Proposal {
  const world = evaluator.world;
  // A policy with neither type would default to Ingress: ask for at least that.
  const wantIngress = options.ingress !== false || options.egress === false;
  const wantEgress = options.egress !== false;
  const ns = subject.namespace;
  const ingress = new RuleSet();
  const egress = new RuleSet();
  const sources: FlowLike[] = [];
  const skipped: Proposal['skipped'] = [];

  if (wantEgress) {
    // Name lookups keep working whatever the window saw.
    const dns = [selectorPeer(RKE2_CLUSTER_DNS.namespace, ns, { 'k8s-app': RKE2_CLUSTER_DNS.labels['k8s-app'] })];

    egress.add(dns, 'UDP', 53);
    egress.add(dns, 'TCP', 53);
  }

  /** The peers that stand for `end` and the port to allow, or why there are none. */
  function peerOf(end: PolicyEnd, port: number, protocol: string, asDestination: boolean): { peers: PeerObject[]; port: number | string } | SkipReason {
    switch (end.kind) {
    case 'pod': {
      const labels = podLabels(end.pod);

      if (Object.keys(labels).length) {
        return { peers: [selectorPeer(end.pod.namespace, ns, labels)], port };
      }
      // No label to select it by (an empty selector would admit every pod): its address.
      const peers = ipPeers(endAddresses(world, end));

      return peers.length ? { peers, port } : 'peer-unknown';
    }
    case 'service': {
      if (!asDestination) {
        return 'peer-unknown';
      }
      if (!end.service.selector) {
        return 'service-without-selector';
      }
      const endpoints = serviceEndpoints(world, end.service, port, protocol);

      if (!endpoints.length) {
        return 'service-without-backends';
      }
      // The connection reaches the backends: their selector, and host-network backends by address.
      const hostNetwork = endpoints.filter((x) => x.pod.target.hostNetwork).flatMap((x) => x.pod.target.ips ?? []);

      return {
        peers: [selectorPeer(end.service.namespace, ns, end.service.selector), ...ipPeers(hostNetwork)],
        port:  serviceTarget(end.service, port, protocol),
      };
    }
    case 'unknown':
      return 'peer-unknown';
    default: {
      const peers = ipPeers(endAddresses(world, end));

      return peers.length ? { peers, port } : 'peer-unknown';
    }
    }
  }

  for (const flow of flows) {
    const client = evaluator.end(flow.client);
    const server = evaluator.end(flow.server);
    const protocol = policyProtocol(flow.protocol);
    const outbound = wantEgress && isMember(subject, client);
    // A connection to a Service counts when the subject is among its backends.
    const serverBackends = server.kind === 'service' && POLICY_PROTOCOLS.includes(protocol) ? serviceEndpoints(world, server.service, flow.serverPort, protocol).filter((x) => !x.pod.target.hostNetwork && isMember(subject, { kind: 'pod', pod: x.pod, ip: '' })) : [];
    const inbound = wantIngress && (isMember(subject, server) || serverBackends.length > 0);

    if (!outbound && !inbound) {
      if (onSubjectVlan(subject, client, flow.client) || onSubjectVlan(subject, server, flow.server)) {
        skipped.push({ flow, reason: 'vlan-nic' });
      }
      continue;
    }
    if (!POLICY_PROTOCOLS.includes(protocol)) {
      skipped.push({ flow, reason: 'protocol-undefined' });
      continue;
    }
    if (!(flow.serverPort >= 1 && flow.serverPort <= 65535)) {
      skipped.push({ flow, reason: 'port-invalid' });
      continue;
    }
    const problems: SkipReason[] = [];

    if (outbound) {
      const peer = peerOf(server, flow.serverPort, protocol, true);

      if (typeof peer === 'string') {
        problems.push(peer);
      } else {
        egress.add(peer.peers, protocol, peer.port);
      }
    }
    if (inbound) {
      const peer = peerOf(client, flow.serverPort, protocol, false);

      if (typeof peer === 'string') {
        problems.push(peer);
      } else {
        // Through a Service the subject receives on the target port (a name resolves on its own pod).
        ingress.add(peer.peers, protocol, server.kind === 'service' ? serviceTarget(server.service, flow.serverPort, protocol) : flow.serverPort);
      }
    }
    if (problems.length) {
      skipped.push({ flow, reason: problems[0] });
    } else {
      sources.push(flow);
    }
  }

  const policy: NetworkPolicyObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind:       'NetworkPolicy',
    metadata:   { name: proposalName(subject), namespace: ns },
    spec:       {
      podSelector: subject.kind === 'vm' ? { matchLabels: { [LAUNCHER_VM_LABEL]: subject.name } } : {},
      policyTypes: [...(wantIngress ? ['Ingress' as const] : []), ...(wantEgress ? ['Egress' as const] : [])],
    },
  };

  if (options.annotations && Object.keys(options.annotations).length) {
    policy.metadata.annotations = { ...options.annotations };
  }
  if (wantIngress) {
    policy.spec.ingress = ingress.rules('from');
  }
  if (wantEgress) {
    policy.spec.egress = egress.rules('to');
  }

  return {
    subject, policies: [policy], sources, skipped
  };
}
