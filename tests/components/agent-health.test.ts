import AgentHealthTable from '@pkg/components/AgentHealthTable.vue';
import Overview from '@pkg/pages/Overview.vue';
import { agentHealthRows, agentHealthSummary } from '@pkg/domain/agents/health';
import { agentRowView, agentTableNotes } from '@pkg/domain/agents/view';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, fetched } from '../support/mount';
import {
  cellTexts, header, headerLabels, noRows, rowTexts
} from '../support/table';
import { addon, healthyWorkloads } from '../fixtures/stack/objects';
import {
  agentPod, controller, daemonSet, input, node, stats, vlanStatus
} from '../unit/agents/fixtures';
import { vtapListAnswer } from '../../sandbox/backend/deepflow-controller';

function mountTable(i = input(), opts: { loading?: boolean } = {}) {
  const rows = agentHealthRows(i);

  return mountWithShell(AgentHealthTable, {
    props: {
      rows: rows.map((r) => agentRowView(r, 'c-abc12')), notes: agentTableNotes(i.statistics, 'unknown', i.controller), summary: agentHealthSummary(rows), loading: !!opts.loading
    }
  });
}

const rowText = (w: ReturnType<typeof mountTable>, n: number) => rowTexts(w, 'agent-health-table')[n];

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
    expect(w.find('[data-testid="agent-state-node-1"]').text()).toBe('DeepFlow state: running');
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

  it('DeepFlow exceptions: each bit\'s sentence and fix among the problems, the state below the status; other nodes none', () => {
    const w = mountTable(input({
      nodes:      [node('calm'), node('busy'), node('gone')],
      pods:       ['calm', 'busy', 'gone'].map((n) => agentPod(n)),
      statistics: stats({ calm: {}, busy: {}, gone: {} }),
      controller: controller({ calm: {}, busy: { exceptions: 64 + 32768 }, gone: { state: 0 } }),
    }));
    const problems = (n: string) => w.findAll(`[data-testid="agent-problem-${ n }"]`).map((p) => p.text());

    expect(problems('calm')).toEqual([]);
    expect(w.find('[data-testid="agent-state-calm"]').text()).toBe('DeepFlow state: running');
    expect(problems('busy')).toEqual([
      expect.stringMatching(/^The agent hit its capture rate limit and skipped packets \(RX_PPS_THRESHOLD_EXCEEDED\)\.\s*Raise inputs\.cbpf\.tunning\.max_capture_pps/),
      expect.stringMatching(/^The agent's calls to the DeepFlow server failed \(CONTROLLER_SOCKET_ERROR\)\.\s*Check that the node reaches the server on port 20035/),
    ]);
    expect(w.findAll('[data-testid="agent-problem-busy"]').map((p) => p.classes())).toEqual([expect.arrayContaining(['severity-error']), expect.arrayContaining(['severity-error'])]);
    expect(w.find('[data-testid="agent-state-gone"]').text()).toBe('DeepFlow state: lost');
    expect(problems('gone')).toEqual([expect.stringContaining('DeepFlow\'s controller lost contact with agent gone-P3')]);
    expect(w.find('[data-testid="agent-health-summary"]').text()).toBe('1 healthy, 2 with problems, 0 not monitored');
    expect(w.text()).toContain('through the chart\'s read-only proxy (port 20419 of hnm-server: GET /v1/vtaps/ only');
  });

  it('DeepFlow states unreadable: each row says unknown with why, the note says what to do', () => {
    const w = mountTable(input({ controller: { state: 'unknown', reason: 'forbidden', status: 403 } }));

    expect(w.find('[data-testid="agent-state-node-1"]').text()).toBe('DeepFlow state unknown: not permitted');
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.text()).toContain('Ask an administrator for get on services/proxy of hnm-server in namespace harvester-network-monitoring.');
  });

  it('renders hostile agent names from DeepFlow as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const w = mountTable(input({
      nodes: [node(evil)], pods: [agentPod(evil)], statistics: stats({ [evil]: {} }), controller: controller({ [evil]: { state: 0 } })
    }));

    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toContain(`DeepFlow's controller lost contact with agent ${ evil }-P1`);
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
    expect(noRows(w, 'agent-health-table').text()).toBe('No nodes to show.');
  });

  it('is the shell\'s SortableTable: one row per node by name, sortable by status, agent and kernel', async() => {
    const w = mountTable(input({
      nodes:      [node('node-c'), node('node-a', { kernel: '4.4.0' }), node('node-b')],
      pods:       ['node-c', 'node-a', 'node-b'].map((n) => agentPod(n)),
      statistics: stats({ 'node-c': {}, 'node-a': {}, 'node-b': { kernelDrops: 5 } }),
    }));
    const nodes = () => cellTexts(w, 'agent-health-table').map((cells) => cells[0]);

    expect(headerLabels(w, 'agent-health-table')).toEqual([
      'Node', 'Status', 'Agent pod / version', 'Kernel / eBPF features', 'Captured bridges', 'Packets (15 min)', 'Kernel / agent drops', 'Problems and fixes', 'Dashboard',
    ]);
    expect(nodes()).toEqual(['node-a', 'node-b', 'node-c']);
    // Healthy before problems, then by node.
    await header(w, 'agent-health-table', 'Status').trigger('click');
    expect(nodes()).toEqual(['node-c', 'node-a', 'node-b']);
    await header(w, 'agent-health-table', 'Node').trigger('click');
    await header(w, 'agent-health-table', 'Node').trigger('click');
    expect(nodes()).toEqual(['node-c', 'node-b', 'node-a']);
    expect(header(w, 'agent-health-table', 'Problems and fixes').classes()).not.toContain('sortable');
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
  let controllerAnswer: { status: number; text: string };
  let controllerReads: string[] = [];

  beforeEach(() => {
    posted = [];
    controllerReads = [];
    dashboardListed = true;
    // DeepFlow 7.1.8's answer to GET /v1/vtaps/ (the e2e backend's builder): node-2's agent reports RX_PPS_THRESHOLD_EXCEEDED.
    controllerAnswer = {
      status: 200,
      text:   JSON.stringify(vtapListAnswer([{ name: 'node-1-P1', ip: '192.168.10.11' }, { name: 'node-2-P2', ip: '192.168.10.12', exceptions: 64 }])),
    };
    (window as any).fetch = jest.fn(async(url: string, init: any) => {
      if (url.endsWith('/services/http:hnm-grafana:80/proxy/api/search?dashboardUIDs=harvester-agents')) {
        return { status: 200, text: async() => (dashboardListed ? '[{"uid":"harvester-agents","title":"Harvester Agents"}]' : '[]') };
      }
      if (url.includes(':20419/')) {
        controllerReads.push(`${ init.method } ${ url }`);

        return { status: controllerAnswer.status, text: async() => controllerAnswer.text };
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

  /** The Overview of an installed stack with one node and its agent. */
  function mountOneNode() {
    const workloads = healthyWorkloads(1);

    return mountWithShell(Overview, {
      store: store({
        [TYPES.addon]:     [addon('AddonDeploySuccessful')],
        [TYPES.daemonSet]: workloads.filter((x) => x.kind === 'DaemonSet'),
        [TYPES.node]:      [node('node-1')],
        [TYPES.pod]:       [agentPod('node-1')],
      })
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
      [TYPES.vlanStatus]:  [vlanStatus('node-2', 'prod')],
    };
    const w = mountWithShell(Overview, { store: store(cache) });

    await fetched();
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
    // DeepFlow state and exceptions through the read-only agent-state proxy.
    expect(controllerReads).toEqual(['GET /k8s/clusters/c-abc12/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20419/proxy/v1/vtaps/']);
    expect(w.find('[data-testid="agent-state-node-1"]').text()).toBe('DeepFlow state: running');
    expect(w.find('[data-testid="agent-problems-node-2"]').text()).toContain('The agent hit its capture rate limit and skipped packets (RX_PPS_THRESHOLD_EXCEEDED).');
    expect(w.find('[data-testid="agent-problems-node-1"]').text()).toBe('');
  });

  it('an older stack without the agent-state port: states unknown with why, the rest as before', async() => {
    controllerAnswer = { status: 503, text: JSON.stringify({ kind: 'Status', code: 503, message: 'no service port 20419 found for service "hnm-server"' }) };
    const w = mountOneNode();

    await fetched();
    expect(w.find('[data-testid="agent-state-node-1"]').text()).toBe('DeepFlow state unknown: proxy not installed');
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.find('[data-testid="agent-health"]').text()).toContain('the hnm-server Service has no port 20419');
  });

  it('hides the Agents links and says why when the embedded Grafana has no agent dashboard', async() => {
    dashboardListed = false;
    const w = mountOneNode();

    await fetched();
    expect(w.find('[data-testid="agent-status-node-1"]').text()).toBe('Healthy');
    expect(w.find('[data-testid="agent-dashboard-node-1"]').exists()).toBe(false);
    expect(w.find('[data-testid="agent-health"]').text()).toContain('The embedded Grafana has no "Harvester Agents" dashboard');
  });

  it('is not shown when the stack is not installed, and sends nothing', async() => {
    const w = mountWithShell(Overview, { store: store({ [TYPES.node]: [node('node-1')] }) });

    await fetched();
    expect(w.find('[data-testid="agent-health"]').exists()).toBe(false);
    expect(posted).toEqual([]);
    expect(controllerReads).toEqual([]);
  });
});
