/**
 * RBAC agreement: the chart's RBAC objects (from `helm template`) are applied to the real API server, and
 * for each of the chart's ServiceAccounts the security engine's view (effectivePermissions/can in
 * domain/security/rbac.ts) is compared with SelfSubjectAccessReviews made with that ServiceAccount's own
 * token. Reference ServiceAccounts bound in other ways RBAC allows widen the comparison.
 */
import { AccessRequest, EffectiveRule, can, effectivePermissions, serviceAccountKey } from '@pkg/domain/security/rbac';
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { KubeClient, KubeObject } from '../../sandbox/kube/client';
import { aggregateClusterRoles } from '../../sandbox/kube/controllers';
import { connect, uniqueName } from './harness';
import { helmTemplate } from './helm-cli';
import { referenceRbac } from './rbac/reference-rbac';
import {
  dangerousRequests, dedupe, describeRequest, neighbourRequests, requestKey, requestsFromRules, toAttributes
} from './rbac/requests';

jest.setTimeout(300_000);

const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'];

interface ServiceAccountRef { namespace: string; name: string }

interface Review {
  serviceAccount: string;
  request: AccessRequest;
  engine: boolean;
  server: boolean;
  dangerous: boolean;
}

let kube: KubeClient;
let stackNamespace = '';
let agentNamespace = '';
let chartObjects: KubeObject[] = [];
let chartAccounts: ServiceAccountRef[] = [];
let referenceAccounts: ServiceAccountRef[] = [];
const reviews: Review[] = [];

/** Every review for one ServiceAccount, asked with its own token. */
async function review(sa: ServiceAccountRef, perms: EffectiveRule[], probeNamespace: string): Promise<void> {
  const key = serviceAccountKey(sa.namespace, sa.name);
  const dangerous = dangerousRequests(sa.namespace);
  const dangerousKeys = new Set(dangerous.map(requestKey));
  const asServiceAccount = kube.withToken(await kube.serviceAccountToken(sa.namespace, sa.name));

  try {
    for (const request of dedupe([...requestsFromRules(perms, probeNamespace), ...neighbourRequests(perms, 'kube-system'), ...dangerous])) {
      const server = await asServiceAccount.selfAccessReview(toAttributes(request));

      reviews.push({
        serviceAccount: key, request, engine: can(perms, request), server: server.allowed, dangerous: dangerousKeys.has(requestKey(request))
      });
    }
  } finally {
    asServiceAccount.close();
  }
}

beforeAll(async() => {
  kube = await connect();
  // Own namespaces (the chart names cluster-scoped objects after the stack namespace), so this file never
  // collides with the Helm lifecycle tests. The release namespace is the stack namespace, as in the Addon flow.
  const stack = uniqueName('rbac');
  const agent = `${ stack }-agent`;

  stackNamespace = stack;
  agentNamespace = agent;
  const rendered = helmTemplate({ release: 'hnm', namespace: stack, values: { namespaces: { stack, agent } } });

  await kube.ensureNamespace(stack, buildStackNamespace().metadata.labels);
  for (const ns of rendered.filter((o) => o.kind === 'Namespace')) {
    await kube.ensureNamespace(ns.metadata.name as string, ns.metadata.labels);
  }
  chartObjects = RBAC_KINDS.flatMap((kind) => rendered.filter((o) => o.kind === kind));
  chartAccounts = chartObjects.filter((o) => o.kind === 'ServiceAccount').map((o) => ({ namespace: o.metadata.namespace ?? stack, name: o.metadata.name as string }));

  const referenceNamespace = uniqueName('rbac-ref');
  const reference = referenceRbac(referenceNamespace);

  referenceAccounts = reference.serviceAccounts;
  await kube.ensureNamespace(referenceNamespace);
  for (const obj of [...chartObjects, ...reference.objects]) {
    await kube.apply(obj, stack);
  }
  await aggregateClusterRoles(kube);

  // The engine reads the cluster's RBAC as the security review would: every role and binding the server
  // has (bootstrap policy included), plus the ServiceAccounts under review.
  const live: KubeObject[] = [];

  for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) {
    live.push(...await kube.list('rbac.authorization.k8s.io/v1', kind));
  }
  for (const sa of [...chartAccounts, ...referenceAccounts]) {
    live.push((await kube.get('v1', 'ServiceAccount', sa.name, sa.namespace)) as KubeObject);
  }
  const permissions = effectivePermissions(live);

  for (const sa of chartAccounts) {
    await review(sa, permissions.get(serviceAccountKey(sa.namespace, sa.name)) ?? [], stack);
  }
  for (const sa of referenceAccounts) {
    await review(sa, permissions.get(serviceAccountKey(sa.namespace, sa.name)) ?? [], referenceNamespace);
  }
});

afterAll(() => kube?.close());

function reviewsOf(accounts: ServiceAccountRef[]): Review[] {
  const keys = new Set(accounts.map((sa) => serviceAccountKey(sa.namespace, sa.name)));

  return reviews.filter((r) => keys.has(r.serviceAccount));
}

