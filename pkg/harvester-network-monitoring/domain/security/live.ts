import { STACK } from '../stack/constants';
import { StoreLike } from '../stack/load';
import { classifyApiError, ApiError } from '../stack/errors';
import { KubeObject } from '../stack/k8s';
import { arr, isRecord, str } from '../guards';
import { nodeAddresses } from '../install/network';

export interface LiveQuery { type: string; kind: string; apiVersion: string; namespaced: boolean; optional?: boolean }

/** Everything the review reads from a live cluster; Secrets are optional (reading them is often not allowed). */
export const LIVE_QUERIES: LiveQuery[] = [
  {
    type: 'namespace', kind: 'Namespace', apiVersion: 'v1', namespaced: false
  },
  {
    type: 'node', kind: 'Node', apiVersion: 'v1', namespaced: false
  },
  {
    type: 'apps.daemonset', kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: 'apps.deployment', kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: 'apps.statefulset', kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true
  },
  {
    type: 'batch.job', kind: 'Job', apiVersion: 'batch/v1', namespaced: true, optional: true
  },
  {
    type: 'service', kind: 'Service', apiVersion: 'v1', namespaced: true
  },
  {
    type: 'networking.k8s.io.ingress', kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', namespaced: true, optional: true
  },
  {
    type: 'networking.k8s.io.networkpolicy', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespaced: true
  },
  {
    type: 'serviceaccount', kind: 'ServiceAccount', apiVersion: 'v1', namespaced: true
  },
  {
    type: 'rbac.authorization.k8s.io.role', kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true
  },
  {
    type: 'rbac.authorization.k8s.io.rolebinding', kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true
  },
  {
    type: 'rbac.authorization.k8s.io.clusterrole', kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false
  },
  {
    type: 'rbac.authorization.k8s.io.clusterrolebinding', kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false
  },
  {
    type: 'configmap', kind: 'ConfigMap', apiVersion: 'v1', namespaced: true
  },
  {
    type: 'secret', kind: 'Secret', apiVersion: 'v1', namespaced: true, optional: true
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

/** Loads the live objects of the stack's namespaces (and the cluster-scoped RBAC) through the store. */
export async function loadLiveObjects(store: StoreLike, inStore = 'harvester', queries: LiveQuery[] = LIVE_QUERIES): Promise<LiveObjects> {
  const objects: Record<string, unknown>[] = [];
  const problems: LiveProblem[] = [];
  const skipped: LiveProblem[] = [];

  await Promise.all(queries.map(async(q) => {
    const namespaces = q.namespaced ? STACK_NAMESPACES : [undefined];

    await Promise.all(namespaces.map(async(ns) => {
      try {
        // force: the cluster as it is now, not a list the store cached earlier. load: false: the
        // answer is not put in the store, whose shared cache of a type must not shrink to one
        // namespace (other pages read it, and it would drop live updates from elsewhere).
        const opt = {
          watch: false, force: true, load: false, ...(ns ? { namespaced: ns } : {})
        };
        const answer = await store.dispatch(`${ inStore }/findAll`, { type: q.type, opt });

        arr(isRecord(answer) ? answer.data : answer).forEach((m) => {
          const plain = toPlain(m, q);
          const namespace = plain && isRecord(plain.metadata) ? str(plain.metadata.namespace) : undefined;

          // Steve may answer with more than was asked (a cached full list): keep our namespaces only.
          if (plain && (!q.namespaced || (namespace && STACK_NAMESPACES.includes(namespace)))) {
            objects.push(plain);
          }
        });
      } catch (err) {
        const error = classifyApiError(err);

        (q.optional && error.kind === 'forbidden' ? skipped : problems).push({ type: q.type, error });
      }
    }));
  }));
  const once = (list: LiveProblem[]) => list.filter((p, i) => list.findIndex((o) => o.type === p.type) === i);

  return { objects, problems: once(problems), skipped: once(skipped) };
}

/**
 * What "who can read the flow data" is computed from, with the permission a user needs for each:
 * RBAC cluster-wide and in the stack's namespace, the Services and Ingresses that expose the querier
 * and Grafana, Grafana's configuration and the workloads naming the credential Secrets.
 */
export const FLOW_READER_INPUTS: { type: string; resource: string; namespaced: boolean }[] = [
  { type: 'rbac.authorization.k8s.io.clusterrole', resource: 'clusterroles.rbac.authorization.k8s.io', namespaced: false },
  { type: 'rbac.authorization.k8s.io.clusterrolebinding', resource: 'clusterrolebindings.rbac.authorization.k8s.io', namespaced: false },
  { type: 'rbac.authorization.k8s.io.role', resource: 'roles.rbac.authorization.k8s.io', namespaced: true },
  { type: 'rbac.authorization.k8s.io.rolebinding', resource: 'rolebindings.rbac.authorization.k8s.io', namespaced: true },
  { type: 'service', resource: 'services', namespaced: true },
  { type: 'networking.k8s.io.ingress', resource: 'ingresses.networking.k8s.io', namespaced: true },
  { type: 'configmap', resource: 'configmaps', namespaced: true },
  { type: 'apps.deployment', resource: 'deployments.apps', namespaced: true },
  { type: 'apps.statefulset', resource: 'statefulsets.apps', namespaced: true },
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
export const PREINSTALL_QUERIES: LiveQuery[] = LIVE_QUERIES.filter((q) => q.type.startsWith('rbac.authorization.k8s.io.') || q.type === 'namespace');

/**
 * Node addresses as /32 (or /128) CIDRs, for deciding whether a policy's ipBlock admits host-network traffic: the
 * same sources the install wizard proposes (InternalIP and the node's overlay tunnel address).
 */
export function nodeAddressCidrs(objects: unknown[]): string[] {
  return nodeAddresses(objects.filter((o): o is KubeObject => isRecord(o) && o.kind === 'Node'));
}
