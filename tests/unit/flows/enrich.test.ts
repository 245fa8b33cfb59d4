import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { vlanFromConfig } from '@pkg/domain/flows/enrichment/vm-networks';
import {
  nad, node, pod, service, vm, vmi
} from '../../fixtures/querier/cluster';

const NICS = [
  { name: 'default', ips: ['10.52.0.15'] },
  { name: 'vlan100', multus: 'default/vlan100', ips: ['192.168.100.15', 'fe80::5054:ff:fe00:1'] },
  { name: 'storage', multus: 'vlan200', ips: ['192.168.200.15'] },
];

const baseObjects = () => ({
  networkAttachmentDefinitions: [nad('default', 'vlan100', 100), nad('tenant', 'vlan200', 200, 'data'), nad('default', 'vlan200', 201, 'data')],
  vms:                          [vm('default', 'web-vm', NICS)],
  vmis:                         [vmi('default', 'web-vm', NICS, { node: 'node-2' })],
  pods:                         [
    pod('default', 'virt-launcher-web-vm-abcde', '10.52.0.15', { node: 'node-2', launcherFor: 'web-vm' }),
    pod('shop', 'web-0', ['10.52.1.20', 'fd00:52::20'], { node: 'node-1' }),
    pod('kube-system', 'kube-proxy-x', '10.0.0.11', { node: 'node-1', hostNetwork: true }),
  ],
  nodes:    [node('node-1', '10.0.0.11'), node('node-2', '10.0.0.12', [{ type: 'ExternalIP', address: '203.0.113.12' }])],
  services: [
    service('shop', 'db', ['10.53.0.10', 'fd00:53::10'], ['192.168.100.250']),
    { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } },
  ],
});

describe('VMs', () => {
  const index = buildEndpointIndex(baseObjects());

  it('maps every NIC address of a VM with several NICs to the VM, its NIC and its network', () => {
    expect(index.resolve('10.52.0.15')).toMatchObject({
      key: 'vm:default/web-vm', kind: 'vm', name: 'web-vm', namespace: 'default', node: 'node-2', nic: 'default', network: { kind: 'pod' }, via: 'ip'
    });
    expect(index.resolve('192.168.100.15')).toMatchObject({
      key: 'vm:default/web-vm', nic: 'vlan100', network: { kind: 'multus', nad: 'default/vlan100', vlan: 100, clusterNetwork: 'mgmt' }
    });
    // A bare network name refers to the VM's namespace, not another namespace's NAD of the same name.
    expect(index.resolve('192.168.200.15')).toMatchObject({
      nic: 'storage', network: { kind: 'multus', nad: 'default/vlan200', vlan: 201, clusterNetwork: 'data' }
    });
    expect(index.resolve('FE80::5054:FF:FE00:1')).toMatchObject({ key: 'vm:default/web-vm', nic: 'vlan100', ip: 'fe80::5054:ff:fe00:1' });
  });

  it('describes the VM for the Network tab', () => {
    expect(index.vm('default', 'web-vm')).toEqual({
      namespace:   'default',
      name:        'web-vm',
      node:        'node-2',
      launcherPod: 'virt-launcher-web-vm-abcde',
      ips:         ['10.52.0.15', '192.168.100.15', 'fe80::5054:ff:fe00:1', '192.168.200.15'],
      nics:        [
        { name: 'default', ips: ['10.52.0.15'], network: { kind: 'pod' } },
        {
          name:    'vlan100',
          ips:     ['192.168.100.15', 'fe80::5054:ff:fe00:1'],
          network: {
            kind: 'multus', nad: 'default/vlan100', vlan: 100, clusterNetwork: 'mgmt'
          }
        },
        {
          name:    'storage',
          ips:     ['192.168.200.15'],
          network: {
            kind: 'multus', nad: 'default/vlan200', vlan: 201, clusterNetwork: 'data'
          }
        },
      ],
    });
    expect(index.vm('default', 'nope')).toBeUndefined();
  });

  it('keeps the NIC when the virt-launcher pod claims the same address', () => {
    expect(index.resolve('10.52.0.15').nic).toBe('default');
    expect(index.resolve('10.52.0.15').ambiguous).toBeUndefined();
  });

  it('maps a DeepFlow tag naming the virt-launcher pod to the VM', () => {
    expect(index.resolve('10.52.0.15', { pod: 'virt-launcher-web-vm-abcde', namespace: 'default' })).toMatchObject({
      key: 'vm:default/web-vm', nic: 'default', via: 'tag'
    });
  });

  it('falls back to the VM template networks when the VMI spec has none', () => {
    const objects = baseObjects();

    objects.vmis = [vmi('default', 'web-vm', NICS, { withSpecNetworks: false })];
    expect(buildEndpointIndex(objects).resolve('192.168.100.15').network).toEqual({
      kind: 'multus', nad: 'default/vlan100', vlan: 100, clusterNetwork: 'mgmt'
    });
  });

  it('finds the VM name from the owner reference or the VMI name when the label is missing', () => {
    const a = vmi('default', 'x', [{ name: 'default', ips: ['10.52.9.1'] }]) as any;

    delete a.metadata.labels;
    a.metadata.ownerReferences = [{ kind: 'VirtualMachine', name: 'owner-vm' }];
    const b = vmi('default', 'plain', [{ name: 'default', ips: ['10.52.9.2'] }]) as any;

    delete b.metadata.labels;
    delete b.metadata.ownerReferences;
    const index2 = buildEndpointIndex({ vmis: [a, b] });

    expect(index2.resolve('10.52.9.1').key).toBe('vm:default/owner-vm');
    expect(index2.resolve('10.52.9.2').key).toBe('vm:default/plain');
  });
});

