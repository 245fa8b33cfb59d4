import { FlowReadersResult, findFlowReaders } from '@pkg/domain/security/flow-readers';
import { proxyNameReaches } from '@pkg/domain/security/flow-readers-targets';
import { execVerbs } from '@pkg/domain/security/flow-readers-rules';
import { readerRows } from '@pkg/domain/security/flow-readers-view';
import { flowReaderGaps } from '@pkg/domain/security/live';
import { renderedObjects } from '@pkg/domain/security/renderings';
import { Json } from './helpers';
import { translate as translateKey } from '../../support/l10n';

/** "Who can read the flow data" against the RBAC authorizer's rules, on the chart's rendered stack. */

const NS = 'harvester-network-monitoring';
const RBAC = 'rbac.authorization.k8s.io/v1';

const clusterRole = (name: string, rules: Json[], extra: Json = {}): Json => ({
  apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, labels: extra.labels || {} }, rules, ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {})
});
const role = (name: string, namespace: string, rules: Json[]): Json => ({
  apiVersion: RBAC, kind: 'Role', metadata: { name, namespace }, rules
});
const roleBinding = (name: string, namespace: string, roleRef: Json, subjects: Json[]): Json => ({
  apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects
});
const clusterBinding = (name: string, roleName: string, subjects: Json[]): Json => ({
  apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects
});
const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
const rule = (resources: string[], verbs: string[], extra: Json = {}): Json => ({ apiGroups: [''], resources, verbs, ...extra });

/** The chart as installed (proxy access, anonymous Viewer) plus the given RBAC objects. */
function readers(extra: Json[], variant: Parameters<typeof renderedObjects>[0] = 'proxy-anonymous', options = {}): FlowReadersResult {
  return findFlowReaders([...renderedObjects(variant) as Json[], ...extra], options);
}

/** One line per path: `<subject> <kind> <target> [<names>] <verbs> via <binding>`. */
function lines(result: FlowReadersResult, key?: string): string[] {
  return result.readers.filter((r) => !key || r.key === key).flatMap((r) => r.paths.map((p) => `${ r.key } ${ p.kind }${ p.target ? ` ${ p.target }` : '' }${ p.names.length ? ` [${ p.names.join(',') }]` : '' }${ p.resources.length ? ` (${ p.resources.join(',') })` : '' } ${ p.verbs.join(',') } via ${ p.via.bindingKind }/${ p.via.bindingName }`));
}

/** Binds one ClusterRole with `rules` to user alice by a RoleBinding in the stack namespace. */
function aliceWith(rules: Json[], options = {}): string[] {
  return lines(readers([clusterRole('r', rules), roleBinding('rb', NS, { kind: 'ClusterRole', name: 'r' }, [user('alice')])], 'proxy-anonymous', options), 'User:alice');
}

