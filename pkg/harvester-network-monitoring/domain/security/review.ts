import { reviewExposure } from './exposure';
import { sortFindings } from './finding';
import { analyzeNetworkPolicies, PodReachability } from './netpol';
import { reviewNetworkPolicies } from './netpol-findings';
import { indexObjects } from './objects';
import { normalizeOptions } from './options';
import { reviewPodSecurity } from './pss-findings';
import { reviewRbac } from './rbac-findings';
import { summarize } from './score';
import {
  ANALYSES, Analysis, Finding, ReviewOptions, ScoreSummary
} from './types';

export interface ReviewResult {
  /** Sorted most severe first (see compareFindings); stable for the same input. */
  findings: Finding[];
  summary: ScoreSummary;
  /** NetworkPolicy view per pod template: isolation, admitted peers and ports, node-network access. */
  reachability: PodReachability[];
}

/**
 * Reviews a set of Kubernetes objects (API objects or `helm template` output, any order, any
 * garbage mixed in) and returns findings, a summary score and the NetworkPolicy reachability model.
 */
export function reviewObjects(objects: unknown[], options: ReviewOptions = {}): ReviewResult {
  const opts = normalizeOptions(options);
  const index = indexObjects(Array.isArray(objects) ? objects : [], {
    defaultNamespace: opts.defaultNamespace, focusNamespaces: opts.focusNamespaces
  });
  const wanted = new Set<Analysis>(opts.analyses && opts.analyses.length ? opts.analyses : ANALYSES);
  const findings: Finding[] = [];

  if (wanted.has('pss')) {
    findings.push(...reviewPodSecurity(index, opts));
  }
  if (wanted.has('rbac')) {
    findings.push(...reviewRbac(index));
  }
  if (wanted.has('netpol')) {
    findings.push(...reviewNetworkPolicies(index, opts));
  }
  if (wanted.has('exposure')) {
    findings.push(...reviewExposure(index));
  }
  const sorted = sortFindings(findings);

  return {
    findings:     sorted,
    summary:      summarize(sorted),
    reachability: wanted.has('netpol') ? analyzeNetworkPolicies(index, opts) : [],
  };
}
