import { readFileSync } from 'fs';
import { join } from 'path';
import { agentHealthRows } from '@pkg/domain/agents/health';
import {
  agentDashboardSearchUrl, agentDashboardUrl, agentRowView, agentTableNotes, dashboardAvailability
} from '@pkg/domain/agents/view';
import { AGENT_DASHBOARD, agentDashboardVars } from '@pkg/domain/grafana/catalog';
import { translate } from '../../support/l10n';
import {
  agentPod, input, node, stats, vlanStatus
} from './fixtures';

const say = (cell: any) => ('plain' in cell ? cell.plain : translate(cell.key, cell.params));

describe('agent row views', () => {
  it('a healthy row: every cell translates, registered, DeepFlow state running', () => {
    const [row] = agentHealthRows(input());
    const v = agentRowView(row, 'c-1');

    expect({
      status:       say(v.statusText),
      pod:          say(v.pod),
      version:      v.version,
      registration: say(v.registration),
      state:        say(v.deepflowState),
      kernel:       v.kernel,
      features:     v.features.map(say).join(', '),
      capture:      say(v.capture),
      traffic:      say(v.traffic),
      drops:        say(v.drops),
      problems:     v.problems,
    }).toEqual({
      status:       'Healthy',
      pod:          'hnm-agent-node-1',
      version:      'v7.1.8',
      registration: 'Registered as node-1-P1',
      state:        'DeepFlow state: running',
      kernel:       '5.14.21-150500.55.68-default',
      features:     'kprobe, Golang uprobe, OpenSSL uprobe, perf',
      capture:      'All captured: mgmt-br',
      traffic:      '1000',
      drops:        '0 / 0',
      problems:     [],
    });
    expect(v.dashboardUrl).toBe('/k8s/clusters/c-1/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy/d/harvester-agents/harvester-agents?orgId=1&from=now-1h&to=now&var-node=node-1&theme=light');
  });

  it('a row with problems carries sentence and fix', () => {
    const [row] = agentHealthRows(input({ vlanStatuses: [vlanStatus('node-1', 'prod')], interfaceRegex: '^mgmt-br$' }));
    const v = agentRowView(row, 'local');

    expect(v.problems.map((p) => [p.severity, say(p.text), p.fix && say(p.fix)])).toEqual([[
      'error',
      'Traffic on cluster network prod (bridge prod-br) is not captured: the interface pattern does not match it.',
      'Extend the interface pattern in Edit settings > Agents to include prod-br.',
    ]]);
    expect(say(v.capture)).toBe('Not captured: prod-br');
  });

  it('a not-monitored row says why and has no dashboard link', () => {
    const [, row] = agentHealthRows(input({ nodes: [node('node-1'), node('node-2', { ready: false })], pods: [agentPod('node-1')] }));
    const v = agentRowView(row, 'local');

    expect(say(v.statusText)).toBe('Not monitored');
    expect(v.problems.map((p) => [p.severity, say(p.text)])).toEqual([['info', 'The node is not ready, so no agent runs on it. It is monitored again once it is ready.']]);
    expect(say(v.pod)).toBe('No agent runs on this node.');
    expect(say(v.traffic)).toBe('No agent runs on this node.');
    expect(say(v.registration)).toBe('No agent runs on this node.');
    expect(v.deepflowState).toBeNull();
    expect(v.dashboardUrl).toBeNull();
  });

  it('unknown kernel features and statistics say why', () => {
    const [row] = agentHealthRows(input({ nodes: [node('node-1', { kernel: '' })], statistics: { state: 'forbidden', dispatcher: [], flowMap: [], agents: [] } }));
    const v = agentRowView(row, 'local');

    expect(v.features.map(say)).toEqual(['The node reports no kernel version.']);
    expect(say(v.traffic)).toBe('DeepFlow\'s statistics could not be read (forbidden).');
    const [none] = agentHealthRows(input({ nodes: [node('node-1', { kernel: '4.4.0' })], statistics: stats({}) }));

    expect(agentRowView(none, 'local').features.map(say)).toEqual(['None']);
    expect(say(agentRowView(none, 'local').traffic)).toBe('No statistics');
    expect(say(agentRowView(row, 'local').registration)).toBe('DeepFlow\'s statistics could not be read (forbidden).');
    const [unlisted] = agentHealthRows(input({ statistics: stats({ 'node-1': {} }, []) }));

    expect(say(agentRowView(unlisted, 'local').registration)).toBe('Not in DeepFlow\'s agent list');
  });

  it('notes name the window, failures, where DeepFlow states come from and the kernel table\'s source', () => {
    expect(agentTableNotes({ state: 'ok', dispatcher: [], flowMap: [], agents: [] }, 'unknown', { state: 'ok', agents: [] }).map((n) => translate(n.key, n.params))).toEqual([
      'Whether each node\'s DeepFlow agent captures traffic, from the agent pods and DeepFlow\'s own agent statistics of the last 15 minutes.',
      'Registration comes from DeepFlow\'s list of registered agents; each agent\'s DeepFlow state and exceptions from DeepFlow\'s controller, through the chart\'s read-only proxy (port 20419 of hnm-server: GET /v1/vtaps/ only; chart README, Agent state and exceptions).',
      'Kernel/eBPF feature table: DeepFlow install guide, Kernel Requirements (seed 004_ee7c97d4d52bf51b.txt).',
    ]);
    // While the list loads there is no note about it yet.
    expect(agentTableNotes({ state: 'ok', dispatcher: [], flowMap: [], agents: [] }).map((n) => n.key)).not.toContain('networkMonitoring.agents.controllerStateNote');
    expect(agentTableNotes({ state: 'querier-down', dispatcher: [], flowMap: [], agents: [] }).map((n) => n.key)).toContain('networkMonitoring.agents.statisticsUnknown');
  });

  it('links the chart\'s Harvester Agents dashboard by uid and node variable, or not at all', () => {
    expect(AGENT_DASHBOARD).toMatchObject({ uid: 'harvester-agents', variables: ['node'] });
    expect(agentDashboardVars('')).toBeNull();
    expect(agentDashboardUrl('local', '')).toBeNull();
    expect(agentDashboardUrl('bad cluster id', 'n')).toBeNull();
    expect(agentDashboardUrl('local', 'a&b')).toContain('var-node=a%26b');
  });

  it('the linked dashboard is one the chart provisions, with the node variable', () => {
    const file = join(__dirname, '..', '..', '..', 'charts', 'harvester-network-monitoring-stack', 'files', 'dashboards', 'harvester-agents.json');
    const dashboard = JSON.parse(readFileSync(file, 'utf8'));

    expect(dashboard.uid).toBe(AGENT_DASHBOARD.uid);
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', ...AGENT_DASHBOARD.variables]);
    // Every panel is filtered to the node's agent.
    for (const p of dashboard.panels) {
      expect([p.id, JSON.parse(p.targets[0].queryText).where.map((w: any) => [w.key, w.val[0].value])]).toEqual([p.id, [['tag.host', 'node']]]);
    }
  });
});

