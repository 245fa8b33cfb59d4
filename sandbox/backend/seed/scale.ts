/**
 * A Harvester cluster at scale, for the browser scale benchmark (tests/bench/scale-bench.ts): the normal
 * seed (cluster.ts, so the stack's scenario, policies and flow readers are all there) plus generated
 * nodes, VMs with two NICs (the management network and a VLAN or untagged bridge network, half each),
 * their VMIs, root disks and virt-launcher pods, application pods behind Services, and flow edges
 * between them up to the requested count. New objects are copies of the normal seed's objects of the
 * same kind with their names, addresses and owners rewritten, so they keep its Harvester shape.
 * Deterministic: the same size always gives the same cluster.
 */
import { JsonObject } from '../http';
import { ClusterSeed, FlowEndpoint, buildCluster } from './cluster';
import { VLAN } from './constants';
import { FlowEdge, TCP, UDP, buildFlowEdges, flowEdge } from './flows';
import {
  publicKey, vmAnnotations, vmCloudInit, vmDiskObjects, vmTemplateAnnotations
} from './harvester-vm';
import { hashString, pick, podSuffix } from './random';
import { seededRandom } from './seeded-random';

export interface ScaleSize {
  vms: number;
  /** Pods in total, the VMs' virt-launcher pods and the normal seed's pods included. */
  pods: number;
  nodes: number;
  /** Services in total, the normal seed's included. */
  services: number;
  /** Flow edges in total (one `network_map` row per edge and minute in the querier stand-in). */
  flows: number;
}

/** Issue 19's Harvester scale. */
export const FULL_SCALE: ScaleSize = {
  vms: 1000, pods: 5000, nodes: 100, services: 500, flows: 50000
};

/** What the test command's smoke run seeds: every kind of object, few of each. */
export const SMOKE_SCALE: ScaleSize = {
  vms: 30, pods: 150, nodes: 5, services: 20, flows: 2000
};

export interface ScaleSeed { cluster: ClusterSeed; edges: FlowEdge[] }

/** Generated VMs live in namespaces of this many VMs each. */
const VMS_PER_NAMESPACE = 50;
const APPS_PER_NAMESPACE = 25;
/** Harvester's network types (the NAD label network.harvesterhci.io/type; @rancher/shell 3.0.8 models/k8s.cni.cncf.io.networkattachmentdefinition.js). */
const VLAN_TYPE = 'L2VlanNetwork';
const UNTAGGED_TYPE = 'UntaggedNetwork';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const mac = (prefix: string, key: string) => `${ prefix }:${ (hashString(key) & 0xffffff).toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1:$2:$3') }`;

function endpoint(partial: Partial<FlowEndpoint> & Pick<FlowEndpoint, 'ip' | 'role' | 'app'>): FlowEndpoint {
  return {
    pod: '', pod_ns: '', pod_node: '', pod_group: '', pod_cluster: '', pod_service: '', chost: '', auto_instance: partial.pod || partial.ip, auto_service: '', ...partial
  };
}

function required(objects: JsonObject[] | undefined, what: string, test: (o: JsonObject) => boolean): JsonObject {
  const found = (objects || []).find(test);

  if (!found) {
    throw new Error(`the normal seed (seed/cluster.ts) has no ${ what } to copy: update seed/scale.ts to its new shape`);
  }

  return found;
}

