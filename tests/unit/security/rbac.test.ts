import {
  can, effectivePermissions, permissionsForServiceAccount, reviewObjects, serviceAccountKey
} from '@pkg/domain/security';
import { Json } from './helpers';
import { seedObjects } from './fixtures';

/** Effective permissions and can(), against the RBAC authorizer's rules. */

const sa = (name: string, namespace: string): Json => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
const clusterRole = (name: string, rules: Json[], extra: Json = {}): Json => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: extra.labels || {} }, rules, ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {})
});
const role = (name: string, namespace: string, rules: Json[]): Json => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: Json, subjects: Json[], namespace?: string): Json => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: namespace ? { name, namespace } : { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects
});
const saSubject = (name: string, namespace?: string) => (namespace ? { kind: 'ServiceAccount', name, namespace } : { kind: 'ServiceAccount', name });

const permsOf = (objects: Json[], namespace: string, name: string) => effectivePermissions(objects).get(serviceAccountKey(namespace, name)) || [];

describe('effective permissions', () => {
  const readPods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };

  it('a ClusterRoleBinding grants in every namespace and for cluster-scoped requests', () => {
    const p = permsOf([sa('mon', 'ns1'), clusterRole('r', [readPods]), binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('mon', 'ns1')])], 'ns1', 'mon');

    expect(can(p, { verb: 'list', resource: 'pods', namespace: 'anywhere' })).toBe(true);
    expect(can(p, { verb: 'list', resource: 'pods' })).toBe(true);
    expect(can(p, { verb: 'delete', resource: 'pods', namespace: 'ns1' })).toBe(false);
  });
  it('a RoleBinding to a ClusterRole grants only in the binding namespace, even for another namespace SA', () => {
    const objects = [clusterRole('r', [readPods]), binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('mon', 'ns1')], 'ns2')];
    const p = permsOf(objects, 'ns1', 'mon');

    expect(can(p, { verb: 'get', resource: 'pods', namespace: 'ns2' })).toBe(true);
    expect(can(p, { verb: 'get', resource: 'pods', namespace: 'ns1' })).toBe(false);
    expect(can(p, { verb: 'get', resource: 'pods' })).toBe(false);
  });
  it('a RoleBinding subject without namespace means the binding namespace', () => {
    const objects = [role('r', 'ns1', [readPods]), binding('RoleBinding', 'b', { kind: 'Role', name: 'r' }, [saSubject('mon')], 'ns1')];

    expect(can(permsOf(objects, 'ns1', 'mon'), { verb: 'get', resource: 'pods', namespace: 'ns1' })).toBe(true);
  });
  it('a ClusterRoleBinding subject without namespace matches nobody', () => {
    const objects = [sa('mon', 'ns1'), clusterRole('r', [readPods]), binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('mon')])];

    expect(permsOf(objects, 'ns1', 'mon')).toEqual([]);
  });
  it('a Role is looked up in the binding namespace only', () => {
    const objects = [sa('mon', 'ns1'), role('r', 'other', [readPods]), binding('RoleBinding', 'b', { kind: 'Role', name: 'r' }, [saSubject('mon', 'ns1')], 'ns1')];

    expect(permsOf(objects, 'ns1', 'mon')).toEqual([]);
  });
  it('a ClusterRoleBinding cannot refer to a Role', () => {
    const objects = [sa('mon', 'ns1'), role('r', 'ns1', [readPods]), binding('ClusterRoleBinding', 'b', { kind: 'Role', name: 'r' }, [saSubject('mon', 'ns1')])];

    expect(permsOf(objects, 'ns1', 'mon')).toEqual([]);
  });
  it.each([
    ['system:serviceaccounts', true, true],
    ['system:serviceaccounts:ns1', true, false],
    ['system:authenticated', true, true],
    ['system:serviceaccounts:ns2', false, true],
    ['system:unauthenticated', false, false],
  ])('group subject %s applies to ns1/mon=%p ns2/other=%p', (group, first, second) => {
    const objects = [sa('mon', 'ns1'), sa('other', 'ns2'), clusterRole('r', [readPods]),
      binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'Group', name: group, apiGroup: 'rbac.authorization.k8s.io' }])];

    expect(can(permsOf(objects, 'ns1', 'mon'), { verb: 'get', resource: 'pods', namespace: 'x' })).toBe(first);
    expect(can(permsOf(objects, 'ns2', 'other'), { verb: 'get', resource: 'pods', namespace: 'x' })).toBe(second);
  });
  it('a User subject with the service account username applies', () => {
    const objects = [clusterRole('r', [readPods]), binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'User', name: 'system:serviceaccount:ns1:mon' }])];

    expect(can(permsOf(objects, 'ns1', 'mon'), { verb: 'get', resource: 'pods', namespace: 'x' })).toBe(true);
  });
  it('answers for a service account the input never mentions (group bindings still apply)', () => {
    const objects = [clusterRole('r', [readPods]), binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'Group', name: 'system:authenticated' }])];

    expect(effectivePermissions(objects).size).toBe(0);
    expect(can(permissionsForServiceAccount(objects, 'elsewhere', 'anyone'), { verb: 'watch', resource: 'pods', namespace: 'x' })).toBe(true);
    expect(permissionsForServiceAccount(objects, null as any, 'x')).toEqual([]);
  });
  it('knows the service accounts pod templates run as, even without an SA object', () => {
    const deployment = { kind: 'Deployment', metadata: { name: 'd', namespace: 'ns1' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } };

    expect([...effectivePermissions([deployment]).keys()]).toEqual(['system:serviceaccount:ns1:default']);
  });
});

