/**
 * What the flow views show of a verdict: a label and plain sentences (the matched rule, or why the
 * answer is what it is), built once per load from the objects the views list. Sentences are made
 * with the page's translate function (l10n keys under `networkMonitoring.policyView`); cluster text
 * in them (policy names, label selectors) is cleaned and shortened, and the views render it as text.
 */
import { TYPES } from '../stack/constants';
import { displayText } from '../text';
import { RuleRef } from '../security/netpol-model';
import { FlowEvaluator, FlowLike, FlowVerdict, FlowVerdictKind, SideVerdict, flowEvaluator } from './flow-verdict';
import { PolicyInput, PolicyWorld, buildPolicyWorld } from './policy-world';
import { PeerText, ruleText } from './rule-text';
import { GroupVerdict } from './verdict-summary';
import { reasonKey, sideStateKey, verdictKey } from './text-keys';

const UI = 'networkMonitoring.policyView';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface PolicyView {
  evaluator: FlowEvaluator;
  /** The NetworkPolicies could be listed; without them no verdict can be told. */
  readable: boolean;
}

/** The evaluator of one load's objects; `problems` are the load's (a NetworkPolicy problem makes verdicts unknown). */
export function policyView(objects: PolicyInput, problems: readonly { type: string }[]): PolicyView {
  return {
    evaluator: flowEvaluator(buildPolicyWorld(objects)),
    readable:  !problems.some((p) => p.type === TYPES.networkPolicy),
  };
}

export interface VerdictText {
  kind: FlowVerdictKind;
  label: string;
  /** One sentence per end of the flow (or per group), plain text. */
  lines: string[];
}

const MAX_SHOWN_RULES = 3;

function peerWords(peer: PeerText, namespace: string, t: Translate): string {
  switch (peer.kind) {
  case 'all':
    return t(`${ UI }.peer.all`);
  case 'ipBlock':
    return peer.except.length ? t(`${ UI }.peer.ipBlockExcept`, { cidr: peer.cidr, except: peer.except.join(', ') }) : t(`${ UI }.peer.ipBlock`, { cidr: peer.cidr });
  case 'pods':
    return peer.namespaceSelector === undefined ? t(`${ UI }.peer.pods`, { pods: displayText(peer.podSelector, 120), namespace: displayText(namespace, 63) }) : t(`${ UI }.peer.podsIn`, { pods: displayText(peer.podSelector, 120), namespaces: displayText(peer.namespaceSelector, 120) });
  default:
    return t(`${ UI }.peer.invalid`);
  }
}

/** "allowed by shop/allow-web, ingress rule 1: from pods app=web in shop, on TCP 8080". */
export function ruleSentence(world: PolicyWorld, ref: RuleRef, t: Translate): string {
  const rule = ruleText(world, ref);
  const policy = displayText(`${ ref.namespace }/${ ref.policy }`, 120);

  if (!rule) {
    return t(`${ UI }.ruleGone`, { policy });
  }

  return t(`${ UI }.rule.${ rule.direction }`, {
    policy,
    rule: rule.ruleNumber,
    peer: peerWords(rule.peer, rule.namespace, t),
    port: rule.port === 'all' ? t(`${ UI }.port.all`) : t(`${ UI }.port.some`, { port: displayText(rule.port, 60) }),
  });
}

function rulesSentence(world: PolicyWorld, matches: readonly RuleRef[], t: Translate): string {
  const shown = matches.slice(0, MAX_SHOWN_RULES).map((m) => ruleSentence(world, m, t)).join('; ');

  return matches.length > MAX_SHOWN_RULES ? t(`${ UI }.moreRules`, { rules: shown, more: matches.length - MAX_SHOWN_RULES }) : shown;
}

function sideWords(world: PolicyWorld, s: SideVerdict, t: Translate): string {
  if (s.state === 'allowed' && s.matches.length) {
    return rulesSentence(world, s.matches, t);
  }
  if (s.state === 'blocked') {
    const policies = s.policies.slice(0, MAX_SHOWN_RULES).map((p) => displayText(`${ p.namespace }/${ p.name }`, 120)).join(', ');

    return t(`${ UI }.blockedBy`, { policies, more: Math.max(0, s.policies.length - MAX_SHOWN_RULES) });
  }
  const state = t(sideStateKey(s.state));

  return s.reasons.length ? `${ state }: ${ s.reasons.map((r) => t(reasonKey(r))).join(' ') }` : state;
}

/** The label and one sentence per end of a flow. */
export function describeVerdict(view: PolicyView, v: FlowVerdict, t: Translate): VerdictText {
  // VLAN NICs, nodes and outside addresses stay outside NetworkPolicy whatever the policies say.
  if (!view.readable && v.verdict !== 'not-enforced') {
    return { kind: 'unknown', label: t(verdictKey('unknown')), lines: [t(`${ UI }.unreadable`)] };
  }
  const world = view.evaluator.world;

  return {
    kind:  v.verdict,
    label: t(verdictKey(v.verdict)),
    lines: [
      t(`${ UI }.side.egress`, { text: sideWords(world, v.egress, t) }),
      // Blocked at the client: the server's side does not change the answer.
      ...(v.verdict === 'blocked' && v.egress.state === 'blocked' ? [] : [t(`${ UI }.side.ingress`, { text: sideWords(world, v.ingress, t) })]),
    ],
  };
}

export function describeFlow(view: PolicyView, flow: FlowLike, t: Translate): VerdictText {
  return describeVerdict(view, view.evaluator.flow(flow), t);
}

/** A group's label (its worst verdict), its counts and the explanation of its worst flow. */
export function describeGroup(view: PolicyView, group: GroupVerdict, t: Translate): VerdictText {
  const s = group.summary;
  const example = describeFlow(view, group.example, t);

  // Without the policies the counts mean nothing: the example says why.
  if (s.total === 1 || !view.readable) {
    return example;
  }
  const counts = t(`${ UI }.counts`, {
    total: s.total, allowed: s.allowed, blocked: s.blocked, unknown: s.unknown, notEnforced: s.notEnforced
  });

  return { kind: example.kind, label: example.label, lines: [counts, ...example.lines] };
}
