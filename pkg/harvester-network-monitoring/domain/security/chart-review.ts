import { reviewObjects } from './review';
import { STACK } from '../stack/constants';
import { buildStackNamespace } from '../stack/addon';

/**
 * Reviews the chart's rendered manifests as the wizard would install them: with the stack namespace
 * the wizard creates (Helm cannot own its release namespace), in the stack's namespaces only, and
 * with the cluster's node addresses so policies for host-network and API-server-proxied traffic
 * can be verified.
 */
export function reviewChart(objects: unknown[], nodeCIDRs: string[] = []) {
  return reviewObjects([buildStackNamespace(), ...objects], {
    nodeCIDRs,
    defaultNamespace: STACK.stackNamespace,
    focusNamespaces:  [STACK.stackNamespace, STACK.agentNamespace],
  });
}
