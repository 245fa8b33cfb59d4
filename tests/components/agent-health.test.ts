import AgentHealthTable from '@pkg/components/AgentHealthTable.vue';
import Overview from '@pkg/pages/Overview.vue';
import { agentHealthRows, agentHealthSummary, AgentStatistics } from '@pkg/domain/agents/health';
import { agentRowView, agentTableNotes } from '@pkg/domain/agents/view';
import { VLAN_STATUS_TYPE } from '@pkg/domain/agents/load';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, flushPromises } from '../support/mount';
import { addon, healthyWorkloads } from '../fixtures/stack/objects';
import {
  agentPod, daemonSet, input, node, stats, vlanStatus
} from '../unit/agents/fixtures';

function mountTable(i = input(), opts: { loading?: boolean } = {}) {
  const rows = agentHealthRows(i);

  return mountWithShell(AgentHealthTable, {
    props: {
      rows: rows.map((r) => agentRowView(r, 'c-abc12')), notes: agentTableNotes(i.statistics), summary: agentHealthSummary(rows), loading: !!opts.loading
    }
  });
}

const rowText = (w: ReturnType<typeof mountTable>, n: number) => w.findAll('[data-testid="agent-health-table-row"]')[n].text();

describe('AgentHealthTable', () => {
  it('healthy: one row per node, no problems, a link to the agent dashboard', () => {
    const w = mountTable();

    expect(w.find('[data-testid="agent-health-summary"]').text()).toBe('1 healthy, 0 with problems, 0 not monitored');
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.findAll('[data-testid="agent-problem-node-1"]')).toHaveLength(0);
    expect(rowText(w, 0)).toContain('hnm-agent-node-1');
    expect(rowText(w, 0)).toContain('v7.1.8');
    expect(rowText(w, 0)).toContain('kprobe, Golang uprobe, OpenSSL uprobe, perf');
    expect(rowText(w, 0)).toContain('All captured: mgmt-br');
    expect(w.find('[data-testid="agent-registration-node-1"]').text()).toBe('Registered as node-1-P1');
    expect(w.find('[data-testid="agent-state-node-1"]').text()).toBe('DeepFlow state and exceptions: unknown (see above)');
    const link = w.find('[data-testid="agent-dashboard-node-1"]');

    expect(link.text()).toBe('Agents');
    expect(link.attributes('href')).toContain('/proxy/d/harvester-agents/harvester-agents?');
    expect(link.attributes('href')).toContain('var-node=node-1');
    expect(link.attributes('target')).toBe('_blank');
    expect(w.find('[data-testid="agent-health-loading"]').exists()).toBe(false);
  });

  it('problems: the old kernel, the uncaptured VLAN bridge and the dropping agent each show their sentence and fix; the healthy node none', () => {
    const w = mountTable(input({
      nodes:          [node('healthy'), node('old', { kernel: '4.4.0' }), node('vlan'), node('drops')],
      pods:           ['healthy', 'old', 'vlan', 'drops'].map((n) => agentPod(n)),
      vlanStatuses:   [vlanStatus('vlan', 'prod'), vlanStatus('healthy', 'mgmt')],
      interfaceRegex: '^(mgmt-br|tap.*)$',
      statistics:     stats({
        healthy: {}, old: {}, vlan: {}, drops: { kernelDrops: 120 }
      }),
    }));
    const problems = (n: string) => w.findAll(`[data-testid="agent-problem-${ n }"]`).map((p) => p.text());

    expect(problems('healthy')).toEqual([]);
    expect(problems('old')).toEqual([expect.stringMatching(/^Kernel 4\.4\.0 is older than every kernel in DeepFlow's table.*Upgrade the node's kernel/)]);
    expect(problems('vlan')).toEqual([expect.stringMatching(
      /^Traffic on cluster network prod \(bridge prod-br\) is not captured: the interface pattern does not match it\.\s*Extend the interface pattern in Edit settings > Agents to include prod-br\.$/
    )]);
    expect(w.find('[data-testid="agent-problem-vlan"] .fix').text()).toBe('Extend the interface pattern in Edit settings > Agents to include prod-br.');
    expect(problems('drops')).toEqual([expect.stringContaining('The kernel dropped 120 packets in the last 15 minutes because the agent could not keep up.')]);
    expect(w.find('[data-testid="agent-status-drops"]').text()).toBe('Problems');
    expect(w.find('[data-testid="agent-health-summary"]').text()).toBe('1 healthy, 3 with problems, 0 not monitored');
  });

  it('not in DeepFlow\'s agent list while sending statistics: the sentence and fix, and the registration cell says so', () => {
    const w = mountTable(input({ statistics: stats({ 'node-1': {} }, []) }));

    expect(w.find('[data-testid="agent-registration-node-1"]').text()).toBe('Not in DeepFlow\'s agent list');
    expect(w.findAll('[data-testid="agent-problem-node-1"]').map((p) => p.text())).toEqual([
      expect.stringMatching(/^The agent sends statistics, but DeepFlow's list of registered agents has none for this node.*restart the agent pod hnm-agent-node-1\.$/),
    ]);
  });

  it('not monitored: says why, without a dashboard link', () => {
    const w = mountTable(input({
      nodes:     [node('node-1'), node('witness', { taints: [{ key: 'node-role.kubernetes.io/etcd', value: 'true', effect: 'NoExecute' }] })],
      daemonSet: daemonSet(),
    }));

    expect(w.find('[data-testid="agent-status-witness"]').text()).toBe('Not monitored');
    expect(w.find('[data-testid="agent-problems-witness"]').text()).toContain('The node\'s taint node-role.kubernetes.io/etcd=true:NoExecute is not tolerated by the agent.');
    expect(w.find('[data-testid="agent-dashboard-witness"]').exists()).toBe(false);
  });

  it('statistics unreadable: a note with the state, traffic shown as unknown', () => {
    const w = mountTable(input({ statistics: { state: 'forbidden', dispatcher: [], flowMap: [], agents: [] } }));

    expect(w.text()).toContain('The agents\' statistics could not be read (forbidden)');
    expect(rowText(w, 0)).toContain('DeepFlow\'s statistics could not be read (forbidden).');
  });

  it('loading and empty', () => {
    const w = mountTable(input({ nodes: [], statistics: { state: 'loading', dispatcher: [], flowMap: [], agents: [] } }), { loading: true });

    expect(w.find('[data-testid="agent-health-loading"]').text()).toContain('Reading the agents\' statistics');
    expect(w.find('[data-testid="agent-health-table-empty"]').text()).toBe('No nodes to show.');
  });

  it('renders names as text', () => {
    const w = mountTable(input({ nodes: [node('<img src=x onerror=alert(1)>')], pods: [agentPod('<img src=x onerror=alert(1)>')] }));

    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('Overview: agents per node', () => {
  const answer = (columns: string[], values: unknown[][]) => JSON.stringify({ OPT_STATUS: 'SUCCESS', DESCRIPTION: '', result: { columns, values } });
  let posted: string[] = [];
  let dashboardListed = true;

  beforeEach(() => {
    posted = [];
    dashboardListed = true;
    (window as any).fetch = jest.fn(async(url: string, init: any) => {
      if (url.endsWith('/services/http:hnm-grafana:80/proxy/api/search?dashboardUIDs=harvester-agents')) {
        return { status: 200, text: async() => (dashboardListed ? '[{"uid":"harvester-agents","title":"Harvester Agents"}]' : '[]') };
      }
      const body = new URLSearchParams(init.body);

      posted.push(`${ url } ${ body.get('db') } ${ body.get('sql') }`);
      const now = Math.floor(Date.now() / 1000);
      const sql = body.get('sql') || '';
      const text = /deepflow_agent_dispatcher/.test(sql) ? answer(['host', 'rx', 'kernel_drops', 'last_seen'], [['node-1', 500, 0, now - 10], ['node-2', 800, 9, now - 10]]) : /^show tag agent values/.test(sql) ? answer(['value', 'display_name'], [[1, 'node-1-P1'], [2, 'node-2-P2']]) : answer(['host', 'drop_by_window', 'drop_by_capacity'], []);

      return { status: 200, text: async() => text };
    });
  });

  function store(cache: Record<string, unknown[]>) {
    return fakeStore({
      getters: {
        'harvester/all':       (type: string) => cache[type] || [],
        'harvester/schemaFor': (type: string) => ({ id: type }),
      },
      dispatch: () => Promise.resolve([]),
    });
  }

  it('reads DeepFlow\'s agent statistics through the service proxy and shows one row per node', async() => {
    const workloads = healthyWorkloads(3);
    const cache = {
      [TYPES.addon]:       [addon('AddonDeploySuccessful')],
      [TYPES.daemonSet]:   workloads.filter((w) => w.kind === 'DaemonSet'),
      [TYPES.deployment]:  workloads.filter((w) => w.kind === 'Deployment'),
      [TYPES.statefulSet]: workloads.filter((w) => w.kind === 'StatefulSet'),
      [TYPES.node]:        [node('node-1'), node('node-2'), node('node-3', { labels: {}, taints: [{ key: 'k', effect: 'NoSchedule' }] })],
      [TYPES.pod]:         [agentPod('node-1'), agentPod('node-2')],
      [VLAN_STATUS_TYPE]:  [vlanStatus('node-2', 'prod')],
    };
    const w = mountWithShell(Overview, { store: store(cache) });

    await flushPromises();
    await flushPromises();
    expect(posted).toEqual([
      expect.stringMatching(/^\/k8s\/clusters\/c-abc12\/api\/v1\/namespaces\/harvester-network-monitoring\/services\/http:hnm-server:20416\/proxy\/v1\/query\/ deepflow_tenant SELECT `tag.host` AS host, Sum\(`metrics.rx`\)/),
      expect.stringMatching(/ deepflow_tenant SELECT `tag.host` AS host, Sum\(`metrics.drop_by_window`\)/),
      expect.stringMatching(/\/proxy\/v1\/query\/ flow_log show tag agent values from l4_flow_log$/),
    ]);
    expect(w.find('[data-testid="agent-registration-node-2"]').text()).toBe('Registered as node-2-P2');
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.find('[data-testid="agent-problems-node-2"]').text()).toContain('The kernel dropped 9 packets');
    expect(w.find('[data-testid="agent-status-node-3"]').text()).toBe('Not monitored');
    expect(w.find('[data-testid="agent-health-summary"]').text()).toBe('1 healthy, 1 with problems, 1 not monitored');
    expect(w.find('[data-testid="agent-dashboard-node-1"]').attributes('href')).toContain('var-node=node-1');
  });

  it('hides the Agents links and says why when the embedded Grafana has no agent dashboard', async() => {
    dashboardListed = false;
    const workloads = healthyWorkloads(1);
    const w = mountWithShell(Overview, {
      store: store({
        [TYPES.addon]:     [addon('AddonDeploySuccessful')],
        [TYPES.daemonSet]: workloads.filter((x) => x.kind === 'DaemonSet'),
        [TYPES.node]:      [node('node-1')],
        [TYPES.pod]:       [agentPod('node-1')],
      })
    });

    await flushPromises();
    await flushPromises();
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.find('[data-testid="agent-dashboard-node-1"]').exists()).toBe(false);
    expect(w.find('[data-testid="agent-health"]').text()).toContain('The embedded Grafana has no "Harvester Agents" dashboard');
  });

  it('is not shown when the stack is not installed, and sends nothing', async() => {
    const w = mountWithShell(Overview, { store: store({ [TYPES.node]: [node('node-1')] }) });

    await flushPromises();
    expect(w.find('[data-testid="agent-health"]').exists()).toBe(false);
    expect(posted).toEqual([]);
  });
});