describe('a VM with only bridge (VLAN) NICs', () => {
  // Its launcher pod still has a pod-network address, which the VMI's interfaces do not list.
  const objects = {
    networkAttachmentDefinitions: [nad('dev', 'vlan100', 100)],
    vmis:                         [vmi('dev', 'build-0', [{ name: 'nic-vlan', multus: 'dev/vlan100', ips: ['172.16.100.10'] }])],
    pods:                         [
      pod('dev', 'virt-launcher-build-0-abcde', '10.52.1.42', { launcherFor: 'build-0' }),
      // A finished launcher (an earlier run, or the source of a migration) no longer carries the VM's traffic.
      pod('dev', 'virt-launcher-build-0-old01', '10.52.1.7', { launcherFor: 'build-0', phase: 'Succeeded' }),
    ],
  };
  const index = buildEndpointIndex(objects);

  it('resolves the launcher pod\'s address to the VM and counts it among the VM\'s addresses', () => {
    expect(index.resolve('10.52.1.42')).toMatchObject({ key: 'vm:dev/build-0', kind: 'vm', network: { kind: 'pod' } });
    expect(index.vm('dev', 'build-0')).toMatchObject({
      launcherPod: 'virt-launcher-build-0-abcde', ips: ['172.16.100.10', '10.52.1.42'], nics: [{ name: 'nic-vlan', ips: ['172.16.100.10'] }]
    });
  });

  it('lists an address shared by the launcher pod and a masquerade NIC once', () => {
    const masquerade = buildEndpointIndex({
      vmis: [vmi('dev', 'web-0', [{ name: 'default', ips: ['10.52.0.39'] }])],
      pods: [pod('dev', 'virt-launcher-web-0-xyz12', '10.52.0.39', { launcherFor: 'web-0' })],
    });

    expect(masquerade.vm('dev', 'web-0')?.ips).toEqual(['10.52.0.39']);
  });
});