describe('agent dashboard availability', () => {
  it('reads Grafana\'s dashboard search: an empty list is missing, the uid listed is present, anything else unknown', () => {
    expect(dashboardAvailability(200, '[]')).toBe('missing');
    expect(dashboardAvailability(200, '[{"id":7,"uid":"harvester-agents","title":"Harvester Agents","url":"/d/harvester-agents/harvester-agents","folderTitle":"Harv')).toBe('present');
    expect(dashboardAvailability(200, '[{"id":7,"uid":"DeepFlow_Agent","title":"DeepFlow Agent"}]')).toBe('unknown');
    expect(dashboardAvailability(200, '[{"uid":"other"}]')).toBe('unknown');
    expect(dashboardAvailability(401, '[]')).toBe('unknown');
    expect(dashboardAvailability(0, '')).toBe('unknown');
    expect(agentDashboardSearchUrl('local')).toBe('/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy/api/search?dashboardUIDs=harvester-agents');
    expect(agentDashboardSearchUrl('bad id')).toBeNull();
  });

  it('drops the link only when the dashboard is missing, and notes it', () => {
    const [row] = agentHealthRows(input());

    expect(agentRowView(row, 'local', 'missing').dashboardUrl).toBeNull();
    expect(agentRowView(row, 'local', 'unknown').dashboardUrl).not.toBeNull();
    expect(agentTableNotes({ state: 'ok', dispatcher: [], flowMap: [], agents: [] }, 'missing').map((n) => n.key)).toContain('networkMonitoring.agents.dashboardMissing');
    expect(translate('networkMonitoring.agents.dashboardMissing')).toContain('Harvester Agents');
  });
});
