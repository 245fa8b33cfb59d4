/**
 * NetworkPolicy verdicts in the flow views (records column, traffic-map tooltip and table, the
 * Network tab's peers), the Flows page's policy filter, and the proposal view: dry-run counts,
 * YAML edits, and Apply (server-side dry run first, then the create, errors shown as text).
 */
import FlowRecords from '@pkg/components/flows/FlowRecords.vue';
import TrafficMap from '@pkg/components/flows/TrafficMap.vue';
import PolicyProposal from '@pkg/components/policy/PolicyProposal.vue';
import Flows from '@pkg/pages/Flows.vue';
import SubjectNetwork from '@pkg/components/flows/SubjectNetwork.vue';
import { vmSubject } from '@pkg/domain/flows/view/view-peers';
import { TYPES } from '@pkg/domain/stack/constants';
import { categorize } from '@pkg/domain/flows/enrichment/categories';
import { EnrichedFlow } from '@pkg/domain/flows/enrichment/aggregate';
import { mapModel } from '@pkg/domain/flows/view/view-flows';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';
import { vmPeersQuery } from '@pkg/domain/flows/query/queries';
import { PolicyView, policyView } from '@pkg/domain/policy/verdict-view';
import { policiesYaml } from '@pkg/domain/policy/policy-yaml';
import { YamlEditorStub } from '../support/shell-stubs';
import {
  cellTexts, headerLabels, rowTexts, subRowTexts, tableRows
} from '../support/table';
import {
  fakeStore, fetched, flushPromises, mountWithShell, until
} from '../support/mount';
import {
  HOSTILE, LabeledSelectStub, clusterObjects, edgesBody, fakeCanvas, fakeQuerier, flowStore
} from './flows-fixtures';

// ---------------------------------------------------------------------------------------------
// A cluster: VM vms/web-1 (launcher pod 10.52.0.10), pods shop/web-0 and shop/web-1, and a pod
// whose label value is hostile markup; shop/web-0 admits TCP 8080 only from pods app=<hostile>.

const CLIENT_LABEL = HOSTILE;

function objects(withPolicies = true) {
  const byType = clusterObjects();
  const pods = [...byType[TYPES.pod], {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evil', namespace: 'shop', labels: { app: CLIENT_LABEL } }, spec: { nodeName: 'node-1' }, status: { phase: 'Running', podIP: '10.52.1.30', podIPs: [{ ip: '10.52.1.30' }] },
  }];

  return {
    vms:                          byType[TYPES.vm],
    vmis:                         byType[TYPES.vmi],
    pods,
    nodes:                        byType[TYPES.node],
    services:                     byType[TYPES.service],
    networkAttachmentDefinitions: byType[TYPES.nad],
    namespaces:                   byType[TYPES.namespace],
    networkPolicies:              withPolicies ? [{
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'web-from-evil', namespace: 'shop' },
      spec:       {
        podSelector: { matchLabels: { app: 'web-0' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: CLIENT_LABEL } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      },
    }] : [],
  };
}

const OBJECTS = objects();
const INDEX = buildEndpointIndex(OBJECTS);

function flow(clientIp: string, serverIp: string, serverPort: number, extra: Partial<EnrichedFlow> = {}): EnrichedFlow {
  const client = INDEX.resolve(clientIp, {}) as Endpoint;
  const server = INDEX.resolve(serverIp, {}) as Endpoint;

  return {
    client, server, protocol: 6, serverPort, bytesTx: 1000, bytesRx: 2000, packetsTx: 10, packetsRx: 10, rttUs: 100, retrans: 0, failedConnections: 0, connections: 1, category: categorize(client, server), ...extra,
  };
}

const ALLOWED = flow('10.52.1.30', '10.52.1.20', 8080);
const BLOCKED = flow('10.52.0.10', '10.52.1.20', 8080);
const OPEN = flow('10.52.1.21', '10.52.0.10', 22);

function record(f: EnrichedFlow, i: number) {
  return {
    ...f, startTime: 1_700_000_000 + i, endTime: 1_700_000_010 + i, clientIp: f.client.ip, serverIp: f.server.ip, clientPort: 40000 + i, bytes: 3000, packets: 20, rttUs: 100, durationUs: 1000, retrans: 0,
  };
}

