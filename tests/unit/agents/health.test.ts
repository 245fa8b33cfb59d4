import {
  agentHealthRows, agentHealthSummary, captureCheck, matchesRequiredAffinity, nodeBridges, isAgentNameFor, registrationFor, summarizePod, untoleratedTaint, whyNotMonitored
} from '@pkg/domain/agents/health';
import { hasKey } from '../../support/l10n';
import {
  HARVESTER_REGEX, NOW, agentPod, daemonSet, input, node, stats, vlanStatus
} from './fixtures';

const ids = (i: ReturnType<typeof input>) => agentHealthRows(i).map((r) => [r.node, r.status, r.problems.map((p) => p.id)]);

describe('agent health rows', () => {
  it('a node whose agent runs, reports and captures its bridges is healthy, with no problems', () => {
    const [row] = agentHealthRows(input());

    expect(row).toMatchObject({
      node:            'node-1',
      status:          'healthy',
      controllerState: {
        state: 'listed', name: 'node-1-P1', agentId: 1, deepflowState: 'running', stateValue: 1, exceptions: []
      },
      problems:        [],
      registration:    { state: 'registered', name: 'node-1-P1', agentId: 1 },
      pod:             { name: 'hnm-agent-node-1', state: 'running', version: 'v7.1.8', restarts: 0 },
      traffic:         { state: 'ok', packets: 1000, kernelDrops: 0, agentDrops: 0, lastSeen: NOW - 20 },
      capture:         { state: 'ok', bridges: ['mgmt-br'], notCaptured: [] },
      kernel:          { version: '5.14.21-150500.55.68-default', features: { kprobe: true, golangUprobe: true, opensslUprobe: true, perf: true } },
    });
  });

  it('every problem has an English sentence and fix', () => {
    const rows = agentHealthRows(input({
      nodes:          [node('a', { kernel: '4.4.0' }), node('b', { kernel: '4.9.0' }), node('c')],
      pods:           [agentPod('a', { ready: false, waiting: 'CrashLoopBackOff', restarts: 9 }), agentPod('b'), agentPod('c')],
      vlanStatuses:   [vlanStatus('c', 'prod')],
      interfaceRegex: '^(mgmt-br)$',
      statistics:     stats({ a: { rx: 0, ago: 900 }, b: { kernelDrops: 5, agentDrops: 7 } }, ['a']),
    }));
    const all = rows.flatMap((r) => r.problems);

    expect(new Set(all.map((p) => p.id)).size).toBe(11);
    for (const p of all) {
      expect([p.textKey, hasKey(p.textKey)]).toEqual([p.textKey, true]);
      expect([p.fixKey, hasKey(p.fixKey)]).toEqual([p.fixKey, true]);
    }
  });

  it('reports a pod that is not ready with its container reason, and many restarts', () => {
    expect(ids(input({ pods: [agentPod('node-1', { ready: false, waiting: 'CrashLoopBackOff', restarts: 12 })] }))).toEqual([
      ['node-1', 'problems', ['agent-not-ready', 'agent-restarting']],
    ]);
    const [row] = agentHealthRows(input({ pods: [agentPod('node-1', { ready: false, waiting: 'CrashLoopBackOff' })] }));

    expect(row.problems[0].params).toEqual({ pod: 'hnm-agent-node-1', state: 'not-ready', reason: 'CrashLoopBackOff' });
  });

  it('an agent without statistics in the window has not connected', () => {
    expect(ids(input({ statistics: stats({}) }))).toEqual([['node-1', 'problems', ['no-statistics']]]);
  });

  it('statistics older than five minutes are stale; no packets is reported', () => {
    expect(ids(input({ statistics: stats({ 'node-1': { ago: 301, rx: 0 } }) }))).toEqual([['node-1', 'problems', ['stale-statistics', 'no-packets']]]);
    expect(ids(input({ statistics: stats({ 'node-1': { ago: 300 } }) }))).toEqual([['node-1', 'healthy', []]]);
  });

  it('reports kernel drops and agent drops with their counts', () => {
    const [row] = agentHealthRows(input({ statistics: stats({ 'node-1': { kernelDrops: 42, agentDrops: 3 } }) }));

    expect(row.problems.map((p) => [p.id, p.params.count])).toEqual([['kernel-drops', 42], ['agent-drops', 3]]);
  });

  it('matches the agent host to the node name regardless of case and sums several dispatchers', () => {
    const statistics = stats({ 'NODE-1': { rx: 10 } });

    statistics.dispatcher.push({
      host: 'node-1', rx: 5, kernelDrops: 1, lastSeen: NOW - 5
    });
    const [row] = agentHealthRows(input({ statistics }));

    expect(row.traffic).toEqual({ state: 'ok', packets: 15, kernelDrops: 1, agentDrops: 0, lastSeen: NOW - 5 });
  });

  it('reads registration from DeepFlow\'s agent list: <node>-P<id> is the node\'s agent', () => {
    const statistics = stats({ 'node-1': {} }, []);

    statistics.agents = [{ id: 3, name: 'node-1-P3' }, { id: 7, name: 'node-1-P7' }, { id: 8, name: 'node-10-P8' }];
    expect(agentHealthRows(input({ statistics }))[0]).toMatchObject({ registration: { state: 'registered', name: 'node-1-P7', agentId: 7 }, problems: [] });
    expect(registrationFor('node-1', stats({}, ['node-1']))).toEqual({ state: 'registered', name: 'node-1-P1', agentId: 1 });
    expect(registrationFor('node-1', stats({}, []))).toEqual({ state: 'not-listed', sendsStatistics: false });
    expect(registrationFor('node-1', { state: 'querier-down', dispatcher: [], flowMap: [], agents: [] })).toEqual({ state: 'unknown', reason: 'querier-down' });
  });

  it('matches agent names exactly: a longer node name or another suffix is not this node\'s agent', () => {
    expect(isAgentNameFor('node-1', 'node-1-P12')).toBe(true);
    expect(isAgentNameFor('node-1', 'node-10-P8')).toBe(false);
    expect(isAgentNameFor('node-1', 'node-1-H2')).toBe(false);
    expect(isAgentNameFor('node-1', 'node-1-P')).toBe(false);
    expect(isAgentNameFor('node-1', 'xnode-1-P1')).toBe(false);
  });

  it('an agent that sends statistics but is not in DeepFlow\'s agent list gets a sentence and a fix naming its pod', () => {
    const [row] = agentHealthRows(input({ statistics: stats({ 'node-1': {} }, []) }));

    expect(row.registration).toEqual({ state: 'not-listed', sendsStatistics: true });
    expect(row.problems.map((p) => [p.id, p.severity, p.params])).toEqual([['agent-not-listed', 'warning', { pod: 'hnm-agent-node-1' }]]);
    // Silent and not listed: the no-statistics problem says it, once.
    expect(ids(input({ statistics: stats({}, []) }))).toEqual([['node-1', 'problems', ['no-statistics']]]);
  });

  it('shows traffic as unknown with the querier state when the statistics cannot be read, without inventing problems', () => {
    const [row] = agentHealthRows(input({
      statistics: {
        state: 'forbidden', dispatcher: [], flowMap: [], agents: []
      }
    }));

    expect(row.traffic).toEqual({ state: 'unknown', reason: 'forbidden' });
    expect(row.status).toBe('healthy');
    expect(agentHealthRows(input({
      statistics: {
        state: 'loading', dispatcher: [], flowMap: [], agents: []
      }
    }))[0].traffic).toEqual({ state: 'unknown', reason: 'loading' });
  });

  it('a VLAN bridge the interface pattern does not match is not captured', () => {
    const [row] = agentHealthRows(input({ vlanStatuses: [vlanStatus('node-1', 'prod'), vlanStatus('node-2', 'other')], interfaceRegex: '^(mgmt-br|tap.*)$' }));

    expect(row.problems.map((p) => [p.id, p.params])).toEqual([['bridge-not-captured', { bridge: 'prod-br', network: 'prod' }]]);
    expect(row.capture).toEqual({ state: 'ok', bridges: ['mgmt-br', 'prod-br'], notCaptured: ['prod-br'] });
  });

  it('the chart\'s Harvester pattern captures mgmt-br and every <network>-br', () => {
    const [row] = agentHealthRows(input({ vlanStatuses: [vlanStatus('node-1', 'prod'), vlanStatus('node-1', 'storage')] }));

    expect(row.capture).toEqual({ state: 'ok', bridges: ['mgmt-br', 'prod-br', 'storage-br'], notCaptured: [] });
  });

  it('reports a kernel too old for eBPF, and one without kprobe', () => {
    expect(ids(input({ nodes: [node('node-1', { kernel: '4.4.0' })] }))).toEqual([['node-1', 'problems', ['kernel-too-old']]]);
    expect(ids(input({ nodes: [node('node-1', { kernel: '4.10.0' })] }))).toEqual([['node-1', 'problems', ['kernel-no-kprobe']]]);
  });

  it('lists nodes without an agent as not monitored with why, and no problems', () => {
    const rows = agentHealthRows(input({
      nodes:     [node('node-1'), node('witness', { taints: [{ key: 'node-role.kubernetes.io/etcd', value: 'true', effect: 'NoExecute' }] })],
      pods:      [agentPod('node-1')],
      daemonSet: daemonSet({}),
    }));

    expect(rows.map((r) => [r.node, r.status, r.notMonitored])).toEqual([
      ['node-1', 'healthy', undefined],
      ['witness', 'not-monitored', { reason: 'taint', params: { taint: 'node-role.kubernetes.io/etcd=true:NoExecute' } }],
    ]);
    expect(rows[1].problems).toEqual([]);
    expect(rows[1].traffic).toEqual({ state: 'unknown', reason: 'no-agent' });
    expect(rows[1].registration).toEqual({ state: 'unknown', reason: 'no-agent' });
  });

  it('uses the newest pod when a node has two during a rollout', () => {
    const [row] = agentHealthRows(input({
      pods: [agentPod('node-1', { created: '2026-01-01T00:00:00Z', ready: false }), { ...agentPod('node-1', { created: '2026-01-02T00:00:00Z' }), metadata: { name: 'new', creationTimestamp: '2026-01-02T00:00:00Z' } }],
    }));

    expect(row.pod?.name).toBe('new');
  });

  it('counts rows by status', () => {
    const rows = agentHealthRows(input({ nodes: [node('a'), node('b'), node('node-1')], pods: [agentPod('a'), agentPod('node-1')], statistics: stats({ 'node-1': {} }) }));

    expect(agentHealthSummary(rows)).toEqual({ healthy: 1, problems: 1, 'not-monitored': 1 });
  });
});