/** The normal seed's objects the generated ones are copies of. */
function templates(objects: Record<string, JsonObject[]>) {
  const byName = (name: string) => (o: JsonObject) => o.metadata?.name === name;
  // gateway-0 runs with a management NIC and a VLAN NIC: the two-NIC shape.
  const vm = required(objects['kubevirt.io.virtualmachine'], 'two-NIC VM gateway-0', byName('gateway-0'));

  return {
    node:     required(objects.node, 'worker node', () => true),
    vm,
    vmi:      required(objects['kubevirt.io.virtualmachineinstance'], 'VMI gateway-0', byName('gateway-0')),
    launcher: required(objects.pod, 'virt-launcher pod of gateway-0', (o) => o.metadata?.labels?.['vm.kubevirt.io/name'] === 'gateway-0'),
    appPod:   required(objects.pod, 'ReplicaSet pod', (o) => o.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' && !!o.metadata?.labels?.['app.kubernetes.io/name']),
    service:  required(objects.service, 'ClusterIP Service', (o) => o.spec?.type === 'ClusterIP'),
    nad:      required(objects['k8s.cni.cncf.io.networkattachmentdefinition'], 'VLAN network', byName(VLAN.name)),
    keyPair:  required(objects['harvesterhci.io.keypair'], 'key pair', () => true),
    ns:       required(objects.namespace, 'namespace', () => true),
  };
}

type Templates = ReturnType<typeof templates>;

class ScaleBuilder {
  readonly rand = seededRandom(20260519);
  /** Next free host number per generated node's pod /24. */
  private readonly podHosts = new Map<number, number>();

  constructor(readonly objects: Record<string, JsonObject[]>, readonly endpoints: FlowEndpoint[], readonly t: Templates) {}

  add(type: string, object: JsonObject): JsonObject {
    (this.objects[type] = this.objects[type] || []).push(object);

    return object;
  }

  count(type: string): number {
    return this.objects[type]?.length || 0;
  }

  namespace(name: string): void {
    const ns = clone(this.t.ns);

    ns.metadata = { ...ns.metadata, name, labels: { 'kubernetes.io/metadata.name': name } };
    this.add('namespace', ns);
  }

  /** Generated node `i` (index among all nodes; the normal seed's come first). */
  node(i: number): { name: string; ip: string } {
    return { name: `harvester-node-${ i }`, ip: `192.168.${ 10 + Math.floor(i / 200) }.${ 11 + (i % 200) }` };
  }

  /** The next pod-network address on a generated node (canal's per-node /24, 10.52.<node>.<n>). */
  podIp(nodeIndex: number): string {
    const n = (this.podHosts.get(nodeIndex) || 10) + 1;

    if (n > 254) {
      throw new Error(`node ${ nodeIndex } has no pod address left: seed more nodes for this many pods`);
    }
    this.podHosts.set(nodeIndex, n);

    return `10.52.${ nodeIndex }.${ n }`;
  }
}

function addNodes(b: ScaleBuilder, first: number, count: number): void {
  for (let i = first; i < first + count; i++) {
    const { name, ip } = b.node(i);
    const node = clone(b.t.node);

    node.metadata.name = name;
    // Workers: no control-plane or etcd roles.
    node.metadata.labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
    node.spec = { podCIDR: `10.52.${ i }.0/24`, podCIDRs: [`10.52.${ i }.0/24`] };
    node.status.addresses = [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }];
    b.add('node', node);
    b.endpoints.push(endpoint({ ip, role: 'node', app: 'node', auto_instance: name }));
  }
}

/** One bridge network per kind for the generated VMs' second NIC. */
function addNetworks(b: ScaleBuilder, namespace: string): { vlan: string; untagged: string } {
  const vlan = clone(b.t.nad);
  const untagged = clone(b.t.nad);
  const config = JSON.parse(vlan.spec.config);

  vlan.metadata = { ...vlan.metadata, name: 'vlan200', namespace };
  vlan.metadata.labels = { ...vlan.metadata.labels, 'network.harvesterhci.io/type': VLAN_TYPE, 'network.harvesterhci.io/vlan-id': '200' };
  vlan.spec = { config: JSON.stringify({ ...config, name: 'vlan200', vlan: 200 }) };
  untagged.metadata = { ...untagged.metadata, name: 'untagged', namespace };
  untagged.metadata.labels = { ...untagged.metadata.labels, 'network.harvesterhci.io/type': UNTAGGED_TYPE };
  delete untagged.metadata.labels['network.harvesterhci.io/vlan-id'];
  untagged.spec = { config: JSON.stringify({ ...config, name: 'untagged', vlan: 0 }) };
  b.add('k8s.cni.cncf.io.networkattachmentdefinition', vlan);
  b.add('k8s.cni.cncf.io.networkattachmentdefinition', untagged);

  return { vlan: `${ namespace }/vlan200`, untagged: `${ namespace }/untagged` };
}

interface ScaleVm { namespace: string; name: string; nodeIndex: number; network: string; bridgeIp: string }

