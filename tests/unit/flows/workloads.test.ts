import { enrichEdges } from '@pkg/domain/flows/enrichment/aggregate';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import { deploymentOfReplicaSet, podWorkloads, workloadId } from '@pkg/domain/flows/enrichment/workloads';
import { edgeRow } from '../../fixtures/querier/edges';
import { pod } from '../../fixtures/querier/cluster';

/** A pod as the Deployment controller makes it: owned by `<deployment>-<hash>`, labelled with the hash. */
function owned(namespace: string, name: string, ip: string, owner: { kind: string; name: string }, labels: Record<string, string> = {}) {
  const p = pod(namespace, name, ip);

  return { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, ...labels }, ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...owner }] } };
}

describe('pod workloads', () => {
  it('follows a loaded ReplicaSet to its Deployment, else the pod-template-hash naming rule', () => {
    const pods = [
      owned('shop', 'web-7d9f8b6c4-xk2lp', '10.52.0.1', { kind: 'ReplicaSet', name: 'web-7d9f8b6c4' }, { 'pod-template-hash': '7d9f8b6c4' }),
      owned('shop', 'api-5b8c7d-abcde', '10.52.0.2', { kind: 'ReplicaSet', name: 'api-5b8c7d' }),
      owned('shop', 'odd-rs-xyz-1', '10.52.0.3', { kind: 'ReplicaSet', name: 'odd-rs-aeiou' }),
      owned('shop', 'renamed-1', '10.52.0.4', { kind: 'ReplicaSet', name: 'renamed-rs' }),
      owned('shop', 'db-0', '10.52.0.5', { kind: 'StatefulSet', name: 'db' }),
      owned('kube-system', 'agent-x1', '10.52.0.6', { kind: 'DaemonSet', name: 'agent' }),
      owned('batch', 'report-28000000-abcde', '10.52.0.7', { kind: 'Job', name: 'report-28000000' }),
      owned('vms', 'virt-launcher-vm1-abcde', '10.52.0.8', { kind: 'VirtualMachineInstance', name: 'vm1' }),
      pod('shop', 'bare', '10.52.0.9'),
      'not an object',
    ];
    const replicaSets = [{ metadata: { name: 'renamed-rs', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'renamed' }] } }];
    const w = podWorkloads(pods, replicaSets);

    expect(Object.fromEntries([...w].map(([k, v]) => [k, `${ v.kind } ${ v.name }`]))).toEqual({
      'shop/web-7d9f8b6c4-xk2lp':        'Deployment web',
      'shop/api-5b8c7d-abcde':           'Deployment api',
      'shop/odd-rs-xyz-1':               'ReplicaSet odd-rs-aeiou',
      'shop/renamed-1':                  'Deployment renamed',
      'shop/db-0':                       'StatefulSet db',
      'kube-system/agent-x1':            'DaemonSet agent',
      'batch/report-28000000-abcde':     'Job report-28000000',
    });
  });

  it.each([
    ['web-7d9f8b6c4', '7d9f8b6c4', 'web'],
    ['web-7d9f8b6c4', 'other', ''],
    ['my-app-84b9cb946c', '', 'my-app'],
    ['my-app-1a2e', '', ''],
    ['plain', '', ''],
    ['-bcd', '', ''],
  ])('ReplicaSet %s with hash label "%s" belongs to Deployment "%s"', (rs, hash, deployment) => {
    expect(deploymentOfReplicaSet(rs, hash)).toBe(deployment);
  });
});

describe('traffic graph grouped by workload', () => {
  const pods = [
    ...[1, 2, 3, 4, 5].map((i) => owned('shop', `frontend-7d9f8b6c4-p${ i }`, `10.52.1.${ i }`, { kind: 'ReplicaSet', name: 'frontend-7d9f8b6c4' }, { 'pod-template-hash': '7d9f8b6c4' })),
    owned('shop', 'db-0', '10.52.2.1', { kind: 'StatefulSet', name: 'db' }),
  ];
  const index = buildEndpointIndex({ pods });
  const flows = enrichEdges([
    ...[1, 2, 3, 4, 5].map((i) => edgeRow({
      clientIp: `10.52.1.${ i }`, serverIp: '10.52.2.1', serverPort: 5432, bytesTx: 100 * i, bytesRx: 10, packetsTx: 10, packetsRx: 10, rttUs: 1000 * i
    })),
    edgeRow({
      clientIp: '10.52.1.1', serverIp: '10.52.1.2', bytesTx: 7, bytesRx: 0, packetsTx: 1, packetsRx: 0
    }),
  ], index);
  const workloads = podWorkloads(pods);
  const frontend = workloadId({ kind: 'Deployment', name: 'frontend', namespace: 'shop' });

  it('draws one node per workload with the sum of its edges', () => {
    const g = buildTrafficGraph(flows, { focusNamespace: 'shop', workloads });

    expect(g.nodes.map((n) => `${ n.kind } ${ n.label } ${ n.members } ${ n.bytes }`).sort()).toEqual([
      'workload db 1 1550', 'workload frontend 5 1557',
    ]);
    const edge = g.edges.find((e) => !e.selfLoop)!;

    expect(edge).toMatchObject({ source: frontend, bytes: 1550, packets: 100 });
    // Packet-weighted like any merged edge: every flow had 20 packets.
    expect(edge.rttUs).toBeCloseTo(3000);
    expect(g.edges.find((e) => e.selfLoop)).toMatchObject({ source: frontend, target: frontend, bytes: 7 });
    expect(g.options.workloads).toBe(workloads);
  });

  it('shows an expanded workload as its pods, each knowing its workload', () => {
    const g = buildTrafficGraph(flows, { focusNamespace: 'shop', workloads, expanded: new Set([frontend]) });

    expect(g.nodes.filter((n) => n.kind === 'pod').map((n) => n.label).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `frontend-7d9f8b6c4-p${ i }`));
    expect(g.nodes.filter((n) => n.kind === 'pod').every((n) => n.workload?.name === 'frontend')).toBe(true);
    expect(g.nodes.find((n) => n.label === 'db')?.kind).toBe('workload');
  });

  it('leaves pods in other namespaces inside their namespace group', () => {
    const g = buildTrafficGraph(flows, { workloads });

    expect(g.nodes.map((n) => n.id)).toEqual(['namespace:shop']);
  });
});
