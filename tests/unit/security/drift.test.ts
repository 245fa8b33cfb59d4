import { detectDrift } from '@pkg/domain/security';
import { Finding } from '@pkg/domain/security/types';
import { goodObjects } from './fixtures';
import { Json, clone, psaLabels } from './helpers';

/** Drift between the installed objects and the live cluster. */

const STACK = 'harvester-network-monitoring';
const idsOf = (f: Finding[]) => f.map((x) => `${ x.severity } ${ x.id }`);

function baseline(): Json[] {
  return [
    ...goodObjects(),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'server', namespace: STACK } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'ClusterRole',
      metadata:   { name: 'netmon-read' },
      rules:      [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'ClusterRoleBinding',
      metadata:   { name: 'netmon-read' },
      roleRef:    { kind: 'ClusterRole', name: 'netmon-read', apiGroup: 'rbac.authorization.k8s.io' },
      subjects:   [{ kind: 'ServiceAccount', name: 'server', namespace: STACK }],
    },
  ];
}

function live(mutate: (objects: Json[]) => void): Json[] {
  const objects = clone(baseline());

  mutate(objects);

  return objects;
}

const find = (objects: Json[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;

describe('detectDrift', () => {
  it('reports nothing when nothing changed (also for reordered input)', () => {
    expect(detectDrift(baseline(), [...baseline()].reverse())).toEqual([]);
  });
  it('reports a relaxed enforce level as critical and a removed warn label as a warning', () => {
    const f = detectDrift(baseline(), live((o) => {
      find(o, 'Namespace', STACK).metadata.labels = { ...psaLabels('baseline', undefined, 'restricted') };
    }));

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.mode } ${ x.params.from }->${ x.params.to }`)).toEqual([
      'critical drift.psaRelaxed enforce restricted->baseline',
      'warning drift.psaRemoved warn restricted->baseline',
    ]);
  });
  it('reports removing the enforce label (which means privileged)', () => {
    const f = detectDrift(baseline(), live((o) => {
      delete find(o, 'Namespace', STACK).metadata.labels['pod-security.kubernetes.io/enforce'];
    }));

    expect(f[0]).toMatchObject({
      id: 'drift.psaRemoved', severity: 'critical', params: { mode: 'enforce', from: 'restricted', to: 'privileged' }
    });
  });
  it('does not report a stricter level or a namespace that was never labelled for that mode', () => {
    expect(detectDrift(baseline(), live((o) => {
      find(o, 'Namespace', `${ STACK }-agent`).metadata.labels = psaLabels('baseline', 'restricted', 'restricted');
    }))).toEqual([]);
  });
  it('reports a deleted namespace', () => {
    expect(idsOf(detectDrift(baseline(), live((o) => o.splice(o.indexOf(find(o, 'Namespace', STACK)), 1))))).toEqual(['warning drift.namespaceMissing']);
  });
  it('reports a deleted default-deny policy as critical and an edited policy as info', () => {
    const f = detectDrift(baseline(), live((o) => {
      o.splice(o.indexOf(find(o, 'NetworkPolicy', 'deny-ingress')), 1);
      find(o, 'NetworkPolicy', 'grafana-ingress').spec.ingress = [{}];
    }));

    expect(f.map((x) => `${ x.severity } ${ x.id } ${ x.params.policy }`)).toEqual([
      'critical drift.networkPolicyDeleted deny-ingress', 'info drift.networkPolicyChanged grafana-ingress',
    ]);
  });
  it('does not report a policy the API server stored with its defaults (empty lists dropped, TCP, policyTypes)', () => {
    const rendered = {
      kind: 'NetworkPolicy', metadata: { name: 'p', namespace: STACK }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 3306 }] }], egress: [] }
    };
    const stored = {
      kind: 'NetworkPolicy', metadata: { name: 'p', namespace: STACK }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 3306 }] }] }
    };

    expect(detectDrift([...baseline(), rendered], [...baseline(), stored])).toEqual([]);
    // A real edit still shows through the normalization.
    const widened = clone(stored);

    widened.spec.ingress[0].ports[0].port = 3307;
    expect(idsOf(detectDrift([...baseline(), rendered], [...baseline(), widened]))).toEqual(['info drift.networkPolicyChanged']);
  });
  it('ignores the API server\'s own default bindings to system:authenticated, not other new ones', () => {
    const binding = (name: string, labels: Record<string, string>) => ({
      kind: 'ClusterRoleBinding', metadata: { name, labels }, roleRef: { kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }]
    });

    expect(detectDrift(baseline(), live((o) => o.push(binding('system:discovery', { 'kubernetes.io/bootstrapping': 'rbac-defaults' }))))).toEqual([]);
    expect(idsOf(detectDrift(baseline(), live((o) => o.push(binding('everyone', {})))))).toEqual(['warning drift.bindingAdded']);
  });
  it('reports a new binding that grants to a stack service account, critical for cluster-admin', () => {
    const f = detectDrift(baseline(), live((o) => o.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'ClusterRoleBinding',
      metadata:   { name: 'oops' },
      roleRef:    { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects:   [{ kind: 'ServiceAccount', name: 'server', namespace: STACK }],
    })));

    expect(f[0]).toMatchObject({ id: 'drift.bindingAdded', severity: 'critical', params: { subjects: `${ STACK }/server`, role: 'cluster-admin' } });
  });
  it('reports a new RoleBinding inside a stack namespace, and ignores bindings elsewhere', () => {
    const rb = (ns: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'RoleBinding',
      metadata:   { name: 'extra', namespace: ns },
      roleRef:    { kind: 'ClusterRole', name: 'view' },
      subjects:   [{ kind: 'User', name: 'alice' }],
    });

    expect(idsOf(detectDrift(baseline(), live((o) => o.push(rb(STACK)))))).toEqual(['warning drift.bindingAdded']);
    expect(detectDrift(baseline(), live((o) => o.push(rb('unrelated'))))).toEqual([]);
  });
  it('reports a group binding covering the stack namespace service accounts', () => {
    const f = detectDrift(baseline(), live((o) => o.push({
      kind: 'ClusterRoleBinding', metadata: { name: 'g' }, roleRef: { kind: 'ClusterRole', name: 'netmon-read' }, subjects: [{ kind: 'Group', name: `system:serviceaccounts:${ STACK }` }]
    })));

    expect(idsOf(f)).toEqual(['warning drift.bindingAdded']);
  });
  it('reports an existing binding whose subjects changed', () => {
    const f = detectDrift(baseline(), live((o) => {
      find(o, 'ClusterRoleBinding', 'netmon-read').subjects.push({ kind: 'ServiceAccount', name: 'default', namespace: STACK });
    }));

    expect(idsOf(f)).toEqual(['warning drift.bindingChanged']);
  });
  it('reports a role gaining verbs, critical when they are dangerous', () => {
    const gainedWrite = detectDrift(baseline(), live((o) => {
      find(o, 'ClusterRole', 'netmon-read').rules.push({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] });
    }));

    expect(gainedWrite[0]).toMatchObject({ id: 'drift.roleVerbsAdded', severity: 'warning', params: { verbs: 'patch', resources: 'apps:deployments' } });
    const gainedSecrets = detectDrift(baseline(), live((o) => {
      find(o, 'ClusterRole', 'netmon-read').rules[0].resources.push('secrets');
    }));

    expect(gainedSecrets[0]).toMatchObject({ severity: 'critical', params: { resources: 'secrets' } });
    const gainedWildcard = detectDrift(baseline(), live((o) => {
      find(o, 'ClusterRole', 'netmon-read').rules[0].verbs = ['*'];
    }));

    expect(gainedWildcard[0]).toMatchObject({ severity: 'critical', params: { verbs: '*' } });
  });
  it('does not report reordered or narrowed rules', () => {
    expect(detectDrift(baseline(), live((o) => {
      find(o, 'ClusterRole', 'netmon-read').rules = [
        { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      ];
    }))).toEqual([]);
  });
  it('compares aggregation rules instead of controller-filled rules', () => {
    const agg = { kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] }, rules: [] };
    const filled = { ...clone(agg), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };

    expect(detectDrift([agg], [filled])).toEqual([]);
    const changed = { ...clone(filled), aggregationRule: { clusterRoleSelectors: [{}] } };

    expect(idsOf(detectDrift([agg], [changed]))).toEqual(['warning drift.aggregationChanged']);
  });
  it('tolerates garbage on both sides', () => {
    expect(() => detectDrift([null, 1, 'x', { kind: 'Namespace' }] as any, { not: 'an array' } as any)).not.toThrow();
  });
});
