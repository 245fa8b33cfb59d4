import { COVERAGE_QUERIES, policyCoverage } from '@pkg/domain/security/policy-coverage';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';
import { filterFields } from '../../../sandbox/backend/steve-fields';
import { TYPES } from '@pkg/domain/stack/constants';

const vm = (namespace: string, name: string) => ({ metadata: { namespace, name }, spec: { template: { metadata: { labels: { app: name } } } } });
const launcher = (namespace: string, vmName: string) => ({
  metadata: { namespace, name: `virt-launcher-${ vmName }-abcde`, labels: { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': vmName, app: vmName } },
  spec:     { containers: [{ name: 'compute' }] },
});
const policy = (namespace: string, name: string, matchLabels: Record<string, string>) => ({
  metadata: { namespace, name }, spec: { podSelector: { matchLabels }, policyTypes: ['Ingress'], ingress: [] }
});

function lists(entries: Record<string, unknown[]>) {
  return new Map(Object.entries(entries));
}

const ids = (findings: { id: string; params: Record<string, unknown> }[]) => findings.map((f) => `${ f.id } ${ f.params.vm || f.params.namespace || f.params.policy || '' }`).sort();

describe('policyCoverage: NetworkPolicy coverage of the cluster\'s VMs', () => {
  it('names VMs no policy selects, VM namespaces without any policy, and policies selecting nothing', () => {
    const findings = policyCoverage(lists({
      [TYPES.vm]:            [vm('prod', 'web'), vm('prod', 'db'), vm('dev', 'scratch')],
      [TYPES.pod]:           [launcher('prod', 'web'), launcher('prod', 'db'), launcher('dev', 'scratch')],
      [TYPES.networkPolicy]: [policy('prod', 'db-only', { app: 'db' }), policy('prod', 'ghost', { app: 'gone' })],
    }));

    expect(ids(findings)).toEqual(expect.arrayContaining([
      'netpol.vmUncovered web', 'netpol.vmUncovered scratch', 'netpol.namespaceUncovered dev',
    ]));
    expect(ids(findings).some((i) => i.startsWith('netpol.selectsNothing'))).toBe(true);
    expect(ids(findings)).not.toContain('netpol.vmUncovered db');
    expect(ids(findings)).not.toContain('netpol.namespaceUncovered prod');
  });

  it('judges only namespaces that hold VMs, and says nothing without VMs', () => {
    expect(policyCoverage(lists({ [TYPES.pod]: [{ metadata: { namespace: 'kube-system', name: 'coredns-1', labels: { k8s: 'dns' } } }] }))).toEqual([]);
    const findings = policyCoverage(lists({
      [TYPES.vm]:  [vm('prod', 'web')],
      [TYPES.pod]: [launcher('prod', 'web'), { metadata: { namespace: 'kube-system', name: 'coredns-1' }, spec: {} }],
    }));

    expect(findings.every((f) => f.object.namespace !== 'kube-system' && f.params.namespace !== 'kube-system')).toBe(true);
  });

  it('tolerates junk from the API', () => {
    expect(() => policyCoverage(lists({ [TYPES.vm]: [null, 42, 'x', { metadata: null }], [TYPES.networkPolicy]: [{}] }))).not.toThrow();
  });
});

describe('policyCoverage on the Steve projection of VMs it reads', () => {
  it('finds the same as on the whole objects (the sandbox seed: VMs, launcher pods, NetworkPolicies)', () => {
    const { objects } = buildCluster();
    const vmFields = COVERAGE_QUERIES.find((q) => q.type === TYPES.vm)?.fields || [];
    const input = (vms: unknown[]) => new Map<string, unknown[]>([
      [TYPES.vm, vms], [TYPES.networkPolicy, objects[TYPES.networkPolicy] || []],
      [TYPES.pod, (objects[TYPES.pod] || []).filter((p: any) => p.metadata?.labels?.['kubevirt.io'] === 'virt-launcher')],
    ]);
    const whole = objects[TYPES.vm];
    const projected = whole.map((vm) => filterFields(vm, { include: [...vmFields], exclude: ['metadata.managedFields'] }));

    expect(vmFields.length).toBeGreaterThan(0);
    expect(JSON.stringify(projected).length).toBeLessThan(JSON.stringify(whole).length / 2);
    expect(policyCoverage(input(whole)).length).toBeGreaterThan(0);
    expect(policyCoverage(input(projected))).toEqual(policyCoverage(input(whole)));
  });
});
