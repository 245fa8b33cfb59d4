/**
 * The Harvester cluster as its API would list it: 3 nodes, VMs on the management (pod) network and
 * on a VLAN network, their VMIs and virt-launcher pods, application and system pods, Services,
 * storage and ingress classes, settings. Generated deterministically from a seed.
 */
import { JsonObject } from '../http';
import { hashString, podSuffix } from './random';
import { seededRandom } from './seeded-random';
import { HOSTILE, HOSTILE_ANNOTATIONS } from './hostile';
import { addFlowReaders } from './flow-readers';
import { addPolicies } from './policies';
import {
  VM_LABELS, VmInterfaceMac, keyPair, publicKey, vmAnnotations, vmCloudInit, vmDiskObjects, vmTemplateAnnotations
} from './harvester-vm';
import {
  AGENT_SCENARIO, HARVESTER_VERSION, NODE_KERNEL, NODES, VLAN
} from './constants';

/** One side of a flow as DeepFlow tags it (empty string = tag unknown). */
export interface FlowEndpoint {
  ip: string;
  pod: string;
  pod_ns: string;
  pod_node: string;
  pod_group: string;
  pod_cluster: string;
  pod_service: string;
  chost: string;
  auto_instance: string;
  auto_service: string;
  /** What the seed made it, to shape traffic: vm, pod, system, node, external. */
  role: 'vm' | 'pod' | 'system' | 'node' | 'external';
  /** Application group (e.g. shop/frontend) for plausible talk patterns. */
  app: string;
}

export interface ClusterSeed {
  objects: Record<string, JsonObject[]>;
  endpoints: FlowEndpoint[];
}

const CREATED = '2026-04-01T08:00:00Z';

function endpoint(partial: Partial<FlowEndpoint> & Pick<FlowEndpoint, 'ip' | 'role' | 'app'>): FlowEndpoint {
  return {
    pod:           '',
    pod_ns:        '',
    pod_node:      '',
    pod_group:     '',
    pod_cluster:   '',
    pod_service:   '',
    chost:         '',
    auto_instance: partial.pod || partial.ip,
    auto_service:  '',
    ...partial,
  };
}

class Builder {
  readonly objects: Record<string, JsonObject[]> = {};
  readonly endpoints: FlowEndpoint[] = [];
  private readonly podIpCounters = new Map<number, number>();
  readonly rand = seededRandom(20260501);

  add(type: string, object: JsonObject): JsonObject {
    (this.objects[type] = this.objects[type] || []).push(object);

    return object;
  }

  /** The next pod-network address on a node (10.52.<node>.<n>, canal's per-node /24). */
  podIp(nodeIndex: number): string {
    const n = (this.podIpCounters.get(nodeIndex) || 10) + 1;

    this.podIpCounters.set(nodeIndex, n);

    return `10.52.${ nodeIndex }.${ n }`;
  }
}

function meta(name: string, namespace?: string, extra: JsonObject = {}): JsonObject {
  return {
    name, ...(namespace ? { namespace } : {}), creationTimestamp: CREATED, labels: {}, annotations: {}, ...extra
  };
}