describe('aggregation', () => {
  const aggregated = clusterRole('monitoring-view', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example/aggregate-to-view': 'true' } }] } });
  const part = clusterRole('part', [{ apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], verbs: ['get'] }], { labels: { 'rbac.example/aggregate-to-view': 'true' } });
  const unrelated = clusterRole('other', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], { labels: { x: 'y' } });

  it('collects the rules of the selected ClusterRoles', () => {
    const objects = [aggregated, part, unrelated, binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'monitoring-view' }, [saSubject('mon', 'ns1')])];
    const p = permsOf(objects, 'ns1', 'mon');

    expect(can(p, { verb: 'get', group: 'kubevirt.io', resource: 'virtualmachines', namespace: 'x' })).toBe(true);
    expect(can(p, { verb: 'get', resource: 'secrets', namespace: 'x' })).toBe(false);
  });
  it('follows nested aggregation and survives cycles', () => {
    const a = clusterRole('a', [], { labels: { agg: 'b' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'a' } }] } });
    const b = clusterRole('b', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }], { labels: { agg: 'a' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'b' } }] } });
    const objects = [a, b, binding('ClusterRoleBinding', 'x', { kind: 'ClusterRole', name: 'a' }, [saSubject('mon', 'ns1')])];

    expect(can(permsOf(objects, 'ns1', 'mon'), { verb: 'list', resource: 'nodes' })).toBe(true);
  });
  it('a malformed selector selects nothing', () => {
    const bad = clusterRole('bad', [], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }] } });
    const objects = [bad, part, binding('ClusterRoleBinding', 'x', { kind: 'ClusterRole', name: 'bad' }, [saSubject('mon', 'ns1')])];

    expect(permsOf(objects, 'ns1', 'mon')).toEqual([]);
  });
});

