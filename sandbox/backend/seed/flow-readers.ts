/**
 * Bindings that let people read the flow data, as a Rancher admin would create them: a user who may only
 * proxy to the stack's Grafana Service (by the name the dashboard proxies it as), and a group with a
 * hostile name bound the same way. Cluster-scoped, so they exist before the stack's namespace does and
 * apply to it once installed. The Security Review lists both with these bindings.
 */
import { JsonObject } from '../http';
import { HOSTILE } from './hostile';

export const FLOW_READER_SEED = {
  user:    'u-e2e-viewer',
  group:   HOSTILE.imgTag,
  role:    'e2e-grafana-viewer',
  binding: 'e2e-grafana-viewers',
} as const;

export function addFlowReaders(b: { add(type: string, object: JsonObject): JsonObject }): void {
  b.add('rbac.authorization.k8s.io.clusterrole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind:       'ClusterRole',
    metadata:   { name: FLOW_READER_SEED.role },
    rules:      [{
      apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:hnm-grafana:80'], verbs: ['get', 'create']
    }],
  });
  b.add('rbac.authorization.k8s.io.clusterrolebinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind:       'ClusterRoleBinding',
    metadata:   { name: FLOW_READER_SEED.binding },
    roleRef:    { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: FLOW_READER_SEED.role },
    subjects:   [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: FLOW_READER_SEED.user },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: FLOW_READER_SEED.group },
    ],
  });
}
