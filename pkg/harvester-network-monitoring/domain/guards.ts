/**
 * The one set of defensive readers for untrusted JSON (Kubernetes objects from the API or from rendered
 * YAML, querier answers), so any field may be missing, null or of the wrong type; these
 * helpers turn anything unexpected into "absent" instead of throwing.
 */
export type Json = Record<string, unknown>;

/** A plain object (not null, not an array). Narrowed to `any` values: read fields through the guards below. */
export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function rec(value: unknown): Json {
  return isRecord(value) ? value : {};
}

/** The record, or undefined: for fields where "set to an empty object" differs from "not set". */
export function optRec(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function arr<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? value as T[] : [];
}

export function records(value: unknown): Json[] {
  return arr(value).filter(isRecord);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string, or '' for anything else. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

/** A non-negative integer from an API count field, or 0 for anything else. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string-to-string map (labels, annotations, ConfigMap data); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};

  if (!isRecord(value)) {
    return out;
  }
  // One object per map and no pair arrays: every pod's labels go through here on the flow pages.
  for (const key of Object.keys(value)) {
    const v = value[key];

    if (typeof v !== 'string') {
      continue;
    }
    if (key === '__proto__') {
      // An assignment would try to set the prototype: defined, the key stays an ordinary label.
      Object.defineProperty(out, key, {
        value: v, enumerable: true, writable: true, configurable: true
      });
    } else {
      out[key] = v;
    }
  }

  return out;
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
