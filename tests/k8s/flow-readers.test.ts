/**
 * "Who can read the flow data" against a real API server: bindings for several users, groups and
 * ServiceAccounts are created (one user granted only services/proxy on the Grafana Service by
 * resourceNames, one through an aggregated ClusterRole, a group reading Secrets, port-forward, exec,
 * ServiceAccounts, and a user with unrelated rights), the engine reads the server's roles and bindings as
 * the Security Review page does, and for every subject it lists (bootstrap policy included) and every
 * request that opens a way to the flows, its answer is compared with a SubjectAccessReview.
 */
import { FlowReader, FlowReadersResult, findFlowReaders } from '@pkg/domain/security/flow-readers';
import { WORKLOAD_RESOURCES } from '@pkg/domain/security/flow-readers-rules';
import { proxyNameReaches } from '@pkg/domain/security/flow-readers-targets';
import { AccessRequest } from '@pkg/domain/security/rbac';
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { AccessSubject, KubeClient, KubeObject } from '../../sandbox/kube/client';
import { aggregateClusterRoles } from '../../sandbox/kube/controllers';
import { connect, uniqueName } from './harness';
import { helmTemplate } from './helm-cli';
import { describeRequest, toAttributes } from './rbac/requests';

jest.setTimeout(300_000);

const RBAC = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

let kube: KubeClient;
let stack = '';
let apps = '';
let suffix = '';
let result: FlowReadersResult;
let probes: AccessRequest[] = [];
const disagreements: string[] = [];
let reviewed = 0;

const user = (name: string) => ({ kind: 'User', apiGroup: GROUP, name });
const group = (name: string) => ({ kind: 'Group', apiGroup: GROUP, name });

function role(name: string, namespace: string, rules: object[]): KubeObject {
  return {
    apiVersion: RBAC, kind: 'Role', metadata: { name, namespace }, rules
  } as KubeObject;
}

function roleBinding(name: string, namespace: string, roleRef: { kind: string; name: string }, subjects: object[]): KubeObject {
  return {
    apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: GROUP, ...roleRef }, subjects
  } as KubeObject;
}

/** The test's own subjects, named per run so nothing else on the server binds them. */
const names = () => ({
  grafanaOnly:  `fr-grafana-only-${ suffix }`,
  aggregated:   `fr-aggregated-${ suffix }`,
  secretGroup:  `fr-secret-readers-${ suffix }`,
  forwarder:    `fr-forwarder-${ suffix }`,
  execGet:      `fr-exec-get-${ suffix }`,
  proxyGroup:   `fr-proxy-ops-${ suffix }`,
  unrelated:    `fr-unrelated-${ suffix }`,
  appsAccount:  'fr-reporter',
  localAccount: 'fr-dashboards',
});