describe('why a node is not monitored', () => {
  it('names the node selector pair that does not match', () => {
    expect(whyNotMonitored(node('n'), daemonSet({ nodeSelector: { 'kubernetes.io/os': 'linux', monitor: 'yes' } }) as any))
      .toEqual({ reason: 'node-selector', params: { selector: 'kubernetes.io/os=linux' } });
  });

  it('finds nodes left out by the required node affinity (the agent node list)', () => {
    const spec = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['a', 'b'] }] }],
          },
        },
      },
    };

    expect(whyNotMonitored(node('c'), daemonSet(spec) as any)).toEqual({ reason: 'node-affinity', params: {} });
    expect(matchesRequiredAffinity(node('a') as any, spec)).toBe(true);
    expect(matchesRequiredAffinity(node('c') as any, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['c'] }] }] } } } })).toBe(false);
    expect(matchesRequiredAffinity(node('c') as any, {})).toBe(true);
  });

  it('honours tolerations: exists, key/value, effect', () => {
    const n = node('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }] }) as any;

    expect(untoleratedTaint(n, {})).toEqual({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
    expect(untoleratedTaint(n, { tolerations: [{ operator: 'Exists' }] })).toBeUndefined();
    expect(untoleratedTaint(n, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] })).toBeUndefined();
    expect(untoleratedTaint(n, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] })).toBeDefined();
    expect(untoleratedTaint(n, { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] })).toBeDefined();
  });

  it('a node that is not ready, or one the DaemonSet has not reached yet', () => {
    expect(whyNotMonitored(node('n', { ready: false }) as any, daemonSet() as any).reason).toBe('node-not-ready');
    expect(whyNotMonitored(node('n') as any, daemonSet() as any).reason).toBe('pod-missing');
    expect(whyNotMonitored(node('n') as any, null).reason).toBe('pod-missing');
  });
});