describe('pods, nodes and Services', () => {
  const index = buildEndpointIndex(baseObjects());

  it('maps pod addresses (IPv4 and IPv6) to the pod', () => {
    expect(index.resolve('10.52.1.20')).toMatchObject({
      key: 'pod:shop/web-0', kind: 'pod', namespace: 'shop', node: 'node-1', via: 'ip'
    });
    expect(index.resolve('fd00:52:0:0:0:0:0:20')).toMatchObject({ key: 'pod:shop/web-0', ip: 'fd00:52::20' });
  });

  it('attributes a host-network pod\'s address to its node and lists the pod there', () => {
    expect(index.resolve('10.0.0.11')).toMatchObject({ key: 'node:node-1', kind: 'node', via: 'ip' });
    expect(index.hostNetworkPods('node-1')).toEqual(['kube-system/kube-proxy-x']);
    expect(index.hostNetworkPods('node-2')).toEqual([]);
  });

  it('returns the host-network pod, marked, when DeepFlow tagged it', () => {
    expect(index.resolve('10.0.0.11', { pod: 'kube-proxy-x', namespace: 'kube-system' })).toMatchObject({
      key: 'pod:kube-system/kube-proxy-x', hostNetwork: true, via: 'tag', ip: '10.0.0.11'
    });
  });

  it('maps node internal and external addresses', () => {
    expect(index.resolve('10.0.0.12').key).toBe('node:node-2');
    expect(index.resolve('203.0.113.12').key).toBe('node:node-2');
  });

  it('maps Service cluster IPs (both families) and load-balancer addresses, skipping headless', () => {
    expect(index.resolve('10.53.0.10')).toMatchObject({ key: 'service:shop/db', kind: 'service' });
    expect(index.resolve('fd00:53::10').key).toBe('service:shop/db');
    expect(index.resolve('192.168.100.250').key).toBe('service:shop/db');
    expect(index.lookupIp('None')).toBeUndefined();
  });

  it('counts the indexed addresses', () => {
    // VM: 4, pod: 2, nodes: 3 (host-network pod adds none), Service: 3.
    expect(index.size).toBe(12);
  });
});

describe('tags', () => {
  const index = buildEndpointIndex(baseObjects());

  it('prefers the pod DeepFlow recorded over today\'s owner of the address', () => {
    expect(index.resolve('10.52.1.20', { pod: 'old-pod', namespace: 'shop', node: 'node-3' })).toEqual({
      key: 'pod:shop/old-pod', kind: 'pod', name: 'old-pod', namespace: 'shop', ip: '10.52.1.20', node: 'node-3', via: 'tag'
    });
  });

  it('ignores a pod tag without namespace', () => {
    expect(index.resolve('10.52.1.20', { pod: 'web-0' }).via).toBe('ip');
  });

  it('uses a node tag only when the flow has no address', () => {
    expect(index.resolve('', { node: 'node-1' }).key).toBe('node:node-1');
    expect(index.resolve('198.51.100.7', { node: 'node-1' }).kind).toBe('external');
  });
});

describe('unknown addresses', () => {
  const index = buildEndpointIndex(baseObjects());

  it('marks unknown addresses external with their range', () => {
    expect(index.resolve('8.8.8.8')).toEqual({
      key: 'external:8.8.8.8', kind: 'external', name: '8.8.8.8', namespace: '', ip: '8.8.8.8', scope: 'public', via: 'none'
    });
    expect(index.resolve('192.168.1.50').scope).toBe('private');
    expect(index.resolve('2001:4860:4860::8888').scope).toBe('public');
    expect(index.resolve('8.8.8.8')).toBe(index.resolve('8.8.8.8'));
  });

  it('calls an endpoint with no address and no node unknown', () => {
    expect(index.resolve('', { node: 'no-such-node' })).toMatchObject({ key: 'external:unknown', name: '', ip: '' });
    expect(index.resolve(undefined)).toMatchObject({ key: 'external:unknown', name: '' });
    expect(index.resolve('not an ip')).toMatchObject({ key: 'external:unknown' });
    expect(index.resolve({ toString: () => '10.52.1.20' })).toMatchObject({ key: 'external:unknown' });
  });
});

