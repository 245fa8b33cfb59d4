/**
 * The Harvester Addon the install wizard builds, against a real API server serving Harvester's Addon
 * CRD (tests/k8s/crds): the objects are accepted as built, the schema rejects what Harvester would, and the
 * permissions the wizard checks (INSTALL_PERMISSIONS) are enough to perform the install.
 */
import { readFileSync } from 'fs';
import { load } from 'js-yaml';
import { join } from 'path';
import { INSTALL_PERMISSIONS, SSAR_PATH, accessReviewBody, parseAccessReview } from '@pkg/domain/install/access';
import { CHART_DEFAULTS, defaultSettings } from '@pkg/domain/install/defaults';
import { buildValues, diffFromDefaults, valuesYaml } from '@pkg/domain/install/values';
import { buildAddon, buildStackNamespace } from '@pkg/domain/stack/addon';
import { STACK } from '@pkg/domain/stack/constants';
import { KubeClient, KubeObject } from '../../sandbox/kube/client';
import { wizardPasswordSecret } from './chart-variants';
import { connect, uniqueName } from './harness';

jest.setTimeout(60_000);

const CRD = load(readFileSync(join(__dirname, 'crds/addons.harvesterhci.io.yaml'), 'utf8')) as KubeObject;
const REPO = 'https://charts.example.com/harvester-network-monitoring';
const VERSION = '0.1.0';

let kube: KubeClient;

beforeAll(async() => {
  kube = await connect();
  await kube.apply(CRD);
  await kube.waitForCrd('addons.harvesterhci.io');
  await kube.apply(buildStackNamespace() as KubeObject);
});

afterAll(() => kube?.close());

/** The Addon as the wizard builds it from its settings (only values that differ from the chart defaults). */
function wizardAddon(adjust: (s: ReturnType<typeof defaultSettings>) => void = () => undefined) {
  const settings = defaultSettings(REPO, VERSION);

  adjust(settings);
  const valuesContent = valuesYaml(diffFromDefaults(buildValues(settings), CHART_DEFAULTS));

  return buildAddon({ repo: REPO, version: VERSION, valuesContent }) as KubeObject & { spec: Record<string, unknown> };
}

const addonPath = `/apis/harvesterhci.io/v1beta1/namespaces/${ STACK.stackNamespace }/addons`;

describe('Harvester Addon built by the install wizard', () => {
  it('is served by the Addon CRD', async() => {
    const crd: any = await kube.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'addons.harvesterhci.io');

    expect(crd.spec.names.kind).toBe('Addon');
    expect(await kube.resourceFor('harvesterhci.io/v1beta1', 'Addon')).toEqual({ resource: 'addons', namespaced: true });
  });

  it('is accepted as built, with chart defaults, and stored unchanged', async() => {
    const addon = wizardAddon();

    await kube.delete(addon.apiVersion, addon.kind, STACK.addonName, STACK.stackNamespace);
    const created: any = await kube.create(addon);

    expect(created.metadata).toMatchObject({ name: STACK.addonName, namespace: STACK.stackNamespace });
    expect(created.spec).toEqual(addon.spec);
    expect(created.spec).toMatchObject({ chart: STACK.chartName, enabled: true, repo: REPO, version: VERSION });
  });

  it('is updated the way Harvester\'s UI does: valuesContent edited, enabled toggled', async() => {
    const nodePort = wizardAddon((s) => {
      s.grafana.exposure = 'nodeport';
      s.grafana.nodePort = 30300;
      s.grafana.anonymous = true;
    });

    expect(nodePort.spec.valuesContent).toContain('NodePort');
    await kube.apply(nodePort);
    const disabled = await kube.ok('PATCH', `${ addonPath }/${ STACK.addonName }`, { spec: { enabled: false } }, 'application/merge-patch+json');

    expect(disabled.body.spec).toMatchObject({ enabled: false, valuesContent: nodePort.spec.valuesContent });
  });

  it('carries a custom Grafana password only in a Secret, never in valuesContent', async() => {
    const password = `pw-${ uniqueName('x') }`;
    const addon = wizardAddon((s) => {
      s.grafana.generatePassword = false;
      s.grafana.password = password;
      s.grafana.passwordConfirm = password;
    });

    expect(addon.spec.valuesContent).not.toContain(password);
    await kube.apply(wizardPasswordSecret(STACK.stackNamespace, password));
    await kube.apply(addon);
    const stored: any = await kube.get('harvesterhci.io/v1beta1', 'Addon', STACK.addonName, STACK.stackNamespace);

    expect(JSON.stringify(stored)).not.toContain(password);
  });

  it('keeps status on the status subresource, as Harvester\'s controller writes it', async() => {
    const current: any = await kube.get('harvesterhci.io/v1beta1', 'Addon', STACK.addonName, STACK.stackNamespace);
    const status = { status: 'AddonDeploySuccessful', conditions: [{ type: 'OperationCompleted', status: 'True' }] };
    const updated = await kube.ok('PUT', `${ addonPath }/${ STACK.addonName }/status`, { ...current, status });

    expect(updated.body.status).toEqual(status);
    // A spec update through the main resource cannot change status.
    const overwritten = await kube.ok('PUT', `${ addonPath }/${ STACK.addonName }`, { ...updated.body, status: { status: 'AddonDisabled' } });

    expect(overwritten.body.status.status).toBe('AddonDeploySuccessful');
  });

  it('is rejected without the fields Harvester requires or with mistyped ones', async() => {
    const base = wizardAddon();
    const { valuesContent, ...withoutValues } = base.spec;
    const missing = await kube.dryRunCreate({ ...base, metadata: { ...base.metadata, name: 'missing-values' }, spec: withoutValues });

    expect(valuesContent).toBeDefined();
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('spec.valuesContent: Required value');

    const mistyped = await kube.dryRunCreate({ ...base, metadata: { ...base.metadata, name: 'mistyped' }, spec: { ...base.spec, enabled: 'yes' } });

    expect(mistyped.status).toBe(422);
    expect(mistyped.body.message).toContain('spec.enabled');
  });
});

