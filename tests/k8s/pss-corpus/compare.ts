/**
 * Compares the security engine's Pod Security evaluation (domain/security/pss.ts) with a verdict the
 * real API server gave for the same pod in a labelled namespace.
 */
import { admissionVerdict, checkPodSpec, forbiddenReasons } from '@pkg/domain/security/pss';
import type { PssLevel } from '@pkg/domain/security/types';
import { evaluatedMetadata, evaluatedSpec, PodUnderTest, PssNamespace, ServerVerdict } from './observe';

export interface Disagreement {
  pod: string;
  namespace: string;
  /** enforce: the admission decision and its reasons; warn: the `would violate` warning; direct: checkPodSpec vs the enforce result. */
  mode: 'enforce' | 'warn' | 'direct';
  server: string;
  engine: string;
  spec: unknown;
  annotations?: Record<string, string>;
}

function verdictText(allowed: boolean, reasons: string[]): string {
  return allowed ? 'allowed' : `forbidden: ${ reasons.join(', ') }`;
}

function warningText(reasons: string[]): string {
  return reasons.length ? `warning: ${ reasons.join(', ') }` : 'no warning';
}

export interface Comparison {
  /** How many verdicts were compared (enforce, direct, and warn when the pod was admitted). */
  compared: number;
  disagreements: Disagreement[];
}

export function compareWithEngine(pod: PodUnderTest, ns: PssNamespace, server: ServerVerdict): Comparison {
  const metadata = evaluatedMetadata(pod);
  const spec = evaluatedSpec(pod);
  const verdict = admissionVerdict(ns.labels, metadata, spec);
  const out: Disagreement[] = [];
  let compared = 0;
  const report = (mode: Disagreement['mode'], serverText: string, engineText: string) => {
    compared++;
    if (serverText !== engineText) {
      out.push({
        pod: pod.name, namespace: ns.name, mode, server: serverText, engine: engineText, spec, annotations: pod.annotations
      });
    }
  };

  const enforceReasons = verdict.enforce.allowed ? [] : forbiddenReasons(verdict.enforce.violations);

  report('enforce', verdictText(server.allowed, server.reasons), verdictText(verdict.enforce.allowed, enforceReasons));

  // checkPodSpec at the namespace's enforce level (unlabelled: the cluster default, privileged) must say the same.
  const level = (ns.labels['pod-security.kubernetes.io/enforce'] ?? 'privileged') as PssLevel;
  const direct = forbiddenReasons(checkPodSpec(metadata, spec, level));

  report('direct', verdictText(server.allowed, server.reasons), verdictText(direct.length === 0, direct));

  // The API server adds no warnings to a request it rejects.
  if (server.allowed) {
    report('warn', warningText(server.warnReasons), warningText(verdict.warn.allowed ? [] : forbiddenReasons(verdict.warn.violations)));
  }

  return { compared, disagreements: out };
}

/** The one-line figure the suite prints: pod specs, how many of them disagree, and the comparisons behind it. */
export function summarize(title: string, podCount: number, comparisons: Comparison[]): { line: string; disagreements: Disagreement[] } {
  const disagreements = comparisons.flatMap((c) => c.disagreements);
  const pods = new Set(disagreements.map((d) => d.pod)).size;
  const compared = comparisons.reduce((n, c) => n + c.compared, 0);
  const details = disagreements.map(formatDisagreement).join('\n');

  return {
    line: `\n${ title }: pod specs checked: ${ podCount }, disagreements: ${ pods } (${ disagreements.length } of ${ compared } verdicts compared)\n${ details }${ details ? '\n' : '' }`,
    disagreements,
  };
}

export function formatDisagreement(d: Disagreement): string {
  const annotations = d.annotations && Object.keys(d.annotations).length ? `\n    annotations: ${ JSON.stringify(d.annotations) }` : '';

  return `  - pod ${ d.pod } in ${ d.namespace } (${ d.mode })\n    API server: ${ d.server }\n    engine:     ${ d.engine }${ annotations }\n    spec: ${ JSON.stringify(d.spec) }`;
}
