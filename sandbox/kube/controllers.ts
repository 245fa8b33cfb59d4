/**
 * The few things the controller-manager would do that the tests depend on. The test API server runs
 * without it, so the tests do them explicitly, on demand.
 */
import { KubeClient, KubeError, groupVersionPath } from './client';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Whether labels match a metav1.LabelSelector. Written here rather than imported from the security engine,
 * so that emulating the cluster never borrows the extension's code.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => has(k) && labels[k] === v);

  return byLabel && (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
    case 'In': return has(key) && values.includes(labels[key]);
    case 'NotIn': return !has(key) || !values.includes(labels[key]);
    case 'Exists': return has(key);
    case 'DoesNotExist': return !has(key);
    default: return false;
    }
  });
}

const RBAC = 'rbac.authorization.k8s.io/v1';

/**
 * The clusterrole-aggregation controller: fills every ClusterRole that has an `aggregationRule` with the
 * rules of the ClusterRoles it selects. Without it `admin`, `edit`, `view` and any aggregated role of a chart
 * stay empty. Repeats until nothing changes, for nested aggregation.
 */
export async function aggregateClusterRoles(kube: KubeClient): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const roles = await kube.list<any>(RBAC, 'ClusterRole');
    let changed = false;

    for (const role of roles.filter((r) => r.aggregationRule?.clusterRoleSelectors?.length)) {
      const selectors: LabelSelector[] = role.aggregationRule.clusterRoleSelectors;
      const rules: unknown[] = [];

      for (const other of roles) {
        if (other.metadata.name !== role.metadata.name && selectors.some((s) => matchesLabelSelector(s, other.metadata.labels ?? {}))) {
          for (const rule of other.rules ?? []) {
            if (!rules.some((r) => JSON.stringify(r) === JSON.stringify(rule))) {
              rules.push(rule);
            }
          }
        }
      }
      if (JSON.stringify(rules) !== JSON.stringify(role.rules ?? [])) {
        await kube.ok('PUT', await kube.pathFor(RBAC, 'ClusterRole', undefined, role.metadata.name), { ...role, rules });
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
  }
  throw new Error('ClusterRole aggregation did not settle after 10 rounds');
}

/** Every namespaced kind that can be listed and deleted, in each group's preferred version. */
async function namespacedKinds(kube: KubeClient): Promise<{ apiVersion: string; kind: string }[]> {
  const groups = (await kube.ok('GET', '/apis')).body.groups ?? [];
  const versions: string[] = ['v1', ...groups.map((g: any) => g.preferredVersion?.groupVersion).filter(Boolean)];
  const out: { apiVersion: string; kind: string }[] = [];

  for (const apiVersion of versions) {
    for (const r of (await kube.ok('GET', groupVersionPath(apiVersion))).body.resources ?? []) {
      if (r.namespaced && !String(r.name).includes('/') && r.verbs?.includes('list') && r.verbs?.includes('delete')) {
        out.push({ apiVersion, kind: r.kind });
      }
    }
  }

  return out;
}

/**
 * The namespace controller, for one namespace being deleted: deletes every object left in it (clearing
 * finalizers that only other controllers would clear), then removes the namespace's own `kubernetes`
 * finalizer. Without this a deleted namespace stays Terminating and cannot be created again.
 */
export async function finishNamespaceDeletion(kube: KubeClient, name: string, timeoutMs = 30_000): Promise<void> {
  const ns: any = await kube.get('v1', 'Namespace', name);

  if (!ns) {
    return;
  }
  if (!ns.metadata.deletionTimestamp) {
    throw new Error(`namespace ${ name } is not being deleted`);
  }
  for (const { apiVersion, kind } of await namespacedKinds(kube)) {
    for (const obj of await kube.list<any>(apiVersion, kind, name)) {
      const path = await kube.pathFor(apiVersion, kind, name, obj.metadata.name);

      if (obj.metadata.finalizers?.length) {
        await kube.ok('PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      }
      const response = await kube.request('DELETE', path);

      if (response.status !== 404 && (response.status < 200 || response.status > 299)) {
        throw new KubeError('DELETE', path, response);
      }
    }
  }
  await kube.ok('PUT', `/api/v1/namespaces/${ encodeURIComponent(name) }/finalize`, { ...ns, spec: { finalizers: [] } });
  const deadline = Date.now() + timeoutMs;

  while (await kube.get('v1', 'Namespace', name)) {
    if (Date.now() > deadline) {
      throw new Error(`namespace ${ name } still exists after finalizing`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
