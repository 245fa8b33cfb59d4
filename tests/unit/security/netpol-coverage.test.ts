/**
 * Security Review coverage findings: VMs and namespaces without NetworkPolicy, policies that select
 * nothing (a stopped VM's policy still selects its VM), and the model knowing pod addresses.
 */
import { indexObjects, reviewObjects } from '@pkg/domain/security';
import { buildPolicySet, egressDecision, ingressDecision } from '@pkg/domain/security/netpol-model';
import { targetOf } from '@pkg/domain/security/netpol';
import { Json, namespace, workload } from './helpers';

const netpol = (objects: Json[]) => reviewObjects(objects, { analyses: ['netpol'] }).findings;
const ids = (objects: Json[]) => netpol(objects).map((f) => `${ f.id } ${ f.object.kind }/${ f.object.name }`);

const vmObject = (ns: string, name: string, labels: Json = {}) => ({
  apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name, namespace: ns }, spec: { template: { metadata: { labels }, spec: { domain: {} } } }
});
const launcher = (ns: string, vm: string, ip?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `virt-launcher-${ vm }-abcde`, namespace: ns, labels: { 'vm.kubevirt.io/name': vm, 'kubevirt.io': 'virt-launcher' } }, spec: { nodeName: 'n1', containers: [{ name: 'compute', image: 'virt-launcher:1' }] }, status: ip ? { podIP: ip, podIPs: [{ ip }] } : {},
});
const policy = (ns: string, name: string, spec: Json) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec
});

describe('VM and namespace coverage', () => {
  it('a VM no policy selects, and its namespace without any policy', () => {
    expect(ids([namespace('vms'), vmObject('vms', 'web')])).toEqual(expect.arrayContaining([
      'netpol.vmUncovered VirtualMachine/web', 'netpol.namespaceUncovered Namespace/vms',
    ]));
  });
  it('a policy on the VM template labels (which the launcher pod carries) covers it', () => {
    const objects = [namespace('vms'), vmObject('vms', 'web', { tier: 'front' }), policy('vms', 'front', { podSelector: { matchLabels: { tier: 'front' } }, ingress: [{}] })];

    expect(ids(objects).filter((i) => i.includes('Uncovered'))).toEqual([]);
  });
  it('a VM known only by its launcher pod is reported as the VM, not as a pod', () => {
    const found = ids([namespace('vms'), launcher('vms', 'db', '10.52.0.9')]);

    expect(found).toContain('netpol.vmUncovered VirtualMachine/db');
    expect(found.some((i) => i.startsWith('netpol.podUncovered'))).toBe(false);
  });
  it('a policy for a stopped VM does not select nothing; one for no VM or pod does', () => {
    const objects = [namespace('vms'), vmObject('vms', 'web'), policy('vms', 'web-in', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'web' } }, ingress: [{}] }),
      policy('vms', 'stale', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'gone' } }, ingress: [{}] })];
    const found = ids(objects);

    expect(found).toContain('netpol.selectsNothing NetworkPolicy/stale');
    expect(found).not.toContain('netpol.selectsNothing NetworkPolicy/web-in');
    expect(found).not.toContain('netpol.vmUncovered VirtualMachine/web');
    expect(found).not.toContain('netpol.namespaceUncovered Namespace/vms');
  });
  it('a VirtualMachine of another API group is not a KubeVirt VM', () => {
    expect(ids([namespace('vms'), { ...vmObject('vms', 'x'), apiVersion: 'vm.neon.tech/v1' }]).filter((i) => i.includes('vmUncovered'))).toEqual([]);
  });
  it('focus namespaces limit the findings', () => {
    const f = reviewObjects([namespace('a'), namespace('b'), vmObject('a', 'x'), vmObject('b', 'y')], { analyses: ['netpol'], focusNamespaces: ['a'] }).findings;

    expect([...new Set(f.map((x) => x.object.name))].sort()).toEqual(['a', 'x']);
  });
});

describe('pod addresses in the model', () => {
  const objects = [namespace('vms'), launcher('vms', 'a', '10.52.0.9'), launcher('vms', 'b'),
    workload('Deployment', 'api', 'vms', { containers: [{ name: 'c', image: 'x:1' }] }, { labels: { app: 'api' } }),
    policy('vms', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.52.0.0/16', except: ['10.52.0.128/25'] } }] }] })];
  const index = indexObjects(objects);
  const set = buildPolicySet(index);
  const t = (name: string) => targetOf(index.podTemplates.find((x) => x.ref.name.startsWith(name)) as any);

  it('an ipBlock holding a running pod\'s address admits it (kubernetes e2e: "should allow egress access to server in CIDR block")', () => {
    const a = t('virt-launcher-a');

    expect(a.ips).toEqual(['10.52.0.9']);
    expect(a.node).toBe('n1');
    expect(ingressDecision(set, t('api'), { kind: 'pod', ...a }, 80).verdict).toBe('allowed');
  });
  it('without the address the answer is unknown, never blocked', () => {
    expect(ingressDecision(set, t('api'), { kind: 'pod', ...t('virt-launcher-b') }, 80)).toMatchObject({ verdict: 'unknown', reasons: ['pod-address-unknown'] });
  });
  it('named egress ports to a pod whose ports are not known: unknown', () => {
    const out = buildPolicySet(indexObjects([...objects, policy('vms', 'a-out', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })]));

    expect(egressDecision(out, t('virt-launcher-a'), { kind: 'pod', namespace: 'vms', labels: { app: 'api' } }, 80)).toMatchObject({ verdict: 'unknown', reasons: ['named-port-unknown'] });
    expect(egressDecision(out, t('virt-launcher-a'), { kind: 'pod', namespace: 'vms', labels: { app: 'api' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }, 80).verdict).toBe('allowed');
  });
});
