/**
 * The test API server itself: version, authentication (admin token, ServiceAccount tokens), RBAC,
 * PodSecurity on dry-run creates, and the kubeconfig Helm uses.
 */
import { KubeClient } from '../../sandbox/kube/client';
import { connect, podSecurityLabels, uniqueName } from './harness';
import { helm } from './helm-cli';

jest.setTimeout(60_000);

let kube: KubeClient;

beforeAll(async() => {
  kube = await connect();
});

afterAll(() => kube?.close());

function pod(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}

const RESTRICTED_SPEC = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers:      [{ name: 'app', image: 'registry.example.com/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

describe('test API server', () => {
  it('reports the pinned Kubernetes version', async() => {
    const version = await kube.ok('GET', '/version');

    expect(version.body.gitVersion).toBe(`v${ kube.env.version }`);
  });

  it('authenticates the admin token as a cluster admin', async() => {
    const me = await kube.whoAmI();

    expect(me.groups).toContain('system:masters');
  });

  it('rejects requests without credentials', async() => {
    const anonymous = kube.withToken('not-a-token');
    const response = await anonymous.request('GET', '/api/v1/namespaces');

    anonymous.close();
    expect(response.status).toBe(401);
  });

  it('enforces PodSecurity on dry-run creates and stores nothing', async() => {
    const ns = uniqueName('server-restricted');

    await kube.ensureNamespace(ns, podSecurityLabels({ enforce: 'restricted' }));

    const allowed = await kube.dryRunCreate(pod('compliant', RESTRICTED_SPEC), ns);

    expect(allowed.status).toBe(201);
    expect(await kube.get('v1', 'Pod', 'compliant', ns)).toBeUndefined();

    const denied = await kube.dryRunCreate(pod('host-pid', { ...RESTRICTED_SPEC, hostPID: true }), ns);

    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('violates PodSecurity "restricted:latest": host namespaces (hostPID=true)');
  });

  it('returns PodSecurity warnings as Warning headers', async() => {
    const ns = uniqueName('server-warn');

    await kube.ensureNamespace(ns, podSecurityLabels({ enforce: 'baseline', warn: 'restricted' }));
    const response = await kube.dryRunCreate(pod('plain', { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] }), ns);

    expect(response.status).toBe(201);
    expect(response.warnings.some((w) => w.startsWith('would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false'))).toBe(true);
  });

  it('issues ServiceAccount tokens and authorizes them with RBAC', async() => {
    const ns = uniqueName('server-sa');

    await kube.ensureNamespace(ns);
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: ns } });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'Role',
      metadata:   { name: 'configmap-reader', namespace: ns },
      rules:      [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'RoleBinding',
      metadata:   { name: 'reader', namespace: ns },
      roleRef:    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
      subjects:   [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    });

    const reader = kube.withToken(await kube.serviceAccountToken(ns, 'reader'));

    try {
      expect((await reader.whoAmI()).username).toBe(`system:serviceaccount:${ ns }:reader`);
      expect((await reader.request('GET', `/api/v1/namespaces/${ ns }/configmaps`)).status).toBe(200);
      expect((await reader.request('GET', `/api/v1/namespaces/${ ns }/secrets`)).status).toBe(403);
    } finally {
      reader.close();
    }

    const review = await kube.accessReview(
      { user: `system:serviceaccount:${ ns }:reader`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ ns }`, 'system:authenticated'] },
      { verb: 'list', resource: 'configmaps', namespace: ns }
    );

    expect(review.allowed).toBe(true);
  });

  it('writes a kubeconfig that helm can use', () => {
    const output = helm(kube.env, ['list', '--all-namespaces', '--output', 'json']);

    expect(Array.isArray(JSON.parse(output))).toBe(true);
  });
});