describe('service proxy to the querier and Grafana', () => {
  it('lists get and create on services/proxy for both Services', () => {
    expect(aliceWith([rule(['services/proxy'], ['get', 'create'])])).toEqual([
      'User:alice serviceProxy hnm-grafana create,get via RoleBinding/rb',
      'User:alice serviceProxy hnm-server create,get via RoleBinding/rb',
    ]);
  });

  it('honours resourceNames: the proxied name must name the Service and its data port', () => {
    const names = ['http:hnm-grafana:80', 'hnm-grafana', 'https:hnm-grafana:80', 'hnm-server:controller', 'hnm-server:20416', 'other:80'];

    expect(aliceWith([rule(['services/proxy'], ['get'], { resourceNames: names })])).toEqual([
      'User:alice serviceProxy hnm-grafana [http:hnm-grafana:80] get via RoleBinding/rb',
      'User:alice serviceProxy hnm-server [hnm-server:20416] get via RoleBinding/rb',
    ]);
    expect(aliceWith([rule(['services/proxy'], ['get'], { resourceNames: ['hnm-grafana', 'hnm-server'] })])).toEqual([]);
  });

  it('parses proxy names as the API server does (name, name:port, scheme:name:port)', () => {
    const grafana = {
      role: 'grafana' as const, service: 'hnm-grafana', portName: 'http', portNumber: 80
    };
    const unnamed = { ...grafana, portName: '' };

    expect(['hnm-grafana:http', 'hnm-grafana:80', 'http:hnm-grafana:http', 'http:hnm-grafana:80'].map((n) => proxyNameReaches(n, grafana))).toEqual([true, true, true, true]);
    expect(['hnm-grafana', 'hnm-grafana:', 'https:hnm-grafana:80', 'ftp:hnm-grafana:80', 'a:hnm-grafana:80:x', 'hnm-grafana:81'].map((n) => proxyNameReaches(n, grafana))).toEqual([false, false, false, false, false, false]);
    // Only an unnamed port is found without a port in the name.
    expect(['hnm-grafana', 'hnm-grafana:', 'hnm-grafana:80'].map((n) => proxyNameReaches(n, unnamed))).toEqual([true, true, true]);
  });

  it('takes the port name from the live Service when it differs from the chart', () => {
    const objects = renderedObjects('proxy-anonymous').map((o: any) => (o.kind === 'Service' && o.metadata.name === 'hnm-grafana' ? { ...o, spec: { ...o.spec, ports: [{ name: 'web', port: 80 }] } } : o));
    const result = findFlowReaders([...objects, clusterRole('r', [rule(['services/proxy'], ['get'], { resourceNames: ['hnm-grafana:web', 'hnm-grafana:http'] })]),
      roleBinding('rb', NS, { kind: 'ClusterRole', name: 'r' }, [user('alice')])]);

    expect(lines(result)).toEqual(['User:alice serviceProxy hnm-grafana [hnm-grafana:web] get via RoleBinding/rb']);
  });

  it('does not take services (without the subresource) or other verbs for the proxy', () => {
    expect(aliceWith([rule(['services'], ['get', 'list', 'create']), rule(['services/proxy'], ['update', 'delete'])])).toEqual([]);
  });
});

describe('wildcards', () => {
  it('resources "*" reach every subresource and Secrets; verbs "*" every verb', () => {
    expect(aliceWith([rule(['*'], ['get'])])).toEqual([
      'User:alice serviceProxy hnm-grafana get via RoleBinding/rb',
      'User:alice serviceProxy hnm-server get via RoleBinding/rb',
      'User:alice podProxy get via RoleBinding/rb',
      'User:alice podPortForward get via RoleBinding/rb',
      'User:alice podExec get via RoleBinding/rb',
      'User:alice secrets get via RoleBinding/rb',
    ]);
  });

  it('"*/proxy" reaches both proxies; apiGroups "*" includes the core group', () => {
    expect(aliceWith([{ apiGroups: ['*'], resources: ['*/proxy'], verbs: ['*'] }])).toEqual([
      'User:alice serviceProxy hnm-grafana create,get via RoleBinding/rb',
      'User:alice serviceProxy hnm-server create,get via RoleBinding/rb',
      'User:alice podProxy create,get via RoleBinding/rb',
    ]);
  });

  it('everything on everything is one "everything" path (cluster-admin)', () => {
    const result = readers([clusterBinding('admins', 'cluster-admin', [group('ops')]), clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])]);

    expect(lines(result, 'Group:ops')).toEqual(['Group:ops everything * via ClusterRoleBinding/admins']);
    expect(result.readers.find((r) => r.key === 'Group:ops')?.paths[0].scope).toBe('cluster');
  });

  it('a wildcard limited by resourceNames is not "everything"', () => {
    expect(aliceWith([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: ['hnm-grafana-admin'] }])).toEqual([
      'User:alice podProxy [hnm-grafana-admin] create,get via RoleBinding/rb',
      'User:alice podPortForward [hnm-grafana-admin] create,get via RoleBinding/rb',
      'User:alice podExec [hnm-grafana-admin] create,get via RoleBinding/rb',
      'User:alice secrets [hnm-grafana-admin] get,list,watch via RoleBinding/rb',
    ]);
  });
});

