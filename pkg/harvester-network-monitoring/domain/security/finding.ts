import { shorten } from '../text';
import {
  Analysis, Finding, ObjectRef, Severity
} from './types';

/** Longest text kept in a finding parameter: object names are at most 253 characters, anything longer is hostile or broken. */
export const MAX_PARAM_LENGTH = 1024;

function clip(value: string): string {
  return shorten(value, MAX_PARAM_LENGTH + 1);
}

export function finding(
  id: string, analysis: Analysis, severity: Severity, object: ObjectRef, params: Record<string, string | number | string[]>, expected = false
): Finding {
  const clean: Record<string, string | number> = {};

  for (const [k, v] of Object.entries(params)) {
    clean[k] = Array.isArray(v) ? clip(v.join(', ')) : typeof v === 'number' ? v : clip(v);
  }
  const obj: ObjectRef = { kind: clip(object.kind), name: clip(object.name) };

  if (object.namespace !== undefined) {
    obj.namespace = clip(object.namespace);
  }
  if (object.container !== undefined) {
    obj.container = clip(object.container);
  }
  const out: Finding = {
    id, analysis, severity, object: obj, params: clean
  };

  if (expected) {
    out.expected = true;
  }

  return out;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

const ANALYSIS_ORDER = ['pss', 'rbac', 'netpol', 'exposure'];

function stableParams(params: Record<string, string | number>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/** Total order: most severe first, then analysis, id, object and parameters, so output never depends on input order. */
export function compareFindings(a: Finding, b: Finding): number {
  const keys: [string | number, string | number][] = [
    [RANK[b.severity], RANK[a.severity]],
    [ANALYSIS_ORDER.indexOf(a.analysis), ANALYSIS_ORDER.indexOf(b.analysis)],
    [a.id, b.id],
    [a.object.namespace || '', b.object.namespace || ''],
    [a.object.kind, b.object.kind],
    [a.object.name, b.object.name],
    [a.object.container || '', b.object.container || ''],
    [a.expected ? 1 : 0, b.expected ? 1 : 0],
    [stableParams(a.params), stableParams(b.params)],
  ];

  for (const [x, y] of keys) {
    if (x < y) {
      return -1;
    }
    if (x > y) {
      return 1;
    }
  }

  return 0;
}

/** Sorted, with exact duplicates (same id, object, parameters) removed. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(compareFindings);

  return sorted.filter((f, i) => i === 0 || compareFindings(sorted[i - 1], f) !== 0);
}
