/**
 * The rule a verdict names, as data the page formats: which policy, which rule, and the peer and
 * port entries that matched, in the compact selector form the Security Review uses. Label keys and
 * values come from the cluster and are shown as plain text.
 */
import { Peer, PortRule, RuleRef } from '../security/netpol-model';
import { describeSelector } from '../security/selectors';
import { PolicyWorld } from './policy-world';

export type PeerText =
  /** The rule lists no peers: every source (or destination). */
  | { kind: 'all' }
  /** `namespaceSelector` undefined: the policy's own namespace. */
  | { kind: 'pods'; podSelector: string; namespaceSelector?: string }
  | { kind: 'ipBlock'; cidr: string; except: string[] }
  | { kind: 'invalid' };

export interface RuleText {
  policy: string;
  namespace: string;
  direction: RuleRef['direction'];
  /** Position in spec.ingress / spec.egress, from 1 as people count. */
  ruleNumber: number;
  peer: PeerText;
  /** 'all' when the rule lists no ports, else e.g. "TCP 443", "UDP 8000-8100", "TCP http". */
  port: string;
}

function peerText(peer: Peer | undefined): PeerText {
  if (!peer) {
    return { kind: 'all' };
  }
  if (peer.kind === 'ipBlock') {
    return { kind: 'ipBlock', cidr: peer.cidrText, except: peer.exceptText };
  }
  if (peer.kind === 'invalid') {
    return { kind: 'invalid' };
  }
  const out: PeerText = { kind: 'pods', podSelector: peer.allPods ? '(all)' : describeSelector(peer.podSelector) };

  if (peer.namespaceSelector !== undefined) {
    out.namespaceSelector = describeSelector(peer.namespaceSelector);
  }

  return out;
}

/** "TCP 443", "TCP 8000-8100", "UDP dns", "TCP" (every port of the protocol). */
export function portText(p: PortRule): string {
  if (p.port === undefined) {
    return p.protocol;
  }

  return `${ p.protocol } ${ p.port }${ p.endPort !== undefined ? `-${ p.endPort }` : '' }`;
}

/** The matched rule of a verdict, or null when the policy is no longer in the world. */
export function ruleText(world: PolicyWorld, ref: RuleRef): RuleText | null {
  const policy = world.set.policies.find((p) => p.namespace === ref.namespace && p.object.name === ref.policy);
  const rule = policy ? (ref.direction === 'ingress' ? policy.ingress : policy.egress)[ref.rule] : undefined;

  if (!policy || !rule) {
    return null;
  }

  return {
    policy:     ref.policy,
    namespace:  ref.namespace,
    direction:  ref.direction,
    ruleNumber: ref.rule + 1,
    peer:       peerText(rule.peers === 'all' || ref.peer === undefined ? undefined : rule.peers[ref.peer]),
    port:       rule.ports === 'all' || ref.port === undefined ? 'all' : portText(rule.ports[ref.port]),
  };
}
