/**
 * The flow views read pods, VMs and VMIs as Steve projections (FLOW_FIELDS, Steve's `include`): everything
 * they compute from the projected objects must equal what they compute from the whole objects. The objects are
 * the sandbox seed's (pods with ports, owners and host networking, VMs on the management network and VLANs,
 * launcher pods, Services, NetworkPolicies), projected the way Steve does (sandbox/backend/steve-fields.ts,
 * tested against rancher/steve's own cases).
 */
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { podWorkloads } from '@pkg/domain/flows/enrichment/workloads';
import { FLOW_FIELDS, FlowObjects, vmNames } from '@pkg/domain/flows/view/view-objects';
import { buildPolicyWorld } from '@pkg/domain/policy/policy-world';
import { TYPES } from '@pkg/domain/stack/constants';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';
import { filterFields } from '../../../sandbox/backend/steve-fields';

const seed = buildCluster();
const list = (type: string) => seed.objects[type] || [];
const project = (type: string, fields: readonly string[]) => list(type).map((o) => filterFields(o, { include: [...fields], exclude: ['metadata.managedFields'] }));

const whole: FlowObjects = {
  vms:                          list(TYPES.vm),
  vmis:                         list(TYPES.vmi),
  pods:                         list(TYPES.pod),
  nodes:                        list(TYPES.node),
  services:                     list(TYPES.service),
  networkAttachmentDefinitions: list(TYPES.nad),
  namespaces:                   list(TYPES.namespace),
  networkPolicies:              list(TYPES.networkPolicy),
};
const projected: FlowObjects = {
  ...whole, vms: project(TYPES.vm, FLOW_FIELDS.vm), vmis: project(TYPES.vmi, FLOW_FIELDS.vmi), pods: project(TYPES.pod, FLOW_FIELDS.pod),
};
const addresses = [...new Set(seed.endpoints.map((e) => e.ip))];
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v)));

describe('flow views on Steve projections', () => {
  it('projects a real share of each object away', () => {
    const bytes = (objects: unknown) => JSON.stringify(objects).length;

    expect(seed.objects[TYPES.pod].length).toBeGreaterThan(20);
    expect(bytes(projected.pods)).toBeLessThan(bytes(whole.pods));
    expect(bytes(projected.vms)).toBeLessThan(bytes(whole.vms) / 2);
    expect(bytes(projected.vmis)).toBeLessThan(bytes(whole.vmis));
  });

  it('names every address of the flows the same', () => {
    const [a, b] = [buildEndpointIndex(whole), buildEndpointIndex(projected)];

    expect(a.size).toBeGreaterThan(20);
    expect(b.size).toBe(a.size);
    expect(addresses.map((ip) => b.lookupIp(ip))).toEqual(addresses.map((ip) => a.lookupIp(ip)));
    expect(vmNames(projected).map((v) => b.vm(v.namespace, v.name))).toEqual(vmNames(whole).map((v) => a.vm(v.namespace, v.name)));
    expect(vmNames(projected)).toEqual(vmNames(whole));
  });

  it('groups pods by the same workloads', () => {
    expect(plain(podWorkloads(projected.pods))).toEqual(plain(podWorkloads(whole.pods)));
  });

  it('leaves out what a pod carries besides its containers, node and network (a virt-launcher pod\'s annotations, volumes, affinity, tolerations)', () => {
    // The parts of a virt-launcher pod's spec that KubeVirt fills (pkg/virt-controller/services/template.go) and the flow views never read.
    const launcher = (list(TYPES.pod) as any[]).find((p) => p.metadata.labels?.['kubevirt.io'] === 'virt-launcher');
    const heavy = {
      ...launcher,
      metadata: {
        ...launcher.metadata,
        // KubeVirt's (template.go) and Multus' annotations: the flow views read no pod annotation.
        annotations: {
          'kubevirt.io/domain':                      launcher.metadata.labels['vm.kubevirt.io/name'],
          'kubectl.kubernetes.io/default-container': 'compute',
          'pre.hook.backup.velero.io/container':     'compute',
          'k8s.v1.cni.cncf.io/network-status':       JSON.stringify([{ name: 'k8s-pod-network', interface: 'eth0', ips: [launcher.status?.podIP], default: true }]),
        },
      },
      spec: {
        ...launcher.spec,
        volumes:     Array.from({ length: 8 }, (_, i) => ({ name: `disk-${ i }`, persistentVolumeClaim: { claimName: `${ launcher.metadata.name }-disk-${ i }` } })),
        affinity:    { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'network.harvesterhci.io/mgmt', operator: 'In', values: ['true'] }] }] } } },
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        dnsPolicy:   'ClusterFirst',
        hostname:    launcher.metadata.labels['vm.kubevirt.io/name'],
      },
    };
    const [projectedPod] = [heavy].map((o) => filterFields(o, { include: [...FLOW_FIELDS.pod], exclude: ['metadata.managedFields'] })) as any[];

    expect(Object.keys(projectedPod.spec).sort()).toEqual(Object.keys(launcher.spec).sort());
    expect(projectedPod.metadata.annotations).toBeUndefined();
    const withPod = (pod: unknown): FlowObjects => ({ ...whole, pods: whole.pods!.map((p: any) => (p.metadata.name === launcher.metadata.name ? pod : p)) });
    const [a, b] = [buildPolicyWorld(withPod(heavy)), buildPolicyWorld(withPod(projectedPod))];

    expect(plain(b.pods)).toEqual(plain(a.pods));
    expect(plain(b.launchers)).toEqual(plain(a.launchers));
    expect(addresses.map((ip) => buildEndpointIndex(withPod(projectedPod)).lookupIp(ip))).toEqual(addresses.map((ip) => buildEndpointIndex(withPod(heavy)).lookupIp(ip)));
  });

  it('builds the same policy world (pods with labels, ports, addresses, launchers and backends)', () => {
    const [a, b] = [buildPolicyWorld(whole), buildPolicyWorld(projected)];

    expect(a.pods.size).toBeGreaterThan(20);
    expect(plain(b.pods)).toEqual(plain(a.pods));
    expect(plain(b.launchers)).toEqual(plain(a.launchers));
    expect([...b.services.values()].map((s) => b.backends(s).map((p) => p.name))).toEqual([...a.services.values()].map((s) => a.backends(s).map((p) => p.name)));
    expect(plain(b.set)).toEqual(plain(a.set));
  });
});
