import {
  evaluateStack, nextActions, stackPresence, StackState
} from '@pkg/domain/stack/status';
import {
  TEST_NOW, JUST_NOW, workload, healthyWorkloads, addon, nodes
} from '../../fixtures/stack/objects';
import { STACK } from '@pkg/domain/stack/constants';

const evaluate = (objects: Parameters<typeof evaluateStack>[0]) => evaluateStack(objects, TEST_NOW);

describe('evaluateStack', () => {
  it('reports not-installed when there is neither an Addon nor a workload', () => {
    const status = evaluate({ addon: null, workloads: [], nodes: nodes(3) });

    expect(status.state).toBe('not-installed');
    expect(status.components.map((c) => c.state)).toEqual(['missing', 'missing', 'missing', 'missing', 'missing', 'missing']);
    expect(status.nodesWithoutAgent).toBe(0);
  });

  it('reports healthy when the Addon deployed and every component is ready', () => {
    const status = evaluate({ addon: addon('AddonDeploySuccessful'), workloads: healthyWorkloads(), nodes: nodes(3) });

    expect(status.state).toBe('healthy');
    expect(status.addon).toMatchObject({ enabled: true, status: 'AddonDeploySuccessful', chart: 'harvester-network-monitoring-stack' });
    expect(status.components.find((c) => c.id === 'agent')).toMatchObject({ ready: 3, desired: 3, state: 'ready', kind: 'DaemonSet' });
  });

  it('recognizes a stack installed with plain helm (no Addon) from its workloads', () => {
    expect(evaluate({ addon: null, workloads: healthyWorkloads() }).state).toBe('healthy');
  });

  it('tells what manages the install', () => {
    expect(evaluate({ addon: addon('AddonDeploySuccessful'), workloads: healthyWorkloads() }).managedBy).toBe('addon');
    expect(evaluate({ addon: null, helmChart: { metadata: { name: 'x' } }, workloads: healthyWorkloads() }).managedBy).toBe('helmchart');
    expect(evaluate({ addon: null, workloads: healthyWorkloads() }).managedBy).toBe('helm');
    expect(evaluate({ addon: null, workloads: [] }).managedBy).toBeUndefined();
  });

  it('reports a bundled-chart install as installing until its workloads appear', () => {
    expect(evaluate({ addon: null, helmChart: { metadata: { name: 'x' } }, workloads: [] }).state).toBe('installing');
  });

  it('reports installing while the Addon is enabling', () => {
    expect(evaluate({ addon: addon('AddonEnabling'), workloads: [] }).state).toBe('installing');
  });

  it('reports installing while the OperationInProgress condition is true', () => {
    const a = addon('', true, [{ type: 'OperationInProgress', status: 'True' }]);

    expect(evaluate({ addon: a, workloads: [] }).state).toBe('installing');
  });

  it('reports upgrading while the Addon is updating', () => {
    expect(evaluate({ addon: addon('AddonUpdating'), workloads: healthyWorkloads() }).state).toBe('upgrading');
  });

  it('reports failed with the OperationFailed message', () => {
    const a = addon('AddonDeployFailed', true, [{ type: 'OperationFailed', status: 'True', message: 'helm install failed: timed out' }]);
    const status = evaluate({ addon: a, workloads: [] });

    expect(status.state).toBe('failed');
    expect(status.addon?.failedMessage).toBe('helm install failed: timed out');
  });

  it('ignores an OperationFailed condition that is not true', () => {
    const a = addon('AddonDeploySuccessful', true, [{ type: 'OperationFailed', status: 'False', message: 'old' }]);

    expect(evaluate({ addon: a, workloads: healthyWorkloads() }).state).toBe('healthy');
  });

  it('reports disabled and disabling from spec.enabled and the status', () => {
    expect(evaluate({ addon: addon('AddonDisabled', false), workloads: [] }).state).toBe('disabled');
    expect(evaluate({ addon: addon('AddonDisabling', false), workloads: healthyWorkloads() }).state).toBe('disabling');
  });

  it('reports uninstalling when the Addon is being deleted', () => {
    const a = addon('AddonDeploySuccessful', true, [], { deletionTimestamp: JUST_NOW });

    expect(evaluate({ addon: a, workloads: healthyWorkloads() }).state).toBe('uninstalling');
  });

  it('reports degraded when an old component is not ready', () => {
    const workloads = healthyWorkloads();

    workloads[3] = workload('StatefulSet', 'mysql', 0, 1);
    const status = evaluate({ addon: addon('AddonDeploySuccessful'), workloads });

    expect(status.state).toBe('degraded');
    expect(status.components.find((c) => c.id === 'mysql')?.state).toBe('unavailable');
  });

  it('reports degraded when a component is missing', () => {
    const status = evaluate({ addon: null, workloads: healthyWorkloads().slice(0, 4) });

    expect(status.state).toBe('degraded');
    expect(status.components.find((c) => c.id === 'grafana')?.state).toBe('missing');
  });

  it('counts databases the install delegates to existing ones as external, not missing, and healthy', () => {
    const own = healthyWorkloads().filter((w) => !['clickhouse', 'mysql'].includes(w.metadata.labels[STACK.componentLabel]));
    const status = evaluate({ addon: addon('AddonDeploySuccessful'), workloads: own, external: ['clickhouse', 'mysql'] });

    expect(status.state).toBe('healthy');
    expect(status.components.filter((c) => c.state === 'external').map((c) => c.id)).toEqual(['clickhouse', 'mysql']);
    // Only what the values delegate: without them the same workloads are a degraded install.
    expect(evaluate({ addon: addon('AddonDeploySuccessful'), workloads: own }).state).toBe('degraded');
  });

  it('does not take external databases alone for an install', () => {
    expect(evaluate({ addon: null, workloads: [], external: ['clickhouse'] }).state).toBe('not-installed');
  });

  it('treats not-ready workloads created moments ago as still installing', () => {
    const workloads = healthyWorkloads(3, JUST_NOW);

    workloads[0] = workload('DaemonSet', 'agent', 1, 3, JUST_NOW);
    expect(evaluate({ addon: addon('AddonDeploySuccessful'), workloads }).state).toBe('installing');
  });

  it('treats an Addon created moments ago that Harvester has not picked up yet as installing', () => {
    const fresh = { ...addon('AddonDeploySuccessful'), status: {} };

    expect(evaluate({ addon: { ...fresh, metadata: { ...fresh.metadata, creationTimestamp: JUST_NOW } }, workloads: [] }).state).toBe('installing');
    // Long after, nothing having appeared is a problem to look at.
    expect(evaluate({ addon: { ...fresh, metadata: { ...fresh.metadata, creationTimestamp: '2026-10-01T00:00:00Z' } }, workloads: [] }).state).toBe('degraded');
  });

  it('marks partly ready components and counts nodes without an agent', () => {
    const workloads = healthyWorkloads();

    workloads[0] = workload('DaemonSet', 'agent', 1, 2);
    const status = evaluate({ addon: null, workloads, nodes: nodes(3) });

    expect(status.components[0]).toMatchObject({ state: 'partial', ready: 1, desired: 2 });
    expect(status.nodesWithoutAgent).toBe(1);
  });

  it('treats a Deployment scaled to zero as unavailable and defaults unset replicas to one', () => {
    const workloads = healthyWorkloads();

    workloads[4] = workload('Deployment', 'grafana', 0, 0);
    const noReplicas = { ...workload('Deployment', 'server', 1, 1), spec: {} };

    workloads[1] = noReplicas;
    const status = evaluate({ addon: null, workloads });

    expect(status.components.find((c) => c.id === 'grafana')?.state).toBe('unavailable');
    expect(status.components.find((c) => c.id === 'server')?.state).toBe('ready');
  });

  it('ignores workloads in other namespaces or without our component label', () => {
    const stray = workload('Deployment', 'grafana', 1, 1, undefined, 'cattle-monitoring-system');
    const status = evaluate({ addon: null, workloads: [stray, { kind: 'Deployment', metadata: { name: 'x', namespace: 'harvester-network-monitoring' } }] });

    expect(status.state).toBe('not-installed');
  });

  it('survives malformed objects', () => {
    const junk: any[] = [null, 42, 'x', { metadata: null }, { kind: 'DaemonSet', metadata: { labels: 'nope' }, status: { numberReady: 'NaN' } }];
    const status = evaluate({ addon: { metadata: { name: 5 }, spec: 'bad', status: { conditions: 'bad' } } as any, workloads: junk, nodes: 'x' as any });

    expect(status.components).toHaveLength(6);
    expect(status.addon?.enabled).toBe(false);
    expect(status.state).toBe('disabled');
  });

  it('does not count negative or fractional counts', () => {
    const workloads = healthyWorkloads();

    workloads[0] = { ...workload('DaemonSet', 'agent', 3, 3), status: { numberReady: -1, desiredNumberScheduled: 2.7 } };
    expect(evaluate({ addon: null, workloads }).components[0]).toMatchObject({ ready: 0, desired: 2, state: 'unavailable' });
  });
});

