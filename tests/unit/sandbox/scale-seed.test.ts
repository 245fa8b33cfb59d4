/**
 * The scale benchmark's cluster (sandbox/backend/seed/scale.ts): the sizes asked for, VMs with two NICs (half
 * on a VLAN, half on an untagged network) whose VMIs and launcher pods agree, no address used twice, every
 * generated Service selecting pods, and flow edges between the seeded endpoints.
 */
import { SMOKE_SCALE, buildScaleCluster, scaleCounts } from '../../../sandbox/backend/seed/scale';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';

const size = {
  vms: 60, pods: 300, nodes: 8, services: 30, flows: 3000
};
const seed = buildScaleCluster(size);
const { objects } = seed.cluster;
const generatedVms = objects['kubevirt.io.virtualmachine'].filter((vm) => vm.metadata.namespace.startsWith('vm-scale-'));

describe('buildScaleCluster', () => {
  it('grows the normal seed to the sizes asked for', () => {
    const base = buildCluster().objects;

    expect(scaleCounts(seed)).toEqual({
      nodes: 8, vms: base['kubevirt.io.virtualmachine'].length + 60, pods: 300, services: 30, flows: 3000
    });
    expect(generatedVms).toHaveLength(60);
  });

  it('gives every generated VM a management NIC and a bridge NIC, half of them on a VLAN, with matching VMI and launcher pod', () => {
    const nads = new Map(objects['k8s.cni.cncf.io.networkattachmentdefinition'].map((n) => [`${ n.metadata.namespace }/${ n.metadata.name }`, n]));
    const types = generatedVms.map((vm) => {
      const networks = vm.spec.template.spec.networks;
      const bridge = networks.find((n: any) => n.multus);

      expect(networks).toHaveLength(2);
      expect(networks.some((n: any) => n.pod)).toBe(true);

      return nads.get(bridge.multus.networkName)?.metadata.labels['network.harvesterhci.io/type'];
    });

    expect(types.filter((t) => t === 'L2VlanNetwork')).toHaveLength(30);
    expect(types.filter((t) => t === 'UntaggedNetwork')).toHaveLength(30);
    generatedVms.forEach((vm) => {
      const { namespace, name } = vm.metadata;
      const vmi: any = objects['kubevirt.io.virtualmachineinstance'].find((i) => i.metadata.namespace === namespace && i.metadata.name === name);
      const launcher: any = objects.pod.find((p) => p.metadata.namespace === namespace && p.metadata.labels['vm.kubevirt.io/name'] === name);

      expect(vmi.status.interfaces).toHaveLength(2);
      expect(launcher.status.podIP).toBe(vmi.status.interfaces.find((i: any) => i.name === 'default').ipAddress);
      expect(vmi.status.nodeName).toBe(launcher.spec.nodeName);
      expect(JSON.parse(vm.metadata.annotations['harvesterhci.io/mac-address'])).toEqual(Object.fromEntries(vmi.status.interfaces.map((i: any) => [i.name, i.mac])));
    });
  });

  it('uses no pod, VM or Service address twice and puts every pod on a seeded node', () => {
    const nodes = new Set(objects.node.map((n) => n.metadata.name));
    const podIps = objects.pod.filter((p) => !p.spec.hostNetwork).map((p) => p.status.podIP);
    const bridgeIps = objects['kubevirt.io.virtualmachineinstance'].flatMap((i) => i.status.interfaces.filter((n: any) => n.name !== 'default').map((n: any) => n.ipAddress));
    const serviceIps = objects.service.map((s) => s.spec.clusterIP);

    expect(new Set([...podIps, ...bridgeIps]).size).toBe(podIps.length + bridgeIps.length);
    expect(new Set(serviceIps).size).toBe(serviceIps.length);
    objects.pod.forEach((p) => expect(nodes.has(p.spec.nodeName)).toBe(true));
  });

  it('has every generated Service select pods of its namespace', () => {
    objects.service.filter((s) => s.metadata.namespace.startsWith('app-scale-')).forEach((s) => {
      const selected = objects.pod.filter((p) => p.metadata.namespace === s.metadata.namespace && Object.entries(s.spec.selector).every(([k, v]) => p.metadata.labels[k] === v));

      expect(selected.length).toBeGreaterThan(0);
    });
  });

  it('draws distinct flow edges between seeded endpoints, the same every time', () => {
    const ips = new Set(seed.cluster.endpoints.map((e) => e.ip));
    const keys = seed.edges.map((e) => `${ e.client.ip }|${ e.server.ip }|${ e.protocol }|${ e.serverPort }`);

    expect(new Set(keys).size).toBe(keys.length);
    seed.edges.forEach((e) => expect(ips.has(e.client.ip) && ips.has(e.server.ip)).toBe(true));
    expect(buildScaleCluster(size).edges.slice(-5)).toEqual(seed.edges.slice(-5));
  });

  it('refuses a size with no generated node to put pods on', () => {
    expect(() => buildScaleCluster({ ...SMOKE_SCALE, nodes: 3 })).toThrow(/more than the normal seed's 3 nodes/);
  });
});