describe('pods, bridges and the interface pattern', () => {
  it('summarizes pod states', () => {
    expect(summarizePod(agentPod('n', { phase: 'Pending', ready: false, waiting: 'ContainerCreating' }) as any)).toMatchObject({ state: 'pending', reason: 'ContainerCreating' });
    expect(summarizePod({ ...agentPod('n'), status: { phase: 'Failed', reason: 'Evicted' } } as any)).toMatchObject({ state: 'failed', reason: 'Evicted' });
    expect(summarizePod({ ...agentPod('n'), metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:00Z' } } as any).state).toBe('terminating');
    expect(summarizePod({ metadata: { name: 'x' }, spec: { containers: [{ image: 'registry:5000/agent@sha256:0123456789abcdef0123456789' }] }, status: { phase: 'Running' } } as any))
      .toMatchObject({ state: 'not-ready', version: 'sha256:0123456789ab' });
    expect(summarizePod({ metadata: { name: 'x' }, spec: { containers: [{ image: 'registry:5000/agent' }] } } as any).version).toBe('');
  });

  it('lists mgmt-br and one bridge per cluster network on the node', () => {
    expect(nodeBridges('n', [vlanStatus('n', 'mgmt'), vlanStatus('n', 'b'), vlanStatus('n', 'a'), vlanStatus('n', 'a'), vlanStatus('m', 'c'), {} as any])).toEqual(['mgmt-br', 'a-br', 'b-br']);
  });

  it('says unknown when the pattern is missing or cannot be compiled', () => {
    expect(captureCheck(['mgmt-br'], '')).toEqual({ state: 'unknown', reason: 'no-pattern' });
    expect(captureCheck(['mgmt-br'], '(')).toEqual({ state: 'unknown', reason: 'invalid-pattern' });
    expect(captureCheck(['mgmt-br'], HARVESTER_REGEX)).toEqual({ state: 'ok', bridges: ['mgmt-br'], notCaptured: [] });
  });
});