describe('can(): rule matching', () => {
  const perms = (rule: Json) => permsOf([clusterRole('r', [rule]), binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('s', 'n')])], 'n', 's');

  it('wildcards match every verb, group and resource, including subresources', () => {
    const p = perms({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });

    expect(can(p, { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'x' })).toBe(true);
    expect(can(p, { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'x' })).toBe(true);
    expect(can(p, { verb: 'get', nonResourceURL: '/metrics' })).toBe(false);
  });
  it('a resource rule does not cover its subresources, and */sub matches a subresource of anything', () => {
    expect(can(perms({ apiGroups: [''], resources: ['pods'], verbs: ['get'] }), { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'x' })).toBe(false);
    expect(can(perms({ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }), { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'x' })).toBe(true);
    const scaled = perms({ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] });

    expect(can(scaled, { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'x' })).toBe(true);
    expect(can(scaled, { verb: 'update', group: 'apps', resource: 'deployments', namespace: 'x' })).toBe(false);
  });
  it('resourceNames restrict to named objects; list without a name is not allowed', () => {
    const p = perms({ apiGroups: [''], resources: ['secrets'], resourceNames: ['grafana-admin'], verbs: ['get', 'list'] });

    expect(can(p, { verb: 'get', resource: 'secrets', name: 'grafana-admin', namespace: 'x' })).toBe(true);
    expect(can(p, { verb: 'get', resource: 'secrets', name: 'other', namespace: 'x' })).toBe(false);
    expect(can(p, { verb: 'list', resource: 'secrets', namespace: 'x' })).toBe(false);
  });
  it('the core group is the empty string and must be listed', () => {
    const p = perms({ apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] });

    expect(can(p, { verb: 'get', resource: 'pods', namespace: 'x' })).toBe(false);
    expect(can(p, { verb: 'get', group: 'apps', resource: 'pods', namespace: 'x' })).toBe(true);
  });
  it('non-resource URLs match exactly or by a trailing *', () => {
    const p = perms({ nonResourceURLs: ['/healthz', '/metrics/*'], verbs: ['get'] });

    expect(can(p, { verb: 'get', nonResourceURL: '/healthz' })).toBe(true);
    expect(can(p, { verb: 'get', nonResourceURL: '/metrics/cadvisor' })).toBe(true);
    expect(can(p, { verb: 'get', nonResourceURL: '/metrics' })).toBe(false);
    expect(can(p, { verb: 'post', nonResourceURL: '/healthz' })).toBe(false);
  });
  it('non-resource URLs are only granted through ClusterRoleBindings', () => {
    const objects = [clusterRole('r', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]), binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('s', 'n')], 'n')];

    expect(can(permsOf(objects, 'n', 's'), { verb: 'get', nonResourceURL: '/metrics', namespace: 'n' })).toBe(false);
  });
  it('rejects malformed requests and permissions without throwing', () => {
    expect(can([], { verb: 'get', resource: 'pods' })).toBe(false);
    expect(can(null as any, { verb: 'get' })).toBe(false);
    expect(can([{ verbs: 'get' } as any, null as any], { verb: 'get', resource: 'pods' })).toBe(false);
    expect(can(perms({ apiGroups: [''], resources: ['pods'], verbs: ['get'] }), null as any)).toBe(false);
  });
  it('accepts permissions that went through JSON', () => {
    const p = JSON.parse(JSON.stringify(perms({ apiGroups: [''], resources: ['pods'], verbs: ['get'] })));

    expect(can(p, { verb: 'get', resource: 'pods', namespace: 'x' })).toBe(true);
  });
});