describe('lookup caches', () => {
  // One index answers many flow lists, so a cached answer must not carry over what only one call's tags decided.
  it('answers every order of tagged, untagged and address-less lookups of one address the same', () => {
    const calls: [unknown, Record<string, unknown> | undefined][] = [
      ['10.52.1.20', undefined],
      ['10.52.1.20', { pod: 'old-pod', namespace: 'shop', node: 'node-3' }],
      ['10.52.1.20', { node: 'node-2' }],
      ['fd00:52:0:0:0:0:0:20', undefined],
      ['not an ip', { node: 'node-9' }],
      ['not an ip', undefined],
      ['', { node: 'node-1' }],
      ['', { node: 'node-9' }],
      ['198.51.100.7', { node: 'node-1' }],
      [{ toString: () => '10.52.1.20' }, { node: 'node-1' }],
    ];
    const fresh = calls.map(([ip, tags]) => buildEndpointIndex(baseObjects()).resolve(ip, tags as any));
    const shared = buildEndpointIndex(baseObjects());

    for (const order of [calls.map((_, i) => i), calls.map((_, i) => calls.length - 1 - i), [...calls.keys(), ...calls.keys()]]) {
      for (const i of order) {
        expect(shared.resolve(calls[i][0], calls[i][1] as any)).toEqual(fresh[i]);
      }
    }
    expect(fresh.map((e) => e.key)).toEqual([
      'pod:shop/web-0', 'pod:shop/old-pod', 'pod:shop/web-0', 'pod:shop/web-0', 'external:unknown', 'external:unknown',
      'node:node-1', 'external:unknown', 'external:198.51.100.7', 'node:node-1',
    ]);
  });

  it('resolves a flow side from its tag arguments as resolve does from a tags object', () => {
    const index = buildEndpointIndex(baseObjects());

    expect(index.resolveSide('10.52.0.15', 'virt-launcher-web-vm-abcde', 'default', 'node-2')).toEqual(
      index.resolve('10.52.0.15', { pod: 'virt-launcher-web-vm-abcde', namespace: 'default', node: 'node-2' })
    );
    expect(index.resolveSide('10.52.1.20', 'web-0', 42, '')).toBe(index.resolve('10.52.1.20'));
    expect(index.resolveSide(null, '', '', 'node-2')).toBe(index.resolve('', { node: 'node-2' }));
  });
});

describe('address reuse', () => {
  it('lets a live object beat one being deleted, whatever their age', () => {
    const index = buildEndpointIndex({
      pods: [
        pod('a', 'old', '10.52.3.3', { created: '2026-05-01T11:00:00Z', deleting: true }),
        pod('a', 'new', '10.52.3.3', { created: '2026-05-01T10:00:00Z' }),
      ],
    });

    expect(index.resolve('10.52.3.3')).toMatchObject({ key: 'pod:a/new' });
    expect(index.resolve('10.52.3.3').ambiguous).toBeUndefined();
  });

  it('lets a running pod beat a finished one', () => {
    const index = buildEndpointIndex({
      pods: [
        pod('a', 'job', '10.52.3.4', { created: '2026-05-01T11:00:00Z', phase: 'Succeeded' }),
        pod('a', 'web', '10.52.3.4', { created: '2026-05-01T09:00:00Z' }),
      ],
    });

    expect(index.resolve('10.52.3.4').key).toBe('pod:a/web');
  });

  it('picks the newest of several live claimants and flags the address ambiguous', () => {
    // A VM on a VLAN whose subnet overlaps the pod network.
    const index = buildEndpointIndex({
      vmis: [vmi('vms', 'legacy', [{ name: 'nic', multus: 'vms/vlan5', ips: ['10.52.4.4'] }], { created: '2026-04-01T00:00:00Z' })],
      pods: [pod('a', 'fresh', '10.52.4.4', { created: '2026-05-01T00:00:00Z' })],
    });

    expect(index.resolve('10.52.4.4')).toMatchObject({ key: 'pod:a/fresh', ambiguous: true });
  });

  it('breaks ties in age by kind: VM, pod, Service, node', () => {
    const index = buildEndpointIndex({
      pods: [pod('a', 'p', '10.52.5.5')],
      vmis: [vmi('a', 'v', [{ name: 'default', ips: ['10.52.5.5'] }])],
    });

    expect(index.resolve('10.52.5.5')).toMatchObject({ key: 'vm:a/v', ambiguous: true });
  });
});