function addVm(b: ScaleBuilder, spec: ScaleVm): void {
  const { name, namespace } = spec;
  const node = b.node(spec.nodeIndex);
  const disk = { namespace, claim: `${ name }-disk-0` };
  const { claim, volume } = vmDiskObjects(disk);
  const podIp = b.podIp(spec.nodeIndex);
  const macs = [{ name: 'default', mac: mac('52:54:00', name) }, { name: 'nic-vlan', mac: mac('52:54:01', `${ name }v`) }];
  const vm = clone(b.t.vm);
  const template = vm.spec.template;

  template.metadata = { labels: { 'harvesterhci.io/vmName': name }, annotations: vmTemplateAnnotations(namespace) };
  template.spec.networks = template.spec.networks.map((n: JsonObject) => (n.multus ? { ...n, multus: { networkName: spec.network } } : n));
  template.spec.volumes = [{ name: 'disk-0', persistentVolumeClaim: { claimName: disk.claim } }, vmCloudInit(publicKey(namespace)).volume];
  vm.metadata = {
    ...vm.metadata, name, namespace, annotations: { ...vm.metadata.annotations, ...vmAnnotations(disk, macs) }
  };
  b.add('persistentvolumeclaim', claim);
  b.add('persistentvolume', volume);
  b.add('kubevirt.io.virtualmachine', vm);

  const vmi = clone(b.t.vmi);

  vmi.metadata = {
    ...vmi.metadata,
    name,
    namespace,
    labels:          { 'kubevirt.io/nodeName': node.name, 'harvesterhci.io/vmName': name },
    ownerReferences: [{ ...vmi.metadata.ownerReferences[0], name, uid: `uid-${ hashString(name) }` }],
  };
  vmi.spec = template.spec;
  vmi.status = {
    ...vmi.status,
    nodeName:   node.name,
    interfaces: vmi.status.interfaces.map((i: JsonObject) => {
      const ip = i.name === 'default' ? podIp : spec.bridgeIp;

      return {
        ...i, ipAddress: ip, ipAddresses: [ip], mac: macs.find((m) => m.name === i.name)?.mac
      };
    }),
  };
  b.add('kubevirt.io.virtualmachineinstance', vmi);

  const pod = clone(b.t.launcher);

  pod.metadata = {
    ...pod.metadata,
    name:            `virt-launcher-${ name }-${ podSuffix(b.rand) }`,
    namespace,
    labels:          { ...pod.metadata.labels, app: name, 'vm.kubevirt.io/name': name, 'harvesterhci.io/vmName': name },
    ownerReferences: [{ ...pod.metadata.ownerReferences[0], name, uid: `uid-${ hashString(name) }` }],
  };
  pod.spec = { ...pod.spec, nodeName: node.name };
  pod.status = {
    ...pod.status, podIP: podIp, podIPs: [{ ip: podIp }], hostIP: node.ip
  };
  b.add('pod', pod);
  // DeepFlow does not tag virt-launcher pods (deepflowio/deepflow#3244): both NICs are bare addresses.
  b.endpoints.push(endpoint({ ip: podIp, role: 'vm', app: `${ namespace }/${ name }` }));
  b.endpoints.push(endpoint({ ip: spec.bridgeIp, role: 'vm', app: `${ namespace }/${ name }` }));
}

function addVms(b: ScaleBuilder, count: number, nodes: number[]): void {
  let networks = { vlan: '', untagged: '' };

  for (let i = 0; i < count; i++) {
    const namespace = `vm-scale-${ String(Math.floor(i / VMS_PER_NAMESPACE)).padStart(2, '0') }`;

    if (i % VMS_PER_NAMESPACE === 0) {
      b.namespace(namespace);
      const key = clone(b.t.keyPair);

      key.metadata = { ...key.metadata, namespace };
      key.spec = { publicKey: publicKey(namespace) };
      b.add('harvesterhci.io.keypair', key);
      networks = addNetworks(b, namespace);
    }
    addVm(b, {
      namespace,
      name:      `${ ['web', 'api', 'db', 'build'][i % 4] }-${ i }`,
      nodeIndex: nodes[i % nodes.length],
      // Half of the VMs' second NIC is on a VLAN, half on the untagged network (172.20.0.0/16 and 172.21.0.0/16).
      network:   i % 2 === 0 ? networks.vlan : networks.untagged,
      bridgeIp:  `172.${ i % 2 === 0 ? 20 : 21 }.${ Math.floor(i / 250) }.${ 2 + (i % 250) }`,
    });
  }
}

/** Application pods in `apps` Deployments-like groups, each behind a Service of its own. */
function addApplications(b: ScaleBuilder, pods: number, services: number, nodes: number[]): void {
  const apps = Math.max(1, services);
  let serviceIndex = 0;

  for (let a = 0; a < apps; a++) {
    const namespace = `app-scale-${ String(Math.floor(a / APPS_PER_NAMESPACE)).padStart(2, '0') }`;
    const name = `svc-${ a }`;
    const owner = `${ name }-${ (hashString(name) % 9000 + 1000).toString(16) }`;
    const replicas = Math.floor(pods / apps) + (a < pods % apps ? 1 : 0);

    if (a % APPS_PER_NAMESPACE === 0) {
      b.namespace(namespace);
    }
    for (let r = 0; r < replicas; r++) {
      const nodeIndex = nodes[(a + r) % nodes.length];
      const node = b.node(nodeIndex);
      const ip = b.podIp(nodeIndex);
      const pod = clone(b.t.appPod);
      const podName = `${ owner }-${ podSuffix(b.rand) }`;

      pod.metadata = {
        ...pod.metadata, name: podName, namespace, labels: { app: name, 'app.kubernetes.io/name': name }, ownerReferences: [{ ...pod.metadata.ownerReferences[0], name: owner, uid: `uid-${ hashString(owner) }` }]
      };
      pod.spec = { ...pod.spec, nodeName: node.name, containers: [{ name, image: `registry.e2e.example/${ namespace }/${ name }:1.0.0` }] };
      pod.status = {
        ...pod.status, podIP: ip, podIPs: [{ ip }], hostIP: node.ip
      };
      b.add('pod', pod);
      b.endpoints.push(endpoint({
        ip, role: 'pod', app: `${ namespace }/${ name }`, pod: podName, pod_ns: namespace, pod_node: node.name, pod_group: owner, pod_cluster: 'harvester-e2e', pod_service: name, auto_instance: podName, auto_service: name
      }));
    }
    if (serviceIndex < services) {
      const service = clone(b.t.service);
      const clusterIP = `10.53.${ 200 + Math.floor(serviceIndex / 250) }.${ 2 + (serviceIndex % 250) }`;

      service.metadata = {
        ...service.metadata, name, namespace, labels: {}, annotations: {}
      };
      service.spec = {
        ...service.spec,
        clusterIP,
        clusterIPs: [clusterIP],
        selector:   { app: name },
        ports:      [{
          name: 'main', port: 8080, targetPort: 8080, protocol: 'TCP'
        }]
      };
      b.add('service', service);
      serviceIndex++;
    }
  }
}