function agreement(title: string, accounts: ServiceAccountRef[]): string[] {
  const checked = reviewsOf(accounts);
  const lines = checked.filter((r) => r.engine !== r.server)
    .map((r) => `  - ${ r.serviceAccount }: ${ describeRequest(r.request) } -> API server ${ r.server ? 'allowed' : 'denied' }, engine ${ r.engine ? 'allowed' : 'denied' }`);

  process.stdout.write(`\n${ title }: service accounts: ${ accounts.length }, access reviews checked: ${ checked.length }, disagreements: ${ lines.length }\n${ lines.join('\n') }${ lines.length ? '\n' : '' }`);

  return lines;
}

describe('chart RBAC on a real API server', () => {
  it('renders ServiceAccounts bound to roles', () => {
    expect(chartAccounts.length).toBeGreaterThan(0);
    expect(chartObjects.some((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')).toBe(true);
  });

  it('gives the engine and the API server the same answer to every access review of the chart\'s ServiceAccounts', () => {
    expect(agreement('RBAC (chart ServiceAccounts)', chartAccounts)).toEqual([]);
  });

  it('gives the same answers for ServiceAccounts bound in every other way RBAC allows', () => {
    expect(agreement('RBAC (reference bindings)', referenceAccounts)).toEqual([]);
  });

  it('grants each ServiceAccount of the chart but the node agents\' the permissions the engine reports (at least one each)', () => {
    for (const sa of chartAccounts.filter((a) => a.name !== 'hnm-agent')) {
      const granted = reviewsOf([sa]).filter((r) => r.engine && r.server);

      expect({ sa: sa.name, granted: granted.length > 0 }).toEqual({ sa: sa.name, granted: true });
    }
  });

  it('denies the node agents\' ServiceAccount every API read (SubjectAccessReview)', async() => {
    const user = `system:serviceaccount:${ agentNamespace }:hnm-agent`;
    const groups = ['system:serviceaccounts', `system:serviceaccounts:${ agentNamespace }`, 'system:authenticated'];
    const reads = [
      ...['pods', 'services', 'nodes', 'namespaces', 'configmaps', 'secrets', 'endpoints', 'events'].map((resource) => ({ group: '', resource })),
      ...['deployments', 'daemonsets', 'statefulsets', 'replicasets'].map((resource) => ({ group: 'apps', resource })),
      { group: 'networking.k8s.io', resource: 'ingresses' },
    ];
    const allowed: string[] = [];

    for (const { group, resource } of reads) {
      for (const verb of ['get', 'list', 'watch']) {
        for (const namespace of [undefined, agentNamespace, stackNamespace, 'kube-system']) {
          if ((await kube.accessReview({ user, groups }, { verb, group, resource, namespace })).allowed) {
            allowed.push(`${ verb } ${ group }/${ resource } in ${ namespace ?? '(cluster)' }`);
          }
        }
      }
    }
    expect(allowed).toEqual([]);
  });

  it('lets the API watcher list and watch pods cluster-wide, and nothing else of the chart', async() => {
    const review = (name: string, namespace: string, verb: string) => kube.accessReview(
      { user: `system:serviceaccount:${ namespace }:${ name }`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ namespace }`, 'system:authenticated'] },
      { verb, group: '', resource: 'pods' });

    expect((await review('hnm-watcher', agentNamespace, 'list')).allowed).toBe(true);
    expect((await review('hnm-watcher', agentNamespace, 'watch')).allowed).toBe(true);
    for (const sa of chartAccounts.filter((a) => a.name !== 'hnm-watcher')) {
      expect({ sa: sa.name, allowed: (await review(sa.name, sa.namespace, 'list')).allowed }).toEqual({ sa: sa.name, allowed: false });
    }
  });

  it('lets nothing of the chart read Secrets or ConfigMaps outside its own namespaces', async() => {
    const allowed: string[] = [];

    for (const sa of chartAccounts) {
      const subject = { user: `system:serviceaccount:${ sa.namespace }:${ sa.name }`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ sa.namespace }`, 'system:authenticated'] };

      for (const resource of ['secrets', 'configmaps']) {
        for (const verb of ['get', 'list', 'watch']) {
          for (const namespace of [undefined, 'kube-system', 'default', 'cattle-system']) {
            if ((await kube.accessReview(subject, { verb, group: '', resource, namespace })).allowed) {
              allowed.push(`${ sa.namespace }/${ sa.name }: ${ verb } ${ resource } in ${ namespace ?? '(cluster)' }`);
            }
          }
        }
      }
    }
    expect(allowed).toEqual([]);
  });

  it('grants no ServiceAccount of the chart a dangerous permission', () => {
    const granted = reviewsOf(chartAccounts).filter((r) => r.dangerous && r.server).map((r) => `${ r.serviceAccount }: ${ describeRequest(r.request) }`);

    expect(granted).toEqual([]);
  });
});
