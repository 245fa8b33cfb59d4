import { TYPES } from '@pkg/domain/stack/constants';
import {
  AGENT_WINDOW_SECONDS, agentDispatcherQuery, agentFlowMapQuery, agentListQuery, agentWindow
} from '@pkg/domain/agents/queries';
import { agentField, table, QueryBuildError } from '@pkg/domain/flows/query/sql';
import { createQuerierClient } from '@pkg/domain/flows/query/querier-client';
import {
  agentHealthInput, interfacePatternInEffect, loadAgentStatistics, loadVlanStatuses
} from '@pkg/domain/agents/load';
import { NOW, agentPod, daemonSet, node } from './fixtures';
import { installedValuesContent } from '@pkg/domain/stack/addon';

const answer = (columns: string[], values: unknown[][]) => JSON.stringify({
  OPT_STATUS: 'SUCCESS', DESCRIPTION: '', result: { columns, values }
});

describe('agent statistics statements', () => {
  it('reads the last 15 minutes', () => {
    expect(agentWindow(NOW + 0.7)).toEqual({ range: { start: NOW - AGENT_WINDOW_SECONDS, end: NOW }, nowSeconds: NOW });
  });

  it('sums the dispatcher\'s packets and kernel drops per agent host, with the newest sample time', () => {
    const q = agentDispatcherQuery(agentWindow(NOW));

    expect(q.db).toBe('deepflow_tenant');
    expect(q.dataPrecision).toBeUndefined();
    expect(q.sql).toBe('SELECT `tag.host` AS host, Sum(`metrics.rx`) AS rx, Sum(`metrics.kernel_drops`) AS kernel_drops, Max(time) AS last_seen ' +
      `FROM deepflow_agent_dispatcher WHERE time>=${ NOW - 900 } AND time<=${ NOW } GROUP BY \`tag.host\` LIMIT 1000`);
  });

  it('sums the flow map drops per agent host', () => {
    expect(agentFlowMapQuery(agentWindow(NOW)).sql).toBe('SELECT `tag.host` AS host, Sum(`metrics.drop_by_window`) AS drop_by_window, ' +
      `Sum(\`metrics.drop_by_capacity\`) AS drop_by_capacity FROM deepflow_agent_flow_map WHERE time>=${ NOW - 900 } AND time<=${ NOW } GROUP BY \`tag.host\` LIMIT 1000`);
  });

  it('allows only listed agent tables, tags and metrics', () => {
    expect(() => table('deepflow_agent_monitor' as any)).toThrow(QueryBuildError);
    expect(() => agentField('deepflow_agent_dispatcher', 'metrics', 'cpu_percent')).toThrow(QueryBuildError);
    expect(() => agentField('deepflow_agent_dispatcher', 'tag', 'host`, x')).toThrow(QueryBuildError);
    expect(() => agentField('nope' as any, 'tag', 'host')).toThrow(QueryBuildError);
    expect(agentField('deepflow_agent_flow_map', 'metrics', 'drop_by_capacity').text).toBe('`metrics.drop_by_capacity`');
  });
});

describe('loading the statistics', () => {
  const client = (responses: Record<string, { status: number; body: string }>) => createQuerierClient({
    clusterId: 'c-1',
    fetch:     async(_url, init) => {
      const table = /FROM (\w+)/i.exec(decodeURIComponent(init.body.replace(/\+/g, ' ')))?.[1] || '';
      const r = responses[table];

      return { status: r.status, text: async() => r.body };
    },
  });

  it('answers ok with both tables\' rows and the agent list, and ok with none when no agent reported', async() => {
    const ok = await loadAgentStatistics(client({
      deepflow_agent_dispatcher: { status: 200, body: answer(['host', 'rx', 'kernel_drops', 'last_seen'], [['node-1', 10, 0, NOW - 10]]) },
      deepflow_agent_flow_map:   { status: 200, body: answer(['host', 'drop_by_window', 'drop_by_capacity'], []) },
      l4_flow_log:               { status: 200, body: answer(['value', 'display_name'], [[1, 'node-1-P1']]) },
    }), NOW);

    expect(ok).toEqual({
      state:      'ok',
      dispatcher: [{
        host: 'node-1', rx: 10, kernelDrops: 0, lastSeen: NOW - 10
      }],
      flowMap: [],
      agents:  [{ id: 1, name: 'node-1-P1' }]
    });
  });

  it('asks DeepFlow\'s agent list on flow_log, where the querier reads the vtap_map dictionary', () => {
    expect(agentListQuery()).toMatchObject({ db: 'flow_log', sql: 'show tag agent values from l4_flow_log' });
    expect(agentListQuery().dataPrecision).toBeUndefined();
  });

  it('answers the first failure', async() => {
    const failed = await loadAgentStatistics(client({
      deepflow_agent_dispatcher: { status: 200, body: answer(['host', 'rx', 'kernel_drops', 'last_seen'], []) },
      deepflow_agent_flow_map:   { status: 500, body: JSON.stringify({ OPT_STATUS: 'FAIL', DESCRIPTION: 'boom' }) },
      l4_flow_log:               { status: 200, body: answer(['value', 'display_name'], []) },
    }), NOW);

    expect(failed.state).toBe('query-rejected');
    expect(failed.dispatcher).toEqual([]);
  });

  it('loads VlanStatus only when the user may list it, and never throws', async() => {
    const calls: unknown[] = [];
    const store = (schema: boolean, fail = false) => ({
      getters:  { 'harvester/schemaFor': () => (schema ? {} : undefined) },
      dispatch: async(action: string, payload: unknown) => {
        calls.push([action, payload]);
        if (fail) {
          throw new Error('nope');
        }
      },
    });

    await loadVlanStatuses(store(false));
    expect(calls).toEqual([]);
    await loadVlanStatuses(store(true, true));
    expect(calls).toEqual([['harvester/findAll', { type: TYPES.vlanStatus }]]);
  });
});

describe('the health input from the stack', () => {
  it('takes the installed interface pattern, else the chart default', () => {
    expect(interfacePatternInEffect({ agent: { interfaceRegex: '^x$' } }, 'default')).toBe('^x$');
    expect(interfacePatternInEffect({ agent: {} }, 'default')).toBe('default');
    expect(interfacePatternInEffect(null, 'default')).toBe('default');
    expect(installedValuesContent({ spec: { valuesContent: '' } }, { spec: { valuesContent: 'a: 1' } })).toBe('a: 1');
    expect(installedValuesContent(null, null)).toBe('');
  });

  it('picks the agent DaemonSet\'s pods and the Addon\'s pattern', () => {
    const other = { ...agentPod('node-1'), metadata: { name: 'other', namespace: 'harvester-network-monitoring-agent', labels: { app: 'x' } } };
    const i = agentHealthInput({
      addon:     { spec: { valuesContent: 'agent:\n  interfaceRegex: ^(mgmt-br)$\n' } },
      helmChart: null,
      workloads: [daemonSet() as any],
      nodes:     [node('node-1') as any],
      pods:      [agentPod('node-1') as any, other as any],
      events:    [],
    }, [{ status: { node: 'node-1', clusterNetwork: 'prod' } }, 'junk'], { state: 'loading', dispatcher: [], flowMap: [], agents: [] }, NOW, 'default');

    expect(i.interfaceRegex).toBe('^(mgmt-br)$');
    expect(i.pods.map((p) => p.metadata?.name)).toEqual(['hnm-agent-node-1']);
    expect(i.daemonSet?.metadata?.name).toBe('hnm-agent');
    expect(i.vlanStatuses).toHaveLength(1);
  });
});