describe('malformed objects', () => {
  it('skips garbage without throwing and indexes the valid rest', () => {
    const good = vmi('default', 'ok', [{ name: 'default', ips: ['10.52.6.6'] }]);
    const index = buildEndpointIndex({
      vmis: [
        null, 'vmi', 42, [], {}, { metadata: null }, { metadata: { name: 'x' } },
        { metadata: { name: 'x', namespace: 'y' }, status: { interfaces: 'eth0' } },
        { metadata: { name: 'x', namespace: 'y' }, status: { interfaces: [null, 'x', { ipAddress: 5, ipAddresses: 'nope' }, { ipAddresses: [null, {}, '999.1.1.1', '10.52.6.7'] }] } },
        {
          metadata: { name: 'z', namespace: 'y', creationTimestamp: 'garbage' },
          spec:     { networks: [null, { name: 'a', multus: { networkName: 'a/b/c' } }, { name: 'b', multus: { networkName: '/x' } }, { name: 'c', multus: {} }, { multus: { networkName: 'n' } }] },
          status:   { interfaces: [{ name: 'a', ipAddress: '10.52.6.8' }] },
        },
        good,
      ] as unknown[],
      pods:                         [null, { metadata: { name: 'p', namespace: 'n' }, status: { podIPs: [null, { ip: ['x'] }] } }, { spec: {} }],
      nodes:                        [undefined, { metadata: { name: 'n' }, status: { addresses: 'x' } }, { metadata: { name: 'm' }, status: { addresses: [{ type: 'InternalIP' }] } }],
      services:                     [{ metadata: { name: 's', namespace: 'n' }, spec: null, status: { loadBalancer: { ingress: 'x' } } }],
      networkAttachmentDefinitions: [null, { metadata: { name: 'broken', namespace: 'y' }, spec: { config: '{not json' } }],
      vms:                          'not a list' as any,
    });

    expect(index.resolve('10.52.6.6').key).toBe('vm:default/ok');
    expect(index.resolve('10.52.6.7')).toMatchObject({ key: 'vm:y/x', nic: undefined });
    expect(index.resolve('10.52.6.8')).toMatchObject({ key: 'vm:y/z', nic: 'a', network: undefined });
    expect(index.size).toBe(3);
  });

  it('builds an empty index from nothing', () => {
    const index = buildEndpointIndex({});

    expect(index.size).toBe(0);
    expect(index.resolve('10.0.0.1').kind).toBe('external');
  });
});

describe('vlanFromConfig', () => {
  it.each([
    ['{"cniVersion":"0.3.1","name":"vlan100","type":"bridge","bridge":"mgmt-br","promiscMode":true,"vlan":100,"ipam":{}}', 100],
    ['{"vlan":1}', 1],
    ['{"vlan":4094}', 4094],
    ['{"vlan":0}', undefined],
    ['{"vlan":4095}', undefined],
    ['{"vlan":"100"}', undefined],
    ['{"vlan":1.5}', undefined],
    ['{"type":"bridge"}', undefined],
    ['[100]', undefined],
    ['null', undefined],
    ['{not json', undefined],
    ['', undefined],
  ])('%s -> %p', (config, vlan) => {
    expect(vlanFromConfig(config)).toBe(vlan);
  });

  it('ignores non-string and huge configs', () => {
    expect(vlanFromConfig({ vlan: 100 })).toBeUndefined();
    expect(vlanFromConfig(`{"vlan":100,"pad":"${ 'x'.repeat(70000) }"}`)).toBeUndefined();
  });
});
