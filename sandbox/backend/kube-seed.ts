/**
 * Puts the seeded Harvester cluster into the real API server: the custom resource definitions
 * Harvester's types need, then objects with their statuses (written through the status
 * subresource, as controllers would), namespaces and their `default` ServiceAccounts first.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { KubeClient, KubeError } from '../kube/client';
import { JsonObject } from './http';
import { kubePath } from './kube-source';
import {
  CLUSTER_TYPES, TypeDef, TypedObject, typeById
} from './types';
import { REPO_ROOT } from '../paths';

/** Harvester's real Addon CRD (also used by the k8s suite); the others only need to exist. */
const ADDON_CRD = path.join(REPO_ROOT, 'tests/k8s/crds/addons.harvesterhci.io.yaml');

function openCrd(def: TypeDef): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind:       'CustomResourceDefinition',
    metadata:   { name: `${ def.resource }.${ def.group }` },
    spec:       {
      group: def.group,
      names: {
        kind: def.kind, plural: def.resource, singular: def.kind.toLowerCase(), listKind: `${ def.kind }List`
      },
      scope:    def.namespaced ? 'Namespaced' : 'Cluster',
      versions: [{
        name:         def.version,
        served:       true,
        storage:      true,
        subresources: { status: {} },
        schema:       { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
}

const BUILT_IN_GROUPS = ['', 'apps', 'batch', 'networking.k8s.io', 'storage.k8s.io', 'rbac.authorization.k8s.io'];

export async function installCrds(kube: KubeClient): Promise<void> {
  const custom = CLUSTER_TYPES.filter((d) => !BUILT_IN_GROUPS.includes(d.group));
  const crds = custom.map((def) => (def.kind === 'Addon' ? yaml.load(fs.readFileSync(ADDON_CRD, 'utf8')) as JsonObject : openCrd(def)));

  for (const crd of crds) {
    await kube.apply(crd as any);
  }
  // A new CRD is served once it is Established.
  for (const def of custom) {
    const deadline = Date.now() + 30_000;

    while ((await kube.request('GET', kubePath(def))).status !== 200) {
      if (Date.now() > deadline) {
        throw new Error(`the API server does not serve ${ def.id } 30 s after its CRD was created`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Kinds whose spec the API server will not let a replacement change (a Job's selector, a claim's class). */
const FIXED_SPEC_KINDS = new Set(['Pod', 'Job', 'PersistentVolumeClaim']);

/** Creates or replaces an object, then writes its status like the owning controller would. */
export async function putObject(kube: KubeClient, { type, object }: TypedObject): Promise<void> {
  const { status, ...body } = object;
  const namespace = object.metadata?.namespace;
  const objectPath = kubePath(type, namespace, object.metadata.name);
  const current = await kube.request('GET', objectPath);
  // Replacing keeps what the API server allocated (a Service's cluster IP) and specs that cannot change.
  const replacement = { ...current.body, ...body, metadata: { ...body.metadata, resourceVersion: current.body?.metadata?.resourceVersion } };
  const response = current.status !== 200 ? await kube.request('POST', kubePath(type, namespace), body) : await kube.request('PUT', objectPath, FIXED_SPEC_KINDS.has(type.kind) ? { ...replacement, spec: current.body.spec } : replacement);

  if (response.status < 200 || response.status > 299) {
    throw new KubeError(current.status === 200 ? 'PUT' : 'POST', objectPath, response);
  }
  if (status !== undefined) {
    await kube.ok('PUT', `${ objectPath }/status`, { ...response.body, status });
  }
}

/** Namespaces first (each with its `default` ServiceAccount: no controller-manager creates it), pods last. */
function rankOf(t: TypedObject): number {
  switch (t.type.kind) {
  case 'Namespace': return 0;
  case 'ServiceAccount': return 1;
  case 'Pod': return 3;
  default: return 2;
  }
}

export function creationOrder(objects: TypedObject[]): TypedObject[] {
  return [...objects].sort((a, b) => rankOf(a) - rankOf(b));
}

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async() => {
    while (next < items.length) {
      await work(items[next++]);
    }
  }));
}

/**
 * In creation order, rank by rank (a pod's namespace exists before the pod); within a rank `concurrency` writes
 * at a time (a seed of thousands of objects goes in several times faster than one by one).
 */
export async function putObjects(kube: KubeClient, objects: TypedObject[], { concurrency = 1 } = {}): Promise<void> {
  const ranks = new Map<number, TypedObject[]>();

  creationOrder(objects).forEach((typed) => {
    const rank = ranks.get(rankOf(typed)) || [];

    rank.push(typed);
    ranks.set(rankOf(typed), rank);
  });
  for (const rank of ranks.values()) {
    await inParallel(rank, concurrency, async(typed) => {
      await putObject(kube, typed);
      if (typed.type.kind === 'Namespace') {
        await putObject(kube, {
          type: typeById(CLUSTER_TYPES, 'serviceaccount'), object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: typed.object.metadata.name } }
        });
      }
    });
  }
}

export function typedObjects(byType: Record<string, JsonObject[]>): TypedObject[] {
  return Object.entries(byType).flatMap(([id, objects]) => {
    const type = typeById(CLUSTER_TYPES, id);

    return objects.map((object) => ({ type, object }));
  });
}
