/**
 * The Flows page's policy filters: flows that no NetworkPolicy restricts, and flows to or from VMs
 * whose virt-launcher pod no NetworkPolicy selects.
 */
import { selectingPolicies, PolicyWorld } from './policy-world';
import { FlowEvaluator, FlowLike } from './flow-verdict';
import { isUnrestricted } from './verdict-summary';

export type PolicyFlowFilter = 'all' | 'unrestricted' | 'vm-without-policy';

export const POLICY_FLOW_FILTERS: readonly PolicyFlowFilter[] = ['all', 'unrestricted', 'vm-without-policy'];

/**
 * Flow endpoint keys (`vm:<namespace>/<name>`) of the VMs whose launcher pods are all selected by no
 * policy. VMs whose launcher pod is not listed (stopped, or not readable) are left out: unknown.
 */
export function vmsWithoutPolicy(world: PolicyWorld): Set<string> {
  const out = new Set<string>();

  world.launchers.forEach((pods, key) => {
    if (pods.every((p) => selectingPolicies(world, p.target).length === 0)) {
      out.add(`vm:${ key }`);
    }
  });

  return out;
}

export function filterFlows<T extends FlowLike>(flows: readonly T[], filter: PolicyFlowFilter, evaluator: FlowEvaluator): T[] {
  if (filter === 'unrestricted') {
    return flows.filter((f) => isUnrestricted(evaluator.flow(f)));
  }
  if (filter === 'vm-without-policy') {
    const bare = vmsWithoutPolicy(evaluator.world);

    return flows.filter((f) => bare.has(f.client.key) || bare.has(f.server.key));
  }

  return [...flows];
}
