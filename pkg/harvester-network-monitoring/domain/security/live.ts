import { STACK, TYPES } from '../stack/constants';
import { StoreLike, listTypes } from '../stack/load';
import { ApiError } from '../stack/errors';
import { KubeObject } from '../stack/k8s';
import { isRecord, str } from '../guards';
import { nodeAddresses } from '../install/network';

export interface LiveQuery { type: string; kind: string; apiVersion: string; namespaced: boolean; optional?: boolean }

/** Everything the review reads from a live cluster; Secrets are optional (reading them is often not allowed). */
export const LIVE_QUERIES: LiveQuery[] = [
  {
    type: TYPES.namespace, kind: 'Namespace', apiVersion: 'v1', namespaced: false
  },
  {
    type: TYPES.node, kind: 'Node', apiVersion: 'v1', namespaced: false
  },
  {
    type: TYPES.daemonSet, kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: TYPES.deployment, kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: TYPES.statefulSet, kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: TYPES.job, kind: 'Job', apiVersion: 'batch/v1', namespaced: true, optional: true
  },
  {
    type: TYPES.service, kind: 'Service', apiVersion: 'v1', namespaced: true
  },
  {
    type: TYPES.ingress, kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', namespaced: true, optional: true
  },
  {
    type: TYPES.networkPolicy, kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespaced: true
  },
  {
    type: TYPES.serviceAccount, kind: 'ServiceAccount', apiVersion: 'v1', namespaced: true
  },
  {
    type: TYPES.role, kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true
  },
  {
    type: TYPES.roleBinding, kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true
  },
  {
    type: TYPES.clusterRole, kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false
  },
  {
    type: TYPES.clusterRoleBinding, kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false
  },
  {
    type: TYPES.configMap, kind: 'ConfigMap', apiVersion: 'v1', namespaced: true
  },
  {
    type: TYPES.secret, kind: 'Secret', apiVersion: 'v1', namespaced: true, optional: true
  },
];

const STACK_NAMESPACES: string[] = [STACK.stackNamespace, STACK.agentNamespace];
const FIELDS = ['metadata', 'spec', 'status', 'data', 'rules', 'roleRef', 'subjects', 'aggregationRule', 'type', 'automountServiceAccountToken'];

export interface LiveProblem { type: string; error: ApiError }

/** A store model reduced to the plain Kubernetes object the engine reads. */
export function toPlain(model: unknown, query: LiveQuery): Record<string, unknown> | undefined {
  if (!isRecord(model)) {
    return undefined;
  }
  const out: Record<string, unknown> = { apiVersion: str(model.apiVersion) || query.apiVersion, kind: str(model.kind) || query.kind };

  FIELDS.forEach((f) => {
    if (model[f] !== undefined) {
      out[f] = JSON.parse(JSON.stringify(model[f]));
    }
  });

  return out;
}

export interface LiveObjects {
  objects: Record<string, unknown>[];
  /** Types that could not be read (forbidden optional types are in `skipped` instead). */
  problems: LiveProblem[];
  /** Optional types the user may not list: the review works without them, some answers are then partial. */
  skipped: LiveProblem[];
}

/** Loads the live objects of the stack's namespaces (and the cluster-scoped RBAC) through the store's one loader. */
export async function loadLiveObjects(store: StoreLike, inStore = 'harvester', queries: LiveQuery[] = LIVE_QUERIES): Promise<LiveObjects> {
  // force: the cluster as it is now, not a list the store cached earlier. load: false: the answer is not
  // put in the store, whose shared cache of a type must not shrink to one namespace (other pages read it,
  // and it would drop live updates from elsewhere).
  const reads = queries.flatMap((q) => (q.namespaced ? STACK_NAMESPACES : [undefined]).map((ns) => ({
    query: q,
    list:  {
      type: q.type, namespace: ns, key: `${ q.type }|${ ns || '' }`, opt: { watch: false, force: true, load: false, ...(ns ? { namespaced: ns } : {}) }
    },
  })));
  const { lists, problems: failed } = await listTypes(store, inStore, reads.map((r) => r.list));
  const objects: Record<string, unknown>[] = [];

  for (const { query, list } of reads) {
    (lists.get(list.key) || []).forEach((m) => {
      const plain = toPlain(m, query);
      const namespace = plain && isRecord(plain.metadata) ? str(plain.metadata.namespace) : undefined;

      // Steve may answer with more than was asked (a cached full list): keep our namespaces only.
      if (plain && (!query.namespaced || (namespace && STACK_NAMESPACES.includes(namespace)))) {
        objects.push(plain);
      }
    });
  }
  const problems: LiveProblem[] = [];
  const skipped: LiveProblem[] = [];

  for (const { type, error } of failed) {
    const optional = queries.find((q) => q.type === type)?.optional;

    (optional && error.kind === 'forbidden' ? skipped : problems).push({ type, error });
  }
  const once = (list: LiveProblem[]) => list.filter((p, i) => list.findIndex((o) => o.type === p.type) === i);

  return { objects, problems: once(problems), skipped: once(skipped) };
}

/**
 * What "who can read the flow data" is computed from, with the permission a user needs for each:
 * RBAC cluster-wide and in the stack's namespace, the Services and Ingresses that expose the querier
 * and Grafana, Grafana's configuration and the workloads naming the credential Secrets.
 */
export const FLOW_READER_INPUTS: { type: string; resource: string; namespaced: boolean }[] = [
  { type: TYPES.clusterRole, resource: 'clusterroles.rbac.authorization.k8s.io', namespaced: false },
  { type: TYPES.clusterRoleBinding, resource: 'clusterrolebindings.rbac.authorization.k8s.io', namespaced: false },
  { type: TYPES.role, resource: 'roles.rbac.authorization.k8s.io', namespaced: true },
  { type: TYPES.roleBinding, resource: 'rolebindings.rbac.authorization.k8s.io', namespaced: true },
  { type: TYPES.service, resource: 'services', namespaced: true },
  { type: TYPES.ingress, resource: 'ingresses.networking.k8s.io', namespaced: true },
  { type: TYPES.configMap, resource: 'configmaps', namespaced: true },
  { type: TYPES.deployment, resource: 'deployments.apps', namespaced: true },
  { type: TYPES.statefulSet, resource: 'statefulsets.apps', namespaced: true },
];

/** The inputs of the flow-readers answer that could not be read, i.e. why it may be incomplete. */
export function flowReaderGaps(live: Pick<LiveObjects, 'problems' | 'skipped'>): { type: string; resource: string; namespaced: boolean; error: ApiError }[] {
  const failed = [...live.problems, ...live.skipped];

  return FLOW_READER_INPUTS.flatMap((input) => {
    const problem = failed.find((p) => p.type === input.type);

    return problem ? [{ ...input, error: problem.error }] : [];
  });
}

/** The RBAC the wizard's review step reads before install (the chart's own objects come from its rendering). */
export const PREINSTALL_QUERIES: LiveQuery[] = LIVE_QUERIES.filter((q) => q.type.startsWith('rbac.authorization.k8s.io.') || q.type === TYPES.namespace);

/**
 * Node addresses as /32 (or /128) CIDRs, for deciding whether a policy's ipBlock admits host-network traffic: the
 * same sources the install wizard proposes (InternalIP and the node's overlay tunnel address).
 */
export function nodeAddressCidrs(objects: unknown[]): string[] {
  return nodeAddresses(objects.filter((o): o is KubeObject => isRecord(o) && o.kind === 'Node'));
}
