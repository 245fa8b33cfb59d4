import { Checkbox } from '@components/Form/Checkbox';
import FindingsList from '@pkg/components/security/FindingsList.vue';
import { mountWithShell } from '../support/mount';
import { LabeledSelectStub, stubs } from './flows-fixtures';

const PARAMS = {
  kind: 'Deployment', workload: 'w', values: 'v', bindingKind: 'RoleBinding', binding: 'b', scopeKind: 'cluster', scope: '', policy: 'p', sources: 's', target: 't', ports: '80'
};
const finding = (id: string, severity: string, analysis: string, name: string, expected = false) => ({
  id, severity, analysis, expected, params: PARAMS, object: { kind: 'Deployment', namespace: 'ns', name }
});

const FINDINGS = [
  finding('pss.baseline.appArmorProfile', 'critical', 'pss', 'agent', true),
  finding('rbac.clusterAdmin', 'warning', 'rbac', 'server'),
  finding('netpol.hostNetworkPeerBlocked', 'info', 'netpol', '<img src=x onerror=alert(1)>'),
];

function mountList() {
  return mountWithShell(FindingsList, { props: { findings: FINDINGS }, global: { stubs } });
}

const shown = (w: ReturnType<typeof mountList>) => w.findAll('[data-testid^="finding-"]').map((f) => f.find('.object').text());

describe('FindingsList filters (the shell\'s Checkbox and LabeledSelect, not native controls)', () => {
  it('uses the shell\'s form components', () => {
    const w = mountList();

    expect(w.findAllComponents(Checkbox)).toHaveLength(4);
    // Every checkbox input belongs to a shell Checkbox.
    expect(w.findAll('[data-testid="findings-filters"] input[type="checkbox"]')).toHaveLength(4);
    expect(w.findAll('[data-testid="findings-filters"] .checkbox-container input[type="checkbox"]')).toHaveLength(4);
    expect(w.findComponent(LabeledSelectStub).props('options')).toHaveLength(4);
  });

  it('hides and shows a severity', async() => {
    const w = mountList();
    const info = w.findAllComponents(Checkbox).find((c) => c.attributes('data-testid') === 'filter-info')!;

    expect(shown(w)).toHaveLength(3);
    await info.vm.$emit('update:value', false);
    expect(shown(w)).toEqual(['Deployment ns/agent', 'Deployment ns/server']);
    await info.vm.$emit('update:value', true);
    expect(shown(w)).toHaveLength(3);
  });

  it('filters by analysis, by text and hides documented privileges', async() => {
    const w = mountList();

    await w.find('[data-testid="filter-analysis"]').setValue('rbac');
    expect(shown(w)).toEqual(['Deployment ns/server']);
    await w.find('[data-testid="filter-analysis"]').setValue('');
    await w.find('[data-testid="filter-search"]').setValue('onerror');
    expect(shown(w)).toEqual(['Deployment ns/<img src=x onerror=alert(1)>']);
    expect(w.find('img').exists()).toBe(false);
    await w.find('[data-testid="filter-search"]').setValue('');
    const expected = w.findAllComponents(Checkbox).find((c) => c.attributes('data-testid') === 'filter-expected')!;

    await expected.vm.$emit('update:value', true);
    expect(shown(w)).toEqual(['Deployment ns/server', 'Deployment ns/<img src=x onerror=alert(1)>']);
  });
});