describe('install permissions the wizard checks', () => {
  it('are answered by SelfSubjectAccessReviews built by the wizard', async() => {
    for (const permission of INSTALL_PERMISSIONS) {
      const response = await kube.ok('POST', SSAR_PATH, accessReviewBody(permission));

      expect(parseAccessReview(permission, response.body)).toEqual({ ...permission, allowed: true });
    }
  });

  it('are denied to a user without them, and are enough to install through an Addon', async() => {
    const ns = uniqueName('installer');
    const installer = 'installer';

    await kube.ensureNamespace(ns);
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: installer, namespace: ns } });
    const asInstaller = kube.withToken(await kube.serviceAccountToken(ns, installer));

    try {
      for (const permission of INSTALL_PERMISSIONS) {
        const response = await asInstaller.ok('POST', SSAR_PATH, accessReviewBody(permission));

        expect(parseAccessReview(permission, response.body).allowed).toBe(false);
      }

      // Grant exactly INSTALL_PERMISSIONS, cluster-wide and in the stack namespace.
      const rules = (namespaced: boolean) => INSTALL_PERMISSIONS.filter((p) => !!p.namespace === namespaced)
        .map((p) => ({ apiGroups: [p.group], resources: [p.resource], verbs: [p.verb] }));
      const subjects = [{ kind: 'ServiceAccount', name: installer, namespace: ns }];
      const clusterRole = uniqueName('installer');

      await kube.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterRole }, rules: rules(false) });
      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: clusterRole }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole }, subjects
      });
      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: installer, namespace: STACK.stackNamespace }, rules: rules(true)
      });
      await kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: installer, namespace: STACK.stackNamespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: installer }, subjects
      });

      for (const permission of INSTALL_PERMISSIONS) {
        const response = await asInstaller.ok('POST', SSAR_PATH, accessReviewBody(permission));

        expect(parseAccessReview(permission, response.body).allowed).toBe(true);
      }
      // The install itself, as that user: the stack namespace (already there: dry-run) and the Addon.
      expect((await asInstaller.dryRunCreate({ ...(buildStackNamespace() as KubeObject), metadata: { ...buildStackNamespace().metadata, name: uniqueName('stack') } })).status).toBe(201);
      expect((await asInstaller.dryRunCreate({ ...wizardAddon(), metadata: { ...wizardAddon().metadata, name: 'by-installer' } })).status).toBe(201);
    } finally {
      asInstaller.close();
    }
  });
});