function mountRecords(policy: PolicyView | null, policyFilter = 'all') {
  return mountWithShell(FlowRecords, {
    props: {
      result: { rows: [ALLOWED, BLOCKED, OPEN].map(record), page: 0, hasNext: false }, sort: { column: 'start_time', direction: 'desc' }, cluster: 'c-m-1', policy, policyFilter,
    },
    global: { stubs: { LabeledSelect: LabeledSelectStub } },
  });
}

const settle = async() => {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
  }
};

const verdictTexts = (w: ReturnType<typeof mountWithShell>) => w.findAll('[data-testid="policy-verdict"]').map((v) => v.text());

describe('the Policy column of flow records', () => {
  it('says allowed with the matched rule, blocked with the policy, and allowed-by-default', () => {
    const w = mountRecords(policyView(OBJECTS, []));

    expect(headerLabels(w, 'records-table')).toContain('Policy');
    const [allowed, blocked, open] = verdictTexts(w);

    expect(allowed).toContain('Allowed');
    expect(allowed).toContain(`At the server (ingress): allowed by shop/web-from-evil, ingress rule 1: from pods app=${ CLIENT_LABEL } in shop, on TCP 8080`);
    expect(blocked).toContain('Blocked');
    expect(blocked).toContain('At the server (ingress): blocked: shop/web-from-evil select this pod and no rule allows it');
    expect(open).toContain('No policy selects this pod: allowed by default');
    // The hostile label value is text, never markup.
    expect(w.find('img').exists()).toBe(false);
    expect((window as any).__hacked).toBeUndefined();
  });

  it('says "cannot tell" when the NetworkPolicies could not be read', () => {
    const w = mountRecords(policyView(objects(false), [{ type: TYPES.networkPolicy }]));

    for (const text of verdictTexts(w)) {
      expect(text).toContain('Cannot tell: NetworkPolicies could not be read');
    }
  });

  it('hides the page\'s rows the policy filter excludes and says so', () => {
    const w = mountRecords(policyView(OBJECTS, []), 'unrestricted');

    expect(tableRows(w, 'records-table')).toHaveLength(1);
    expect(w.find('[data-testid="records-policy-filtered"]').text()).toBe('1 of 3 records on this page match the policy filter.');
    expect(rowTexts(w, 'records-table')[0]).toContain('shop/web-1');
  });

  it('has no Policy column without a policy model', () => {
    expect(headerLabels(mountRecords(null), 'records-table')).not.toContain('Policy');
  });
});

describe('verdicts on the traffic map', () => {
  const flows = [ALLOWED, BLOCKED, OPEN];
  const graph = mapModel(flows, { focusNamespace: 'shop' });

  it('adds the verdict of the edge under the pointer to its tooltip', async() => {
    fakeCanvas();
    const w = mountWithShell(TrafficMap, {
      props: {
        graph, flows, cluster: 'c-m-1', focusNamespace: 'shop', policy: policyView(OBJECTS, [])
      }
    });

    await flushPromises();
    const vm = w.vm as any;
    const edge = vm.scene.edges.findIndex((e: any) => e.edge.id === 'pod:shop/evil->pod:shop/web-0');
    const tip = vm.edgeTooltip(edge, { x: 10, y: 10 });

    expect(tip.lines).toContain('Policy: Allowed');
    expect(tip.lines.join('\n')).toContain(`allowed by shop/web-from-evil, ingress rule 1: from pods app=${ CLIENT_LABEL } in shop, on TCP 8080`);
    vm.tooltip = tip;
    await w.vm.$nextTick();
    expect(w.find('[data-testid="map-tooltip"]').text()).toContain('Policy: Allowed');
    expect(w.find('[data-testid="map-tooltip"] img').exists()).toBe(false);
    w.unmount();
  });

  it('shows a Policy column in the table view', async() => {
    const w = mountWithShell(TrafficMap, {
      props: {
        graph, flows, cluster: 'c-m-1', focusNamespace: 'shop', policy: policyView(OBJECTS, [])
      }
    });

    await w.find('[data-testid="map-toggle-table"]').trigger('click');
    await until(() => verdictTexts(w).length === 3, 'the conversation verdicts');
    expect(headerLabels(w, 'conversations-table')).toContain('Policy');
    expect(verdictTexts(w).sort()).toEqual([expect.stringContaining('Allowed'), expect.stringContaining('Allowed'), expect.stringContaining('Blocked')].sort());
    w.unmount();
  });
});

