/**
 * Minimal, defensive views of the Kubernetes objects the extension reads. Every field is optional
 * because objects come from the API (or from users) and may be partial or malformed.
 */
import { arr, isRecord, str } from '../guards';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  uid?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: any;
  status?: any;
}

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function labelsOf(obj: unknown): Record<string, string> {
  const labels = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata.labels : undefined;

  return isRecord(labels) ? labels as Record<string, string> : {};
}

export function nameOf(obj: unknown): string {
  return (isRecord(obj) && isRecord(obj.metadata) && str(obj.metadata.name)) || '';
}

export function namespaceOf(obj: unknown): string {
  return (isRecord(obj) && isRecord(obj.metadata) && str(obj.metadata.namespace)) || '';
}

export function conditionsOf(obj: unknown): Condition[] {
  const status = isRecord(obj) ? obj.status : undefined;

  return arr<unknown>(isRecord(status) ? status.conditions : undefined).filter(isRecord) as Condition[];
}
