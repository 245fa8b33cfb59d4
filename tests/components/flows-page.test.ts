import Flows from '@pkg/pages/Flows.vue';
import FlowRecords from '@pkg/components/flows/FlowRecords.vue';
import { TYPES } from '@pkg/domain/stack/constants';
import {
  mountWithShell, flushPromises, fetched, until
} from '../support/mount';
import {
  ariaSort, cellTexts, header, noRows, rowTexts, tableRows
} from '../support/table';
import {
  FetchCall, clusterObjects, flowStore, podsGate, fakeQuerier, fakeCanvas, stubs, edgesBody, emptyBody, querierBody, expectWindow, DEFAULT_EDGES, HOSTILE, TALKER_METRIC_COLUMNS
} from './flows-fixtures';
import { BUSIEST_ADDRESSES } from '@pkg/domain/flows/view/view-talkers';
import * as enrichment from '@pkg/domain/flows/enrichment/enrich';
import * as policyWorld from '@pkg/domain/policy/policy-world';
import { reactive } from 'vue';

const route = (query: Record<string, string> = {}) => ({ params: { product: 'harvester', cluster: 'c-m-1' }, query });

/** The page's fetch(), then the querier calls it started. */
async function settle() {
  await fetched();
  for (let i = 0; i < 4; i++) {
    await flushPromises();
  }
}

/** A pod list that answers when `podsListed` is called. */
function mountFlows(options: { store?: ReturnType<typeof flowStore>; query?: Record<string, string> } = {}) {
  return mountWithShell(Flows, { store: options.store ?? flowStore(), route: route(options.query), global: { stubs } });
}