describe('the Flows page\'s policy filter', () => {
  const launcherPolicy = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-1-in', namespace: 'vms' }, spec: { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'web-1' } }, ingress: [{}] },
  };

  async function mountFlows(store: ReturnType<typeof flowStore>, query: Record<string, string> = {}) {
    fakeCanvas();
    fakeQuerier();
    const w = mountWithShell(Flows, { store, route: { params: { product: 'harvester', cluster: 'c-m-1' }, query }, global: { stubs: { LabeledSelect: LabeledSelectStub } } });

    await fetched();
    await settle();

    return w;
  }
  const mapFlows = (w: ReturnType<typeof mountWithShell>) => (w.findComponent(TrafficMap).props('flows') as EnrichedFlow[]).map((f) => `${ f.client.key }->${ f.server.key }`);

  it('offers all flows, flows no policy restricts and flows of VMs without policy, and narrows the map', async() => {
    const w = await mountFlows(flowStore());
    const select = w.find('[data-label="Policy"]');

    expect(select.findAll('option').map((o) => o.text())).toEqual(['All flows', 'Flows that no policy restricts', 'Flows to or from VMs with no policy']);
    const all = mapFlows(w).length;

    await select.setValue('vm-without-policy');
    await flushPromises();
    // VM web-1's launcher pod is listed and selected by no policy; db-1's is not listed (unknown, left out).
    expect(mapFlows(w).sort()).toEqual(['vm:vms/web-1->pod:shop/web-0', 'vm:vms/web-1->vm:vms/db-1']);
    expect(mapFlows(w).length).toBeLessThan(all);
    expect(w.find('[data-testid="flows-policy-note"]').text()).toContain('Policy filter "Flows to or from VMs with no policy"');
    w.unmount();
  });

  it('drops VMs a policy selects, and reads the filter from the address', async() => {
    const objects = { ...clusterObjects(), [TYPES.networkPolicy]: [launcherPolicy] };
    const w = await mountFlows(flowStore({ objects }), { policy: 'vm-without-policy' });

    expect(mapFlows(w)).toEqual([]);
    w.unmount();
  });

  it('proposes NetworkPolicies for the namespace shown', async() => {
    const w = await mountFlows(flowStore(), { namespace: 'vms' });

    await w.find('[data-testid="flows-propose-policy"]').trigger('click');
    // The editor loads when opened (its own chunk).
    await until(() => w.findComponent(PolicyProposal).exists(), 'the proposal editor');
    const proposal = w.findComponent(PolicyProposal);

    expect(proposal.props('subject')).toEqual({ kind: 'namespace', namespace: 'vms' });
    // Its flows are the namespace's edges, the same statement shape as the map's.
    expect((proposal.props('queryFor') as any)({ range: { start: 1796300000, end: 1796303600 }, nowSeconds: 1796303600 }).sql).toContain('FROM network');
    w.unmount();
  });

  it('offers no namespace proposal while all namespaces are shown', async() => {
    const w = await mountFlows(flowStore());

    expect(w.find('[data-testid="flows-propose-policy"]').exists()).toBe(false);
    w.unmount();
  });

  it('reports NetworkPolicies it may not list as a load problem', async() => {
    const w = await mountFlows(flowStore({ forbidden: [TYPES.networkPolicy] }));

    expect(w.find('[data-testid="flows-objects-missing"]').text()).toContain(TYPES.networkPolicy);
    w.unmount();
  });
});

// ---------------------------------------------------------------------------------------------
// The proposal for VM vms/web-1: it calls shop/web-0 on 8080 and shop/web-1 calls it on 22.

const VM_EDGES = [
  { ip_0: '10.52.0.10', ip_1: '10.52.1.20', server_port: 8080, sum_byte_tx: 4000, sum_byte_rx: 6000 },
  { ip_0: '10.52.1.21', ip_1: '10.52.0.10', server_port: 22, sum_byte_tx: 100, sum_byte_rx: 200 },
];

