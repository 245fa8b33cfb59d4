/**
 * The workload a pod belongs to, for grouping the traffic map's pods (one node per Deployment,
 * StatefulSet, DaemonSet, Job...). Read from the pod's ownerReferences:
 * - ReplicaSet: its Deployment, from the ReplicaSet's own ownerReference when ReplicaSets are loaded;
 *   otherwise from the Deployment controller's naming rule: it names a ReplicaSet
 *   `<deployment>-<pod-template-hash>` and puts the same hash in the pod template's `pod-template-hash`
 *   label (kubernetes/kubernetes pkg/controller/deployment/sync.go getNewReplicaSet, commit 737067c1;
 *   the label key is apps/v1 DefaultDeploymentUniqueLabelKey). The hash is written with
 *   rand.SafeEncodeString's alphabet (k8s.io/apimachinery pkg/util/rand/rand.go), which the fallback for
 *   pods without the label checks. A ReplicaSet that matches neither is its own workload.
 * - StatefulSet, DaemonSet, Job, ReplicationController: that object.
 * Virt-launcher pods (owned by a VirtualMachineInstance) are VMs on the map, never grouped here; pods
 * without a known controller stay single pods.
 */
import { ObjectMetaView, meta } from './objects';
import { text } from '../../guards';

// No CronJob: its pods are owned by a Job, and Jobs are not loaded to follow that link.
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'ReplicationController';

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
  namespace: string;
}

/** Pod (`<namespace>/<name>`) -> its workload. */
export type WorkloadIndex = ReadonlyMap<string, WorkloadRef>;

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const DIRECT_KINDS: ReadonlySet<string> = new Set(['StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);
// SafeEncodeString's characters (no vowels); at least 3 so ordinary words are not mistaken for hashes.
const SAFE_HASH = /^[bcdfghjklmnpqrstvwxz2456789]{3,10}$/;

export const podKey = (namespace: string, name: string): string => `${ namespace }/${ name }`;

/** The stable node id of a workload on the map. */
export const workloadId = (w: WorkloadRef): string => `workload:${ w.namespace }/${ w.kind }/${ w.name }`;

/** The Deployment named by the Deployment controller's rule, or '' when `replicaSet` does not follow it. */
export function deploymentOfReplicaSet(replicaSet: string, templateHash: string): string {
  const dash = replicaSet.lastIndexOf('-');

  if (dash <= 0) {
    return '';
  }
  const hash = replicaSet.slice(dash + 1);

  if (templateHash ? hash !== templateHash : !SAFE_HASH.test(hash)) {
    return '';
  }

  return replicaSet.slice(0, dash);
}

function ownerOf(m: ObjectMetaView, kinds: (kind: string) => boolean): { kind: string; name: string } | undefined {
  return m.owners.find((o) => o.name && kinds(o.kind));
}

/** The workload of a pod whose metadata is read (each pod's once: the map groups thousands). */
function workloadOf(m: ObjectMetaView, rsOwner: ReadonlyMap<string, string>): WorkloadRef | undefined {
  const owner = ownerOf(m, (k) => k === 'ReplicaSet' || DIRECT_KINDS.has(k));

  if (!owner || !m.namespace) {
    return undefined;
  }
  if (owner.kind !== 'ReplicaSet') {
    return { kind: owner.kind as WorkloadKind, name: owner.name, namespace: m.namespace };
  }
  const deployment = rsOwner.get(podKey(m.namespace, owner.name)) ?? deploymentOfReplicaSet(owner.name, text(m.labels[POD_TEMPLATE_HASH_LABEL]));

  return deployment ? { kind: 'Deployment', name: deployment, namespace: m.namespace } : { kind: 'ReplicaSet', name: owner.name, namespace: m.namespace };
}

/**
 * The workload of one pod (DeepFlow's `pod_group` names the same object); `rsOwner` maps
 * `<namespace>/<replicaset>` to its Deployment when ReplicaSets are loaded.
 */
export function workloadOfPod(pod: unknown, rsOwner: ReadonlyMap<string, string> = new Map()): WorkloadRef | undefined {
  return workloadOf(meta(pod), rsOwner);
}

/**
 * Workload of each pod in `pods`; `replicaSets` (optional) resolve ReplicaSets to their Deployment
 * exactly. Unreadable entries are skipped.
 */
export function podWorkloads(pods: readonly unknown[] | undefined, replicaSets: readonly unknown[] = []): WorkloadIndex {
  const rsOwner = new Map<string, string>();

  for (const rs of replicaSets) {
    const m = meta(rs);

    if (m.name && m.namespace) {
      rsOwner.set(podKey(m.namespace, m.name), ownerOf(m, (k) => k === 'Deployment')?.name ?? '');
    }
  }
  const out = new Map<string, WorkloadRef>();

  for (const pod of pods ?? []) {
    const m = meta(pod);
    const ref = m.name && m.namespace ? workloadOf(m, rsOwner) : undefined;

    if (ref) {
      out.set(podKey(m.namespace, m.name), ref);
    }
  }

  return out;
}
