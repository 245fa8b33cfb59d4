import {
  categoryBreakdown, enrichEdges, enrichFlowRecords, peerSummary, portBreakdown, protocolBreakdown, totals
} from '@pkg/domain/flows/enrichment/aggregate';
import { categorize } from '@pkg/domain/flows/enrichment/categories';
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';
import { scenarioIndex, scenarioRows } from '../../fixtures/querier/scenario';

const index = scenarioIndex();
const flows = enrichEdges(scenarioRows, index);

describe('enrichEdges', () => {
  it('identifies both sides and categorises each flow', () => {
    expect(flows.map((f) => [f.client.key, f.server.key, f.category])).toEqual([
      ['pod:shop/web-0', 'service:shop/db', 'to-service'],
      ['vm:vms/a', 'vm:vms/b', 'inter-vlan'],
      ['vm:vms/a', 'vm:vms/c', 'workload-to-workload'],
      ['pod:shop/web-1', 'external:8.8.8.8', 'to-external'],
      ['external:203.0.113.5', 'vm:vms/a', 'from-external'],
      ['node:node-1', 'node:node-2', 'node-to-node'],
      ['node:node-1', 'pod:shop/web-0', 'node-workload'],
      ['vm:vms/c', 'vm:vms/a', 'workload-to-workload'],
    ]);
    expect(flows[4]).toMatchObject({ failedConnections: 2, connections: 3, bytesTx: 2000 });
  });

  it('uses DeepFlow tags when a row carries them', () => {
    const [f] = enrichEdges([{ ...scenarioRows[0], clientPod: 'gone-0', clientNamespace: 'shop' }], index);

    expect(f.client.key).toBe('pod:shop/gone-0');
  });
});

describe('categorize', () => {
  const e = (kind: Endpoint['kind'], network?: Endpoint['network']): Endpoint => ({
    key: `${ kind }:x`, kind, name: 'x', namespace: '', ip: '', via: 'ip', network
  });

  it.each([
    [e('external'), e('external'), 'other'],
    [e('external'), e('service'), 'to-service'],
    [e('node'), e('external'), 'to-external'],
    [e('service'), e('pod'), 'other'],
    [e('vm', { kind: 'pod' }), e('vm', { kind: 'multus', nad: 'a/b', vlan: 5 }), 'workload-to-workload'],
    [e('vm', { kind: 'multus', nad: 'a/x' }), e('vm', { kind: 'multus', nad: 'a/y' }), 'inter-vlan'],
    [e('pod'), e('node'), 'node-workload'],
  ])('%o -> %o is %s', (client, server, category) => {
    expect(categorize(client, server)).toBe(category);
  });
});

describe('totals and breakdowns', () => {
  it('sums every flow once', () => {
    expect(totals(flows)).toEqual({
      bytes: 18120, packets: 115, connections: 18, failedConnections: 2, retrans: 2, flows: 8
    });
    expect(totals([])).toEqual({
      bytes: 0, packets: 0, connections: 0, failedConnections: 0, retrans: 0, flows: 0
    });
  });

  it('breaks traffic down by category, with every category present', () => {
    const c = categoryBreakdown(flows);

    expect(Object.keys(c).sort()).toEqual(['from-external', 'inter-vlan', 'node-to-node', 'node-workload', 'other', 'to-external', 'to-service', 'workload-to-workload']);
    expect(c['to-service'].bytes).toBe(6000);
    expect(c['inter-vlan'].bytes).toBe(500);
    expect(c['workload-to-workload']).toMatchObject({ bytes: 200, flows: 2 });
    expect(c.other.flows).toBe(0);
    const sum = Object.values(c).reduce((n, t) => n + t.bytes, 0);

    expect(sum).toBe(totals(flows).bytes);
  });

  it('breaks traffic down by protocol and by port', () => {
    expect(protocolBreakdown(flows)).toEqual([
      {
        protocol: 6, protocolName: 'tcp', bytes: 17720, packets: 113, connections: 14, flows: 7
      },
      {
        protocol: 17, protocolName: 'udp', bytes: 400, packets: 2, connections: 4, flows: 1
      },
    ]);
    const ports = portBreakdown(flows, 3);

    expect(ports.map((p) => `${ p.protocolName }/${ p.serverPort }:${ p.bytes }`)).toEqual(['tcp/443:10000', 'tcp/5432:6000', 'tcp/10250:1000']);
  });
});

describe('peerSummary', () => {
  it('lists a VM\'s peers with in/out from the VM\'s side, RTT, retransmissions and failed connections', () => {
    const peers = peerSummary(flows, 'vm:vms/a');

    expect(peers.map((p) => p.peer.key)).toEqual(['external:203.0.113.5', 'vm:vms/b', 'vm:vms/c']);
    expect(peers[0]).toMatchObject({
      bytesOut: 8000, bytesIn: 2000, packetsOut: 40, packetsIn: 20, failedConnections: 2, connections: 3, direction: 'inbound', ports: ['tcp/443'], categories: ['from-external'], rttUs: null, retransRate: 0
    });
    expect(peers[1]).toMatchObject({ bytesOut: 300, bytesIn: 200, direction: 'outbound', categories: ['inter-vlan'] });
    expect(peers[2]).toMatchObject({
      bytesOut: 110, bytesIn: 90, packetsOut: 3, packetsIn: 3, direction: 'both', retrans: 1, ports: ['tcp/22', 'tcp/80']
    });
    // Packet-weighted: (100 * 4 + 300 * 2) / 6.
    expect(peers[2].rttUs).toBeCloseTo(1000 / 6, 6);
    expect(peers[2].retransRate).toBeCloseTo(1 / 6, 6);
  });

  it('returns nothing for an endpoint without traffic', () => {
    expect(peerSummary(flows, 'vm:vms/none')).toEqual([]);
  });
});

describe('enrichFlowRecords', () => {
  it('identifies flow-log rows and names the protocol', () => {
    const [r] = enrichFlowRecords([{
      startTime: 1, endTime: 2, clientIp: '10.52.1.21', serverIp: '8.8.8.8', clientPort: 40000, serverPort: 53, protocol: 17, clientPod: '', serverPod: '', clientNamespace: '', serverNamespace: '', clientNode: '', serverNode: '', bytes: 10, bytesTx: 5, bytesRx: 5, packets: 2, rttUs: null, durationUs: 5, retrans: 0, closeType: 0, status: 0
    }], index);

    expect(r).toMatchObject({ protocolName: 'udp', category: 'to-external', client: { key: 'pod:shop/web-1' } });
  });
});
