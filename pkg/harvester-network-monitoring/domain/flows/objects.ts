/**
 * Defensive readers for Kubernetes objects as they come from the API (or from anyone who can
 * write them): every field may be missing or of the wrong type.
 */

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export interface ObjectMetaView {
  name: string;
  namespace: string;
  labels: Record<string, unknown>;
  /** creationTimestamp in ms, 0 when missing or unreadable. */
  created: number;
  deleting: boolean;
  owners: { kind: string; name: string }[];
}

export function meta(obj: unknown): ObjectMetaView {
  const m = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata : {};
  const created = Date.parse(str(m.creationTimestamp));

  return {
    name:      str(m.name),
    namespace: str(m.namespace),
    labels:    isRecord(m.labels) ? m.labels : {},
    created:   Number.isFinite(created) ? created : 0,
    deleting:  !!m.deletionTimestamp,
    owners:    list(m.ownerReferences).filter(isRecord).map((o) => ({ kind: str(o.kind), name: str(o.name) })),
  };
}

/**
 * The workload DeepFlow groups a pod under (its `pod_group`): the Deployment for a ReplicaSet's
 * pod (the ReplicaSet name minus its hash), otherwise the owning controller's name.
 */
export function podWorkload(pod: unknown): string | undefined {
  const owners = meta(pod).owners;
  const owner = owners.find((o) => o.kind && o.name);

  if (!owner) {
    return undefined;
  }

  return owner.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]{5,10}$/, '') : owner.name;
}