function addNodes(b: Builder): void {
  NODES.forEach((node) => {
    b.add('node', {
      apiVersion: 'v1',
      kind:       'Node',
      metadata:   meta(node.name, undefined, {
        labels: {
          'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/etcd': 'true'
        },
      }),
      spec:   { podCIDR: `10.52.${ node.podCidr }.0/24`, podCIDRs: [`10.52.${ node.podCidr }.0/24`] },
      status: {
        addresses:   [{ type: 'InternalIP', address: node.ip }, { type: 'Hostname', address: node.name }],
        allocatable: {
          cpu: '16', memory: '64890724Ki', pods: '200', 'ephemeral-storage': '142807200Ki'
        },
        capacity: {
          cpu: '16', memory: '65842380Ki', pods: '200', 'ephemeral-storage': '146548800Ki'
        },
        conditions: [{
          type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: CREATED
        }],
        nodeInfo: {
          architecture: 'amd64', kernelVersion: node.name === AGENT_SCENARIO.oldKernel.node ? AGENT_SCENARIO.oldKernel.kernel : NODE_KERNEL, kubeletVersion: 'v1.30.7+rke2r1', osImage: `Harvester ${ HARVESTER_VERSION }`, containerRuntimeVersion: 'containerd://1.7.23-k3s2', operatingSystem: 'linux'
        },
      },
    });
    b.endpoints.push(endpoint({ ip: node.ip, role: 'node', app: 'node', auto_instance: node.name }));
  });
  // A cluster network on one node only (VlanConfig with a node selector): network-controller-harvester
  // reports it in a VlanStatus; its bridge is `<cluster network>-br`.
  const { node, clusterNetwork, vlanConfig } = AGENT_SCENARIO.uncapturedBridge;

  b.add('network.harvesterhci.io.vlanstatus', {
    apiVersion: 'network.harvesterhci.io/v1beta1',
    kind:       'VlanStatus',
    metadata:   meta(`${ vlanConfig }-${ node }`, undefined, {
      labels: {
        'network.harvesterhci.io/clusternetwork': clusterNetwork, 'network.harvesterhci.io/vlanconfig': vlanConfig, 'network.harvesterhci.io/node': node
      },
    }),
    status: {
      clusterNetwork, vlanConfig, node, linkStatus: [{ name: `${ clusterNetwork }-bo`, state: 'up' }], conditions: [{ type: 'ready', status: 'True', lastUpdateTime: CREATED }]
    },
  });
}

function addNamespaces(b: Builder, names: string[]): void {
  names.forEach((name) => b.add('namespace', {
    apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, { labels: { 'kubernetes.io/metadata.name': name } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }
  }));
}

interface PodSpec {
  namespace: string;
  name: string;
  app: string;
  nodeIndex: number;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerKind?: string;
  ownerName?: string;
  ip?: string;
  role?: FlowEndpoint['role'];
  /** DeepFlow does not tag virt-launcher pods (deepflowio/deepflow#3244). */
  tagged?: boolean;
  service?: string;
}

const appLabel = (app: string) => app.split('/').pop() as string;

function addPod(b: Builder, spec: PodSpec): string {
  const node = NODES[spec.nodeIndex];
  const ip = spec.ip || (spec.hostNetwork ? node.ip : b.podIp(spec.nodeIndex));

  b.add('pod', {
    apiVersion: 'v1',
    kind:       'Pod',
    metadata:   meta(spec.name, spec.namespace, {
      // Label values cannot hold '/': the app's name only (its namespace is the pod's).
      labels:          { app: appLabel(spec.app), ...(spec.labels || {}) },
      annotations:     spec.annotations || {},
      ownerReferences: spec.ownerKind ? [{
        apiVersion: spec.ownerKind === 'VirtualMachineInstance' ? 'kubevirt.io/v1' : 'apps/v1', kind: spec.ownerKind, name: spec.ownerName, controller: true, uid: `uid-${ hashString(spec.ownerName || '') }`
      }] : [],
    }),
    spec: {
      nodeName: node.name, hostNetwork: !!spec.hostNetwork, containers: [{ name: appLabel(spec.app), image: `registry.e2e.example/${ spec.app }:1.0.0` }]
    },
    status: {
      phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: node.ip, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: CREATED } } }]
    },
  });
  if (!spec.hostNetwork) {
    const tagged = spec.tagged !== false;

    b.endpoints.push(endpoint({
      ip,
      role:          spec.role || 'pod',
      app:           spec.app,
      pod:           tagged ? spec.name : '',
      pod_ns:        tagged ? spec.namespace : '',
      pod_node:      tagged ? node.name : '',
      pod_group:     tagged ? (spec.ownerName || '') : '',
      pod_cluster:   tagged ? 'harvester-e2e' : '',
      pod_service:   tagged ? (spec.service || '') : '',
      auto_instance: tagged ? spec.name : ip,
      auto_service:  tagged ? (spec.service || '') : '',
    }));
  }

  return ip;
}

