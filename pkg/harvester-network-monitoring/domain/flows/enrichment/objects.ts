/**
 * Object metadata as the flow views read it, through the shared guards (../guards.ts): every field may
 * be missing or of the wrong type.
 */
import { arr, isRecord, text } from '../../guards';

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
  const created = Date.parse(text(m.creationTimestamp));

  return {
    name:      text(m.name),
    namespace: text(m.namespace),
    labels:    isRecord(m.labels) ? m.labels : {},
    created:   Number.isFinite(created) ? created : 0,
    deleting:  !!m.deletionTimestamp,
    owners:    arr(m.ownerReferences).filter(isRecord).map((o) => ({ kind: text(o.kind), name: text(o.name) })),
  };
}