function fixtures(): KubeObject[] {
  const n = names();
  const label = `fr-test.example.com/${ suffix }`;

  return [
    // Only services/proxy on the Grafana Service, by the name the dashboard proxies it as.
    role('grafana-proxy', stack, [{
      apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:hnm-grafana:80'], verbs: ['get', 'create']
    }]),
    roleBinding('grafana-only', stack, { kind: 'Role', name: 'grafana-proxy' }, [user(n.grafanaOnly)]),
    // An aggregated ClusterRole: the rules live in the role it selects by label.
    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `fr-querier-part-${ suffix }`, labels: { [label]: 'reader' } }, rules: [{ apiGroups: [''], resources: ['services/proxy'], verbs: ['create'] }]
    } as KubeObject,
    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `fr-flow-reader-${ suffix }` }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'reader' } }] }, rules: []
    } as KubeObject,
    {
      apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `fr-aggregated-${ suffix }` }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: `fr-flow-reader-${ suffix }` }, subjects: [user(n.aggregated)]
    } as KubeObject,
    // A group that reads Secrets in the namespace.
    role('secret-reader', stack, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
    roleBinding('secret-readers', stack, { kind: 'Role', name: 'secret-reader' }, [group(n.secretGroup)]),
    // Port-forward (SPDY: create; WebSocket: get), and exec with get only (WebSocket on 1.34).
    role('forward', stack, [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
    roleBinding('forward', stack, { kind: 'Role', name: 'forward' }, [user(n.forwarder)]),
    role('exec-get', stack, [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] }]),
    roleBinding('exec-get', stack, { kind: 'Role', name: 'exec-get' }, [user(n.execGet)]),
    // A wildcard subresource through a RoleBinding to a ClusterRole, for a group.
    {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `fr-any-proxy-${ suffix }` }, rules: [{ apiGroups: ['*'], resources: ['*/proxy'], verbs: ['get'] }]
    } as KubeObject,
    roleBinding('proxy-ops', stack, { kind: 'ClusterRole', name: `fr-any-proxy-${ suffix }` }, [group(n.proxyGroup)]),
    // ServiceAccounts: one of another namespace (namespace given), one of the stack's (namespace defaulted).
    role('querier-proxy', stack, [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['hnm-server:querier'], verbs: ['get'] }]),
    roleBinding('service-accounts', stack, { kind: 'Role', name: 'querier-proxy' }, [
      { kind: 'ServiceAccount', name: n.appsAccount, namespace: apps }, { kind: 'ServiceAccount', name: n.localAccount },
    ]),
    // Rights that do not reach the flows: reads without proxy, another Service, another Secret, another namespace.
    role('unrelated', stack, [
      { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'endpoints'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['hnm-grafana', 'http:hnm-server:20417', 'http:other:80'], verbs: ['get', 'create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['unrelated-secret'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/log', 'services/status'], verbs: ['get'] },
    ]),
    roleBinding('unrelated', stack, { kind: 'Role', name: 'unrelated' }, [user(n.unrelated)]),
    role('elsewhere', apps, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    roleBinding('elsewhere', apps, { kind: 'Role', name: 'elsewhere' }, [user(n.unrelated)]),
  ];
}

/** Every request that opens a way to the flows, asked in the stack namespace. */
function flowRequests(r: FlowReadersResult): AccessRequest[] {
  const out: AccessRequest[] = [];
  const ns = r.namespace;

  for (const t of r.services) {
    for (const name of [`http:${ t.service }:${ t.portNumber }`, `${ t.service }:${ t.portName }`, `${ t.service }:${ t.portNumber }`, `http:${ t.service }:${ t.portName }`]) {
      for (const verb of ['get', 'create']) {
        out.push({
          verb, group: '', resource: 'services', subresource: 'proxy', name, namespace: ns
        });
      }
    }
  }
  for (const subresource of ['proxy', 'exec', 'portforward']) {
    for (const verb of ['get', 'create']) {
      out.push({
        verb, group: '', resource: 'pods', subresource, name: 'hnm-grafana-7d9f8-abcde', namespace: ns
      });
    }
  }
  for (const name of r.credentialSecrets) {
    out.push({
      verb: 'get', group: '', resource: 'secrets', name, namespace: ns
    });
  }
  for (const verb of ['list', 'watch']) {
    out.push({
      verb, group: '', resource: 'secrets', namespace: ns
    });
  }
  for (const { group: g, resource } of WORKLOAD_RESOURCES) {
    out.push({
      verb: 'create', group: g, resource, namespace: ns
    });
  }

  return out;
}

/** Whether the engine's list says the reader may make the request. */
function engineAllows(reader: FlowReader | undefined, request: AccessRequest, r: FlowReadersResult): boolean {
  return !!reader?.paths.some((p) => {
    const named = (name: string | undefined) => !p.names.length || (name !== undefined && p.names.includes(name));
    const verb = p.verbs.includes(request.verb);

    switch (p.kind) {
    case 'everything': return true;
    case 'serviceProxy': {
      const target = r.services.find((s) => s.service === p.target);

      return verb && request.resource === 'services' && request.subresource === 'proxy' && !!target && proxyNameReaches(request.name || '', target) && named(request.name);
    }
    case 'podProxy': return verb && request.resource === 'pods' && request.subresource === 'proxy' && named(request.name);
    case 'podExec': return verb && request.resource === 'pods' && request.subresource === 'exec' && named(request.name);
    case 'podPortForward': return verb && request.resource === 'pods' && request.subresource === 'portforward' && named(request.name);
    case 'secrets': return verb && request.resource === 'secrets' && !request.subresource && named(request.name);
    case 'createWorkloads': return request.verb === 'create' && !request.subresource && p.resources.includes(request.resource || '');
    }

    return false;
  });
}

