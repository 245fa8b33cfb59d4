import {
  ANALYSES, Analysis, Finding, SEVERITIES, ScoreSummary, SeverityCounts
} from './types';

/**
 * The summary score, 0–100:
 *
 *     score = round(100 × 0.80^critical × 0.95^warning)
 *
 * counting only findings that are not `expected` (documented, accepted privileges do not lower the
 * score); info findings never do. Each critical finding removes a fifth of what is left, each
 * warning a twentieth, so the score falls fast at first and never goes below 0: one critical gives
 * 80, three give 51; ten warnings give 60. Bands: good >= 90, fair >= 70, poor >= 40, bad below.
 */
export const CRITICAL_FACTOR = 0.8;
export const WARNING_FACTOR = 0.95;

function emptyCounts(): SeverityCounts {
  return {
    critical: 0, warning: 0, info: 0, total: 0
  };
}

export function scoreFromCounts(critical: number, warning: number): number {
  return Math.round(100 * (CRITICAL_FACTOR ** Math.max(0, critical)) * (WARNING_FACTOR ** Math.max(0, warning)));
}

export function bandOf(score: number): ScoreSummary['band'] {
  if (score >= 90) {
    return 'good';
  }
  if (score >= 70) {
    return 'fair';
  }

  return score >= 40 ? 'poor' : 'bad';
}

export function summarize(findings: readonly Finding[]): ScoreSummary {
  const bySeverity = emptyCounts();
  const byAnalysis = Object.fromEntries(ANALYSES.map((a) => [a, emptyCounts()])) as Record<Analysis, SeverityCounts>;
  let expected = 0;
  let scoredCritical = 0;
  let scoredWarning = 0;

  for (const f of findings) {
    const perAnalysis = byAnalysis[f.analysis];

    if (!perAnalysis || !SEVERITIES.includes(f.severity)) {
      continue;
    }
    bySeverity[f.severity]++;
    bySeverity.total++;
    perAnalysis[f.severity]++;
    perAnalysis.total++;
    if (f.expected) {
      expected++;
    } else if (f.severity === 'critical') {
      scoredCritical++;
    } else if (f.severity === 'warning') {
      scoredWarning++;
    }
  }
  const score = scoreFromCounts(scoredCritical, scoredWarning);

  return {
    score, band: bandOf(score), bySeverity, byAnalysis, expected
  };
}