describe('nextActions', () => {
  const cases: [StackState, string[]][] = [
    ['not-installed', ['install']],
    ['installing', []],
    ['upgrading', []],
    ['disabling', []],
    ['uninstalling', []],
    ['failed', ['troubleshoot', 'open-security-review']],
    ['degraded', ['troubleshoot', 'open-security-review']],
    ['disabled', []],
    ['healthy', ['open-flows', 'open-grafana', 'open-security-review']],
  ];

  it.each(cases)('offers the right actions when %s', (state, actions) => {
    expect(nextActions(state)).toEqual(actions);
  });
});

describe('stackPresence: the one "is the stack there" decision of every page and tab', () => {
  it('is loading while the objects load, whatever was known before', () => {
    expect(stackPresence('healthy', true, 0)).toBe('loading');
    expect(stackPresence('not-installed', true, 2)).toBe('loading');
  });

  it('says not installed only when everything loaded and nothing of the stack exists', () => {
    expect(stackPresence('not-installed', false, 0)).toBe('not-installed');
  });

  it('does not claim absence when a load failed (forbidden or missing type)', () => {
    expect(stackPresence('not-installed', false, 1)).toBe('unknown');
  });

  it('is installed in every other state, healthy or not, with or without load problems', () => {
    for (const state of ['installing', 'upgrading', 'healthy', 'degraded', 'failed', 'disabled', 'disabling', 'uninstalling'] as StackState[]) {
      expect(stackPresence(state, false, 0)).toBe('installed');
      expect(stackPresence(state, false, 3)).toBe('installed');
    }
  });
});
