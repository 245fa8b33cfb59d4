/**
 * What applying policies would do to observed traffic: every flow of a window evaluated against
 * the existing policies and against the existing policies plus the proposed ones (a proposal with
 * the name of an existing policy replaces it, as applying it would), listed and counted. Run once
 * per window (the proposal's own, and a longer one the user picks).
 */
import { FlowEvaluator, FlowLike, FlowVerdict, flowEvaluator } from './flow-verdict';
import { PolicyWorld, withPolicies } from './policy-world';
import { PolicyEnd } from './flow-endpoints';
import { ParsedPolicy, TargetPod, applyingPolicies } from '../security/netpol-model';

/** allowed: still flows; cut: blocked after applying; unknown: cannot be told; not-enforced: outside NetworkPolicy (VLAN, nodes, outside addresses). */
export type DryRunOutcome = 'allowed' | 'cut' | 'unknown' | 'not-enforced';

export interface DryRunRow<F extends FlowLike = FlowLike> {
  flow: F;
  before: FlowVerdict;
  after: FlowVerdict;
  outcome: DryRunOutcome;
  /** Allowed (or unknown) before and blocked after: the proposal cuts it. */
  newlyCut: boolean;
}

export interface DryRunCounts {
  total: number;
  allowed: number;
  cut: number;
  unknown: number;
  notEnforced: number;
  newlyCut: number;
}

export interface DryRunResult<F extends FlowLike = FlowLike> {
  rows: DryRunRow<F>[];
  counts: DryRunCounts;
  /** The evaluator with the proposal applied, for the rules the rows name. */
  after: FlowEvaluator;
}

const OUTCOME: Record<FlowVerdict['verdict'], DryRunOutcome> = {
  allowed: 'allowed', blocked: 'cut', unknown: 'unknown', 'not-enforced': 'not-enforced'
};

/** `before` may be passed to share its caches between windows; it must be built from `world`. */
export function dryRun<F extends FlowLike>(world: PolicyWorld, proposed: unknown[], flows: readonly F[], before: FlowEvaluator = flowEvaluator(world)): DryRunResult<F> {
  const afterWorld = withPolicies(world, proposed);
  const after = flowEvaluator(afterWorld);
  const unchanged = unchangedEnds(world, afterWorld);
  const counts: DryRunCounts = {
    total: 0, allowed: 0, cut: 0, unknown: 0, notEnforced: 0, newlyCut: 0
  };
  const rows = flows.map((flow) => {
    const b = before.flow(flow);
    // A verdict reads only the policies applying to its ends: where none changed it stays as it was.
    const a = unchanged(before.end(flow.client)) && unchanged(before.end(flow.server)) ? b : after.flow(flow);
    const outcome = OUTCOME[a.verdict];
    const newlyCut = a.verdict === 'blocked' && b.verdict !== 'blocked';

    counts.total++;
    counts[outcome === 'not-enforced' ? 'notEnforced' : outcome]++;
    if (newlyCut) {
      counts.newlyCut++;
    }

    return {
      flow, before: b, after: a, outcome, newlyCut
    };
  });

  return { rows, counts, after };
}

const same = (a: ParsedPolicy[], b: ParsedPolicy[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * Whether the policies applying to an end (a pod, or every backend of a Service) are the same
 * objects in both worlds, in both directions; other ends are outside NetworkPolicy either way.
 */
function unchangedEnds(before: PolicyWorld, after: PolicyWorld): (end: PolicyEnd) => boolean {
  const pods = new Map<TargetPod, boolean>();
  const podSame = (pod: TargetPod) => {
    let found = pods.get(pod);

    if (found === undefined) {
      found = same(applyingPolicies(before.set, pod, 'ingress'), applyingPolicies(after.set, pod, 'ingress')) &&
        same(applyingPolicies(before.set, pod, 'egress'), applyingPolicies(after.set, pod, 'egress'));
      pods.set(pod, found);
    }

    return found;
  };

  return (end) => {
    if (end.kind === 'pod') {
      return podSame(end.pod.target);
    }
    if (end.kind === 'service') {
      return after.backends(end.service).every((p) => podSame(p.target));
    }

    return end.kind !== 'host-network' || !end.pod || podSame(end.pod.target);
  };
}
