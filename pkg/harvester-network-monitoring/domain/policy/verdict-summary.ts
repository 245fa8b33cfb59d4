/**
 * Verdicts added up for what the pages show: a count per verdict for a list of flows, one summary
 * per traffic-map edge (edges group flows the way graph.ts does) and one per peer of a VM or pod.
 */
import { GraphOptions, nodeRefFor } from '../flows/graph/graph';
import { RuleRef } from '../security/netpol-model';
import { FlowEvaluator, FlowLike, FlowVerdict, FlowVerdictKind } from './flow-verdict';

export interface VerdictSummary {
  allowed: number;
  blocked: number;
  unknown: number;
  notEnforced: number;
  /** Flows no policy restricts at either end. */
  unrestricted: number;
  total: number;
  /** The most telling verdict: blocked, then unknown, then allowed, then not enforced. */
  worst: FlowVerdictKind;
  /** Distinct rules that admitted some of the flows, at most MAX_MATCHES. */
  matches: RuleRef[];
}

export const MAX_MATCHES = 20;

const RANK: Record<FlowVerdictKind, number> = {
  blocked: 3, unknown: 2, allowed: 1, 'not-enforced': 0
};

export function emptySummary(): VerdictSummary {
  return {
    allowed: 0, blocked: 0, unknown: 0, notEnforced: 0, unrestricted: 0, total: 0, worst: 'not-enforced', matches: []
  };
}

/** Neither end is isolated in its direction: no NetworkPolicy restricts the flow. */
export function isUnrestricted(v: FlowVerdict): boolean {
  const open = (s: FlowVerdict['egress']['state']) => s === 'unrestricted' || s === 'not-enforced';

  return open(v.egress.state) && open(v.ingress.state);
}

export function addVerdict(summary: VerdictSummary, v: FlowVerdict): void {
  summary.total++;
  if (v.verdict === 'not-enforced') {
    summary.notEnforced++;
  } else {
    summary[v.verdict]++;
  }
  if (isUnrestricted(v)) {
    summary.unrestricted++;
  }
  if (summary.total === 1 || RANK[v.verdict] > RANK[summary.worst]) {
    summary.worst = v.verdict;
  }
  for (const m of [...v.egress.matches, ...v.ingress.matches]) {
    if (summary.matches.length >= MAX_MATCHES) {
      break;
    }
    if (!summary.matches.some((x) => x.namespace === m.namespace && x.policy === m.policy && x.direction === m.direction && x.rule === m.rule && x.peer === m.peer && x.port === m.port)) {
      summary.matches.push(m);
    }
  }
}

export function summarizeFlows(flows: readonly FlowLike[], evaluator: FlowEvaluator): VerdictSummary {
  const out = emptySummary();

  for (const f of flows) {
    addVerdict(out, evaluator.flow(f));
  }

  return out;
}

export interface GroupVerdict {
  summary: VerdictSummary;
  /** A flow of the group with its worst verdict, whose sentences explain the group's label. */
  example: FlowLike;
}

/** Verdicts of flows added up per key (a traffic-map edge, a peer); flows with a null key are left out. */
export function groupVerdicts<F extends FlowLike>(flows: readonly F[], evaluator: FlowEvaluator, keyOf: (f: F) => string | null): Map<string, GroupVerdict> {
  const out = new Map<string, GroupVerdict>();

  for (const f of flows) {
    const key = keyOf(f);

    if (key === null) {
      continue;
    }
    const v = evaluator.flow(f);
    let g = out.get(key);

    if (!g) {
      g = { summary: emptySummary(), example: f };
      out.set(key, g);
    }
    const before = g.summary.worst;

    addVerdict(g.summary, v);
    if (g.summary.total > 1 && g.summary.worst !== before) {
      g.example = f;
    }
  }

  return out;
}

/** The traffic map's edge id of a flow (`<source node id>-><target node id>`, as buildTrafficGraph names edges). */
export const edgeKeyOf = (options: GraphOptions = {}) => (f: FlowLike): string => `${ nodeRefFor(f.client, options).id }->${ nodeRefFor(f.server, options).id }`;

/** The peer of `subjectKey` in a flow (a Network tab's row key, as PeerSummary.peer.key), or null for flows not involving it. */
export const peerKeyOf = (subjectKey: string) => (f: FlowLike): string | null => {
  if (f.client.key === subjectKey) {
    return f.server.key;
  }

  return f.server.key === subjectKey ? f.client.key : null;
};

/** Per traffic-map edge id: what the map's edges show. */
export function edgeVerdicts(flows: readonly FlowLike[], evaluator: FlowEvaluator, options: GraphOptions = {}): Map<string, GroupVerdict> {
  return groupVerdicts(flows, evaluator, edgeKeyOf(options));
}

/** Per peer of the subject: what a VM or pod Network tab's rows show. */
export function peerVerdicts(flows: readonly FlowLike[], evaluator: FlowEvaluator, subjectKey: string): Map<string, GroupVerdict> {
  return groupVerdicts(flows, evaluator, peerKeyOf(subjectKey));
}
