/**
 * Verdicts added up for what the pages show: a count per verdict for a list of flows, one summary
 * per traffic-map edge (edges group flows the way graph.ts does) and one per peer of a VM or pod.
 */
import { EnrichedFlow } from '../flows/enrichment/aggregate';
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

function grouped(flows: readonly EnrichedFlow[], evaluator: FlowEvaluator, keyOf: (f: EnrichedFlow) => string | null): Map<string, VerdictSummary> {
  const out = new Map<string, VerdictSummary>();

  for (const f of flows) {
    const key = keyOf(f);

    if (key === null) {
      continue;
    }
    let s = out.get(key);

    if (!s) {
      s = emptySummary();
      out.set(key, s);
    }
    addVerdict(s, evaluator.flow(f));
  }

  return out;
}

/** Per traffic-map edge id (`<source node id>-><target node id>`, as buildTrafficGraph names edges). */
export function edgeVerdicts(flows: readonly EnrichedFlow[], evaluator: FlowEvaluator, options: GraphOptions = {}): Map<string, VerdictSummary> {
  return grouped(flows, evaluator, (f) => `${ nodeRefFor(f.client, options).id }->${ nodeRefFor(f.server, options).id }`);
}

/** Per peer key of the subject (a VM or pod Network tab's rows, keyed like PeerSummary.peer.key). */
export function peerVerdicts(flows: readonly EnrichedFlow[], evaluator: FlowEvaluator, subjectKey: string): Map<string, VerdictSummary> {
  return grouped(flows, evaluator, (f) => {
    if (f.client.key === subjectKey) {
      return f.server.key;
    }

    return f.server.key === subjectKey ? f.client.key : null;
  });
}
