/**
 * Minimal, defensive views of the Kubernetes objects the extension reads. Every field is optional
 * because objects come from the API (or from users) and may be partial or malformed.
 */
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

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? value as T[] : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A non-negative integer from an API count field, or 0 for anything else. */
export function asCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function labelsOf(obj: unknown): Record<string, string> {
  const labels = isObject(obj) && isObject(obj.metadata) ? obj.metadata.labels : undefined;

  return isObject(labels) ? labels as Record<string, string> : {};
}

export function nameOf(obj: unknown): string {
  return (isObject(obj) && isObject(obj.metadata) && asString(obj.metadata.name)) || '';
}

export function namespaceOf(obj: unknown): string {
  return (isObject(obj) && isObject(obj.metadata) && asString(obj.metadata.namespace)) || '';
}

export function conditionsOf(obj: unknown): Condition[] {
  const status = isObject(obj) ? obj.status : undefined;

  return asArray<unknown>(isObject(status) ? status.conditions : undefined).filter(isObject) as Condition[];
}