function addService(b: Builder, namespace: string, name: string, clusterIP: string, selector: Record<string, string>, port: number): void {
  b.add('service', {
    apiVersion: 'v1',
    kind:       'Service',
    metadata:   meta(name, namespace),
    spec:       {
      type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], selector, ports: [{ name: 'main', port, targetPort: port, protocol: 'TCP' }]
    },
    status: { loadBalancer: {} },
  });
}

const APPS: { namespace: string; name: string; replicas: number; port: number }[] = [
  { namespace: 'shop', name: 'frontend', replicas: 6, port: 8080 },
  { namespace: 'shop', name: 'cart', replicas: 4, port: 8080 },
  { namespace: 'shop', name: 'catalog', replicas: 4, port: 8080 },
  { namespace: 'shop', name: 'checkout', replicas: 3, port: 8080 },
  { namespace: 'shop', name: 'redis', replicas: 3, port: 6379 },
  { namespace: 'shop', name: 'postgres', replicas: 2, port: 5432 },
  { namespace: 'payments', name: 'gateway', replicas: 4, port: 8443 },
  { namespace: 'payments', name: 'ledger', replicas: 3, port: 9000 },
  { namespace: 'payments', name: 'fraud', replicas: 3, port: 9000 },
  { namespace: 'analytics', name: 'ingest', replicas: 6, port: 8080 },
  { namespace: 'analytics', name: 'worker', replicas: 12, port: 8080 },
  { namespace: 'analytics', name: 'kafka', replicas: 3, port: 9092 },
  { namespace: 'analytics', name: 'zookeeper', replicas: 3, port: 2181 },
  { namespace: 'batch', name: 'report', replicas: 12, port: 8080 },
];

function addApplications(b: Builder): void {
  let serviceIp = 100;

  APPS.forEach((app, appIndex) => {
    const owner = `${ app.name }-${ (hashString(app.name) % 9000 + 1000).toString(16) }`;

    for (let i = 0; i < app.replicas; i++) {
      addPod(b, {
        namespace: app.namespace,
        name:      `${ owner }-${ podSuffix(b.rand) }`,
        app:       `${ app.namespace }/${ app.name }`,
        nodeIndex: (appIndex + i) % NODES.length,
        ownerKind: 'ReplicaSet',
        ownerName: owner,
        service:   app.name,
        labels:    { 'app.kubernetes.io/name': app.name },
      });
    }
    serviceIp += 1;
    addService(b, app.namespace, app.name, `10.53.${ 100 + appIndex }.${ serviceIp }`, { app: app.name }, app.port);
  });

  // Hostile strings in annotations, and a pod name at the length limit of a DNS subdomain (253).
  addPod(b, {
    namespace: 'shop', name: HOSTILE.longName, app: 'shop/legacy', nodeIndex: 1, annotations: HOSTILE_ANNOTATIONS
  });
}

