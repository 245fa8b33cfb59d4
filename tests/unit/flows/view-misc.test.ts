import { grafanaLinksFor, peerLocation, podLocation } from '@pkg/routing/locations';
import { workloadOfPod } from '@pkg/domain/flows/enrichment/workloads';
import {
  FLOW_FIELDS, loadFlowObjects, namespaceNames, vmNames
} from '@pkg/domain/flows/view/view-objects';
import { sparkline } from '@pkg/domain/flows/view/view-sparkline';
import { TYPES } from '@pkg/domain/stack/constants';
import { pod, vm, vmi } from '../../fixtures/querier/cluster';

describe('links', () => {
  it('links VM and pod peers to their detail pages only', () => {
    expect(peerLocation('c', { kind: 'vm', name: 'a', namespace: 'ns' })?.params).toMatchObject({ resource: TYPES.vm, id: 'a' });
    expect(peerLocation('c', { kind: 'pod', name: 'p', namespace: 'ns' })).toEqual(podLocation('c', 'ns', 'p'));
    expect(peerLocation('c', { kind: 'service', name: 's', namespace: 'ns' })).toBeNull();
    expect(peerLocation('c', { kind: 'vm', name: '', namespace: 'ns' })).toBeNull();
  });

  it('builds the Grafana page location and the proxied dashboard URL', () => {
    const links = grafanaLinksFor('local', { kind: 'vm', namespace: 'ns', name: 'a&b' }, '6h', 'dark');

    expect(links?.page).toEqual({
      name:   'harvester-c-cluster-network-monitoring-grafana',
      params: { product: 'harvester', cluster: 'local' },
      query:  {
        dashboard: 'harvester-vm-network', range: '6h', 'var-namespace': 'ns', 'var-vm': 'a&b'
      }
    });
    expect(links?.direct).toMatch(/^\/api\/v1\/namespaces\/harvester-network-monitoring\/services\/http:hnm-grafana:80\/proxy\/d\/harvester-vm-network\/harvester-vm-network\?orgId=1&from=now-6h/);
    expect(links?.direct).toContain('var-vm=a%26b');
    expect(links?.direct).toContain('theme=dark');
    expect(grafanaLinksFor('bad cluster id', { kind: 'vm', namespace: 'ns', name: 'a' }, '1h')).toBeNull();
    expect(grafanaLinksFor('c', { kind: 'pod', namespace: 'ns', name: 'p', workload: 'web' }, '1h')?.page.query).toMatchObject({ dashboard: 'network-k8s-pod', 'var-workload': 'web' });
  });

  it('names the workload DeepFlow groups a pod under', () => {
    const owned = (kind: string, name: string) => ({ metadata: { namespace: 'ns', ownerReferences: [{ kind, name }] } });

    expect(workloadOfPod(owned('ReplicaSet', 'web-7d9f8b6c5d'))?.name).toBe('web');
    expect(workloadOfPod(owned('StatefulSet', 'db'))?.name).toBe('db');
    expect(workloadOfPod({ metadata: {} })).toBeUndefined();
  });
});

describe('objects for enrichment', () => {
  it('lists every type it can and reports the others', async() => {
    const store = {
      getters:  { 'harvester/schemaFor': (type: string) => (type === TYPES.nad ? undefined : { id: type }) },
      dispatch: (action: string, payload: any) => (payload.type === 'service' ? Promise.reject({ _status: 403, message: 'no' }) : Promise.resolve(payload.type === TYPES.pod ? [pod('a', 'p', '10.0.0.1')] : 'not a list')),
    };
    const { objects, problems } = await loadFlowObjects(store);

    expect(objects.pods).toHaveLength(1);
    expect(objects.vms).toEqual([]);
    expect(problems.map((p) => [p.type, p.error.kind])).toEqual([[TYPES.nad, 'forbidden'], ['service', 'forbidden']]);
  });

  it('reads pods, VMs and VMIs as Steve projections past the store, the other types through it', async() => {
    const asked: Record<string, any> = {};
    const store = {
      getters:  { 'harvester/schemaFor': (type: string) => ({ id: type, links: { collection: `/k8s/clusters/c/v1/harvester/${ type }s` } }) },
      dispatch: (_action: string, payload: any) => {
        asked[payload.type] = payload.opt;

        return Promise.resolve({ data: [] });
      },
    };

    await loadFlowObjects(store);

    for (const [type, fields] of [[TYPES.pod, FLOW_FIELDS.pod], [TYPES.vm, FLOW_FIELDS.vm], [TYPES.vmi, FLOW_FIELDS.vmi]] as const) {
      const url = new URL(asked[type].url, 'https://rancher');

      expect(url.pathname).toBe(`/k8s/clusters/c/v1/harvester/${ type }s`);
      expect(url.searchParams.getAll('include')).toEqual(fields);
      // Partial objects never enter the store (other pages read its full ones) and start no watch.
      expect(asked[type]).toMatchObject({ load: false, watch: false });
    }
    expect(asked[TYPES.service]).toBeUndefined();
    expect(asked[TYPES.networkPolicy]).toBeUndefined();
  });

  it('names namespaces and VMs, sorted and de-duplicated', () => {
    const objects = {
      namespaces: [{ metadata: { name: 'b' } }, { metadata: { name: 'a' } }, {}],
      vms:        [vm('b', 'x', []), vm('a', 'y', [])],
      vmis:       [vmi('b', 'x', []), vmi('c', 'z', [])],
    };

    expect(namespaceNames(objects)).toEqual(['a', 'b']);
    expect(namespaceNames({ namespaces: [], pods: [pod('z', 'p', undefined)] })).toEqual(['z']);
    expect(vmNames(objects)).toEqual([{ namespace: 'a', name: 'y' }, { namespace: 'b', name: 'x' }, { namespace: 'c', name: 'z' }]);
    expect(vmNames(objects, 'b')).toEqual([{ namespace: 'b', name: 'x' }]);
  });
});

describe('sparkline', () => {
  // Aligned to whole minutes: ten one-minute buckets.
  const range = { start: 960, end: 960 + 600 };

  it('fills missing buckets with zero and scales to the peak', () => {
    const s = sparkline([
      {
        time: 1000, bytesTx: 600, bytesRx: 0, packets: 0, newFlows: 0, retrans: 0
      },
      {
        time: 1240, bytesTx: 0, bytesRx: 300, packets: 0, newFlows: 0, retrans: 0
      },
    ], {
      range, bucketSeconds: 60, width: 100, height: 21
    });

    expect(s.buckets).toBe(10);
    expect(s.sent.split(' ')).toHaveLength(10);
    expect(s.sent.split(' ')[0]).toBe('0,1');
    expect(s.received.split(' ')[4]).toBe('44.4,10.5');
    expect(s.peakBytesPerSecond).toBe(10);
    expect(s.totalSent).toBe(600);
    expect(s.totalReceived).toBe(300);
  });

  it('draws a flat line without traffic', () => {
    const s = sparkline([], {
      range, bucketSeconds: 60, width: 100, height: 21
    });

    expect(s.sent.split(' ').every((p) => p.endsWith(',20'))).toBe(true);
    expect(s.peakBytesPerSecond).toBe(0);
  });
});
