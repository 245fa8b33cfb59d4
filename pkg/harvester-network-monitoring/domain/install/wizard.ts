import { FieldError } from './settings';
import { PrerequisiteCheck } from './prerequisites';

export type StepName = 'prerequisites' | 'sizing' | 'access' | 'agents' | 'review' | 'summary';
export const STEPS: StepName[] = ['prerequisites', 'sizing', 'access', 'agents', 'review', 'summary'];

const FIELD_STEPS: [RegExp, StepName][] = [
  [/^resources\.agent\./, 'agents'],
  [/^agents\./, 'agents'],
  [/^grafana\./, 'access'],
  [/^network\./, 'access'],
  [/^(repo|version)$/, 'summary'],
  [/^(serverReplicas|clickhouseReplicas|external\.|storageClass|clickhouseStorage|mysqlStorage|flowMetricsTtlHours|flowLogTtlHours|resources\.)/, 'sizing'],
];

export function stepOfField(field: string): StepName {
  return FIELD_STEPS.find(([re]) => re.test(field))?.[1] || 'summary';
}

export interface WizardState {
  checks: PrerequisiteCheck[];
  errors: FieldError[];
  acknowledged: boolean;
  valuesError: string;
}

/** Whether each step lets the user go on; Install needs every step ready. */
export function stepReadiness(state: WizardState): Record<StepName, boolean> {
  const withErrors = new Set(state.errors.map((e) => stepOfField(e.field)));

  return {
    prerequisites: !state.checks.some((c) => c.result === 'fail'),
    sizing:        !withErrors.has('sizing'),
    access:        !withErrors.has('access'),
    agents:        !withErrors.has('agents'),
    review:        state.acknowledged,
    summary:       !withErrors.has('summary') && !state.valuesError,
  };
}

/**
 * The steps that keep Install disabled, in wizard order. With `reached` (the furthest step the user
 * has opened), only those up to it: a step not seen yet is not something to fix yet.
 */
export function blockingSteps(state: WizardState, reached: StepName = 'summary'): StepName[] {
  const ready = stepReadiness(state);
  const last = STEPS.indexOf(reached);

  return STEPS.filter((s, i) => i <= last && !ready[s]);
}

/** The further of two steps. */
export function furtherStep(a: StepName, b: StepName): StepName {
  return STEPS.indexOf(b) > STEPS.indexOf(a) ? b : a;
}