function addSystemPods(b: Builder): void {
  NODES.forEach((node, i) => {
    addPod(b, {
      namespace: 'kube-system', name: `rke2-canal-${ podSuffix(b.rand) }`, app: 'kube-system/canal', nodeIndex: i, hostNetwork: true, ownerKind: 'DaemonSet', ownerName: 'rke2-canal'
    });
    addPod(b, {
      namespace: 'harvester-system', name: `virt-handler-${ podSuffix(b.rand) }`, app: 'harvester-system/virt-handler', nodeIndex: i, ownerKind: 'DaemonSet', ownerName: 'virt-handler', role: 'system'
    });
    addPod(b, {
      namespace: 'longhorn-system', name: `longhorn-manager-${ podSuffix(b.rand) }`, app: 'longhorn-system/longhorn-manager', nodeIndex: i, ownerKind: 'DaemonSet', ownerName: 'longhorn-manager', role: 'system'
    });
    addPod(b, {
      namespace: 'longhorn-system', name: `instance-manager-${ podSuffix(b.rand, 32) }`, app: 'longhorn-system/instance-manager', nodeIndex: i, role: 'system'
    });
    addPod(b, {
      namespace: 'harvester-system', name: `harvester-${ podSuffix(b.rand, 10) }-${ podSuffix(b.rand) }`, app: 'harvester-system/harvester', nodeIndex: i, ownerKind: 'ReplicaSet', ownerName: 'harvester-6d8c9f7b5', role: 'system', service: 'harvester'
    });
  });
  for (let i = 0; i < 2; i++) {
    addPod(b, {
      namespace: 'kube-system', name: `rke2-coredns-rke2-coredns-84b9cb946c-${ podSuffix(b.rand) }`, app: 'kube-system/coredns', nodeIndex: i, ownerKind: 'ReplicaSet', ownerName: 'rke2-coredns-rke2-coredns-84b9cb946c', role: 'system', service: 'rke2-coredns-rke2-coredns'
    });
    addPod(b, {
      namespace: 'cattle-system', name: `cattle-cluster-agent-7d9d7f8c6-${ podSuffix(b.rand) }`, app: 'cattle-system/cattle-cluster-agent', nodeIndex: i + 1, ownerKind: 'ReplicaSet', ownerName: 'cattle-cluster-agent-7d9d7f8c6', role: 'system'
    });
  }
  // default/kubernetes is the API server's own.
  addService(b, 'kube-system', 'rke2-coredns-rke2-coredns', '10.53.0.10', { app: 'coredns' }, 53);
  addService(b, 'harvester-system', 'harvester', '10.53.12.34', { app: 'harvester' }, 8443);
}

