/**
 * The NetworkPolicy verdict of one flow: for the client, which policies isolate it for egress and
 * the rule that lets the connection out; for the server, the same for ingress; or why the answer
 * cannot be known. It uses the Security Review's model (security/netpol-model.ts), so both pages give
 * the same answers. Kubernetes: "For a connection from a source pod to a destination pod to be
 * allowed, both the egress policy on the source pod and the ingress policy on the destination pod
 * need to allow the connection" (kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
import { Endpoint as FlowEndpoint } from '../flows/enrichment/endpoint';
import { protocolName } from '../flows/query/schema';
import {
  Decision, Direction, Endpoint, ParsedPolicy, RuleRef, TargetPod, UnknownReason, applyingPolicies, egressDecision, ingressDecision
} from '../security/netpol-model';
import { EndProblem, PolicyEnd, endAddresses, policyEnd } from './flow-endpoints';
import {
  PolicyWorld, WorldPod, WorldService, serviceEndpoints
} from './policy-world';

export type FlowVerdictKind = 'allowed' | 'blocked' | 'unknown' | 'not-enforced';

/** One side: `unrestricted` means no policy isolates the pod in this direction (allowed by default). */
export type SideState = 'allowed' | 'blocked' | 'unknown' | 'not-enforced' | 'unrestricted';

export type SideReason =
  | UnknownReason
  | EndProblem
  /** A VM NIC on a bridge/Multus (VLAN) network: Harvester's pod NetworkPolicy does not see it. */
  | 'vlan-network'
  /** NetworkPolicy selects pods; a host-network pod is treated as its node (the common implementation). */
  | 'host-network'
  | 'node-address'
  | 'external-address'
  /** A Service address as a client: the connection comes from a backend or a proxy, not the Service. */
  | 'service-address'
  /** "traffic to and from the node where a Pod is running is always allowed". */
  | 'resident-node'
  /** "a pod cannot block access to itself". */
  | 'same-pod'
  /** A Service without selector, or with no live pod matching it. */
  | 'service-without-backends'
  /** Some backends of the Service are allowed and some not. */
  | 'backends-differ'
  /** A named targetPort no container port of any backend carries. */
  | 'service-target-port-unknown';

export interface PolicyName {
  namespace: string;
  name: string;
}

export interface SideVerdict {
  state: SideState;
  /** Policies that isolate this end in this direction. */
  policies: PolicyName[];
  /** The rules that admit the connection (policy, rule, peer and port entry). */
  matches: RuleRef[];
  reasons: SideReason[];
}

export interface FlowVerdict {
  verdict: FlowVerdictKind;
  /** At the client: its egress policies. */
  egress: SideVerdict;
  /** At the server: its ingress policies. */
  ingress: SideVerdict;
  /** Some policy isolates an end of the flow. */
  restricted: boolean;
}

/** What a verdict needs from a flow row: both ends identified, protocol number, server port. */
export interface FlowLike {
  client: FlowEndpoint;
  server: FlowEndpoint;
  protocol: number;
  serverPort: number;
}

/** NetworkPolicy's protocol names for IANA numbers ("TCP", "UDP", "SCTP"); others keep DeepFlow's name. */
export function policyProtocol(protocol: number): string {
  return (protocolName(protocol) ?? `ip-${ protocol }`).toUpperCase();
}

const NONE: never[] = Object.freeze([]) as unknown as never[];
const constants = new Map<SideState, Map<SideReason | '', SideVerdict>>();

/** A side verdict; those without policies or rules are shared frozen constants (flow rows repeat them). */
function side(state: SideState, reasons: SideReason[] = NONE, policies: PolicyName[] = NONE, matches: RuleRef[] = NONE): SideVerdict {
  if (policies.length || matches.length || reasons.length > 1) {
    return {
      state, policies, matches, reasons
    };
  }
  let byReason = constants.get(state);

  if (!byReason) {
    byReason = new Map();
    constants.set(state, byReason);
  }
  const reason = reasons.length ? reasons[0] : '';
  let found = byReason.get(reason);

  if (!found) {
    found = Object.freeze({
      state, policies: NONE, matches: NONE, reasons: reasons.length ? Object.freeze([...reasons]) as SideReason[] : NONE
    });
    byReason.set(reason, found);
  }

  return found;
}