/** Plausible talk: VMs to VMs and the internet, app pods to other apps, everything to DNS, nodes to nodes. */
function addEdges(b: ScaleBuilder, edges: FlowEdge[], total: number): FlowEdge[] {
  const rand = seededRandom(19);
  const byRole = (role: FlowEndpoint['role']) => b.endpoints.filter((e) => e.role === role);
  const vms = byRole('vm');
  const pods = byRole('pod');
  const external = byRole('external');
  const nodes = byRole('node');
  const dns = b.endpoints.filter((e) => e.app === 'kube-system/coredns');
  const kinds: { from: FlowEndpoint[]; to: FlowEndpoint[]; port: number; protocol: number; volume: number; weight: number }[] = [
    {
      from: vms, to: vms, port: 8443, protocol: TCP, volume: 5e6, weight: 3
    },
    {
      from: vms, to: external, port: 443, protocol: TCP, volume: 8e6, weight: 1
    },
    {
      from: pods, to: pods, port: 8080, protocol: TCP, volume: 2e6, weight: 4
    },
    {
      from: [...pods, ...vms], to: dns, port: 53, protocol: UDP, volume: 2e4, weight: 1
    },
    {
      from: nodes, to: nodes, port: 2379, protocol: TCP, volume: 8e5, weight: 1
    },
  ].filter((k) => k.from.length && k.to.length);
  const weights = kinds.flatMap((k) => Array.from({ length: k.weight }, () => k));
  const keys = new Set(edges.map((e) => `${ e.client.ip }|${ e.server.ip }|${ e.protocol }|${ e.serverPort }`));
  const out = [...edges];

  for (let attempt = 0; out.length < total && attempt < total * 20; attempt++) {
    const kind = pick(rand, weights);
    const client = pick(rand, kind.from);
    const server = pick(rand, kind.to);
    const key = `${ client.ip }|${ server.ip }|${ kind.protocol }|${ kind.port }`;

    if (client !== server && !keys.has(key)) {
      keys.add(key);
      out.push(flowEdge(rand, client, server, kind.protocol, kind.port, kind.volume));
    }
  }

  return out;
}

/** The normal seed grown to `size`. */
export function buildScaleCluster(size: ScaleSize): ScaleSeed {
  const base = buildCluster();
  const b = new ScaleBuilder(base.objects, base.endpoints, templates(base.objects));
  const baseEndpoints = base.endpoints.length;
  const firstNew = b.count('node');
  const newNodes = Math.max(0, size.nodes - firstNew);

  if (!newNodes) {
    throw new Error(`a scale seed needs more than the normal seed's ${ firstNew } nodes`);
  }
  addNodes(b, firstNew, newNodes);
  const nodes = Array.from({ length: newNodes }, (_, i) => firstNew + i);

  addVms(b, size.vms, nodes);
  addApplications(b, Math.max(0, size.pods - b.count('pod')), Math.max(0, size.services - b.count('service')), nodes);
  const edges = addEdges(b, buildFlowEdges(b.endpoints.slice(0, baseEndpoints)), size.flows);

  return { cluster: { objects: b.objects, endpoints: b.endpoints }, edges };
}

/** Objects per type, for the benchmark's header line. */
export function scaleCounts(seed: ScaleSeed): Record<string, number> {
  const o = seed.cluster.objects;

  return {
    nodes: o.node.length, vms: o['kubevirt.io.virtualmachine'].length, pods: o.pod.length, services: o.service.length, flows: seed.edges.length
  };
}
