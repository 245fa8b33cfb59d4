import { buildEndpointIndex } from '@pkg/domain/flows/enrich';
import {
  EDGE_LIMIT, FLOWS_PAGE_QUERIES, flowsPageQueries, mapModel, namespaceScope, overviewModel, topConversations
} from '@pkg/domain/flows/view-flows';
import {
  nad, pod, vm, vmi
} from '../../fixtures/querier/cluster';
import { edgeRow } from '../../fixtures/querier/edges';
import { scenarioIndex, scenarioRows } from '../../fixtures/querier/scenario';

const window = { range: { start: 1_000_000 - 3600, end: 1_000_000 }, nowSeconds: 1_000_000 };

describe('namespace scope', () => {
  const objects = {
    namespaces:                   [],
    vms:                          [vm('vms', 'a', [{ name: 'default' }])],
    vmis:                         [vmi('vms', 'a', [{ name: 'default', ips: ['10.52.0.10', 'fd00::10'] }]), vmi('other', 'z', [{ name: 'default', ips: ['10.52.0.99'] }])],
    networkAttachmentDefinitions: [nad('vms', 'vlan100', 100)],
  };
  const index = buildEndpointIndex(objects);

  it('matches the namespace tag or the addresses of its VMs', () => {
    expect(namespaceScope('vms', objects, index)).toEqual({ scope: { namespace: 'vms', ips: ['10.52.0.10', 'fd00::10'] }, truncated: false });
    expect(namespaceScope('', objects, index)).toEqual({ truncated: false });
  });

  it('includes the pod-network address of a VM that has only bridge NICs (its launcher pod\'s)', () => {
    const bridged = {
      namespaces: [],
      vmis:       [vmi('dev', 'build-0', [{ name: 'nic-vlan', ips: ['172.16.100.10'] }])],
      pods:       [pod('dev', 'virt-launcher-build-0-abcde', '10.52.1.42', { launcherFor: 'build-0' })],
    };

    expect(namespaceScope('dev', bridged, buildEndpointIndex(bridged)).scope).toEqual({ namespace: 'dev', ips: ['172.16.100.10', '10.52.1.42'] });
  });

  it('caps the address list at what one query may carry', () => {
    const many = Array.from({ length: 300 }, (_, i) => `10.60.${ Math.floor(i / 250) }.${ i % 250 }`);
    const big = { namespaces: [], vmis: [vmi('vms', 'big', [{ name: 'default', ips: many }])] };
    const s = namespaceScope('vms', big, buildEndpointIndex(big));

    expect(s.truncated).toBe(true);
    expect(s.scope?.ips).toHaveLength(256);
  });
});

describe('page queries', () => {
  it('are the edges and two per-address talker rankings, within the page budget with the records query', () => {
    const q = flowsPageQueries(window, { namespace: 'shop' });

    expect(Object.keys(q)).toHaveLength(3);
    expect(Object.keys(q).length + 1).toBe(FLOWS_PAGE_QUERIES);
    expect(FLOWS_PAGE_QUERIES).toBeLessThanOrEqual(6);
    expect(q.edges.sql).toContain(`LIMIT ${ EDGE_LIMIT }`);
    expect(q.talkersByBytes.sql).toMatch(/GROUP BY ip ORDER BY sum_byte DESC/);
    expect(q.talkersByConnections.sql).toMatch(/ORDER BY sum_new_flow DESC/);
    expect(q.edges.sql).toContain('pod_ns_0=\'shop\'');
  });
});

describe('overview model', () => {
  const model = overviewModel(scenarioRows, scenarioIndex());

  it('breaks traffic down by category with shares, and by protocol and port', () => {
    expect(model.categories.map((c) => c.category)).toEqual(['workload-to-workload', 'inter-vlan', 'to-service', 'to-external', 'from-external', 'node-to-node', 'node-workload']);
    expect(model.categories.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 10);
    expect(model.protocols.map((p) => p.protocolName)).toEqual(['tcp', 'udp']);
    expect(model.ports[0]).toMatchObject({ protocolName: 'tcp', serverPort: 443, bytes: 10000 });
    expect(model.truncated).toBe(false);
    expect(model.unresolved).toBe(0);
  });

  it('notices a cut-off edge list', () => {
    expect(overviewModel(scenarioRows, scenarioIndex(), scenarioRows.length).truncated).toBe(true);
  });

  it('counts distinct in-cluster addresses that match no object', () => {
    const rows = [edgeRow({ clientIp: '10.52.9.9', serverIp: '10.52.9.8' }), edgeRow({ clientIp: '10.52.9.9', serverIp: '8.8.8.8' })];

    expect(overviewModel(rows, scenarioIndex()).unresolved).toBe(2);
  });

  it('groups the map by namespace and opens one namespace on focus', () => {
    const overview = mapModel(model.flows, { focusNamespace: '' });
    const focused = mapModel(model.flows, { focusNamespace: 'vms' });

    expect(overview.nodes.map((n) => n.id)).toContain('namespace:vms');
    expect(focused.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['vm:vms/a', 'vm:vms/b', 'vm:vms/c', 'namespace:shop']));
    expect(focused.nodes.map((n) => n.id)).not.toContain('namespace:vms');
    expect(mapModel(model.flows, { focusNamespace: '', maxNodes: 2 }).tooLarge).toBe(true);
  });

  it('lists the largest conversations, optionally those touching one namespace', () => {
    const all = topConversations(model.flows, 3);

    expect(all.map((c) => c.bytes)).toEqual([10000, 6000, 1000]);
    expect(topConversations(model.flows, 10, 'shop').every((c) => c.flow.client.namespace === 'shop' || c.flow.server.namespace === 'shop')).toBe(true);
  });
});
