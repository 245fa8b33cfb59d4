import { enrichEdges, totals } from '@pkg/domain/flows/enrichment/aggregate';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { scenarioIndex, scenarioRows } from '../../fixtures/querier/scenario';
import { edgeRow } from '../../fixtures/querier/edges';

const flows = enrichEdges(scenarioRows, scenarioIndex());

describe('buildTrafficGraph by namespace (default)', () => {
  const graph = buildTrafficGraph(flows);
  const node = (id: string) => graph.nodes.find((n) => n.id === id);
  const edge = (id: string) => graph.edges.find((e) => e.id === id);

  it('collapses workloads and Services into namespaces, externals into groups, and keeps hosts', () => {
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'external-group:public', 'namespace:shop', 'namespace:vms', 'node:node-1', 'node:node-2',
    ]);
    expect(node('namespace:vms')).toEqual({
      id: 'namespace:vms', kind: 'namespace', label: 'vms', namespace: 'vms', bytes: 10700, members: 3
    });
    expect(node('namespace:shop')).toMatchObject({ members: 3, bytes: 6420 });
    expect(node('external-group:public')).toMatchObject({ kind: 'external-group', label: 'public', members: 2 });
    expect(graph).toMatchObject({
      tooLarge: false, totalNodes: 5, totalEdges: 6, maxNodes: 1500
    });
  });

  it('merges edges between the same groups and keeps traffic inside a namespace as a self-loop', () => {
    const inside = edge('namespace:vms->namespace:vms');

    expect(inside).toMatchObject({
      source: 'namespace:vms', target: 'namespace:vms', selfLoop: true, bytes: 700, bytesTx: 390, bytesRx: 310, packets: 11, connections: 3, retrans: 1
    });
    expect(inside?.categories.sort()).toEqual(['inter-vlan', 'workload-to-workload']);
    // Packet-weighted RTT over the two rows with samples: (100 * 4 + 300 * 2) / 6.
    expect(inside?.rttUs).toBeCloseTo(1000 / 6, 6);
    expect(inside?.retransRate).toBeCloseTo(1 / 11, 6);
    expect(edge('external-group:public->namespace:vms')).toMatchObject({
      bytes: 10000, failedConnections: 2, rttUs: null, selfLoop: false
    });
    expect(edge('node:node-1->namespace:shop')?.bytes).toBe(20);
  });

  it('conserves bytes: the edges add up to the traffic total', () => {
    expect(graph.edges.reduce((n, e) => n + e.bytes, 0)).toBe(totals(flows).bytes);
  });
});

describe('buildTrafficGraph drill-down', () => {
  it('shows the focused namespace\'s endpoints individually and keeps other namespaces grouped', () => {
    const graph = buildTrafficGraph(flows, { focusNamespace: 'vms' });

    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'external-group:public', 'namespace:shop', 'node:node-1', 'node:node-2', 'vm:vms/a', 'vm:vms/b', 'vm:vms/c',
    ]);
    expect(graph.nodes.find((n) => n.id === 'vm:vms/a')).toMatchObject({ kind: 'vm', label: 'a', members: 1 });
    expect(graph.edges.map((e) => e.id)).toEqual(expect.arrayContaining([
      'vm:vms/a->vm:vms/b', 'vm:vms/a->vm:vms/c', 'vm:vms/c->vm:vms/a', 'external-group:public->vm:vms/a',
    ]));
  });

  it('shows every endpoint, externals included, when grouped by endpoint', () => {
    const graph = buildTrafficGraph(flows, { groupBy: 'endpoint' });

    expect(graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['external:8.8.8.8', 'external:203.0.113.5', 'service:shop/db']));
    expect(graph.totalNodes).toBe(10);
    expect(graph.totalEdges).toBe(8);
  });

  it('groups private and public external addresses apart', () => {
    const index = buildEndpointIndex({});
    const graph = buildTrafficGraph(enrichEdges([
      edgeRow({ clientIp: '192.168.1.5', serverIp: '8.8.4.4', bytesTx: 1 }),
      edgeRow({ clientIp: '100.64.0.9', serverIp: '1.1.1.1', bytesTx: 1 }),
    ], index));

    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['external-group:private', 'external-group:public']);
    expect(graph.edges).toHaveLength(1);
  });
});

describe('buildTrafficGraph cap', () => {
  it('withholds the model above the cap and says so', () => {
    const graph = buildTrafficGraph(flows, { groupBy: 'endpoint', maxNodes: 9 });

    expect(graph).toEqual({
      nodes: [], edges: [], totalNodes: 10, totalEdges: 8, tooLarge: true, maxNodes: 9, options: { groupBy: 'endpoint', maxNodes: 9 }
    });
  });

  it('keeps the model at exactly the cap', () => {
    expect(buildTrafficGraph(flows, { groupBy: 'endpoint', maxNodes: 10 }).tooLarge).toBe(false);
  });

  it('handles no flows', () => {
    expect(buildTrafficGraph([])).toEqual({
      nodes: [], edges: [], totalNodes: 0, totalEdges: 0, tooLarge: false, maxNodes: 1500, options: {}
    });
  });
});