describe('Traffic Flows page', () => {
  beforeEach(() => {
    fakeCanvas();
  });

  it('loads with the edges, the VM talkers and the first records page through the cluster\'s service proxy with the CSRF header', async() => {
    document.cookie = 'CSRF=tok123';
    const calls = fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    expect(calls.find((c) => c.kind === 'talkers')?.talkers).toBe('address');
    // flow_metrics queries name the bare table and ask for minute data; flow_log needs no precision.
    expect(calls.map((c) => [c.kind, c.precision]).sort()).toEqual([['edges', '1m'], ['records', ''], ['talkers', '1m']]);
    calls.forEach((c) => {
      expect(c.sql).not.toMatch(/`|\.1m|\bip(_[01])? IN\b|chost/);
    });
    calls.forEach((c) => {
      expect(c.url).toBe('/k8s/clusters/c-m-1/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-server:20416/proxy/v1/query/');
      expect(c.headers['X-Api-Csrf']).toBe('tok123');
    });
    expect(wrapper.find('[data-testid="flow-talkers"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('starts the edges, the talkers and the first records page while the name-lookup objects load, and names the talkers once they are there', async() => {
    const calls = fakeQuerier();
    const { gate, podsListed } = podsGate();
    const store = flowStore({ podsAfter: gate });
    const wrapper = mountFlows({ store });

    for (let i = 0; i < 6; i++) {
      await flushPromises();
    }
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    podsListed();
    await settle();
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    expect(rowTexts(wrapper, 'talkers-table')[0]).toContain('vms/web-1');
    wrapper.unmount();
  });

  it('starts its statements without waiting for the node list, which only counts nodes without an agent', async() => {
    const calls = fakeQuerier();
    const { gate, podsListed: nodesListed } = podsGate();
    const wrapper = mountFlows({ store: flowStore({ nodesAfter: gate }) });

    for (let i = 0; i < 6; i++) {
      await flushPromises();
    }
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    nodesListed();
    await settle();
    expect(rowTexts(wrapper, 'talkers-table')[0]).toContain('vms/web-1');
    wrapper.unmount();
  });

  it('builds its endpoint index and policy model once per load: the store changing its lists later rebuilds neither', async() => {
    fakeQuerier();
    const objects = clusterObjects();
    // As the store holds a type it watches: a reactive array, changed in place by watch events.
    const services = reactive([...objects[TYPES.service]]);
    const indexBuilds = jest.spyOn(enrichment, 'buildEndpointIndex');
    const worldBuilds = jest.spyOn(policyWorld, 'buildPolicyWorld');
    const wrapper = mountFlows({ store: flowStore({ objects: { ...objects, [TYPES.service]: services } }) });

    await settle();
    const builds = [indexBuilds.mock.calls.length, worldBuilds.mock.calls.length];

    expect(builds[1]).toBe(1);
    services.push({ metadata: { name: 'added', namespace: 'shop' }, spec: { clusterIP: '10.53.9.9' } });
    (services[0] as any).metadata.labels = { changed: 'yes' };
    await settle();
    expect([indexBuilds.mock.calls.length, worldBuilds.mock.calls.length]).toEqual(builds);
    indexBuilds.mockRestore();
    worldBuilds.mockRestore();
    wrapper.unmount();
  });

  it('reads the name-lookup lists once the stack is known, not beside its lists', async() => {
    fakeQuerier();
    const { gate, podsListed: stackListed } = podsGate();
    const store = flowStore({ stackAfter: gate });
    const wrapper = mountFlows({ store });
    const listed = () => store.dispatched.filter((d) => d.action === 'harvester/findAll').map((d) => d.payload.type);

    for (let i = 0; i < 6; i++) {
      await flushPromises();
    }
    expect(listed()).toContain(TYPES.addon);
    expect(listed()).not.toContain(TYPES.pod);
    stackListed();
    await settle();
    expect(listed()).toContain(TYPES.pod);
    wrapper.unmount();
  });

  it('shows the talkers and the records as they answer, the map\'s place held until the edges do', async() => {
    fakeQuerier({ edges: 'pending' });
    const wrapper = mountFlows();

    await settle();
    expect(rowTexts(wrapper, 'talkers-table')[0]).toContain('vms/web-1');
    expect(tableRows(wrapper, 'records-table').length).toBeGreaterThan(0);
    expect(wrapper.find('[data-testid="flows-map-loading"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="map-canvas"]').exists()).toBe(false);
    wrapper.unmount();

    fakeQuerier();
    const loaded = mountFlows();

    await settle();
    expect(loaded.find('[data-testid="flows-map-loading"]').exists()).toBe(false);
    expect(loaded.find('[data-testid="map-canvas"]').exists()).toBe(true);
    loaded.unmount();
  });

  it('waits for the objects before it queries a namespace (its scope holds the namespace\'s VM addresses)', async() => {
    const calls = fakeQuerier();
    const { gate, podsListed } = podsGate();
    const store = flowStore({ podsAfter: gate });
    const wrapper = mountFlows({ store, query: { namespace: 'vms' } });

    for (let i = 0; i < 6; i++) {
      await flushPromises();
    }
    expect(calls).toEqual([]);
    podsListed();
    await settle();
    expect(calls.map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    wrapper.unmount();
  });

  it('re-reads the name-lookup objects on Refresh (nothing watches the projections), with the queries', async() => {
    const calls = fakeQuerier();
    const store = flowStore();
    const wrapper = mountFlows({ store });
    const podReads = () => store.dispatched.filter((d) => d.action === 'harvester/findAll' && d.payload.type === TYPES.pod).length;

    await settle();
    const [reads, queries] = [podReads(), calls.length];

    await wrapper.find('[data-testid="flows-refresh"]').trigger('click');
    await settle();
    expect(podReads()).toBe(reads + 1);
    expect(calls.length).toBe(queries + 3);
    wrapper.unmount();
  });

  it('loads the enrichment objects through the store, tolerating types the user cannot list', async() => {
    fakeQuerier();
    const store = flowStore({ forbidden: ['k8s.cni.cncf.io.networkattachmentdefinition', 'service'] });
    const wrapper = mountFlows({ store });

    await settle();
    const types = store.dispatched.filter((d) => d.action === 'harvester/findAll').map((d) => d.payload.type);

    expect(types).toEqual(expect.arrayContaining([TYPES.vm, TYPES.vmi, TYPES.pod, TYPES.node, 'service', 'k8s.cni.cncf.io.networkattachmentdefinition']));
    expect(wrapper.find('[data-testid="flows-objects-missing"]').text()).toContain('k8s.cni.cncf.io.networkattachmentdefinition, service');
    // Traffic is still shown.
    expect(wrapper.find('[data-testid="flow-map"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('ranks VMs, pods and namespaces by bytes and by connections, with links to the VMs', async() => {
    fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    const rows = () => rowTexts(wrapper, 'talkers-table');

    expect(rows()[0]).toContain('vms/web-1');
    expect(rows()[1]).toContain('vms/db-1');
    const link = wrapper.find('[data-testid="talkers-table-list-container"] [data-testid="flow-endpoint-link"]');

    expect(JSON.parse(link.attributes('data-to') as string)).toMatchObject({ params: { resource: TYPES.vm, namespace: 'vms', id: 'web-1' } });
    await wrapper.find('[data-testid="talkers-group-pod"]').trigger('click');
    await settle();
    expect(rows()[0]).toContain('shop/web-0');
    await wrapper.find('[data-testid="talkers-rank-connections"]').trigger('click');
    await settle();
    expect(rows()[0]).toContain('shop/web-1');
    await wrapper.find('[data-testid="talkers-group-namespace"]').trigger('click');
    await settle();
    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toMatch(/^shop/);
    expect(rows()[1]).toMatch(/^vms/);
    wrapper.unmount();
  });

  it('runs only the talker queries of the view shown, and re-runs them when the panel asks for another view', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows();
    const talkerCalls = () => calls.filter((c) => c.kind === 'talkers');
    const panel = () => wrapper.findComponent({ name: 'FlowTalkersPanel' });

    await settle();
    // VMs by bytes: address totals (DeepFlow does not tag virt-launcher pods); all namespaces list no address.
    expect(talkerCalls().map((c) => c.talkers)).toEqual(['address']);
    expect(talkerCalls()[0].sql).not.toMatch(/ip=|ip[46] IN/);
    expect(talkerCalls()[0].sql).toMatch(/ORDER BY sum_byte DESC/);
    expect(panel().props('view')).toEqual({ by: 'vm', rankBy: 'bytes' });
    expect(panel().props('results').addresses).toHaveLength(4);

    panel().vm.$emit('view', { by: 'pod', rankBy: 'connections' });
    await settle();
    expect(talkerCalls().slice(1).map((c) => c.talkers)).toEqual(['pod']);
    // The address query the pod view does not run is not "no data".
    expect(wrapper.find('[data-testid="flow-talkers"]').element.parentElement?.textContent).not.toContain('No traffic was recorded');
    expect(talkerCalls()[1].sql).toMatch(/exist\(pod\) GROUP BY pod_ns, pod ORDER BY sum_new_flow DESC/);
    expect(panel().props('view')).toEqual({ by: 'pod', rankBy: 'connections' });
    expect(rowTexts(wrapper, 'talkers-table')[0]).toContain('shop/web-1');

    panel().vm.$emit('view', { by: 'namespace', rankBy: 'bytes' });
    await settle();
    expect(talkerCalls().slice(2).map((c) => c.talkers).sort()).toEqual(['address', 'namespace']);
    talkerCalls().forEach((c) => expect(c.precision).toBe('1m'));
    // Only the talkers were queried again.
    expect(calls.filter((c) => c.kind !== 'talkers')).toHaveLength(2);
    const rows = rowTexts(wrapper, 'talkers-table');

    // vms: 500 tagged bytes plus its VMs' untagged 210,000; the tagged address row is not counted twice.
    expect(rows[0]).toMatch(/^vms/);
    expect(rows[1]).toMatch(/^shop/);
    wrapper.unmount();
  });

  it('says once that a talker view found nothing, when none of its queries had rows', async() => {
    fakeQuerier({ talkers: { status: 200, body: emptyBody('talkers') } });
    const wrapper = mountFlows();
    const around = () => wrapper.find('[data-testid="flow-talkers"]').element.parentElement?.textContent ?? '';

    await settle();
    expect(around()).toContain('No traffic was recorded');
    wrapper.findComponent({ name: 'FlowTalkersPanel' }).vm.$emit('view', { by: 'namespace', rankBy: 'bytes' });
    await settle();
    expect(around().match(/No traffic was recorded/g)).toHaveLength(1);
    wrapper.unmount();
  });

  it('shows a failed talker view in the panel only, and aborts a view that was replaced', async() => {
    const calls = fakeQuerier({ talkers: 'pending' });
    const wrapper = mountFlows();
    const panel = () => wrapper.findComponent({ name: 'FlowTalkersPanel' });

    await settle();
    expect(panel().props('loading')).toBe(true);
    const first = calls.find((c) => c.kind === 'talkers') as { signal: AbortSignal };

    panel().vm.$emit('view', { by: 'pod', rankBy: 'bytes' });
    await settle();
    expect(first.signal.aborted).toBe(true);
    wrapper.unmount();

    fakeQuerier({ talkers: { status: 500, body: '{"OPT_STATUS":"FAIL","DESCRIPTION":"talkers broke","result":null}' } });
    const failing = mountFlows();

    await settle();
    const messages = failing.findAll('[data-testid="flow-message-error"]');

    expect(messages).toHaveLength(1);
    expect(messages[0].text()).toContain('rejected the query: talkers broke');
    expect(failing.find('[data-testid="flow-map"]').exists()).toBe(true);
    failing.unmount();
  });

  it('explains a namespace the querier cannot take instead of querying', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows({ query: { namespace: 'team-slimit' } });

    await settle();
    expect(calls.filter((c) => c.kind !== 'records')).toHaveLength(0);
    expect(wrapper.text()).toContain('cannot be used as a namespace filter');
    expect(wrapper.text()).toContain('mistakes any query text containing "slimit"');
    wrapper.unmount();
  });

  it('breaks traffic down by category, protocol and port', async() => {
    fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    const categories = cellTexts(wrapper, 'categories-table');
    const bytes = (table: string[][]) => table.map((cells) => cells[1]);

    expect(categories.map((cells) => cells[0])).toEqual(expect.arrayContaining(['Between VM networks (inter-VLAN)', 'To a Service', 'To external']));
    expect(rowTexts(wrapper, 'protocols-table').join()).toContain('UDP');
    expect(cellTexts(wrapper, 'ports-table').map((cells) => cells[0])).toContain('TCP/5432');
    // Each opens biggest first (the shell's `:desc` sort on Bytes), and its headers sort it.
    const parse = (text: string) => Number(text.split(' ')[0]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(text.split(' ')[1]);

    for (const table of ['categories-table', 'protocols-table', 'ports-table']) {
      const sizes = bytes(cellTexts(wrapper, table)).map(parse);

      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
    await header(wrapper, 'ports-table', 'Port').trigger('click');
    const ports = cellTexts(wrapper, 'ports-table').map((cells) => cells[0]);

    expect(ports).toEqual([...ports].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    wrapper.unmount();
  });

  it('draws the traffic map by namespace, reports its first draw, and opens a namespace on click', async() => {
    const recorder = fakeCanvas();

    fakeQuerier();
    const drawn = jest.fn();

    window.addEventListener('hnm-traffic-map-first-draw', drawn);
    const wrapper = mountFlows();

    await settle();
    const map = wrapper.findComponent({ name: 'FlowTrafficMap' });

    expect(map.attributes('data-first-draw-ms')).toMatch(/^\d+(\.\d)?$/);
    expect(drawn).toHaveBeenCalled();
    const vm = map.vm as any;
    const ids = vm.scene.nodes.map((n: any) => n.id);

    expect(ids).toEqual(expect.arrayContaining(['namespace:vms', 'namespace:shop', 'external-group:public']));
    expect(recorder.texts).toEqual(expect.arrayContaining(['vms', 'shop', 'External (public addresses)']));
    // Click the vms namespace where it is drawn.
    const i = vm.layout.indexOf('namespace:vms');
    const x = vm.layout.x[i] * vm.viewport.k + vm.viewport.tx;
    const y = vm.layout.y[i] * vm.viewport.k + vm.viewport.ty;
    const canvas = wrapper.find('[data-testid="map-canvas"]');

    await canvas.trigger('pointerdown', { clientX: x, clientY: y, pointerId: 1 });
    await canvas.trigger('pointerup', { clientX: x, clientY: y, pointerId: 1 });
    await settle();
    expect(wrapper.find('[data-testid="map-focus"]').text()).toContain('Namespace vms');
    const opened = (wrapper.findComponent({ name: 'FlowTrafficMap' }).vm as any).scene.nodes.map((n: any) => n.id);

    expect(opened).toEqual(expect.arrayContaining(['vm:vms/web-1', 'vm:vms/db-1', 'namespace:shop']));
    expect(opened).not.toContain('namespace:vms');
    // Back to the overview, without another query.
    const before = (window.fetch as jest.Mock).mock.calls.length;

    await wrapper.find('[data-testid="map-back"]').trigger('click');
    expect((wrapper.findComponent({ name: 'FlowTrafficMap' }).vm as any).scene.nodes.map((n: any) => n.id)).toContain('namespace:vms');
    expect((window.fetch as jest.Mock).mock.calls.length).toBe(before);
    window.removeEventListener('hnm-traffic-map-first-draw', drawn);
    wrapper.unmount();
  });

  it('renders hostile names from flow data and objects as text, never markup', async() => {
    const recorder = fakeCanvas();

    fakeQuerier();
    (window as any).__hacked = undefined;
    const wrapper = mountFlows();

    await settle();
    // Open the hostile namespace on the map and in the table.
    (wrapper.findComponent({ name: 'FlowTrafficMap' }).vm as any).$emit('focus', `ns-${ HOSTILE }`);
    await settle();
    await wrapper.find('[data-testid="map-toggle-table"]').trigger('click');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.element.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(wrapper.find('[data-testid="conversations-table-list-container"]').text()).toContain('<img src=x onerror="window.__hacked=1">\'"');
    expect(wrapper.find('[data-testid="records-table-list-container"]').text()).toContain('shop/<img src=x');
    expect(recorder.texts.some((t) => t.includes('<img src=x'))).toBe(true);
    expect((window as any).__hacked).toBeUndefined();
    wrapper.unmount();
  });

  it('shows the largest conversations instead of a map that would be too large', async() => {
    const rows = Array.from({ length: 1600 }, (_, i) => ({
      ip_0: '10.52.1.20', ip_1: '10.52.1.21', pod_0: `p${ i }`, pod_ns_0: `ns${ i }`, sum_byte_tx: 1000 + i, sum_byte_rx: 1
    }));

    fakeQuerier({ edges: { status: 200, body: edgesBody(rows) } });
    const wrapper = mountFlows();

    await settle();
    expect(wrapper.find('[data-testid="map-too-large"]').text()).toContain('1,601 nodes, more than 1,500');
    expect(wrapper.find('[data-testid="map-canvas"]').exists()).toBe(false);
    const table = tableRows(wrapper, 'conversations-table');

    // The 200 largest, one page of the shell's default 100 rows at a time.
    expect(table).toHaveLength(100);
    expect(table[0].text()).toContain('ns1599/p1599');
    wrapper.unmount();
  });

  it('says what to check when the querier has no data yet', async() => {
    fakeQuerier({
      edges: { status: 200, body: emptyBody('edges') }, talkers: { status: 200, body: emptyBody('talkers') }, records: { status: 200, body: emptyBody('records') }
    });
    const wrapper = mountFlows();

    await settle();
    const help = wrapper.find('[data-testid="flow-no-data"]');

    expect(help.text()).toContain('No traffic data yet');
    expect(wrapper.find('[data-testid="flow-no-data-agents"]').text()).toContain('3 of 3 are ready in namespace harvester-network-monitoring-agent');
    expect(help.text()).toContain('deepflow-ctl agent list');
    expect(wrapper.find('[data-testid="flow-talkers"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it.each([
    [403, '{"kind":"Status","code":403}', 'warning', 'services/proxy in namespace harvester-network-monitoring'],
    [404, '{"kind":"Status","code":404}', 'warning', 'service hnm-server in namespace harvester-network-monitoring'],
    [503, '{"message":"no endpoints available"}', 'error', 'The server is not ready or the API server cannot reach it (HTTP 503)'],
    [400, '{"OPT_STATUS":"INVALID_POST_DATA","DESCRIPTION":"syntax <b>error</b>"}', 'error', 'rejected the query: syntax <b>error</b>'],
    [500, '{"OPT_STATUS":"FAIL","DESCRIPTION":"function: Sum(byte) not support","result":null}', 'error', 'rejected the query: function: Sum(byte) not support'],
    [500, '{"OPT_STATUS":"SERVER_ERROR","DESCRIPTION":"clickhouse down"}', 'error', 'rejected the query: clickhouse down'],
    [500, '<html>Internal Server Error</html>', 'error', 'could not run the query'],
    [200, 'not json', 'error', 'cannot be read (not JSON)'],
  ])('explains a querier answering %i once for the whole page', async(status, body, tone, text) => {
    fakeQuerier({
      edges: { status, body }, talkers: { status, body }, records: { status, body }
    });
    const wrapper = mountFlows();

    await settle();
    const messages = wrapper.findAll(`[data-testid="flow-message-${ tone }"]`);

    expect(messages).toHaveLength(1);
    expect(messages[0].text()).toContain(text);
    expect(wrapper.find('b').exists()).toBe(false);
    expect(wrapper.find('[data-testid="flow-records"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('reports partial data: unreadable rows left out and addresses that match no object', async() => {
    const body = edgesBody(DEFAULT_EDGES).replace('"values":[', '"values":[["broken"],');

    fakeQuerier({ edges: { status: 200, body } });
    const wrapper = mountFlows();

    await settle();
    expect(wrapper.find('[data-testid="flow-message-warning"]').text()).toContain('1 row was left out');
    const partial = wrapper.findAll('[data-testid="flows-partial"]').map((b) => b.text());

    expect(partial.some((t) => t.includes('1 address inside the cluster matched no VM'))).toBe(true);
    wrapper.unmount();
  });

  it('says VMs are ranked among the busiest addresses when that answer is full, and not otherwise', async() => {
    const partialTexts = (w: ReturnType<typeof mountFlows>) => w.findAll('[data-testid="flows-partial"]').map((b) => b.text());

    fakeQuerier();
    const small = mountFlows();

    await settle();
    expect(partialTexts(small).some((t) => t.includes('busiest addresses'))).toBe(false);
    small.unmount();
    const values = Array.from({ length: BUSIEST_ADDRESSES }, (_, i) => [`198.18.${ i >> 8 }.${ i & 255 }`, '', 1, 1, 2, 1, 1]);

    fakeQuerier({ talkers: { status: 200, body: querierBody(['ip', 'pod_ns', ...TALKER_METRIC_COLUMNS], values) } });
    const full = mountFlows();

    await settle();
    expect(partialTexts(full)).toContain('Top VMs are ranked among the 1,000 busiest addresses of the cluster; a VM with less traffic than all of them is not listed. Pick a namespace to rank its VMs alone.');
    full.unmount();
  });

  it('links to the install page and queries nothing when the stack is not installed', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows({ store: flowStore({ installed: false }) });

    await settle();
    expect(calls).toHaveLength(0);
    expect(JSON.parse(wrapper.find('[data-testid="flows-install"]').attributes('data-to') as string))
      .toEqual({ name: 'harvester-c-cluster-network-monitoring-install', params: { product: 'harvester', cluster: 'c-m-1' } });
  });

  it('aborts the queries in flight when the user leaves the page', async() => {
    const calls = fakeQuerier({
      edges: 'pending', talkers: 'pending', records: 'pending'
    });
    const wrapper = mountFlows();

    await settle();
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => !c.signal.aborted)).toBe(true);
    wrapper.unmount();
    expect(calls.every((c) => c.signal.aborted)).toBe(true);
  });

  it('scopes every query to the chosen namespace, by tag and by its VMs\' addresses', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows({ query: { namespace: 'vms', range: '6h' } });

    await settle();
    expect(calls).toHaveLength(3);
    calls.filter((c) => c.kind !== 'talkers').forEach((c) => {
      expect(c.sql).toMatch(/pod_ns(_0)?='vms'/);
      expect(c.sql).toContain('(is_ipv4=1 AND ip4_0 IN (\'192.168.100.11\', \'10.52.0.10\', \'192.168.100.10\'))');
    });
    // The VM talkers rank exactly the namespace's VM addresses.
    expect(calls.find((c) => c.kind === 'talkers')?.sql).toContain('AND (is_ipv4=1 AND ip4 IN (\'192.168.100.11\', \'10.52.0.10\', \'192.168.100.10\')) GROUP BY ip, pod_ns');
    // Its tag views are scoped by tag or address.
    await wrapper.find('[data-testid="talkers-group-namespace"]').trigger('click');
    await settle();
    const namespaceViews = calls.slice(3);

    expect(namespaceViews.map((c) => c.talkers).sort()).toEqual(['address', 'namespace']);
    expect(namespaceViews.find((c) => c.talkers === 'namespace')?.sql)
      .toContain('AND (pod_ns=\'vms\' OR (is_ipv4=1 AND ip4 IN (\'192.168.100.11\', \'10.52.0.10\', \'192.168.100.10\'))) AND exist(pod_ns)');
    expectWindow(calls.find((c) => c.kind === 'edges') as FetchCall, 6 * 3600, '1m');
    // The map opens the namespace right away.
    expect(wrapper.find('[data-testid="map-focus"]').text()).toContain('vms');
    wrapper.unmount();
  });

  it('reloads with the new range when it changes', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    await wrapper.find('[data-testid="flows-range"]').setValue('24h');
    await settle();
    expect(calls).toHaveLength(6);
    expect(calls.slice(3).map((c) => c.kind).sort()).toEqual(['edges', 'records', 'talkers']);
    // A day is read from the hourly rows; the flow records (one row per flow) have no precision.
    calls.slice(3).filter((c) => c.kind !== 'records').forEach((c) => expectWindow(c, 86400, '1h'));
    expect(calls.slice(3).find((c) => c.kind === 'records')?.precision).toBe('');
    wrapper.unmount();
  });
});

describe('Flow records table', () => {
  beforeEach(() => {
    fakeCanvas();
  });

  it('filters, sorts and pages on the querier, one call each', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    expect(tableRows(wrapper, 'records-table')).toHaveLength(2);
    const records = () => calls.filter((c) => c.kind === 'records');

    await wrapper.find('input[data-testid="records-filter-port"]').setValue('8080');
    await wrapper.find('[data-testid="records-filter-protocol"]').setValue('tcp');
    await wrapper.find('[data-testid="records-filter-vm"]').setValue('vms/web-1');
    await wrapper.find('[data-testid="records-filters"]').trigger('submit');
    await settle();
    expect(records()).toHaveLength(2);
    expect(records()[1].sql).toContain('server_port=8080');
    expect(records()[1].sql).toContain('protocol=6');
    expect(records()[1].sql).toContain('\'10.52.0.10\'');
    expect(records()[1].sql).toContain('\'virt-launcher-web-1-abcde\'');

    // The shell's SortableTable reports a header click after its debounce; the page asks the querier.
    await header(wrapper, 'records-table', 'Bytes').trigger('click');
    await until(() => records().length === 3, 'the records query sorted by bytes');
    await settle();
    expect(records()[2].sql).toMatch(/ORDER BY byte DESC LIMIT 50$/);
    await header(wrapper, 'records-table', 'Bytes').trigger('click');
    await until(() => records().length === 4, 'the records query sorted by bytes, ascending');
    await settle();
    expect(records()[3].sql).toMatch(/ORDER BY byte ASC LIMIT 50$/);
    // Back to the start time: a new header starts latest first.
    await header(wrapper, 'records-table', 'Start').trigger('click');
    await until(() => records().length === 5, 'the records query sorted by start time');
    await settle();
    expect(records()[4].sql).toMatch(/ORDER BY start_time DESC LIMIT 50$/);
    expect(calls).toHaveLength(3 + 4);
    wrapper.unmount();
  });

  it('starts at the applied sort and asks for the sort a header click means, without sorting itself', async() => {
    const mountRecords = (props: Record<string, unknown>) => mountWithShell(FlowRecords, {
      props: {
        result: { rows: [], page: 0, hasNext: false }, sort: { column: 'byte', direction: 'asc' }, cluster: 'c-m-1', ...props
      },
      global: { stubs },
    });
    const w = mountRecords({});

    // Bytes is the current header, flipped (its first direction, biggest first, is the shell's "ascending").
    expect(ariaSort(w, 'records-table', 'Bytes')).toBe('descending');
    expect(ariaSort(w, 'records-table', 'Start')).toBe('None');
    // Only the querier's sort columns are sortable.
    expect(header(w, 'records-table', 'Client').classes()).not.toContain('sortable');
    expect(noRows(w, 'records-table').text()).toBe('No flow records match these filters in the selected time range.');
    await header(w, 'records-table', 'Bytes').trigger('click');
    await until(() => !!w.emitted('sort'), 'the sort event');
    await header(w, 'records-table', 'RTT').trigger('click');
    await until(() => w.emitted('sort')?.length === 2, 'the second sort event');
    // The table's own report of its first state (what the page applied) asks for nothing.
    expect(w.emitted('sort')).toEqual([[{ column: 'byte', direction: 'desc' }], [{ column: 'rtt', direction: 'desc' }]]);
    w.unmount();
    // While the first page loads (the shell shows it after its 200 ms loading delay).
    const loading = mountRecords({ loading: true });

    await until(() => noRows(loading, 'records-table').exists(), 'the loading row');
    expect(noRows(loading, 'records-table').text()).toBe('Loading flow records...');
    loading.unmount();
  });

  it('pages forward only after a full page, with an offset', async() => {
    const { recordsBody } = jest.requireActual('./flows-fixtures');
    const calls = fakeQuerier({ records: { status: 200, body: recordsBody(50) } });
    const wrapper = mountFlows();

    await settle();
    expect(wrapper.find('[data-testid="records-previous"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-testid="records-next"]').trigger('click');
    await settle();
    const last = calls[calls.length - 1];

    expect(last.kind).toBe('records');
    expect(last.sql).toMatch(/LIMIT 50 OFFSET 50$/);
    expect(wrapper.find('[data-testid="records-page"]').text()).toBe('Page 2');
    wrapper.unmount();
  });

  it('explains invalid filters without querying', async() => {
    const calls = fakeQuerier();
    const wrapper = mountFlows();

    await settle();
    await wrapper.find('input[data-testid="records-filter-port"]').setValue('99999');
    await wrapper.find('input[data-testid="records-filter-ip"]').setValue('10.0.0.300');
    await wrapper.find('input[data-testid="records-filter-pod"]').setValue('<img src=x>');
    await wrapper.find('[data-testid="records-filters"]').trigger('submit');
    await settle();
    const errors = wrapper.find('[data-testid="records-errors"]').text();

    expect(errors).toContain('0 to 65535');
    expect(errors).toContain('not a valid IPv4 or IPv6 address');
    expect(errors).toContain('A pod name has lowercase letters');
    expect(calls).toHaveLength(3);
    // A valid name the querier would mistake for its SLIMIT keyword gets its own message.
    await wrapper.find('input[data-testid="records-filter-port"]').setValue('');
    await wrapper.find('input[data-testid="records-filter-ip"]').setValue('');
    await wrapper.find('input[data-testid="records-filter-pod"]').setValue('web-slimit-0');
    await wrapper.find('[data-testid="records-filters"]').trigger('submit');
    await settle();
    expect(wrapper.find('[data-testid="records-errors"]').text()).toContain('filter by the pod\'s IP address instead');
    expect(calls).toHaveLength(3);
    wrapper.unmount();
  });
});
