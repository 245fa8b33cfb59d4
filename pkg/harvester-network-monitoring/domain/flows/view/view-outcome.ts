/**
 * What a view says about a query's outcome: an l10n key under networkMonitoring.flows with its
 * parameters, and how loud to say it. Parameters that are themselves l10n keys (a reason code)
 * are listed in `paramKeys` for the view to translate first. Server text stays a parameter, so it
 * is printed as text inside our sentence.
 */
import { QueryOutcome } from '../query/query-types';
import { QueryBuildError } from '../query/sql';

export type MessageTone = 'info' | 'warning' | 'error';

export interface ViewMessage {
  key: string;
  params: Record<string, string | number>;
  /** Parameters whose value is an l10n key to translate before formatting `key`. */
  paramKeys?: Record<string, string>;
  tone: MessageTone;
  /** A second sentence (e.g. why the querier is down). */
  cause?: ViewMessage;
}

const L10N = 'networkMonitoring.flows';

/** The message for an outcome, or null when there is nothing to say (rows without loss, or a cancelled run). */
export function outcomeMessage(outcome: QueryOutcome<unknown>): ViewMessage | null {
  switch (outcome.state) {
  case 'ok':
    return outcome.skippedRows > 0 ? { key: `${ L10N }.skippedRows`, params: { count: outcome.skippedRows }, tone: 'warning' } : null;
  case 'aborted':
    return null;
  case 'no-data':
    return { key: `${ L10N }.states.no-data`, params: {}, tone: 'info' };
  case 'not-installed':
    return {
      key: `${ L10N }.states.not-installed`, params: { namespace: outcome.namespace, service: outcome.service }, tone: 'warning'
    };
  case 'forbidden':
    return { key: `${ L10N }.states.forbidden`, params: { ...outcome.permission }, tone: 'warning' };
  case 'querier-down':
    return {
      key:    `${ L10N }.states.querier-down`,
      params: {},
      tone:   'error',
      cause:  {
        key: `${ L10N }.querierDownCauses.${ outcome.cause }`, params: { status: outcome.status ?? '-', detail: outcome.detail ?? '' }, tone: 'error'
      },
    };
  case 'query-rejected':
  case 'server-error':
    return { key: `${ L10N }.states.${ outcome.state }`, params: { description: outcome.description }, tone: 'error' };
  case 'bad-response':
    return {
      key: `${ L10N }.states.bad-response`, params: {}, paramKeys: { reason: `${ L10N }.badResponseReasons.${ outcome.reason }` }, tone: 'error'
    };
  }
}

/** The message for a query that could not be built from the user's input. */
export function buildErrorMessage(error: QueryBuildError): ViewMessage {
  const params: Record<string, string | number> = { ...error.params };

  if (error.code === 'invalid-time-range' && typeof error.params.reason === 'string') {
    return {
      key: `${ L10N }.buildErrors.invalid-time-range`, params, tone: 'error', cause: { key: `${ L10N }.timeRangeReasons.${ error.params.reason }`, params: {}, tone: 'error' }
    };
  }

  if (error.code === 'invalid-name' && typeof error.params.reason === 'string') {
    return {
      key: `${ L10N }.buildErrors.invalid-name`, params, tone: 'error', cause: { key: `${ L10N }.nameReasons.${ error.params.reason }`, params: {}, tone: 'error' }
    };
  }

  return { key: `${ L10N }.buildErrors.${ error.code }`, params, tone: 'error' };
}

/** Failure states in which retrying cannot help until an administrator acts. */
export function isSetupProblem(outcome: QueryOutcome<unknown>): boolean {
  return outcome.state === 'not-installed' || outcome.state === 'forbidden';
}

/**
 * One message for a set of outcomes that share a cause: when every query failed the same way
 * (e.g. forbidden), the view shows it once instead of once per section.
 */
export function commonFailure(outcomes: readonly QueryOutcome<unknown>[]): QueryOutcome<unknown> | null {
  const settled = outcomes.filter((o) => o.state !== 'aborted');

  if (settled.length === 0) {
    return null;
  }
  const first = settled[0];

  if (first.state === 'ok' || first.state === 'no-data') {
    return null;
  }

  return settled.every((o) => o.state === first.state) ? first : null;
}

/** True when every settled query answered but none had rows: the agents have not sent data yet (or nothing matched). */
export function allNoData(outcomes: readonly QueryOutcome<unknown>[]): boolean {
  const settled = outcomes.filter((o) => o.state !== 'aborted');

  return settled.length > 0 && settled.every((o) => o.state === 'no-data');
}
