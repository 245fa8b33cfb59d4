import { progressItems } from '@pkg/domain/stack/progress';

const pod = (name: string, statuses: object[], extra: object = {}) => ({
  metadata: { name, namespace: 'harvester-network-monitoring' }, status: { containerStatuses: statuses, ...extra }
});

describe('progressItems', () => {
  it('lists true Addon conditions, failures first', () => {
    const addon = {
      metadata: { name: 'harvester-network-monitoring' },
      status:   {
        conditions: [
          { type: 'OperationInProgress', status: 'True', message: 'deploying' },
          { type: 'OperationFailed', status: 'True', message: 'chart not found' },
          { type: 'OperationCompleted', status: 'False' },
        ]
      }
    };
    const items = progressItems(addon, [], []);

    expect(items.map((i) => [i.severity, i.reason, i.message])).toEqual([
      ['error', 'OperationFailed', 'chart not found'],
      ['info', 'OperationInProgress', 'deploying'],
    ]);
  });

  it('explains pods that wait, and treats image pulls and crash loops as errors', () => {
    const items = progressItems(null, [
      pod('hnm-server-1', [{ name: 'server', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "deepflowce/deepflow-server:v7.1.8"' } } }]),
      pod('hnm-grafana-1', [{ name: 'grafana', state: { waiting: { reason: 'ContainerCreating' } } }]),
      pod('hnm-mysql-0', [], { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }),
    ], []);

    expect(items).toEqual([
      expect.objectContaining({ severity: 'error', reason: 'ImagePullBackOff', object: 'Pod harvester-network-monitoring/hnm-server-1 (server)' }),
      expect.objectContaining({ severity: 'warning', reason: 'Unschedulable', message: '0/3 nodes are available' }),
    ]);
  });

  it('reports Pod Security rejections from warning events in the stack namespaces only', () => {
    const events = [
      {
        type: 'Warning', reason: 'FailedCreate', message: 'pods "hnm-agent-x" is forbidden: violates PodSecurity "baseline:latest": host namespaces', metadata: { namespace: 'harvester-network-monitoring-agent' }, involvedObject: { kind: 'DaemonSet', name: 'hnm-agent' }, lastTimestamp: '2026-11-01T10:00:00Z'
      },
      {
        type: 'Warning', reason: 'BackOff', message: 'other', metadata: { namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'x' }
      },
      {
        type: 'Normal', reason: 'Scheduled', message: 'fine', metadata: { namespace: 'harvester-network-monitoring' }
      },
    ];
    const items = progressItems(null, [], events);

    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ source: 'event', reason: 'FailedCreate', object: 'DaemonSet harvester-network-monitoring-agent/hnm-agent' });
  });

  it('reads the Event type the way the dashboard store carries it (`type: event`, Steve\'s `_type: Warning`)', () => {
    const stored = [
      {
        type: 'event', _type: 'Warning', reason: 'FailedCreate', message: 'violates PodSecurity', metadata: { namespace: 'harvester-network-monitoring-agent' }, involvedObject: { kind: 'DaemonSet', name: 'hnm-agent' }
      },
      {
        type: 'event', _type: 'Normal', reason: 'SuccessfulCreate', message: 'fine', metadata: { namespace: 'harvester-network-monitoring-agent' }, involvedObject: { kind: 'DaemonSet', name: 'hnm-agent' }
      },
    ];

    expect(progressItems(null, [], stored).map((i) => i.reason)).toEqual(['FailedCreate']);
  });

  it('shows reasons and objects from the cluster as bounded plain text', () => {
    const items = progressItems({
      metadata: { name: 'hnm' }, status: { conditions: [{ type: `Weird\u202E${ 'X'.repeat(50_000) }`, status: 'True', message: 'line one\nline two' }] }
    } as any, [], []);

    expect(items[0].reason.length).toBeLessThanOrEqual(120);
    expect(items[0].reason).not.toContain('\u202E');
    expect(items[0].message).toBe('line one line two');
  });

  it('clips very long messages and survives junk', () => {
    const items = progressItems({ status: { conditions: [{ type: 'OperationFailed', status: 'True', message: 'x'.repeat(5000) }] } } as any, [null, 1, { status: { containerStatuses: 'bad' } }], 'nope' as any);

    expect(items).toHaveLength(1);
    expect(items[0].message.length).toBeLessThanOrEqual(501);
  });
});
