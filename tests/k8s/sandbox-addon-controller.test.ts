/**
 * The sandbox's stand-in for Harvester's addon controller (sandbox/backend/addon-controller.ts) against the real API
 * server: a held install waits at its gate with its writes done, so a test that then changes a stack pod by hand
 * (the wizard scenario's image that cannot be pulled) does not race the controller's own writes to it; on release
 * the install completes.
 */
import { KubeClient } from '../../sandbox/kube/client';
import { finishNamespaceDeletion } from '../../sandbox/kube/controllers';
import { AddonController } from '../../sandbox/backend/addon-controller';
import { installCrds } from '../../sandbox/backend/kube-seed';
import { kubePath } from '../../sandbox/backend/kube-source';
import { STACK_NAMESPACE } from '../../sandbox/backend/seed/constants';
import { installedAddon, stackWorkloadObjects } from '../../sandbox/backend/seed/stack';
import { CLUSTER_TYPES, typeById } from '../../sandbox/backend/types';
import { connect, eventually } from './harness';

jest.setTimeout(60_000);

const ADDON = typeById(CLUSTER_TYPES, 'harvesterhci.io.addon');

let kube: KubeClient;
let controller: AddonController;
/** Namespaces this file creates (the API server is shared by the k8s suite): removed again at the end. */
const ownNamespaces: string[] = [];

/**
 * Deletes the install's Addon and objects by their fixed names, whoever wrote them, and waits until they are gone:
 * finalizers cleared and no grace period, as no garbage collector or kubelet runs here to finish a deletion.
 */
async function removeStackObjects(): Promise<void> {
  const objects = [{ type: ADDON, object: installedAddon() }, ...stackWorkloadObjects().filter((o) => o.type.kind !== 'Namespace').reverse()];

  for (const { type, object } of objects) {
    const path = kubePath(type, object.metadata.namespace, object.metadata.name);
    const current = await kube.request('GET', path);

    if (current.status !== 200) {
      continue;
    }
    if (current.body.metadata.finalizers?.length) {
      await kube.ok('PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    }
    await kube.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    await eventually(async() => (await kube.request('GET', path)).status === 404, `${ path } deleted`, 20_000);
  }
}

// The API server is shared by the k8s suite: the install starts from none of its objects (a chart install of
// helm-lifecycle.test.ts leaves a release behind) and leaves none (Harvester's addon controller and the namespace
// controller would remove them), so the other files' chart installs find none of it either.
beforeAll(async() => {
  kube = await connect();
  await installCrds(kube);
  const chartNamespaces = stackWorkloadObjects().filter((o) => o.type.kind === 'Namespace').map((o) => o.object.metadata.name);

  for (const name of [STACK_NAMESPACE, ...chartNamespaces]) {
    if (!(await kube.get('v1', 'Namespace', name))) {
      ownNamespaces.push(name);
    }
  }
  await removeStackObjects();
  await kube.ensureNamespace(STACK_NAMESPACE);
});

afterAll(async() => {
  controller?.stop();
  if (!kube) {
    return;
  }
  await removeStackObjects();
  for (const name of ownNamespaces) {
    if ((await kube.request('DELETE', `/api/v1/namespaces/${ name }`)).status === 200) {
      await finishNamespaceDeletion(kube, name);
    }
  }
  kube.close();
});

const addonStatus = async() => (await kube.ok('GET', kubePath(ADDON, STACK_NAMESPACE, installedAddon().metadata.name))).body.status?.status;

describe('the sandbox addon controller', () => {
  it('settles a held install with every stack pod written, then completes it on release', async() => {
    controller = new AddonController(kube, 300);
    controller.start();
    controller.hold(true);
    const { status, ...addon } = installedAddon();

    expect(status).toBeDefined();
    await kube.ok('POST', kubePath(ADDON, STACK_NAMESPACE), addon);

    await controller.settled();
    expect(controller.errors).toEqual([]);
    // Every pod the install writes is there, not ready, before anything else writes to them.
    const pods = stackWorkloadObjects().filter((o) => o.type.kind === 'Pod' && o.object.metadata.namespace === STACK_NAMESPACE);
    const listed = (await kube.ok('GET', `/api/v1/namespaces/${ STACK_NAMESPACE }/pods`)).body.items;

    expect(pods.length).toBeGreaterThan(0);
    expect(listed.map((p: any) => p.metadata.name)).toEqual(expect.arrayContaining(pods.map((p) => p.object.metadata.name)));
    expect(listed.filter((p: any) => pods.some((s) => s.object.metadata.name === p.metadata.name)).map((p: any) => p.status.phase)).toEqual(pods.map(() => 'Pending'));
    expect(await addonStatus()).toBe('AddonEnabling');

    // A pod changed by hand meanwhile is not written over by the held controller (no 409 on either side).
    const pod = listed[0];

    await kube.ok('PUT', `/api/v1/namespaces/${ STACK_NAMESPACE }/pods/${ pod.metadata.name }/status`, {
      ...pod, status: { ...pod.status, reason: 'by-hand' }
    });
    controller.hold(false);
    await eventually(async() => (await addonStatus()) === 'AddonDeploySuccessful', 'the Addon deployed', 20_000);
    expect(controller.errors).toEqual([]);
  });
});
