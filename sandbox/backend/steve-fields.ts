/**
 * Steve's field filtering of the resources it answers with, as rancher/steve does it
 * (pkg/resources/common/formatter.go, commit 79722709: `includeFields` then `excludeFields`, added in d4cfe783
 * "Add field filtering for resources", 2022): `include=<dotted path>` (repeatable) keeps only those paths,
 * `exclude=<dotted path>` removes paths. Paths go through objects only (rancher/wrangler v3.7.0
 * pkg/data/values.go GetValue, PutValue, RemoveValue): a path through an array matches nothing. Both apply to
 * the Kubernetes object with Steve's `metadata.state`, not to the resource's id, type and links.
 * The dashboard sends `exclude=metadata.managedFields` with every Steve request (@rancher/shell 3.0.8
 * plugins/steve/getters.js urlOptions).
 */
import { JsonObject, isRecord } from './http';

function getValue(data: JsonObject, keys: string[]): { found: boolean; value?: unknown } {
  let node: unknown = data;

  for (const [i, key] of keys.entries()) {
    if (!isRecord(node)) {
      return { found: false };
    }
    if (i === keys.length - 1) {
      return key in node ? { found: true, value: node[key] } : { found: false };
    }
    node = node[key];
  }

  return { found: false };
}

function putValue(data: JsonObject, value: unknown, keys: string[]): void {
  let node = data;

  for (const [i, key] of keys.entries()) {
    if (i === keys.length - 1) {
      node[key] = value;
    } else if (key in node) {
      if (!isRecord(node[key])) {
        return;
      }
      node = node[key];
    } else {
      node[key] = {};
      node = node[key];
    }
  }
}

/** Removes a path from `data`, copying the objects along it first: the objects under `data` may be shared. */
function removeValue(data: JsonObject, keys: string[]): void {
  let node = data;

  for (const [i, key] of keys.entries()) {
    if (i === keys.length - 1) {
      delete node[key];
    } else if (isRecord(node[key])) {
      node[key] = { ...node[key] };
      node = node[key];
    } else {
      return;
    }
  }
}

export interface FieldFilter {
  include: string[];
  exclude: string[];
}

export const NO_FILTER: FieldFilter = { include: [], exclude: [] };

export const fieldFilterOf = (query: URLSearchParams): FieldFilter => ({ include: query.getAll('include'), exclude: query.getAll('exclude') });

/** The object as Steve formats it for these `include`/`exclude` parameters (the input is not changed). */
export function filterFields(object: JsonObject, { include, exclude }: FieldFilter): JsonObject {
  if (!include.length && !exclude.length) {
    return object;
  }
  let out: JsonObject = { ...object };

  if (include.length) {
    const kept: JsonObject = {};

    for (const path of include) {
      const keys = path.split('.');
      const { found, value } = getValue(object, keys);

      if (found) {
        putValue(kept, value, keys);
      }
    }
    out = kept;
  }
  for (const path of exclude) {
    removeValue(out, path.split('.'));
  }

  return out;
}
