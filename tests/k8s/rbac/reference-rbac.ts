/**
 * ServiceAccounts bound in every way RBAC allows, beside the chart's own: an aggregated built-in role
 * (`view`), a custom aggregated ClusterRole, a Group subject, a User subject naming a ServiceAccount,
 * resourceNames, subresources (`pods/log`, `*\/scale`), non-resource URLs and a binding to a missing role.
 * They widen the engine-versus-API-server comparison beyond what the chart happens to use.
 */
import { KubeObject } from '../../../sandbox/kube/client';

const RBAC = 'rbac.authorization.k8s.io/v1';

function sa(namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, namespace: string | undefined, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: object[]): KubeObject {
  return {
    apiVersion: RBAC,
    kind,
    metadata:   namespace ? { name, namespace } : { name },
    roleRef:    { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects,
  };
}

/** The objects, and the ServiceAccounts to review, in namespace `ns` (cluster-scoped names carry `ns`). */
export function referenceRbac(ns: string): { objects: KubeObject[]; serviceAccounts: { namespace: string; name: string }[] } {
  const names = ['viewer', 'group-member', 'user-subject', 'named', 'aggregated', 'dangling'];
  const saSubject = (name: string) => ({ kind: 'ServiceAccount', name, namespace: ns });
  const aggregateLabel = `rbac.example.com/aggregate-to-${ ns }`;

  const objects: KubeObject[] = [
    ...names.map((n) => sa(ns, n)),
    binding('RoleBinding', 'viewer', ns, 'ClusterRole', 'view', [saSubject('viewer')]),

    { apiVersion: RBAC, kind: 'Role', metadata: { name: 'config-reader', namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    binding('RoleBinding', 'every-sa-of-namespace', ns, 'Role', 'config-reader', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${ ns }` }]),

    {
      apiVersion: RBAC,
      kind:       'ClusterRole',
      metadata:   { name: `${ ns }-node-reader` },
      rules:      [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }, { nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] }],
    },
    binding('ClusterRoleBinding', `${ ns }-user-subject`, undefined, 'ClusterRole', `${ ns }-node-reader`, [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccount:${ ns }:user-subject` }]),

    {
      apiVersion: RBAC,
      kind:       'Role',
      metadata:   { name: 'named', namespace: ns },
      rules:      [
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
      ],
    },
    binding('RoleBinding', 'named', ns, 'Role', 'named', [saSubject('named')]),

    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `${ ns }-aggregated` }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateLabel]: 'true' } }] }, rules: []
    },
    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `${ ns }-part-leases`, labels: { [aggregateLabel]: 'true' } }, rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch'] }]
    },
    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `${ ns }-part-events`, labels: { [aggregateLabel]: 'true' } }, rules: [{ apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] }]
    },
    binding('RoleBinding', 'aggregated', ns, 'ClusterRole', `${ ns }-aggregated`, [saSubject('aggregated')]),

    binding('RoleBinding', 'dangling', ns, 'Role', 'does-not-exist', [saSubject('dangling')]),
  ];

  return { objects, serviceAccounts: names.map((name) => ({ namespace: ns, name })) };
}