/** The SubjectAccessReview subject for a reader: a User alone, a member of the Group alone, the ServiceAccount's user. */
function reviewSubject(reader: Pick<FlowReader, 'subject'>): AccessSubject {
  const s = reader.subject;

  if (s.kind === 'Group') {
    return { user: `fr-member-of-one-group-${ suffix }`, groups: [s.name] };
  }

  return { user: s.kind === 'ServiceAccount' ? `system:serviceaccount:${ s.namespace }:${ s.name }` : s.name, groups: [] };
}

async function compare(reader: FlowReader | undefined, subject: Pick<FlowReader, 'subject' | 'key'>): Promise<string[]> {
  const allowed: string[] = [];

  for (const request of probes) {
    const server = (await kube.accessReview(reviewSubject(subject), toAttributes(request) as any)).allowed;
    const engine = engineAllows(reader, request, result);

    reviewed++;
    if (server) {
      allowed.push(describeRequest(request));
    }
    if (server !== engine) {
      disagreements.push(`${ subject.key }: ${ describeRequest(request) } -> API server ${ server ? 'allowed' : 'denied' }, engine ${ engine ? 'allowed' : 'denied' }`);
    }
  }

  return allowed;
}

const readerOf = (key: string) => result.readers.find((r) => r.key === key);

const serverAllowed = new Map<string, string[]>();

beforeAll(async() => {
  kube = await connect();
  stack = uniqueName('fr');
  apps = `${ stack }-apps`;
  suffix = stack.slice(3);
  const rendered = helmTemplate({ release: 'hnm', namespace: stack, values: { namespaces: { stack, agent: `${ stack }-agent` } } });

  await kube.ensureNamespace(stack, buildStackNamespace().metadata.labels);
  await kube.ensureNamespace(apps);
  for (const obj of [...rendered.filter((o) => o.kind === 'Service' && o.metadata.namespace === stack), ...fixtures()]) {
    await kube.apply(obj, stack);
  }
  await aggregateClusterRoles(kube);

  // As the Security Review page reads them (domain/security/live.ts): cluster-wide roles and bindings, the
  // namespace's Roles, RoleBindings and Services from the server; workloads and Grafana's configuration as rendered.
  const live: KubeObject[] = [
    ...await kube.list(RBAC, 'ClusterRole'), ...await kube.list(RBAC, 'ClusterRoleBinding'),
    ...await kube.list(RBAC, 'Role', stack), ...await kube.list(RBAC, 'RoleBinding', stack),
    ...await kube.list('v1', 'Service', stack),
  ];
  const stackObjects = rendered.filter((o) => o.metadata.namespace === stack && ['Deployment', 'StatefulSet', 'ConfigMap'].includes(o.kind));

  result = findFlowReaders([...live, ...stackObjects], { namespace: stack });
  probes = flowRequests(result);
  for (const reader of result.readers) {
    serverAllowed.set(reader.key, await compare(reader, reader));
  }
  const unrelated = { key: `User:${ names().unrelated }`, subject: { kind: 'User' as const, name: names().unrelated } };

  serverAllowed.set(unrelated.key, await compare(readerOf(unrelated.key), unrelated));
});

afterAll(() => kube?.close());