function mountProposal(store = fakeStore({ dispatch: () => Promise.resolve({}) })) {
  fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
  const w = mountWithShell(PolicyProposal, {
    store,
    props: {
      subject:  { kind: 'vm', namespace: 'vms', name: 'web-1' },
      queryFor: (window: any) => vmPeersQuery({ window, vm: { namespace: 'vms', ips: ['10.52.0.10'] }, limit: 500 }),
      index:    INDEX,
      // Without the shop policy, so the proposal alone decides what is cut.
      policy:   policyView(objects(false), []),
      cluster:  'c-m-1',
    },
    global: { stubs: { LabeledSelect: LabeledSelectStub, YamlEditor: YamlEditorStub } },
  });

  return { w, store };
}

const countsRow = (w: ReturnType<typeof mountWithShell>, i: number) => cellTexts(w, 'policy-dry-run-counts')[i];

async function editYaml(w: ReturnType<typeof mountWithShell>, text: string) {
  await w.find('[data-testid="policy-proposal-yaml"]').setValue(text);
  await flushPromises();
}

/** The proposal without its ingress rules: the flow into the VM on port 22 is cut. */
function egressOnly(w: ReturnType<typeof mountWithShell>) {
  const proposal = (w.vm as any).proposal.policies[0];

  return policiesYaml([{ ...proposal, spec: { ...proposal.spec, ingress: [] } }]);
}

describe('the Network tab of a VM', () => {
  it('shows each peer\'s verdict and opens the proposal', async() => {
    fakeQuerier({ edges: { status: 200, body: edgesBody(VM_EDGES) } });
    const subject = vmSubject(INDEX, 'vms', 'web-1');

    if (!subject.ok) {
      throw new Error('the fixture VM has addresses');
    }
    const w = mountWithShell(SubjectNetwork, {
      props: {
        subject: subject.subject, index: INDEX, cluster: 'c-m-1', grafanaTarget: { kind: 'vm', namespace: 'vms', name: 'web-1' }, objects: OBJECTS, objectProblems: [],
      },
      global: { stubs: { LabeledSelect: LabeledSelectStub, YamlEditor: YamlEditorStub, Sparkline: true } },
    });

    await settle();
    // The tab is narrow: each peer's verdict is the row under it, not a column.
    expect(headerLabels(w, 'peers-table')).not.toContain('Policy');
    const peers = rowTexts(w, 'peers-table');
    const verdicts = subRowTexts(w, 'peers-table');
    const verdictOf = (peer: string) => verdicts[peers.findIndex((r) => r.includes(peer))];

    // shop/web-0 admits 8080 only from app=<hostile> pods: the VM's calls are blocked there.
    expect(verdictOf('shop/web-0')).toContain('blocked: shop/web-from-evil select this pod');
    expect(verdictOf('shop/web-1')).toContain('No policy selects this pod: allowed by default');
    expect(verdicts.every((v) => /^(Allowed|Blocked|Cannot tell|Not enforced)/.test(v))).toBe(true);
    await w.find('[data-testid="subject-propose-policy"]').trigger('click');
    await settle();
    expect(w.find('[data-testid="policy-proposal"]').text()).toContain('NetworkPolicy proposal for VM vms/web-1');
    w.unmount();
  });
});

