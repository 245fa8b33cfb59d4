import { rankTalkers, TalkerRow } from '@pkg/domain/flows/view-talkers';
import { scenarioIndex } from '../../fixtures/querier/scenario';

const row = (ip: string, bytesTx: number, bytesRx: number, newFlows: number): TalkerRow => ({
  endpoint: ip, namespace: '', bytesTx, bytesRx, bytes: bytesTx + bytesRx, packets: 1, newFlows
});

// VM a has two addresses; pods web-0/web-1 in shop; an external and a node address.
const rows = [
  row('10.52.0.10', 100, 100, 1),
  row('192.168.100.10', 1000, 0, 2),
  row('192.168.200.10', 50, 50, 30),
  row('10.52.1.20', 10, 10, 100),
  row('10.52.1.21', 500, 500, 1),
  row('8.8.8.8', 99999, 0, 999),
  row('10.0.0.11', 99999, 0, 999),
];

describe('top talkers from per-address totals', () => {
  const index = scenarioIndex();

  it('sums a VM\'s addresses and ranks by bytes', () => {
    const vms = rankTalkers(rows, index, { by: 'vm', rankBy: 'bytes' });

    expect(vms.map((t) => [t.key, t.bytes, t.addresses])).toEqual([['vm:vms/a', 1200, 2], ['vm:vms/b', 100, 1]]);
    expect(vms[0]).toMatchObject({
      bytesOut: 1100, bytesIn: 100, connections: 3, name: 'a', namespace: 'vms', kind: 'vm'
    });
  });

  it('ranks by connections', () => {
    expect(rankTalkers(rows, index, { by: 'vm', rankBy: 'connections' }).map((t) => t.key)).toEqual(['vm:vms/b', 'vm:vms/a']);
    expect(rankTalkers(rows, index, { by: 'pod', rankBy: 'connections' }).map((t) => t.key)).toEqual(['pod:shop/web-0', 'pod:shop/web-1']);
  });

  it('groups by namespace and leaves out nodes and external addresses', () => {
    const ns = rankTalkers(rows, index, { by: 'namespace', rankBy: 'bytes' });

    expect(ns.map((t) => [t.key, t.bytes])).toEqual([['namespace:vms', 1300], ['namespace:shop', 1020]]);
  });

  it('keeps only the filtered namespace and applies the limit', () => {
    expect(rankTalkers(rows, index, { by: 'pod', rankBy: 'bytes', namespace: 'vms' })).toEqual([]);
    expect(rankTalkers(rows, index, { by: 'pod', rankBy: 'bytes', limit: 1 }).map((t) => t.key)).toEqual(['pod:shop/web-1']);
  });
});