describe('who can read the flow data, on a real API server', () => {
  it('agrees with a SubjectAccessReview for every listed subject and every way to the flows', () => {
    process.stdout.write(`\nflow readers: ${ result.readers.length } subjects, ${ probes.length } requests each, ${ reviewed } access reviews, disagreements: ${ disagreements.length }\n${ disagreements.join('\n') }\n`);
    expect(result.readers.length).toBeGreaterThan(8);
    expect(disagreements).toEqual([]);
  });

  it('lists the user granted only services/proxy on the Grafana Service by name, with its binding', () => {
    const reader = readerOf(`User:${ names().grafanaOnly }`);

    expect(reader?.category).toBe('other');
    expect(reader?.paths.map((p) => `${ p.kind } ${ p.target } [${ p.names }] ${ p.verbs } ${ p.via.bindingKind } ${ p.via.bindingNamespace }/${ p.via.bindingName } ${ p.via.roleKind }/${ p.via.roleName }`)).toEqual([
      `serviceProxy hnm-grafana [http:hnm-grafana:80] create,get RoleBinding ${ stack }/grafana-only Role/grafana-proxy`,
    ]);
    // The API server allows exactly the dashboard's proxy name, with both verbs, and nothing else probed.
    expect(serverAllowed.get(reader?.key ?? '')).toEqual([`get services/proxy http:hnm-grafana:80 in ${ stack }`, `create services/proxy http:hnm-grafana:80 in ${ stack }`]);
  });

  it('lists the aggregated role, the Secret readers, port-forward, exec with get, the proxy wildcard and both ServiceAccounts', () => {
    const n = names();
    const summary = (key: string) => readerOf(key)?.paths.map((p) => `${ p.kind }${ p.target ? ` ${ p.target }` : '' } ${ p.verbs } via ${ p.via.roleName }`);

    expect(summary(`User:${ n.aggregated }`)).toEqual([`serviceProxy hnm-grafana create via fr-flow-reader-${ suffix }`, `serviceProxy hnm-server create via fr-flow-reader-${ suffix }`]);
    expect(summary(`Group:${ n.secretGroup }`)).toEqual(['secrets get via secret-reader']);
    expect(summary(`User:${ n.forwarder }`)).toEqual(['podPortForward create via forward']);
    expect(summary(`User:${ n.execGet }`)).toEqual(['podExec get via exec-get']);
    expect(summary(`Group:${ n.proxyGroup }`)).toEqual([
      `serviceProxy hnm-grafana get via fr-any-proxy-${ suffix }`, `serviceProxy hnm-server get via fr-any-proxy-${ suffix }`, `podProxy get via fr-any-proxy-${ suffix }`,
    ]);
    expect(summary(`ServiceAccount:${ apps }/${ n.appsAccount }`)).toEqual(['serviceProxy hnm-server get via querier-proxy']);
    expect(summary(`ServiceAccount:${ stack }/${ n.localAccount }`)).toEqual(['serviceProxy hnm-server get via querier-proxy']);
  });

  it('does not list the user whose rights do not reach the flows, and the API server denies it every way', () => {
    const key = `User:${ names().unrelated }`;

    expect(readerOf(key)).toBeUndefined();
    expect(serverAllowed.get(key)).toEqual([]);
  });

  it('lists cluster-admin holders and keeps the bootstrap controllers as system', () => {
    expect(readerOf('Group:system:masters')?.paths.map((p) => `${ p.kind } ${ p.via.bindingName }`)).toEqual(['everything cluster-admin']);
    expect(readerOf('Group:system:masters')?.category).toBe('system');
    const system = result.readers.filter((r) => r.category === 'system').map((r) => r.key);

    expect(system).toContain('ServiceAccount:kube-system/namespace-controller');
    expect(result.readers.filter((r) => r.category === 'other').every((r) => r.key.includes(suffix) || r.key.includes('fr-'))).toBe(true);
  });

  it('lets system:masters through without RBAC, as the result says', async() => {
    expect(result.privilegedGroup).toBe('system:masters');
    const subject = { user: `fr-no-bindings-${ suffix }`, groups: [result.privilegedGroup] };

    for (const request of probes) {
      expect({ request: describeRequest(request), allowed: (await kube.accessReview(subject, toAttributes(request) as any)).allowed }).toEqual({ request: describeRequest(request), allowed: true });
    }
  });
});
