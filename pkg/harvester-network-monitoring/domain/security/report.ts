import { sortFindings } from './finding';
import { summarize } from './score';
import {
  ANALYSES, Finding, ObjectRef, SEVERITIES, ScoreSummary
} from './types';

/**
 * Report export: JSON (stable key and finding order, so two exports of the same cluster state are
 * byte-identical) and Markdown rendered through the caller's translate function.
 */

export type Translate = (key: string, params?: Record<string, string | number>) => string | undefined;

export const L10N_PREFIX = 'networkMonitoring.security';

// Line breaks and other control characters (U+2028/U+2029 included) end a Markdown line or table row.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const LINE_BREAKERS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as Record<string, unknown>).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }

  return value;
}

export interface ReportMeta {
  /** Free text such as a cluster name; escaped in Markdown. */
  title?: string;
  /** ISO timestamp; left out when not given so tests and diffs stay stable. */
  generatedAt?: string;
}

export interface ReportInput {
  findings: readonly Finding[];
  summary?: ScoreSummary;
}

export function exportJson(input: ReportInput, meta: ReportMeta = {}): string {
  const findings = sortFindings(input.findings);
  const doc: Record<string, unknown> = { findings, summary: input.summary || summarize(findings), version: 1 };

  if (meta.title !== undefined) {
    doc.title = meta.title;
  }
  if (meta.generatedAt !== undefined) {
    doc.generatedAt = meta.generatedAt;
  }

  return `${ JSON.stringify(sortKeys(doc), null, 2) }\n`;
}

/**
 * Escapes untrusted text for Markdown (table cells included): line breaks and control characters
 * become spaces, HTML-significant characters become entities, Markdown punctuation is backslash-escaped.
 */
export function escapeMarkdown(value: unknown): string {
  const s = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

  return s
    .replace(LINE_BREAKERS, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~()!{}]/g, (c) => `\\${ c }`);
}

/** Makes translated text safe inside a table cell (it already holds escaped parameters). */
function cell(text: string): string {
  // A pipe preceded by an even number of backslashes would end the cell: escape it.
  return text.replace(LINE_BREAKERS, ' ')
    .replace(/(\\*)\|/g, (m, slashes: string) => (slashes.length % 2 === 0 ? `${ slashes }\\|` : m))
    .trim();
}

function escapeParams(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? v : escapeMarkdown(v)]));
}

function translated(t: Translate, key: string, params: Record<string, string | number> | undefined, fallback: string): string {
  let out: unknown;

  try {
    out = t(key, params);
  } catch {
    out = undefined;
  }

  return typeof out === 'string' && out !== '' ? out : escapeMarkdown(fallback);
}

export function describeObject(ref: ObjectRef): string {
  const path = [ref.namespace, ref.name].filter((p) => p !== undefined && p !== '').join('/');

  return `${ ref.kind } ${ path }${ ref.container !== undefined ? ` (${ ref.container })` : '' }`;
}

export function exportMarkdown(input: ReportInput, t: Translate, meta: ReportMeta = {}): string {
  const findings = sortFindings(input.findings);
  const summary = input.summary || summarize(findings);
  const k = (key: string) => `${ L10N_PREFIX }.${ key }`;
  const lines: string[] = [];

  lines.push(`# ${ cell(translated(t, k('report.title'), undefined, 'Security review')) }${ meta.title ? ` — ${ escapeMarkdown(meta.title) }` : '' }`, '');
  if (meta.generatedAt) {
    lines.push(cell(translated(t, k('report.generatedAt'), { time: escapeMarkdown(meta.generatedAt) }, meta.generatedAt)), '');
  }
  lines.push(cell(translated(t, k('report.score'), { score: summary.score, band: translated(t, k(`bands.${ summary.band }`), undefined, summary.band) }, `${ summary.score }/100`)), '');

  lines.push(`| ${ cell(translated(t, k('report.analysis'), undefined, 'Analysis')) } | ${ SEVERITIES.map((s) => cell(translated(t, k(`severities.${ s }`), undefined, s))).join(' | ') } |`);
  lines.push(`|---|${ SEVERITIES.map(() => '---:').join('|') }|`);
  for (const a of ANALYSES) {
    const c = summary.byAnalysis[a];

    lines.push(`| ${ cell(translated(t, k(`analyses.${ a }`), undefined, a)) } | ${ c.critical } | ${ c.warning } | ${ c.info } |`);
  }
  lines.push('');

  lines.push(`## ${ cell(translated(t, k('report.findings'), undefined, 'Findings')) }`, '');
  if (!findings.length) {
    lines.push(cell(translated(t, k('report.noFindings'), undefined, 'No findings.')));

    return `${ lines.join('\n') }\n`;
  }
  const headers = ['severity', 'finding', 'object', 'explanation', 'fix'].map((h) => cell(translated(t, k(`report.columns.${ h }`), undefined, h)));

  lines.push(`| ${ headers.join(' | ') } |`, `|${ headers.map(() => '---').join('|') }|`);
  for (const f of findings) {
    const params = escapeParams(f.params);
    const base = `findings.${ f.id }`;
    const severity = translated(t, k(`severities.${ f.severity }`), undefined, f.severity);
    const expected = f.expected ? ` (${ translated(t, k('report.expected'), undefined, 'expected') })` : '';

    lines.push(`| ${ [
      `${ severity }${ expected }`,
      translated(t, k(`${ base }.title`), params, f.id),
      escapeMarkdown(describeObject(f.object)),
      translated(t, k(`${ base }.explanation`), params, ''),
      translated(t, k(`${ base }.fix`), params, ''),
    ].map(cell).join(' | ') } |`);
  }

  return `${ lines.join('\n') }\n`;
}