const NOT_ENFORCED_AT: Partial<Record<PolicyEnd['kind'], SideReason>> = {
  vlan:           'vlan-network',
  'host-network': 'host-network',
  node:           'node-address',
  external:       'external-address',
  service:        'service-address',
};

const names = new WeakMap<Decision['policies'], PolicyName[]>();

const blocked = new WeakMap<Decision['policies'], SideVerdict>();

/** "No rule allows it" under these policies: one shared answer per list (the model hands out one list per pod). */
function blockedBy(policies: Decision['policies']): SideVerdict {
  let found = blocked.get(policies);

  if (!found) {
    found = Object.freeze({
      state: 'blocked' as SideState, policies: namesOf(policies), matches: NONE, reasons: NONE
    });
    blocked.set(policies, found);
  }

  return found;
}

/** Names of a pod's applying policies; the model hands out the same list per pod, so names are made once. */
function namesOf(policies: Decision['policies']): PolicyName[] {
  let found = names.get(policies);

  if (!found) {
    found = policies.map((p) => ({ namespace: p.namespace, name: p.object.name }));
    names.set(policies, found);
  }

  return found;
}

function fromDecision(d: Decision): SideVerdict {
  switch (d.basis) {
  case 'not-isolated':
    return side('unrestricted');
  case 'host-network':
    return side('not-enforced', ['host-network']);
  case 'resident-node':
    return side('allowed', ['resident-node'], namesOf(d.policies));
  default:
    break;
  }
  if (d.verdict === 'blocked') {
    return blockedBy(d.policies);
  }

  return side(d.verdict === 'allowed' ? 'allowed' : 'unknown', d.reasons, namesOf(d.policies), d.allowedBy);
}

/** The model's view of an end as the other party of a connection; null when it cannot be placed. */
function asPeer(world: PolicyWorld, end: PolicyEnd): Endpoint | null {
  if (end.kind === 'unknown') {
    return null;
  }
  const ips = endAddresses(world, end);

  if (end.kind === 'pod') {
    const t = end.pod.target;

    return {
      kind: 'pod', namespace: t.namespace, labels: t.labels, ports: t.ports, ips, node: t.node
    };
  }
  if (!ips.length) {
    return null;
  }
  const node = end.kind === 'node' || end.kind === 'host-network' ? end.node : undefined;

  // Several addresses (a node's, when the flow did not say which): every one must be admitted.
  return ips.length === 1 ? { kind: 'ip', ip: ips[0], node } : {
    kind: 'pod', namespace: '', labels: {}, hostNetwork: true, ips, node
  };
}

function unique<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();

  return items.filter((t) => {
    const k = key(t);

    return seen.has(k) ? false : (seen.add(k), true);
  });
}

const refKey = (r: RuleRef) => `${ r.namespace }/${ r.policy }/${ r.direction }/${ r.rule }/${ r.peer ?? '' }/${ r.port ?? '' }`;

/** One verdict for a Service from its backends' verdicts: agreeing backends decide, disagreeing ones make it unknown. */
function combineBackends(all: SideVerdict[]): SideVerdict {
  // Backends alike share one answer object: merging each once gives the same result, in the same order.
  const sides = [...new Set(all)];

  if (sides.length === 1) {
    return sides[0];
  }
  const merged = {
    policies: unique(sides.flatMap((s) => s.policies), (p) => `${ p.namespace }/${ p.name }`),
    matches:  unique(sides.flatMap((s) => s.matches), refKey),
    reasons:  [...new Set(sides.flatMap((s) => s.reasons))],
  };
  const states = new Set(sides.map((s) => s.state));
  const open = ['allowed', 'unrestricted', 'not-enforced'];
  let state: SideState;

  if (states.size === 1) {
    [state] = [...states];
  } else if ([...states].every((s) => open.includes(s))) {
    state = states.has('allowed') ? 'allowed' : states.has('unrestricted') ? 'unrestricted' : 'not-enforced';
  } else {
    state = 'unknown';
    if (states.has('blocked')) {
      merged.reasons.push('backends-differ');
    }
  }

  return { state, ...merged };
}

const backendEnds = new WeakMap<WorldPod, PolicyEnd>();

function backendEnd(pod: WorldPod): PolicyEnd {
  let found = backendEnds.get(pod);

  if (!found) {
    found = makeBackendEnd(pod);
    backendEnds.set(pod, found);
  }

  return found;
}

