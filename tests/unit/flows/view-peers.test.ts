import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import {
  isUnresolved, peersFromOutcome, peersModel, podSubject, subjectQueries, vmSubject
} from '@pkg/domain/flows/view/view-peers';
import { pod, vmi } from '../../fixtures/querier/cluster';
import { edgeRow } from '../../fixtures/querier/edges';
import { scenarioIndex, scenarioRows } from '../../fixtures/querier/scenario';

const window = { range: { start: 1_000_000 - 3600, end: 1_000_000 }, nowSeconds: 1_000_000 };

describe('subjects', () => {
  const index = buildEndpointIndex({
    vmis: [vmi('vms', 'a', [{ name: 'default', ips: ['10.52.0.10'] }])],
    pods: [pod('vms', 'virt-launcher-a-x1', '10.52.0.10', { launcherFor: 'a' }), pod('shop', 'web-0', '10.52.1.20'), pod('kube-system', 'agent', '10.0.0.11', { hostNetwork: true })],
  });

  it('finds a VM by its addresses and its launcher pod', () => {
    const r = vmSubject(index, 'vms', 'a');

    expect(r).toEqual({
      ok:      true,
      subject: {
        kind: 'vm', namespace: 'vms', name: 'a', key: 'vm:vms/a', ips: ['10.52.0.10'], launcherPod: 'virt-launcher-a-x1', scope: { ips: ['10.52.0.10'], namespace: 'vms', pods: ['virt-launcher-a-x1'] }
      },
    });
  });

  it('finds a VM with only bridge NICs by its launcher pod\'s address too (DeepFlow does not tag that pod)', () => {
    const bridged = buildEndpointIndex({
      vmis: [vmi('dev', 'build-0', [{ name: 'nic-vlan', ips: ['172.16.100.10'] }])],
      pods: [pod('dev', 'virt-launcher-build-0-abcde', '10.52.1.42', { launcherFor: 'build-0' })],
    });
    const r = vmSubject(bridged, 'dev', 'build-0');

    expect(r.ok && r.subject.scope).toEqual({ ips: ['172.16.100.10', '10.52.1.42'], namespace: 'dev', pods: ['virt-launcher-build-0-abcde'] });
    expect(r.ok && subjectQueries(r.subject, window).peers.sql).toContain('\'10.52.1.42\'');
  });

  it('has nothing to look for when the VM is not running', () => {
    expect(vmSubject(index, 'vms', 'missing')).toEqual({ ok: false, problem: 'no-addresses' });
  });

  it('maps a virt-launcher pod to its VM and a host-network pod to its tags only', () => {
    const launcher = podSubject(index, pod('vms', 'virt-launcher-a-x1', '10.52.0.10', { launcherFor: 'a' }));

    expect(launcher.ok && launcher.subject).toMatchObject({ key: 'vm:vms/a', launcherOf: 'a', ips: ['10.52.0.10'] });
    const host = podSubject(index, pod('kube-system', 'agent', '10.0.0.11', { hostNetwork: true }));

    expect(host.ok && host.subject).toMatchObject({ key: 'pod:kube-system/agent', hostNetwork: true, scope: { namespace: 'kube-system', pods: ['agent'], ips: [] } });
    expect(podSubject(index, { metadata: {} }).ok).toBe(false);
  });

  it('builds the peers and series queries for the subject', () => {
    const r = vmSubject(index, 'vms', 'a');
    const q = r.ok ? subjectQueries(r.subject, window) : null;

    expect(q?.peers.sql).toContain(' FROM network_map WHERE ');
    expect(q?.peers.dataPrecision).toBe('1m');
    expect(q?.series.sql).toContain(' FROM network WHERE ');
    expect(q?.series.dataPrecision).toBe('1m');
    expect(q?.peers.sql).toContain('\'virt-launcher-a-x1\'');
    expect(q?.series.sql).toContain('\'10.52.0.10\'');
    expect(q?.bucketSeconds).toBe(60);
    const p = podSubject(index, pod('shop', 'web-0', '10.52.1.20'));

    expect(p.ok && subjectQueries(p.subject, window).peers.sql).toContain('pod_1=\'web-0\'');
  });
});

describe('peers model', () => {
  const index = scenarioIndex();

  it('lists the subject\'s peers with their kind, totals and truncation', () => {
    const m = peersModel(scenarioRows, index, 'vm:vms/a', 8);

    expect(m.rows.map((r) => r.peer.key)).toEqual(['external:203.0.113.5', 'vm:vms/b', 'vm:vms/c']);
    expect(m.rows.map((r) => r.kind)).toEqual(['external', 'vm', 'vm']);
    expect(m.flows).toBe(4);
    expect(m.truncated).toBe(true);
    expect(m.unresolved).toBe(0);
  });

  it('counts in-cluster addresses that match no object', () => {
    const m = peersModel([edgeRow({ clientIp: '10.52.1.20', serverIp: '10.99.9.9', bytesTx: 1 })], index, 'pod:shop/web-0', 500);

    expect(m.unresolved).toBe(1);
    expect(m.rows[0].unresolved).toBe(true);
    expect(isUnresolved(index.resolve('8.8.8.8'))).toBe(false);
  });

  it('is null for outcomes without rows', () => {
    expect(peersFromOutcome({ state: 'no-data' }, index, 'vm:vms/a', 10)).toBeNull();
    expect(peersFromOutcome({ state: 'ok', rows: scenarioRows, skippedRows: 0 }, index, 'vm:vms/a', 10)?.rows).toHaveLength(3);
  });
});
