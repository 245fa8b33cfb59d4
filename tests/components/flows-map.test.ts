import TrafficMap from '@pkg/components/flows/TrafficMap.vue';
import { enrichEdges } from '@pkg/domain/flows/enrichment/aggregate';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { edgeRow } from '../fixtures/querier/edges';
import { pod } from '../fixtures/querier/cluster';
import { mountWithShell, flushPromises } from '../support/mount';
import { tableRows } from '../support/table';
import { fakeCanvas, HOSTILE } from './flows-fixtures';

const index = buildEndpointIndex({ pods: [pod('a', 'p1', '10.52.0.1'), pod('b', 'p2', '10.52.0.2'), pod(HOSTILE.replace(/[^a-z]/g, ''), 'p3', '10.52.0.3')] });
const flows = enrichEdges([
  edgeRow({
    clientIp: '10.52.0.1', serverIp: '10.52.0.2', bytesTx: 1000, bytesRx: 1000, packetsTx: 10, packetsRx: 10, rttUs: 50_000, retrans: 0
  }),
  edgeRow({
    clientIp: '10.52.0.2', serverIp: '10.52.0.9', clientPod: 'p2', clientNamespace: 'b', serverPod: HOSTILE, serverNamespace: HOSTILE, bytesTx: 10, bytesRx: 10, packetsTx: 1, packetsRx: 1
  }),
], index);

function mountMap(graph = buildTrafficGraph(flows, { groupBy: 'endpoint' })) {
  return mountWithShell(TrafficMap, { props: { graph, flows, cluster: 'c-m-1' } });
}

describe('TrafficMap', () => {
  it('paints labels as canvas text and reports the first draw', async() => {
    const recorder = fakeCanvas();
    const listener = jest.fn();

    window.addEventListener('hnm-traffic-map-first-draw', listener);
    const wrapper = mountMap();

    await flushPromises();
    expect(listener.mock.calls[0][0].detail).toMatchObject({ nodes: 3, edges: 2 });
    expect(Number(wrapper.attributes('data-first-draw-ms'))).toBeGreaterThanOrEqual(0);
    // Labels are bounded to 40 characters.
    expect(recorder.texts).toEqual(expect.arrayContaining(['p1', 'p2', `${ HOSTILE.slice(0, 39) }\u2026`]));
    expect(wrapper.find('img').exists()).toBe(false);
    window.removeEventListener('hnm-traffic-map-first-draw', listener);
    wrapper.unmount();
  });

  it('colors edges by RTT or by retransmission rate', async() => {
    fakeCanvas();
    const wrapper = mountMap();

    await flushPromises();
    const vm = wrapper.vm as any;
    const health = () => vm.scene.edges.map((e: any) => `${ e.edge.id }=${ e.health }`).sort();

    expect(health()).toContain('pod:a/p1->pod:b/p2=bad');
    expect(wrapper.find('[data-testid="map-legend-health"]').text()).toContain('green below 2.0 ms, amber below 20.0 ms');
    await wrapper.find('[data-testid="map-mode-retrans"]').trigger('click');
    expect(health()).toContain('pod:a/p1->pod:b/p2=good');
    expect(wrapper.find('[data-testid="map-legend-health"]').text()).toContain('Retransmitted packets');
    wrapper.unmount();
  });

  it('shows a text tooltip for the node under the pointer, and zooms with the buttons', async() => {
    fakeCanvas();
    const wrapper = mountMap();

    await flushPromises();
    const vm = wrapper.vm as any;
    const i = vm.layout.indexOf(`pod:${ HOSTILE }/${ HOSTILE }`);
    const at = { clientX: vm.layout.x[i] * vm.viewport.k + vm.viewport.tx, clientY: vm.layout.y[i] * vm.viewport.k + vm.viewport.ty };

    await wrapper.find('[data-testid="map-canvas"]').trigger('pointermove', at);
    const tooltip = wrapper.find('[data-testid="map-tooltip"]');

    expect(tooltip.text()).toContain(`Pod: ${ HOSTILE.slice(0, 39) }`);
    expect(tooltip.find('img').exists()).toBe(false);
    const k = vm.viewport.k;

    await wrapper.find('[data-testid="map-zoom-in"]').trigger('click');
    expect(vm.viewport.k).toBeCloseTo(Math.min(8, k * 1.3), 6);
    await wrapper.find('[data-testid="map-fit"]').trigger('click');
    expect(vm.viewport.k).toBeCloseTo(k, 6);
    wrapper.unmount();
  });

  it('offers the same data as a table, and only the table when the map is too large', async() => {
    fakeCanvas();
    const wrapper = mountMap();

    await flushPromises();
    await wrapper.find('[data-testid="map-toggle-table"]').trigger('click');
    expect(tableRows(wrapper, 'conversations-table')).toHaveLength(2);
    expect(wrapper.find('[data-testid="map-canvas"]').exists()).toBe(false);
    wrapper.unmount();

    const tooLarge = mountMap(buildTrafficGraph(flows, { groupBy: 'endpoint', maxNodes: 2 }));

    await flushPromises();
    expect(tooLarge.find('[data-testid="map-too-large"]').text()).toContain('3 nodes, more than 2');
    expect(tooLarge.find('[data-testid="map-toggle-table"]').exists()).toBe(false);
    expect(tableRows(tooLarge, 'conversations-table')[0].text()).toContain('a/p1');
    tooLarge.unmount();
  });

  it('keeps working without a 2D context (no canvas support)', async() => {
    (HTMLCanvasElement.prototype as any).getContext = () => null;
    const wrapper = mountMap();

    await flushPromises();
    expect(wrapper.attributes('data-first-draw-ms')).toBeDefined();
    wrapper.unmount();
  });
});