function makeBackendEnd(pod: WorldPod): PolicyEnd {
  return pod.target.hostNetwork ? {
    kind: 'host-network', pod, node: pod.target.node, ip: pod.target.ips?.[0] ?? ''
  } : { kind: 'pod', pod, ip: '' };
}

export interface FlowEvaluator {
  readonly world: PolicyWorld;
  /** Where one end of a flow sits in the policy model (cached per endpoint). */
  end(e: FlowEndpoint): PolicyEnd;
  /** The verdict of one flow (cached per pair of ends, protocol and port). */
  flow(f: FlowLike): FlowVerdict;
}

/**
 * Evaluates flows against the world's policies. Ends are placed once per endpoint, verdicts kept per
 * row, and a side's answer is shared by every pod with the same policies, node and ports.
 */
export function flowEvaluator(world: PolicyWorld): FlowEvaluator {
  const set = world.set;
  const ends = new Map<FlowEndpoint, PolicyEnd>();
  const peers = new Map<PolicyEnd, Endpoint | null>();

  /** The model endpoint of an end, made once per end (the model caches its work per endpoint object). */
  function peerOf(end: PolicyEnd): Endpoint | null {
    let found = peers.get(end);

    if (found === undefined) {
      found = asPeer(world, end);
      peers.set(end, found);
    }

    return found;
  }

  /** Per flow row: the pages ask about the same rows again (list, map edges, peers, filters). */
  const verdicts = new WeakMap<FlowLike, FlowVerdict>();

  // Service answers are shared by the pods the same policies apply to (same node and ports too).
  const policyIndex = new Map<ParsedPolicy, number>(set.policies.map((p, i) => [p, i]));
  const classIds = new Map<string, number>();
  const podClasses = new Map<TargetPod, Record<Direction, number>>();
  const peerIds = new Map<Endpoint, number>();

  function classOf(pod: TargetPod, direction: Direction): number {
    let classes = podClasses.get(pod);

    if (!classes) {
      const id = (d: Direction) => {
        const ports = d === 'ingress' ? pod.ports.map((p) => `${ p.name ?? '' }:${ p.port }/${ p.protocol }`).join(',') : '';
        const key = `${ d }|${ applyingPolicies(set, pod, d).map((p) => policyIndex.get(p)).join(',') }|${ pod.node ?? '' }|${ pod.hostNetwork }|${ ports }`;
        let found = classIds.get(key);

        if (found === undefined) {
          found = classIds.size;
          classIds.set(key, found);
        }

        return found;
      };

      classes = { ingress: id('ingress'), egress: id('egress') };
      podClasses.set(pod, classes);
    }

    return classes[direction];
  }

  function peerId(peer: Endpoint): number {
    let id = peerIds.get(peer);

    if (id === undefined) {
      id = peerIds.size;
      peerIds.set(peer, id);
    }

    return id;
  }

  // Flow rows are mostly distinct (client, server, port), so sides are decided directly.
  function decided(direction: Direction, pod: TargetPod, peer: Endpoint, port: number, protocol: string): SideVerdict {
    return fromDecision(direction === 'ingress' ? ingressDecision(set, pod, peer, port, protocol) : egressDecision(set, pod, peer, port, protocol));
  }

  const serviceAnswers = new Map<string, SideVerdict>();

  function viaService(key: string, compute: () => SideVerdict): SideVerdict {
    let found = serviceAnswers.get(key);

    if (!found) {
      found = compute();
      serviceAnswers.set(key, found);
    }

    return found;
  }

  /**
   * `alike` names backends that must get the same answer (same ingress class and target port): a
   * Service's backends are mostly replicas, so each class is decided once per connection.
   */
  function perBackend(
    service: WorldService, port: number, protocol: string, each: (backend: PolicyEnd, targetPort: number) => SideVerdict,
    alike?: (backend: PolicyEnd, targetPort: number) => string
  ): SideVerdict {
    if (!world.backends(service).length) {
      return side('unknown', ['service-without-backends']);
    }
    const endpoints = serviceEndpoints(world, service, port, protocol);

    if (!endpoints.length) {
      return side('unknown', ['service-target-port-unknown']);
    }

    if (!alike) {
      return combineBackends(endpoints.map((x) => each(backendEnd(x.pod), x.targetPort)));
    }
    const answers = new Map<string, SideVerdict>();

    return combineBackends(endpoints.map((x) => {
      const b = backendEnd(x.pod);
      const key = alike(b, x.targetPort);
      let found = answers.get(key);

      if (!found) {
        found = each(b, x.targetPort);
        answers.set(key, found);
      }

      return found;
    }));
  }

  function egressSide(source: PolicyEnd, destination: PolicyEnd, port: number, protocol: string): SideVerdict {
    if (source.kind === 'unknown') {
      return side('unknown', [source.problem]);
    }
    if (source.kind !== 'pod') {
      return side('not-enforced', [NOT_ENFORCED_AT[source.kind] as SideReason]);
    }
    const pod = source.pod.target;
    const policies = applyingPolicies(set, pod, 'egress');

    if (!policies.length) {
      return side('unrestricted');
    }
    if (destination.kind === 'service') {
      // Every pod the same policies apply to gets the same answer for this Service and port.
      return viaService(`e|${ classOf(pod, 'egress') }|${ destination.service.namespace }/${ destination.service.name }|${ port }|${ protocol }`,
        () => perBackend(destination.service, port, protocol, (b, targetPort) => egressSide(source, b, targetPort, protocol)));
    }
    const peer = peerOf(destination);

    if (!peer) {
      return side('unknown', destination.kind === 'unknown' ? [destination.problem] : ['no-address'], namesOf(policies));
    }

    return decided('egress', pod, peer, port, protocol);
  }

  function ingressSide(destination: PolicyEnd, source: PolicyEnd, port: number, protocol: string): SideVerdict {
    if (destination.kind === 'unknown') {
      return side('unknown', [destination.problem]);
    }
    if (destination.kind === 'service') {
      const peer = peerOf(source);

      return viaService(`i|${ peer ? peerId(peer) : `?${ source.kind === 'unknown' ? source.problem : source.kind }` }|${ destination.service.namespace }/${ destination.service.name }|${ port }|${ protocol }`,
        () => perBackend(destination.service, port, protocol, (b, targetPort) => ingressSide(b, source, targetPort, protocol),
          // A host-network backend is outside NetworkPolicy whatever its port; a pod's answer depends on its class.
          (b, targetPort) => (b.kind === 'pod' ? `${ classOf(b.pod.target, 'ingress') }|${ targetPort }` : b.kind)));
    }
    if (destination.kind !== 'pod') {
      return side('not-enforced', [NOT_ENFORCED_AT[destination.kind] as SideReason]);
    }
    const pod = destination.pod.target;
    const policies = applyingPolicies(set, pod, 'ingress');

    if (!policies.length) {
      return side('unrestricted');
    }
    const peer = peerOf(source);

    if (!peer) {
      return side('unknown', source.kind === 'unknown' ? [source.problem] : ['no-address'], namesOf(policies));
    }

    return decided('ingress', pod, peer, port, protocol);
  }

  function evaluate(client: PolicyEnd, server: PolicyEnd, port: number, protocol: string): FlowVerdict {
    if (client.kind === 'pod' && server.kind === 'pod' && client.pod === server.pod) {
      return {
        verdict: 'allowed', egress: side('allowed', ['same-pod']), ingress: side('allowed', ['same-pod']), restricted: false
      };
    }
    const egress = egressSide(client, server, port, protocol);
    const ingress = ingressSide(server, client, port, protocol);
    const e = egress.state;
    const i = ingress.state;
    let verdict: FlowVerdictKind = 'allowed';

    if (e === 'blocked' || i === 'blocked') {
      verdict = 'blocked';
    } else if (e === 'unknown' || i === 'unknown') {
      verdict = 'unknown';
    } else if (e === 'not-enforced' && i === 'not-enforced') {
      verdict = 'not-enforced';
    }

    return {
      verdict, egress, ingress, restricted: egress.policies.length > 0 || ingress.policies.length > 0
    };
  }

  function end(e: FlowEndpoint): PolicyEnd {
    let found = ends.get(e);

    if (!found) {
      found = policyEnd(world, e);
      ends.set(e, found);
    }

    return found;
  }

  return {
    world,
    end,
    flow(f: FlowLike): FlowVerdict {
      let v = verdicts.get(f);

      if (!v) {
        v = evaluate(end(f.client), end(f.server), f.serverPort, policyProtocol(f.protocol));
        verdicts.set(f, v);
      }

      return v;
    },
  };
}
