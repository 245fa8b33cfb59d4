import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { QUERY_LIMITS } from '@pkg/domain/flows/query/constants';
import {
  EDGE_LIMIT, flowsEdgesQuery, mapModel, namespaceScope, overviewModel, topConversations
} from '@pkg/domain/flows/view/view-flows';
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
  });

  it('has no scope without a namespace (no query lists an address then)', () => {
    expect(namespaceScope('', objects, index)).toEqual({ truncated: false });
  });

  it('lists no addresses for a namespace without VMs', () => {
    expect(namespaceScope('shop', objects, index)).toEqual({ scope: { namespace: 'shop', ips: [] }, truncated: false });
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
    const many = Array.from({ length: QUERY_LIMITS.maxAddresses + 44 }, (_, i) => `10.60.${ Math.floor(i / 250) }.${ i % 250 }`);
    const big = { namespaces: [], vmis: [vmi('vms', 'big', [{ name: 'default', ips: many }])] };
    const s = namespaceScope('vms', big, buildEndpointIndex(big));

    expect(s.truncated).toBe(true);
    expect(s.scope?.ips).toHaveLength(QUERY_LIMITS.maxAddresses);
    // A namespace of 2,048 two-NIC VMs fits.
    expect(QUERY_LIMITS.maxAddresses).toBeGreaterThanOrEqual(4096);
    // All namespaces list no address (view-talkers.ts BUSIEST_ADDRESSES): nothing is left out.
    expect(namespaceScope('', big, buildEndpointIndex(big))).toEqual({ truncated: false });
  });
});

describe('page queries', () => {
  it('the edge list: network_map at minute precision, cut at EDGE_LIMIT, scoped by namespace tag or VM addresses (IN lists per family)', () => {
    const q = flowsEdgesQuery(window, { namespace: 'shop', ips: ['10.52.0.10', 'fd00::10'] });

    expect(q.db).toBe('flow_metrics');
    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toContain(' FROM network_map WHERE ');
    expect(q.sql).toContain(`LIMIT ${ EDGE_LIMIT }`);
    expect(q.sql).toContain('((pod_ns_0=\'shop\' OR ((is_ipv4=1 AND ip4_0 IN (\'10.52.0.10\')) OR (is_ipv4=0 AND ip6_0 IN (\'fd00::10\')))) ' +
      'OR (pod_ns_1=\'shop\' OR ((is_ipv4=1 AND ip4_1 IN (\'10.52.0.10\')) OR (is_ipv4=0 AND ip6_1 IN (\'fd00::10\')))))');
    expect(q.sql).not.toMatch(/\bip(_[01])? IN\b|chost/);
  });

  it('the edge list without a scope reads everything in the window', () => {
    expect(flowsEdgesQuery(window, undefined).sql).toMatch(/WHERE time>=\d+ AND time<=\d+ GROUP BY/);
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