interface VmSpec {
  namespace: string;
  name: string;
  nodeIndex: number;
  mgmt: boolean;
  vlanIp?: string;
  running?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function vmNetworks(spec: VmSpec) {
  const interfaces: JsonObject[] = [];
  const networks: JsonObject[] = [];

  if (spec.mgmt) {
    interfaces.push({ name: 'default', masquerade: {}, model: 'virtio' });
    networks.push({ name: 'default', pod: {} });
  }
  if (spec.vlanIp) {
    interfaces.push({ name: 'nic-vlan', bridge: {}, model: 'virtio' });
    networks.push({ name: 'nic-vlan', multus: { networkName: `${ VLAN.namespace }/${ VLAN.name }` } });
  }

  return { interfaces, networks };
}

function addVm(b: Builder, spec: VmSpec): void {
  const running = spec.running !== false;
  const node = NODES[spec.nodeIndex];
  const { interfaces, networks } = vmNetworks(spec);
  const disk = { namespace: spec.namespace, claim: `${ spec.name }-disk-0` };
  const { claim, volume } = vmDiskObjects(disk);
  const cloudInit = vmCloudInit(publicKey(spec.namespace));
  const template = {
    metadata: { labels: { 'harvesterhci.io/vmName': spec.name }, annotations: vmTemplateAnnotations(spec.namespace) },
    spec:     {
      domain: {
        cpu: { cores: 2, sockets: 1, threads: 1 }, resources: { limits: { cpu: '2', memory: '4Gi' } }, devices: { interfaces, disks: [{ name: 'disk-0', disk: { bus: 'virtio' }, bootOrder: 1 }, cloudInit.disk] }
      },
      networks,
      volumes: [{ name: 'disk-0', persistentVolumeClaim: { claimName: disk.claim } }, cloudInit.volume],
    },
  };

  b.add('persistentvolumeclaim', claim);
  b.add('persistentvolume', volume);
  const vm = b.add('kubevirt.io.virtualmachine', {
    apiVersion: 'kubevirt.io/v1',
    kind:       'VirtualMachine',
    metadata:   meta(spec.name, spec.namespace, {
      labels: { ...VM_LABELS, ...(spec.labels || {}) }, annotations: { ...vmAnnotations(disk, []), ...(spec.annotations || {}) }
    }),
    spec:   { runStrategy: running ? 'RerunOnFailure' : 'Halted', template },
    status: running ? {
      printableStatus: 'Running', ready: true, created: true
    } : { printableStatus: 'Stopped' },
  });

  if (!running) {
    return;
  }
  const launcher = `virt-launcher-${ spec.name }-${ podSuffix(b.rand) }`.slice(0, 253);
  // The launcher pod always has a pod-network address; a masquerade NIC shows the VM behind it.
  const podIp = addPod(b, {
    namespace: spec.namespace,
    name:      launcher,
    app:       `${ spec.namespace }/${ spec.name }`,
    nodeIndex: spec.nodeIndex,
    ownerKind: 'VirtualMachineInstance',
    ownerName: spec.name,
    labels:    { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': spec.name, 'harvesterhci.io/vmName': spec.name },
    role:      'vm',
    tagged:    false,
  });
  const statusInterfaces: JsonObject[] = [];

  if (spec.mgmt) {
    statusInterfaces.push({
      name: 'default', interfaceName: 'enp1s0', ipAddress: podIp, ipAddresses: [podIp], mac: `52:54:00:${ (hashString(spec.name) & 0xffffff).toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1:$2:$3') }`, infoSource: 'domain, guest-agent'
    });
  }
  if (spec.vlanIp) {
    statusInterfaces.push({
      name: 'nic-vlan', interfaceName: 'enp2s0', ipAddress: spec.vlanIp, ipAddresses: [spec.vlanIp], mac: `52:54:01:${ (hashString(`${ spec.name }v`) & 0xffffff).toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1:$2:$3') }`, infoSource: 'domain, guest-agent, multus-status'
    });
    b.endpoints.push(endpoint({ ip: spec.vlanIp, role: 'vm', app: `${ spec.namespace }/${ spec.name }` }));
  }
  // Harvester's controller copies the running VMI's MACs onto the VM.
  vm.metadata.annotations = { ...vm.metadata.annotations, ...vmAnnotations(disk, statusInterfaces.map((i): VmInterfaceMac => ({ name: i.name, mac: i.mac }))) };
  b.add('kubevirt.io.virtualmachineinstance', {
    apiVersion: 'kubevirt.io/v1',
    kind:       'VirtualMachineInstance',
    metadata:   meta(spec.name, spec.namespace, {
      labels:          { 'kubevirt.io/nodeName': node.name, 'harvesterhci.io/vmName': spec.name },
      ownerReferences: [{
        apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: spec.name, controller: true, uid: `uid-${ hashString(spec.name) }`
      }]
    }),
    spec:   template.spec,
    status: {
      phase: 'Running', nodeName: node.name, interfaces: statusInterfaces, conditions: [{ type: 'Ready', status: 'True' }]
    },
  });
}

export const LONG_VM_NAME = `long-name-vm-${ 'x'.repeat(63 - 'long-name-vm-'.length - 4) }-end`;

function addVms(b: Builder): void {
  ['vm-prod', VLAN.namespace].forEach((namespace) => b.add('harvesterhci.io.keypair', keyPair(namespace)));
  b.add('k8s.cni.cncf.io.networkattachmentdefinition', {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind:       'NetworkAttachmentDefinition',
    metadata:   meta(VLAN.name, VLAN.namespace, { labels: { 'network.harvesterhci.io/clusternetwork': 'mgmt', 'network.harvesterhci.io/type': 'L2VlanNetwork', 'network.harvesterhci.io/vlan-id': String(VLAN.id) } }),
    spec:       {
      config: JSON.stringify({
        cniVersion: '0.3.1', name: VLAN.name, type: 'bridge', bridge: 'mgmt-br', promiscMode: true, vlan: VLAN.id, ipam: {}
      })
    },
  });
  ['web-0', 'web-1', 'web-2', 'api-0', 'api-1', 'db-0'].forEach((name, i) => addVm(b, {
    namespace: 'vm-prod', name, nodeIndex: i % NODES.length, mgmt: true
  }));
  addVm(b, {
    namespace: 'vm-prod', name: 'stopped-0', nodeIndex: 0, mgmt: true, running: false
  });
  ['build-0', 'build-1', 'test-0', 'test-1'].forEach((name, i) => addVm(b, {
    namespace: VLAN.namespace, name, nodeIndex: (i + 1) % NODES.length, mgmt: false, vlanIp: `${ VLAN.subnet }.${ 10 + i }`
  }));
  addVm(b, {
    namespace: VLAN.namespace, name: 'gateway-0', nodeIndex: 2, mgmt: true, vlanIp: `${ VLAN.subnet }.1`
  });
  addVm(b, {
    namespace:   VLAN.namespace,
    name:        LONG_VM_NAME,
    nodeIndex:   1,
    mgmt:        false,
    vlanIp:      `${ VLAN.subnet }.99`,
    labels:      { 'e2e.test/markup': 'x' },
    annotations: { 'field.cattle.io/description': HOSTILE.imgTag, 'e2e.test/quotes': HOSTILE.quotes },
  });
}

function addExternal(b: Builder): void {
  const publicIps = ['8.8.8.8', '1.1.1.1', '140.82.112.3', '151.101.1.69', '104.16.132.229', '52.95.110.1', '13.107.42.14', '185.199.108.153'];

  for (let i = 0; i < 40; i++) {
    const ip = i < publicIps.length ? publicIps[i] : `203.0.113.${ 10 + i }`;

    b.endpoints.push(endpoint({ ip, role: 'external', app: 'internet' }));
  }
  for (let i = 0; i < 12; i++) {
    b.endpoints.push(endpoint({ ip: `192.168.20.${ 30 + i }`, role: 'external', app: 'office' }));
  }
  // Flow tags are free text from DeepFlow's platform data: they must show as text.
  b.endpoints.push(endpoint({
    ip: '198.51.100.66', role: 'external', app: 'internet', chost: HOSTILE.imgTag, auto_instance: HOSTILE.imgTag, auto_service: HOSTILE.svgBreakout
  }));
  b.endpoints.push(endpoint({
    ip: '198.51.100.67', role: 'external', app: 'internet', chost: HOSTILE.template, auto_instance: HOSTILE.quotes
  }));
}

function addPlatform(b: Builder): void {
  b.add('storage.k8s.io.storageclass', {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('harvester-longhorn', undefined, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'driver.longhorn.io', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', allowVolumeExpansion: true, parameters: { numberOfReplicas: '3' }
  });
  b.add('storage.k8s.io.storageclass', {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('longhorn-single-replica'), provisioner: 'driver.longhorn.io', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', parameters: { numberOfReplicas: '1' }
  });
  b.add('networking.k8s.io.ingressclass', {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('nginx', undefined, { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }), spec: { controller: 'k8s.io/ingress-nginx' }
  });
  const setting = (name: string, value: string, def = '') => ({
    apiVersion: 'harvesterhci.io/v1beta1', kind: 'Setting', metadata: meta(name), value, default: def
  });

  b.add('harvesterhci.io.setting', setting('server-version', HARVESTER_VERSION));
  b.add('harvesterhci.io.setting', setting('ui-source', 'auto', 'auto'));
  b.add('harvesterhci.io.setting', setting('cluster-registration-url', ''));
  // Longhorn's V2 data engine switch, which Harvester's VM pages read (longhorn/longhorn-manager
  // k8s/pkg/apis/longhorn/v1beta2/setting.go: a Setting has a top-level `value`).
  b.add('longhorn.io.setting', {
    apiVersion: 'longhorn.io/v1beta2', kind: 'Setting', metadata: meta('v2-data-engine', 'longhorn-system'), value: 'false', status: { applied: true }
  });
}

export const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'cattle-system', 'harvester-system', 'longhorn-system', 'vm-prod', 'vm-dev', 'shop', 'payments', 'analytics', 'batch'];

/** The cluster without the monitoring stack. */
export function buildCluster(): ClusterSeed {
  const b = new Builder();

  addNamespaces(b, CLUSTER_NAMESPACES);
  addNodes(b);
  addSystemPods(b);
  addApplications(b);
  addVms(b);
  addExternal(b);
  addPlatform(b);
  addFlowReaders(b);
  addPolicies(b);

  return { objects: b.objects, endpoints: b.endpoints };
}
