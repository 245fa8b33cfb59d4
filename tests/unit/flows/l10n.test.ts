/**
 * Every code the flows and Grafana domain modules return has an English string, and the strings
 * format with the parameters the modules provide.
 */
import { FLOW_CATEGORIES } from '@pkg/domain/flows/enrichment/categories';
import { translate } from '../../support/l10n';

const FLOWS = 'networkMonitoring.flows';
const GRAFANA = 'networkMonitoring.grafana';

describe('flows strings', () => {
  it.each([
    ['no-data', {}],
    ['not-installed', { namespace: 'ns', service: 'svc' }],
    ['forbidden', { verb: 'create', resource: 'services/proxy', namespace: 'ns' }],
    ['querier-down', {}],
    ['query-rejected', { description: 'bad <b>' }],
    ['server-error', { description: 'boom' }],
    ['bad-response', { reason: 'not JSON' }],
    ['aborted', {}],
  ])('state %s', (state, params) => {
    const text = translate(`${ FLOWS }.states.${ state }`, params);

    for (const value of Object.values(params)) {
      expect(text).toContain(value);
    }
  });

  it.each(['unavailable', 'network', 'timeout'])('querier-down cause %s', (cause) => {
    expect(translate(`${ FLOWS }.querierDownCauses.${ cause }`, { status: 503, detail: 'x' })).not.toBe('');
  });

  it.each(['not-json', 'unexpected-shape', 'missing-column', 'invalid-cells', 'unexpected-status'])('bad-response reason %s', (reason) => {
    expect(translate(`${ FLOWS }.badResponseReasons.${ reason }`)).not.toBe('');
  });

  it.each([
    ['unknown-identifier', { name: 'x' }], ['invalid-literal', {}], ['invalid-number', { value: 1, min: 0, max: 2 }], ['invalid-ip', { value: 'x' }],
    ['invalid-list', { count: 300, max: 256 }], ['invalid-time-range', {}], ['invalid-option', { option: 'sortBy' }],
  ])('build error %s', (code, params) => {
    expect(translate(`${ FLOWS }.buildErrors.${ code }`, params)).not.toBe('');
  });

  it.each(['not-integer-seconds', 'start-not-before-end', 'in-the-future', 'too-long'])('time range reason %s', (reason) => {
    expect(translate(`${ FLOWS }.timeRangeReasons.${ reason }`)).not.toBe('');
  });

  it.each([...FLOW_CATEGORIES])('category %s', (category) => {
    expect(translate(`${ FLOWS }.categories.${ category }`)).not.toBe('');
  });

  it('pluralises skipped rows and formats the graph fallback', () => {
    expect(translate(`${ FLOWS }.skippedRows`, { count: 1 })).toMatch(/^1 row was/);
    expect(translate(`${ FLOWS }.skippedRows`, { count: 3 })).toMatch(/^3 rows were/);
    expect(translate(`${ FLOWS }.graphTooLarge`, { count: 2000, max: 1500 })).toContain('2,000');
  });

  it.each(['vm', 'pod', 'node', 'service', 'external'])('endpoint kind %s', (kind) => {
    expect(translate(`${ FLOWS }.endpointKinds.${ kind }`)).not.toBe('');
  });

  it.each(['private', 'public'])('external group %s', (group) => {
    expect(translate(`${ FLOWS }.externalGroups.${ group }`)).not.toBe('');
  });
});

describe('grafana strings', () => {
  it.each(['not-installed', 'starting', 'checking', 'unreachable', 'dashboard-missing', 'ready'])('state %s', (state) => {
    expect(translate(`${ GRAFANA }.states.${ state }`)).not.toBe('');
  });

  it.each(['network-policy', 'rbac-forbidden', 'grafana-auth', 'unknown'])('cause %s', (cause) => {
    expect(translate(`${ GRAFANA }.causes.${ cause }`, { status: 503 })).toContain('503');
  });

  it.each([
    'invalid-cluster', 'invalid-namespace', 'invalid-service', 'invalid-port', 'invalid-uid', 'invalid-slug', 'invalid-theme', 'invalid-range',
    'invalid-refresh', 'invalid-var',
  ])('URL error %s', (code) => {
    expect(translate(`${ GRAFANA }.urlErrors.${ code }`)).not.toBe('');
  });

  it('formats the retry countdown', () => {
    expect(translate(`${ GRAFANA }.retryIn`, { seconds: 1 })).toBe('Retrying in 1 second.');
    expect(translate(`${ GRAFANA }.retryIn`, { seconds: 30 })).toBe('Retrying in 30 seconds.');
  });
});