describe('the policy proposal of a VM', () => {
  it('builds the YAML from the window\'s flows and dry-runs it over both windows', async() => {
    const { w } = mountProposal();

    await settle();
    const yaml = (w.find('[data-testid="policy-proposal-yaml"]').element as HTMLTextAreaElement).value;

    expect(yaml).toContain('name: allow-observed-web-1');
    expect(yaml).toContain('vm.kubevirt.io/name: web-1');
    expect(yaml).toContain('port: 8080');
    expect(yaml).toContain('port: 22');
    expect(w.find('[data-testid="policy-proposal-sources"]').text()).toContain('2 flows give the rules; every flow was used.');
    // Window, total, allowed, cut, unknown, not enforced: the proposal allows every flow it came from.
    expect(countsRow(w, 0)).toEqual(['Last hour', '2', '2', '0', '0', '0']);
    expect(countsRow(w, 1)).toEqual(['Last 7 days (hourly data)', '2', '2', '0', '0', '0']);
    expect(w.find('[data-testid="policy-cut-window"]').text()).toContain('No flow of this window would be cut.');
  });

  it('re-parses edits: problems are listed, and an edited policy is dry-run with the flows it cuts', async() => {
    const { w } = mountProposal();

    await settle();
    await editYaml(w, 'kind: [');
    expect(w.find('[data-testid="policy-proposal-problems"]').text()).toContain('The YAML cannot be read');
    expect(w.find('[data-testid="policy-proposal-apply"]').attributes('disabled')).toBeDefined();

    await editYaml(w, egressOnly(w));
    expect(w.find('[data-testid="policy-proposal-problems"]').exists()).toBe(false);
    expect(w.find('[data-testid="policy-proposal-edited"]').exists()).toBe(true);
    expect(countsRow(w, 0)).toEqual(['Last hour', '2', '1', '1', '0', '0']);
    const cut = rowTexts(w, 'policy-cut-table-window')[0];

    expect(cut).toContain('shop/web-1');
    expect(cut).toContain('TCP/22');
    expect(cut).toContain('Allowed');
  });

  it('applies after confirmation: the server-side dry run first, then exactly the shown policy', async() => {
    const { w, store } = mountProposal();

    await settle();
    await w.find('[data-testid="policy-proposal-apply"]').trigger('click');
    const confirm = w.find('[data-testid="policy-apply-confirm"]');
    const shown = w.find('[data-testid="policy-apply-yaml"]').text();

    expect(shown).toContain('name: allow-observed-web-1');
    expect(confirm.find('[data-testid="policy-apply-counts"]').text()).toContain('Dry run, Last hour: 2 still allowed, 0 cut, 0 cannot tell, 0 not enforced here.');
    expect(store.dispatched.filter((d) => d.action === 'harvester/request')).toHaveLength(0);

    await w.find('[data-testid="policy-apply-confirm-button"]').trigger('click');
    await settle();
    const requests = store.dispatched.filter((d) => d.action === 'harvester/request').map((d) => d.payload);

    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/k8s/clusters/c-m-1/apis/networking.k8s.io/v1/namespaces/vms/networkpolicies?fieldManager=harvester-network-monitoring&dryRun=All'],
      ['POST', '/k8s/clusters/c-m-1/apis/networking.k8s.io/v1/namespaces/vms/networkpolicies?fieldManager=harvester-network-monitoring'],
    ]);
    expect(requests[1].data).toEqual((w.vm as any).policies[0]);
    expect(policiesYaml([requests[1].data])).toBe(`${ shown.trim() }\n`);
    expect(w.find('[data-testid="policy-proposal-applied"]').text()).toContain('Created NetworkPolicy vms/allow-observed-web-1');
  });

  it('shows the server\'s refusal as text, creates nothing and keeps the edits', async() => {
    const rejection = {
      _status: 422,
      kind:    'Status',
      reason:  'Invalid',
      message: `NetworkPolicy "x" is invalid: ${ HOSTILE }`,
      details: { causes: [{ field: 'spec.ingress[0].from[0].podSelector.matchLabels', message: `Invalid value: "${ HOSTILE }"` }] },
    };
    const store = fakeStore({ dispatch: (action, payload) => (action === 'harvester/request' && payload.url.includes('dryRun=All') ? Promise.reject(rejection) : Promise.resolve({})) });
    const { w } = mountProposal(store);

    await settle();
    const edited = egressOnly(w);

    await editYaml(w, edited);
    await w.find('[data-testid="policy-proposal-apply"]').trigger('click');
    expect(w.find('[data-testid="policy-apply-counts"]').text()).toContain('Dry run, Last hour: 1 still allowed, 1 cut');
    await w.find('[data-testid="policy-apply-confirm-button"]').trigger('click');
    await settle();
    const error = w.find('[data-testid="policy-apply-error"]');

    expect(error.text()).toContain('The API server refused the policy in its dry run (Invalid)');
    expect(error.text()).toContain(`spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "${ HOSTILE }"`);
    expect(error.find('img').exists()).toBe(false);
    expect(store.dispatched.filter((d) => d.action === 'harvester/request')).toHaveLength(1);
    expect((w.find('[data-testid="policy-proposal-yaml"]').element as HTMLTextAreaElement).value).toBe(edited);
    expect((window as any).__hacked).toBeUndefined();
  });
});