describe('subresources, Secrets and workloads', () => {
  it('exec and port-forward open with get or create on Kubernetes 1.34, only with create from 1.35', () => {
    expect(execVerbs(34)).toEqual(['get', 'create']);
    expect(execVerbs(35)).toEqual(['create']);
    expect(aliceWith([rule(['pods/exec', 'pods/portforward'], ['get'])])).toEqual([
      'User:alice podPortForward get via RoleBinding/rb',
      'User:alice podExec get via RoleBinding/rb',
    ]);
    expect(aliceWith([rule(['pods/exec', 'pods/portforward'], ['get'])], { kubernetesMinor: 35 })).toEqual([]);
    expect(aliceWith([rule(['pods/exec'], ['create'])], { kubernetesMinor: 35 })).toEqual(['User:alice podExec create via RoleBinding/rb']);
  });

  it('pods without a subresource open no exec, but creating pods is a way to the Secrets', () => {
    expect(aliceWith([rule(['pods'], ['get', 'list', 'create'])])).toEqual(['User:alice createWorkloads (pods) create via RoleBinding/rb']);
    expect(aliceWith([{ apiGroups: ['apps', 'batch'], resources: ['deployments', 'cronjobs'], verbs: ['create'] }])).toEqual([
      'User:alice createWorkloads (deployments,cronjobs) create via RoleBinding/rb',
    ]);
    // A create request has no name, so resourceNames never allow it.
    expect(aliceWith([rule(['pods'], ['create'], { resourceNames: ['x'] })])).toEqual([]);
  });

  it('counts Secrets by the credential Secrets the stack\'s workloads read', () => {
    expect(aliceWith([rule(['secrets'], ['list'])])).toEqual(['User:alice secrets list via RoleBinding/rb']);
    expect(aliceWith([rule(['secrets'], ['get'], { resourceNames: ['hnm-mysql-credentials', 'some-tls'] })])).toEqual([
      'User:alice secrets [hnm-mysql-credentials] get via RoleBinding/rb',
    ]);
    expect(aliceWith([rule(['secrets'], ['get'], { resourceNames: ['some-tls'] })])).toEqual([]);
    expect(readers([]).credentialSecrets).toEqual(['hnm-clickhouse-credentials', 'hnm-grafana-admin', 'hnm-mysql-credentials']);
  });

  it('merges the verbs of rules that open the same path through the same binding', () => {
    expect(aliceWith([rule(['services/proxy'], ['get'], { resourceNames: ['http:hnm-grafana:80'] }), rule(['services/proxy'], ['create'], { resourceNames: ['http:hnm-grafana:80'] })])).toEqual([
      'User:alice serviceProxy hnm-grafana [http:hnm-grafana:80] create,get via RoleBinding/rb',
    ]);
  });
});

