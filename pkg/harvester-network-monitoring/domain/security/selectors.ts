import { isRecord, records, str, strings } from '../guards';

/** A metav1.LabelSelector after validation. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

/**
 * Parses a label selector the way the API server validates one. Anything invalid (a non-string
 * label value, an unknown operator, `In` without values) yields null, which matches nothing, so a
 * malformed selector never widens what a policy or role covers.
 */
export function parseSelector(raw: unknown): LabelSelector | null {
  if (!isRecord(raw)) {
    return null;
  }
  const matchLabels: Record<string, string> = {};

  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isRecord(raw.matchLabels)) {
      return null;
    }
    for (const [k, v] of Object.entries(raw.matchLabels)) {
      if (typeof v !== 'string') {
        return null;
      }
      matchLabels[k] = v;
    }
  }
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null && !Array.isArray(raw.matchExpressions)) {
    return null;
  }
  const matchExpressions: LabelSelector['matchExpressions'] = [];

  for (const expr of records(raw.matchExpressions)) {
    const key = str(expr.key);
    const operator = str(expr.operator);
    const values = strings(expr.values);

    if (!key) {
      return null;
    }
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        return null;
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        return null;
      }
    } else {
      return null;
    }
    matchExpressions.push({ key, operator, values });
  }

  return { matchLabels, matchExpressions };
}

export function selectorMatches(selector: LabelSelector | null, labels: Record<string, string>): boolean {
  if (!selector) {
    return false;
  }
  // A for-in walk: this runs for every peer of every rule of every flow, so it allocates nothing.
  for (const k in selector.matchLabels) {
    if (labels[k] !== selector.matchLabels[k] || !Object.prototype.hasOwnProperty.call(labels, k)) {
      return false;
    }
  }
  for (const expr of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);

    switch (expr.operator) {
    case 'In':
      if (!has || !expr.values.includes(labels[expr.key])) {
        return false;
      }
      break;
    case 'NotIn':
      if (has && expr.values.includes(labels[expr.key])) {
        return false;
      }
      break;
    case 'Exists':
      if (!has) {
        return false;
      }
      break;
    case 'DoesNotExist':
      if (has) {
        return false;
      }
      break;
    }
  }

  return true;
}

export function isEmptySelector(selector: LabelSelector | null): boolean {
  return !!selector && Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** A compact, stable text form for finding parameters, e.g. `app=grafana,tier in (a,b)`. */
export function describeSelector(selector: LabelSelector | null): string {
  if (!selector) {
    return '(invalid)';
  }
  const parts = Object.keys(selector.matchLabels).sort().map((k) => `${ k }=${ selector.matchLabels[k] }`);

  for (const e of selector.matchExpressions) {
    switch (e.operator) {
    case 'In': parts.push(`${ e.key } in (${ e.values.join(',') })`); break;
    case 'NotIn': parts.push(`${ e.key } notin (${ e.values.join(',') })`); break;
    case 'Exists': parts.push(e.key); break;
    case 'DoesNotExist': parts.push(`!${ e.key }`); break;
    }
  }

  return parts.length ? parts.join(',') : '(all)';
}
