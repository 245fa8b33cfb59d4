/**
 * Proposed policies as YAML (export, and the editor the user changes them in before use) and back.
 * Parsing uses the JSON schema only (no custom tags), checks that every document is a
 * networking.k8s.io/v1 NetworkPolicy in the expected namespace with a valid name, and leaves the
 * rest to the API server's dry run.
 */
import { JSON_SCHEMA, dump, loadAll } from 'js-yaml';
import { isRecord } from '../guards';
import { nameProblem } from '../flows/query/sql';

/** Longest text accepted from the editor. */
export const MAX_YAML_LENGTH = 512 * 1024;
export const MAX_POLICIES = 50;

export type YamlProblemCode = 'too-long' | 'syntax' | 'empty' | 'too-many' | 'not-an-object' | 'wrong-kind' | 'name-invalid' | 'namespace-mismatch' | 'spec-missing';

export interface YamlProblem {
  code: YamlProblemCode;
  /** 1-based document number; 0 for the whole text. */
  document: number;
  /** The parser's message for syntax errors; the offending value otherwise (plain text). */
  detail?: string;
}

export type ParsedYaml =
  | { ok: true; policies: Record<string, unknown>[] }
  | { ok: false; problems: YamlProblem[] };

/** Multi-document YAML of the objects, in order. */
export function policiesYaml(objects: readonly object[]): string {
  return objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n');
}

type Checked = { problem: YamlProblem } | { policy: Record<string, unknown> };

function check(doc: unknown, index: number, namespace: string): Checked {
  const document = index + 1;

  if (!isRecord(doc)) {
    return { problem: { code: 'not-an-object', document } };
  }
  if (doc.apiVersion !== 'networking.k8s.io/v1' || doc.kind !== 'NetworkPolicy') {
    return { problem: { code: 'wrong-kind', document, detail: `${ String(doc.apiVersion ?? '') } ${ String(doc.kind ?? '') }`.trim().slice(0, 200) } };
  }
  const meta = isRecord(doc.metadata) ? doc.metadata : {};

  if (nameProblem(meta.name, 'pod') === 'not-a-name') {
    return { problem: { code: 'name-invalid', document, detail: String(meta.name ?? '').slice(0, 300) } };
  }
  if (meta.namespace !== undefined && meta.namespace !== namespace) {
    return { problem: { code: 'namespace-mismatch', document, detail: String(meta.namespace).slice(0, 100) } };
  }
  if (!isRecord(doc.spec)) {
    return { problem: { code: 'spec-missing', document } };
  }

  return { policy: { ...doc, metadata: { ...meta, namespace } } };
}

/** The edited text as policy objects for `namespace`, or what to correct. */
export function parsePoliciesYaml(text: string, namespace: string): ParsedYaml {
  if (text.length > MAX_YAML_LENGTH) {
    return { ok: false, problems: [{ code: 'too-long', document: 0 }] };
  }
  let docs: unknown[];

  try {
    docs = loadAll(text, undefined, { schema: JSON_SCHEMA }).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    return { ok: false, problems: [{ code: 'syntax', document: 0, detail: String((e as Error).message || e).slice(0, 500) }] };
  }
  if (!docs.length) {
    return { ok: false, problems: [{ code: 'empty', document: 0 }] };
  }
  if (docs.length > MAX_POLICIES) {
    return { ok: false, problems: [{ code: 'too-many', document: 0 }] };
  }
  const checked = docs.map((d, i) => check(d, i, namespace));
  const problems = checked.flatMap((c) => ('problem' in c ? [c.problem] : []));

  return problems.length ? { ok: false, problems } : { ok: true, policies: checked.flatMap((c) => ('policy' in c ? [c.policy] : [])) };
}
