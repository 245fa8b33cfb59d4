import {
  allNoData, buildErrorMessage, commonFailure, isSetupProblem, outcomeMessage, ViewMessage
} from '@pkg/domain/flows/view/view-outcome';
import { QueryBuildError } from '@pkg/domain/flows/query/sql';
import { QueryOutcome } from '@pkg/domain/flows/query/query-types';
import { translate } from '../../support/l10n';

/** Formats a message the way ViewMessage.vue does. */
function render(m: ViewMessage): string {
  const params: Record<string, unknown> = { ...m.params };

  Object.entries(m.paramKeys ?? {}).forEach(([name, key]) => {
    params[name] = translate(key);
  });

  return translate(m.key, params) + (m.cause ? ` ${ render(m.cause) }` : '');
}

const OUTCOMES: [QueryOutcome<unknown>, string][] = [
  [{ state: 'no-data' }, 'No traffic was recorded'],
  [{
    state: 'not-installed', status: 404, namespace: 'ns', service: 'svc'
  }, 'service svc in namespace ns'],
  [{ state: 'forbidden', status: 403, permission: { verb: 'create', resource: 'services/proxy', namespace: 'ns' } }, 'permission to create services/proxy in namespace ns'],
  [{
    state: 'querier-down', cause: 'unavailable', status: 503, detail: ''
  }, 'HTTP 503'],
  [{ state: 'querier-down', cause: 'timeout' }, 'longer than the time limit'],
  [{ state: 'querier-down', cause: 'network', detail: 'Failed to fetch' }, 'did not reach the cluster: Failed to fetch'],
  [{ state: 'query-rejected', status: 400, description: '<b>x</b>' }, 'rejected the query: <b>x</b>'],
  [{ state: 'server-error', status: 500, description: 'boom' }, 'could not run the query: boom'],
  [{ state: 'bad-response', status: 200, reason: 'missing-column' }, 'cannot be read (a column is missing)'],
  [{ state: 'ok', rows: [], skippedRows: 2 }, '2 rows were left out'],
];

describe('outcome messages', () => {
  it.each(OUTCOMES)('%j says what happened', (outcome, text) => {
    const m = outcomeMessage(outcome) as ViewMessage;

    expect(render(m)).toContain(text);
  });

  it('says nothing about complete rows or a cancelled run', () => {
    expect(outcomeMessage({ state: 'ok', rows: [1], skippedRows: 0 })).toBeNull();
    expect(outcomeMessage({ state: 'aborted' })).toBeNull();
  });

  it('grades setup problems as warnings and failures as errors', () => {
    expect(outcomeMessage(OUTCOMES[2][0])?.tone).toBe('warning');
    expect(outcomeMessage(OUTCOMES[7][0])?.tone).toBe('error');
    expect(isSetupProblem(OUTCOMES[1][0])).toBe(true);
    expect(isSetupProblem(OUTCOMES[7][0])).toBe(false);
  });

  it('explains query build errors, with the time range reason', () => {
    expect(render(buildErrorMessage(new QueryBuildError('invalid-ip', { value: 'x' })))).toContain('x is not a valid IPv4');
    expect(render(buildErrorMessage(new QueryBuildError('invalid-time-range', { reason: 'too-long' })))).toContain('at most 31 days');
  });
});

describe('combining outcomes', () => {
  const forbidden = OUTCOMES[2][0];

  it('finds the one failure all settled queries share', () => {
    expect(commonFailure([forbidden, forbidden, { state: 'aborted' }])).toBe(forbidden);
    expect(commonFailure([forbidden, { state: 'no-data' }])).toBeNull();
    expect(commonFailure([{ state: 'no-data' }, { state: 'no-data' }])).toBeNull();
    expect(commonFailure([{ state: 'aborted' }])).toBeNull();
  });

  it('knows when nothing has data yet', () => {
    expect(allNoData([{ state: 'no-data' }, { state: 'no-data' }, { state: 'aborted' }])).toBe(true);
    expect(allNoData([{ state: 'no-data' }, { state: 'ok', rows: [1], skippedRows: 0 }])).toBe(false);
    expect(allNoData([{ state: 'aborted' }])).toBe(false);
  });
});
