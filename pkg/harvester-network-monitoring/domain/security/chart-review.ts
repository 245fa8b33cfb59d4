import { reviewObjects } from './review';
import { STACK } from '../stack/constants';

/**
 * Review options for the monitoring stack's own objects: the release namespace for objects helm
 * renders without one, and only the stack's namespaces reported on.
 */
export function reviewChart(objects: unknown[]) {
  return reviewObjects(objects, {
    defaultNamespace: STACK.stackNamespace,
    focusNamespaces:  [STACK.stackNamespace, STACK.agentNamespace],
  });
}