describe('TrafficMap workloads', () => {
  const owned = (name: string, ip: string) => {
    const p = pod('shop', name, ip);

    return {
      ...p,
      metadata: {
        ...p.metadata, labels: { 'pod-template-hash': '7d9f8b6c4' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'frontend-7d9f8b6c4', controller: true }]
      }
    };
  };
  const pods = [owned('frontend-7d9f8b6c4-aaaaa', '10.52.1.1'), owned('frontend-7d9f8b6c4-bbbbb', '10.52.1.2'), pod('shop', 'db', '10.52.2.1')];
  const shopFlows = enrichEdges([
    edgeRow({ clientIp: '10.52.1.1', serverIp: '10.52.2.1', bytesTx: 100, bytesRx: 10 }),
    edgeRow({ clientIp: '10.52.1.2', serverIp: '10.52.2.1', bytesTx: 200, bytesRx: 10 }),
  ], buildEndpointIndex({ pods }));

  function mountShop() {
    fakeCanvas();

    return mountWithShell(TrafficMap, {
      props: {
        graph: buildTrafficGraph(shopFlows, { focusNamespace: 'shop' }), flows: shopFlows, cluster: 'c-m-1', focusNamespace: 'shop', pods
      }
    });
  }
  const ids = (wrapper: any) => wrapper.vm.scene.nodes.map((n: any) => n.id).sort();
  const workload = 'workload:shop/Deployment/frontend';

  it('groups pods by workload, opens a workload on click and folds it from a pod or its chip', async() => {
    const wrapper = mountShop();

    await flushPromises();
    const vm = wrapper.vm as any;

    expect(ids(wrapper)).toEqual(['pod:shop/db', workload]);
    expect(wrapper.find('[data-testid="flow-map"]').text()).toContain('2 nodes, 1 connection');
    const click = async(id: string) => {
      const i = vm.layout.indexOf(id);
      const at = { clientX: vm.layout.x[i] * vm.viewport.k + vm.viewport.tx, clientY: vm.layout.y[i] * vm.viewport.k + vm.viewport.ty };

      await wrapper.find('[data-testid="map-canvas"]').trigger('pointerdown', at);
      await wrapper.find('[data-testid="map-canvas"]').trigger('pointerup', at);
      await flushPromises();
    };

    await click(workload);
    expect(ids(wrapper)).toEqual(['pod:shop/db', 'pod:shop/frontend-7d9f8b6c4-aaaaa', 'pod:shop/frontend-7d9f8b6c4-bbbbb']);
    expect(wrapper.find('[data-testid="map-fold"]').text()).toContain('Deployment frontend');
    await click('pod:shop/frontend-7d9f8b6c4-aaaaa');
    expect(ids(wrapper)).toEqual(['pod:shop/db', workload]);
    expect(wrapper.find('[data-testid="map-fold"]').exists()).toBe(false);

    await click(workload);
    await wrapper.find('[data-testid="map-fold"]').trigger('click');
    await flushPromises();
    expect(ids(wrapper)).toEqual(['pod:shop/db', workload]);
    wrapper.unmount();
  });

  it('is usable from the keyboard: arrows move between nodes, Enter opens, the focused node is announced', async() => {
    const wrapper = mountShop();

    await flushPromises();
    const vm = wrapper.vm as any;
    const canvas = wrapper.find('[data-testid="map-canvas"]');

    expect(canvas.attributes('tabindex')).toBe('0');
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    const first = vm.scene.nodes[vm.focusNode].id;

    expect(wrapper.find('[data-testid="map-announcement"]').text()).toMatch(/^(Deployment: frontend|Pod: db)/);
    if (first !== workload) {
      for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) {
        if (vm.scene.nodes[vm.focusNode]?.id !== workload) {
          await canvas.trigger('keydown', { key });
        }
      }
    }
    expect(vm.scene.nodes[vm.focusNode].id).toBe(workload);
    expect(wrapper.find('[data-testid="map-tooltip"]').text()).toContain('2 pods');
    await canvas.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(ids(wrapper)).toHaveLength(3);
    await canvas.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="map-tooltip"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