describe('bindings and subjects', () => {
  const proxyRole = clusterRole('proxy', [rule(['services/proxy'], ['get'], { resourceNames: ['http:hnm-grafana:80'] })]);

  it('aggregated ClusterRoles carry the rules of the roles they select (nested too)', () => {
    const result = readers([
      clusterRole('base', [rule(['pods/portforward'], ['create'])], { labels: { 'example.com/aggregate-to-reader': 'true' } }),
      clusterRole('middle', [], { labels: { 'example.com/aggregate-to-top': 'true' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-reader': 'true' } }] } }),
      clusterRole('top', [], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/aggregate-to-top', operator: 'Exists' }] }] } }),
      clusterBinding('readers', 'top', [user('bob')]),
    ]);

    expect(lines(result, 'User:bob')).toEqual(['User:bob podPortForward create via ClusterRoleBinding/readers']);
    expect(result.readers.find((r) => r.key === 'User:bob')?.paths[0].via).toEqual({
      bindingKind: 'ClusterRoleBinding', bindingName: 'readers', bindingNamespace: undefined, roleKind: 'ClusterRole', roleName: 'top'
    });
  });

  it('a RoleBinding grants only in its namespace; a ClusterRoleBinding everywhere', () => {
    const result = readers([
      proxyRole,
      roleBinding('here', NS, { kind: 'ClusterRole', name: 'proxy' }, [user('in-ns')]),
      roleBinding('elsewhere', 'default', { kind: 'ClusterRole', name: 'proxy' }, [user('other-ns')]),
      clusterBinding('everywhere', 'proxy', [user('cluster')]),
      role('local', NS, [rule(['pods/exec'], ['create'])]),
      roleBinding('local', NS, { kind: 'Role', name: 'local' }, [user('in-ns')]),
    ]);

    expect(lines(result).filter((l) => !l.startsWith('Group:system:'))).toEqual([
      'User:cluster serviceProxy hnm-grafana [http:hnm-grafana:80] get via ClusterRoleBinding/everywhere',
      'User:in-ns serviceProxy hnm-grafana [http:hnm-grafana:80] get via RoleBinding/here',
      'User:in-ns podExec create via RoleBinding/local',
    ]);
    expect(result.readers.find((r) => r.key === 'User:in-ns')?.paths.map((p) => p.scope)).toEqual(['namespace', 'namespace']);
    expect(result.readers.find((r) => r.key === 'User:cluster')?.paths.map((p) => p.scope)).toEqual(['cluster']);
  });

  it('defaults a ServiceAccount subject\'s namespace to the RoleBinding\'s; drops it in a ClusterRoleBinding', () => {
    const result = readers([
      proxyRole,
      roleBinding('rb', NS, { kind: 'ClusterRole', name: 'proxy' }, [sa('dashboards')]),
      clusterBinding('crb', 'proxy', [sa('nowhere'), sa('robot', 'tools')]),
      roleBinding('as-user', NS, { kind: 'ClusterRole', name: 'proxy' }, [user('system:serviceaccount:tools:robot')]),
    ]);

    expect(result.readers.map((r) => r.key)).toEqual([`ServiceAccount:${ NS }/dashboards`, 'ServiceAccount:tools/robot']);
    expect(result.readers[1].subject).toEqual({ kind: 'ServiceAccount', namespace: 'tools', name: 'robot' });
    // The User spelling of a ServiceAccount is the same reader, with both bindings.
    expect(result.readers[1].paths.map((p) => p.via.bindingName)).toEqual(['crb', 'as-user']);
  });

  it('sorts broad groups first and keeps the cluster\'s own components as "system"', () => {
    const result = readers([
      proxyRole,
      clusterBinding('all', 'proxy', [group('system:authenticated'), sa('namespace-controller', 'kube-system'), user('system:kube-controller-manager'), user('zoe'), group('system:serviceaccounts:apps')]),
    ]);

    expect(result.readers.map((r) => `${ r.category } ${ r.key }`)).toEqual([
      'everyone Group:system:authenticated',
      'everyone Group:system:serviceaccounts:apps',
      'other User:zoe',
      'system ServiceAccount:kube-system/namespace-controller',
      'system User:system:kube-controller-manager',
    ]);
    expect(result.privilegedGroup).toBe('system:masters');
  });

  it('reports bindings whose role is missing and grants nothing through them', () => {
    const result = readers([roleBinding('dangling', NS, { kind: 'Role', name: 'gone' }, [user('alice')]), roleBinding('elsewhere', 'x', { kind: 'Role', name: 'gone' }, [user('alice')])]);

    expect(result.readers).toEqual([]);
    expect(result.bindingProblems.map((p) => `${ p.binding.name } ${ p.reason }`)).toEqual(['dangling missingRole']);
  });

  it('lists no reader for the chart\'s own roles', () => {
    expect(readers([]).readers).toEqual([]);
  });
});

describe('ways in without Kubernetes permissions', () => {
  const ids = (r: FlowReadersResult) => r.exposure.map((f) => `${ f.id } ${ f.object.kind }/${ f.object.name }`);

  it('reuses the exposure review: NodePort Grafana, anonymous access, Ingress to Grafana', () => {
    expect(ids(readers([], 'proxy'))).toEqual([]);
    expect(readers([], 'proxy').grafanaAnonymous).toBe(false);
    expect(ids(readers([], 'nodeport-anonymous'))).toEqual(['exposure.nodePort Service/hnm-grafana', 'exposure.grafanaAnonymous ConfigMap/hnm-grafana']);
    expect(readers([], 'nodeport-anonymous').grafanaAnonymous).toBe(true);
    expect(ids(readers([], 'ingress-tls'))).toEqual(['exposure.ingressTls Ingress/hnm-grafana']);
  });

  it('leaves out exposure of other Services and Ingresses', () => {
    const other = [
      {
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'unrelated', namespace: NS }, spec: { type: 'NodePort', ports: [{ port: 80 }] }
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind:       'Ingress',
        metadata:   { name: 'unrelated', namespace: NS },
        spec:       { rules: [{ host: 'x.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'unrelated', port: { number: 80 } } } }] } }] }
      },
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'to-querier', namespace: NS }, spec: { defaultBackend: { service: { name: 'hnm-server', port: { number: 20416 } } } }
      },
    ];

    expect(ids(readers(other, 'proxy'))).toEqual(['exposure.ingressNoTls Ingress/to-querier']);
  });
});

describe('why the answer may be incomplete', () => {
  it('names the inputs that could not be read, optional ones included', () => {
    const forbidden = { kind: 'forbidden' as const, detail: '' };
    const gaps = flowReaderGaps({
      problems: [{ type: 'rbac.authorization.k8s.io.clusterrolebinding', error: forbidden }, { type: 'node', error: forbidden }],
      skipped:  [{ type: 'networking.k8s.io.ingress', error: forbidden }, { type: 'secret', error: forbidden }],
    });

    expect(gaps.map((g) => `${ g.resource } ${ g.namespaced ? 'namespace' : 'cluster' }`)).toEqual([
      'clusterrolebindings.rbac.authorization.k8s.io cluster', 'ingresses.networking.k8s.io namespace',
    ]);
  });
});

describe('row views', () => {
  const translate = (cell: { key: string; params?: Json }) => translateKey(cell.key, cell.params);

  it('translates every path kind, with and without names, and keeps hostile names as plain text', () => {
    const hostile = 'evil\u202e<img src=x>\nname';
    const result = readers([
      clusterRole('every', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'create'] }]),
      clusterRole('named', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'], resourceNames: ['http:hnm-grafana:80', 'hnm-grafana-admin'] }]),
      clusterRole('admin-all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
      clusterBinding(hostile, 'every', [user(hostile)]),
      roleBinding('n', NS, { kind: 'ClusterRole', name: 'named' }, [group('team')]),
      clusterBinding('adm', 'admin-all', [sa('rancher', 'cattle-system')]),
    ]);
    const rows = readerRows(result);
    const text = rows.people.flatMap((r) => [translate(r.kind), r.name, ...r.paths.flatMap((p) => [translate(p.what), ...(p.effect ? [translate(p.effect)] : []), translate(p.via)])]);

    expect(rows.people.map((r) => r.name)).toEqual(['team', 'cattle-system/rancher', 'evil<img src=x> name']);
    expect(text).toContain('Service proxy to hnm-grafana as http:hnm-grafana:80: get');
    expect(text).toContain('Grafana lets anonymous visitors read the dashboards\' data.');
    expect(text).toContain('Opens Grafana\'s pages; the panels load their data with POST, which needs create.');
    expect(text).toContain('ClusterRoleBinding evil<img src=x> name (every namespace) to ClusterRole every');
    expect(text).toContain('RoleBinding harvester-network-monitoring/n to ClusterRole named');
    expect(text).toContain('All resources and verbs (full administrator)');
    const kinds = new Set(result.readers.flatMap((r) => r.paths.map((p) => `${ p.kind }${ p.names.length ? 'Named' : '' }`)));

    expect([...kinds].sort()).toEqual(['createWorkloads', 'everything', 'podExec', 'podExecNamed', 'podPortForward', 'podPortForwardNamed', 'podProxy', 'podProxyNamed',
      'secrets', 'secretsNamed', 'serviceProxy', 'serviceProxyNamed']);
  });

  it('says Grafana needs a login when anonymous access is off', () => {
    const result = readers([clusterRole('p', [rule(['services/proxy'], ['create'])]), clusterBinding('b', 'p', [user('u')])], 'proxy');
    const effects = readerRows(result).people[0].paths.map((p) => p.effect && translate(p.effect));

    expect(effects).toEqual(['Reaches Grafana\'s login page; reading needs a Grafana account.', 'The querier has no login of its own; get reads metrics (PromQL), create runs SQL.']);
  });
});
