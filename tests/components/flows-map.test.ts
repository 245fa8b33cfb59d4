import TrafficMap from '@pkg/components/flows/TrafficMap.vue';
import { enrichEdges } from '@pkg/domain/flows/enrichment/aggregate';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { edgeRow } from '../fixtures/querier/edges';
import { pod } from '../fixtures/querier/cluster';
import { mountWithShell, flushPromises } from '../support/mount';
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
    expect(wrapper.findAll('[data-testid="conversations-table-row"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="map-canvas"]').exists()).toBe(false);
    wrapper.unmount();

    const tooLarge = mountMap(buildTrafficGraph(flows, { groupBy: 'endpoint', maxNodes: 2 }));

    await flushPromises();
    expect(tooLarge.find('[data-testid="map-too-large"]').text()).toContain('3 nodes, more than 2');
    expect(tooLarge.find('[data-testid="map-toggle-table"]').exists()).toBe(false);
    expect(tooLarge.findAll('[data-testid="conversations-table-row"]')[0].text()).toContain('a/p1');
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