describe('RBAC findings', () => {
  const review = (rules: Json[], roleName = 'r', kind: 'ClusterRoleBinding' | 'RoleBinding' = 'ClusterRoleBinding') => reviewObjects([
    sa('mon', 'ns1'), clusterRole(roleName, rules), binding(kind, 'b', { kind: 'ClusterRole', name: roleName }, [saSubject('mon', 'ns1')], kind === 'RoleBinding' ? 'ns1' : undefined),
  ], { analyses: ['rbac'] }).findings.map((f) => `${ f.severity } ${ f.id }`);

  it('read-only access yields nothing (the seed server role)', () => {
    expect(reviewObjects(seedObjects(), { analyses: ['rbac'] }).findings).toEqual([]);
  });
  it('a wildcard rule is reported once, as a wildcard', () => {
    expect(review([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])).toEqual(['critical rbac.wildcard']);
    expect(review([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], 'r', 'RoleBinding')).toEqual(['warning rbac.wildcard']);
  });
  it('cluster-admin is reported by name, bound or missing', () => {
    expect(review([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 'cluster-admin')).toEqual(['critical rbac.clusterAdmin']);
    const missing = reviewObjects([binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'cluster-admin' }, [saSubject('mon', 'ns1')])], { analyses: ['rbac'] });

    expect(missing.findings.map((f) => `${ f.severity } ${ f.id }`)).toEqual(['critical rbac.clusterAdmin']);
  });
  it('flags write verbs but not harmless review APIs or events', () => {
    expect(review([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }])).toEqual(['warning rbac.writeVerbs']);
    expect(review([{ apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] }, { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }])).toEqual([]);
  });
  it('treats leader-election leases as routine in a namespace, not cluster-wide', () => {
    const leases = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }];

    expect(review(leases, 'r', 'RoleBinding')).toEqual([]);
    expect(review(leases)).toEqual(['warning rbac.writeVerbs']);
  });
  it('distinguishes listing all secrets, reading any secret and reading named secrets', () => {
    expect(review([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }])).toEqual(['critical rbac.secretsList']);
    expect(review([{ apiGroups: [''], resources: ['secrets'], verbs: ['watch'] }], 'r', 'RoleBinding')).toEqual(['warning rbac.secretsList']);
    expect(review([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])).toEqual(['warning rbac.secretsRead']);
    expect(review([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['mine'], verbs: ['get', 'list'] }])).toEqual(['info rbac.secretsNamed']);
  });
  it('flags exec/attach/portforward, escalation verbs and nodes/proxy', () => {
    expect(review([{ apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create', 'get'] }])).toEqual(['critical rbac.podsExec']);
    expect(review([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] }])).toEqual(['critical rbac.escalation']);
    expect(review([{ apiGroups: [''], resources: ['users', 'serviceaccounts'], verbs: ['impersonate'] }])).toEqual(['critical rbac.escalation']);
    expect(review([{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }])).toEqual(['critical rbac.nodesProxy']);
  });
  it('reports bindings to missing or invalid roles as info', () => {
    const f = reviewObjects([
      binding('RoleBinding', 'b1', { kind: 'ClusterRole', name: 'view' }, [saSubject('mon')], 'ns1'),
      binding('ClusterRoleBinding', 'b2', { kind: 'Role', name: 'x' }, [saSubject('mon', 'ns1')]),
    ], { analyses: ['rbac'] }).findings;

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.binding }`).sort()).toEqual(['info rbac.invalidRoleRef b2', 'info rbac.missingRole b1']);
  });
  it('merges the verbs and resources of one binding into one finding per category', () => {
    const f = reviewObjects([
      sa('mon', 'ns1'),
      clusterRole('r', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['update', 'delete'] }]),
      binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [saSubject('mon', 'ns1')]),
    ], { analyses: ['rbac'] }).findings;

    expect(f).toHaveLength(1);
    expect(f[0].params).toMatchObject({
      verbs: 'delete, patch, update', resources: 'configmaps, deployments', scopeKind: 'cluster', serviceAccount: 'mon', role: 'r'
    });
  });
  it('only reviews service accounts in focus namespaces', () => {
    const objects = [sa('mon', 'ns1'), sa('x', 'other'), clusterRole('r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'Group', name: 'system:serviceaccounts' }])];

    expect(reviewObjects(objects, { analyses: ['rbac'], focusNamespaces: ['ns1'] }).findings.map((f) => f.object.namespace)).toEqual(['ns1']);
    expect(reviewObjects(objects, { analyses: ['rbac'] }).findings).toHaveLength(2);
  });
});
