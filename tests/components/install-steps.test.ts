import { reactive } from 'vue';
import { YamlEditorStub } from '../support/shell-stubs';
import PrerequisitesStep from '@pkg/components/install/PrerequisitesStep.vue';
import SizingStep from '@pkg/components/install/SizingStep.vue';
import AccessStep from '@pkg/components/install/AccessStep.vue';
import AgentsStep from '@pkg/components/install/AgentsStep.vue';
import SummaryStep from '@pkg/components/install/SummaryStep.vue';
import { defaultSettings, HARVESTER_INTERFACE_REGEX } from '@pkg/domain/install/defaults';
import { validateSettings } from '@pkg/domain/install/settings';
import { computeTotals } from '@pkg/domain/install/sizing';
import { proposeNetworkCidrs } from '@pkg/domain/install/network';
import { mountWithShell } from '../support/mount';

const stub = { LabeledSelect: { props: ['value', 'options', 'label'], template: '<select :data-label="label"><option v-for="o in options" :key="o.value">{{ o.label }}</option></select>' } };

function settings() {
  return reactive(defaultSettings('https://charts.example.com/', '0.1.0'));
}

describe('PrerequisitesStep', () => {
  const checks = [
    {
      id: 'kernel', result: 'fail', code: 'too-old', params: { minimum: '4.14', nodes: 'old-1 (4.4.0)', unknown: '' }
    },
    {
      id: 'harvester-version', result: 'warn', code: 'untested', params: { version: 'v1.3.0', supported: '1.4', minimum: '1.2' }
    },
    {
      id: 'node-count', result: 'pass', code: 'enough', params: { nodes: 3, replicas: 1 }
    },
  ];

  it('shows each check with its result, message and fix hint, and blocks on failures', async() => {
    const wrapper = mountWithShell(PrerequisitesStep, { props: { checks, problems: [{ type: 'node', error: { kind: 'forbidden', detail: '' } }] } });

    expect(wrapper.find('[data-testid="prereq-kernel"]').attributes('data-result')).toBe('fail');
    expect(wrapper.find('[data-testid="prereq-kernel"]').text()).toContain('These nodes run a kernel older than 4.14: old-1 (4.4.0).');
    expect(wrapper.find('[data-testid="prereq-kernel"]').text()).toContain('exclude those nodes');
    expect(wrapper.find('[data-testid="prereq-node-count"]').text()).not.toContain('Lower the server replicas');
    expect(wrapper.find('[data-testid="prereq-blocked"]').text()).toContain('Node kernels');
    expect(wrapper.find('[data-testid="load-problem"]').text()).toContain('You do not have permission to list node.');
    await wrapper.find('[data-testid="prereq-recheck"]').trigger('click');
    expect(wrapper.emitted('recheck')).toHaveLength(1);
  });
});

describe('SizingStep', () => {
  function mountSizing(s = settings(), counts: { vmCount?: number } = { vmCount: 30 }) {
    const props = reactive({
      settings:       s,
      errors:         validateSettings(s, 3),
      storageClasses: ['harvester-longhorn', 'fast'],
      defaultClass:   'harvester-longhorn',
      totals:         computeTotals({
        nodeCount: 3, serverReplicas: s.serverReplicas, resources: s.resources, clickhouseStorage: s.clickhouseStorage, mysqlStorage: s.mysqlStorage
      }),
      nodeCount: 3,
      ...counts,
    });

    return { wrapper: mountWithShell(SizingStep, { props, global: { stubs: stub } }), s };
  }

  it('switches profiles and shows custom resources for editing', async() => {
    const { wrapper, s } = mountSizing();

    expect(wrapper.find('[data-testid="custom-resources"]').exists()).toBe(false);
    (wrapper.vm as any).setProfile('medium');
    expect(s.resources.server.requests.cpu).toBe('500m');
    (wrapper.vm as any).setProfile('custom');
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="custom-resources"]').exists()).toBe(true);
    expect((wrapper.find('[data-testid="field-resources.server.requests.cpu"]').element as HTMLInputElement).value).toBe('500m');
  });

  it('shows the totals and the default StorageClass', () => {
    const { wrapper } = mountSizing();

    expect(wrapper.find('[data-testid="sizing-totals"]').text()).toMatch(/^Total: requests .* CPU, .* memory; limits .*; 25 GiB of volumes$/);
    expect(wrapper.text()).toContain('Cluster default (harvester-longhorn)');
  });

  it('estimates storage from the nodes, the VMs and the retention, and warns when the volume is too small', async() => {
    const s = settings();
    const { wrapper } = mountSizing(s);
    const estimate = () => wrapper.find('[data-testid="storage-estimate"]').text();

    // 3 nodes x 20 + 30 VMs x 5 flows/s, 72 h of flow logs and 168 h of metrics (the chart defaults).
    expect(estimate()).toMatch(/^About 2\.8 GiB per day; the retention keeps up to 9\.4 GiB, which needs 11\.7 GiB of ClickHouse volume \(11\.7 GiB per node\) to stay under DeepFlow's 80% cleanup threshold\./);
    expect(estimate()).toContain('Assumes 20 new flows per second per node and 5 per VM');
    expect(wrapper.find('[data-testid="storage-too-small"]').exists()).toBe(false);
    await wrapper.find('input[data-testid="field-plannedVms"], [data-testid="field-plannedVms"] input').setValue('300');
    expect(wrapper.find('[data-testid="storage-too-small"]').text()).toContain('The volumes (20 GiB in total) are smaller than that');
    s.clickhouseReplicas = 3;
    s.clickhouseStorage = '100Gi';
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="storage-too-small"]').exists()).toBe(false);
    expect(estimate()).toContain('needs 87.1 GiB of ClickHouse volume (29 GiB per node)');
  });

  it('asks for the VM count when the VMs could not be listed', () => {
    const { wrapper } = mountSizing(settings(), {});

    expect(wrapper.text()).toContain('The VMs could not be listed; enter how many you expect.');
  });

  it('offers ClickHouse nodes, or external databases with their fields and errors instead of the volumes', async() => {
    const s = settings();
    const { wrapper } = mountSizing(s);

    expect(wrapper.find('[data-testid="field-clickhouseReplicas"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="external-clickhouse"]').exists()).toBe(false);
    s.external.clickhouse.enabled = true;
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="field-clickhouseReplicas"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="field-clickhouseStorage"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="external-clickhouse"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="external-help"]').text()).toContain('without TLS');
    const errors = mountSizing(s).wrapper;

    expect(errors.find('[data-testid="field-error-external.clickhouse.enabled"]').text()).toContain('An external ClickHouse needs an external MySQL too');
    expect(errors.find('[data-testid="field-error-external.clickhouse.hosts"]').text()).toContain('Enter the address of every ClickHouse node');
    s.external.mysql.enabled = true;
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="external-mysql"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="field-mysqlStorage"]').exists()).toBe(false);
    const input = (field: string) => wrapper.find(`input[data-testid="field-external.${ field }"], [data-testid="field-external.${ field }"] input`);

    await input('mysql.port').setValue('3307');
    await input('mysql.host').setValue('mysql.example.com');
    expect([s.external.mysql.port, s.external.mysql.host]).toEqual([3307, 'mysql.example.com']);
    await input('mysql.port').setValue('');
    expect(s.external.mysql.port).toBeNaN();
  });

  it('shows a field error next to the field', () => {
    const s = settings();

    s.clickhouseStorage = 'big';
    const { wrapper } = mountSizing(s);

    expect(wrapper.find('[data-testid="field-error-clickhouseStorage"]').text()).toContain('Enter a size between 1Gi and 10240Gi');
  });

  it('keeps a cleared number visible as invalid instead of turning it into 0', () => {
    const { wrapper, s } = mountSizing();

    (wrapper.vm as any).setNumber('serverReplicas', '');
    expect(Number.isNaN(s.serverReplicas)).toBe(true);
    expect(validateSettings(s, 3).map((e) => e.field)).toContain('serverReplicas');
  });
});

describe('AccessStep', () => {
  it('asks for the password twice only when it is typed, and warns about exposure', async() => {
    const s = settings();
    const wrapper = mountWithShell(AccessStep, { props: reactive({ settings: s, errors: [], ingressClasses: ['nginx'] }), global: { stubs: stub } });

    expect(wrapper.find('[data-testid="field-grafana.password"]').exists()).toBe(false);
    s.grafana.generatePassword = false;
    s.grafana.exposure = 'ingress';
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="field-grafana.password"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="field-grafana.passwordConfirm"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="exposure-warning"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="field-grafana.ingressHosts"]').exists()).toBe(true);
  });

  it('shows the mismatch next to the confirmation', () => {
    const s = settings();

    s.grafana.generatePassword = false;
    s.grafana.password = 'a-long-password-1';
    s.grafana.passwordConfirm = 'a-long-password-2';
    const wrapper = mountWithShell(AccessStep, { props: { settings: s, errors: validateSettings(s, 3) }, global: { stubs: stub } });

    expect(wrapper.find('[data-testid="field-error-grafana.passwordConfirm"]').text()).toBe('The passwords do not match.');
  });

  it('shows the node addresses it proposes and why, lets the user edit them and take the proposal back', async() => {
    const nodes = ['node-1', 'node-2'].map((name, i) => ({
      metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': 'true' } },
      spec:     { podCIDR: `10.52.${ i }.0/24` },
      status:   { addresses: [{ type: 'InternalIP', address: `192.168.10.${ 11 + i }` }] },
    }));
    const proposal = proposeNetworkCidrs(nodes);
    const s = settings();
    const wrapper = mountWithShell(AccessStep, { props: reactive({ settings: s, errors: [], proposal }), global: { stubs: stub } });

    // The chart default (RFC 1918 ranges) is what settings start with: flagged, with the proposal offered.
    expect(wrapper.find('[data-testid="network-broad"]').text()).toContain('10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 admit more than the nodes');
    expect(wrapper.find('[data-testid="network-proposal-node-1"]').text())
      .toBe('node-1 (control plane): 192.168.10.11/32: InternalIP10.52.0.0/32: first address of pod range 10.52.0.0/24 (flannel.1)');
    await wrapper.find('[data-testid="network-use-proposed"]').trigger('click');
    expect(s.network.nodeCIDRs).toBe('10.52.0.0/32, 10.52.1.0/32, 192.168.10.11/32, 192.168.10.12/32');
    expect(s.network.apiServerCIDRs).toBe('');
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="network-use-proposed"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="network-broad"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="field-network.nodeCIDRs"]').exists()).toBe(true);
  });

  it('says when there are no nodes to propose from and shows CIDR errors by their field', () => {
    const s = settings();

    s.network.nodeCIDRs = '0.0.0.0/0, nonsense';
    const wrapper = mountWithShell(AccessStep, { props: { settings: s, errors: validateSettings(s, 3) }, global: { stubs: stub } });

    expect(wrapper.find('[data-testid="network-no-nodes"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="field-error-network.nodeCIDRs"]').text())
      .toBe('0.0.0.0/0 admits every address; the chart rejects it.nonsense is not an address or CIDR (e.g. 10.0.0.11/32).');
  });
});

describe('AgentsStep', () => {
  it('restores the Harvester preset and selects nodes', async() => {
    const s = settings();

    s.agents.interfaceRegex = 'eth0';
    const wrapper = mountWithShell(AgentsStep, { props: reactive({ settings: s, errors: [], nodeNames: ['n1', 'n2', 'n3'] }), global: { stubs: stub } });

    await wrapper.find('[data-testid="reset-regex"]').trigger('click');
    expect(s.agents.interfaceRegex).toBe(HARVESTER_INTERFACE_REGEX);
    (wrapper.vm as any).setScope('selected');
    expect(s.agents.nodeNames).toEqual(['n1', 'n2', 'n3']);
    (wrapper.vm as any).toggleNode('n2', false);
    expect(s.agents.nodeNames).toEqual(['n1', 'n3']);
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toContain('Traffic of VMs on nodes without an agent is not captured.');
  });

  it('offers MACVlan/IPVlan capture: parents once a type is chosen, the namespace preset when namespace capture is switched on', async() => {
    const s = settings();
    const wrapper = mountWithShell(AgentsStep, { props: reactive({ settings: s, errors: [], nodeNames: ['n1', 'n2'] }), global: { stubs: stub } });
    const parents = '[data-testid="field-agents.secondaryNics.parentInterfaces"]';

    expect(wrapper.find(parents).exists()).toBe(false);
    expect(wrapper.text()).toContain('Harvester\'s own VLAN networks use bridges');
    (wrapper.findComponent('[data-testid="field-agents.secondaryNics.type"]') as any).vm.$emit('update:value', 'macvlan');
    await wrapper.vm.$nextTick();
    expect(s.agents.secondaryNics.type).toBe('macvlan');
    expect(wrapper.find(parents).exists()).toBe(true);
    expect(wrapper.text()).toContain('Virtual Mirror mode (capture_mode 1)');

    s.agents.secondaryNics.podInterfaceRegex = '';
    s.agents.secondaryNics.ringBlocks = 0;
    (wrapper.findComponent('[data-testid="field-agents.secondaryNics.podNamespaces"]') as any).vm.$emit('update:value', true);
    await wrapper.vm.$nextTick();
    expect(s.agents.secondaryNics).toMatchObject({ podNamespaces: true, podInterfaceRegex: '^(net[0-9]+|pod[0-9a-f]{11})$', ringBlocks: 16 });
    expect(wrapper.find('[data-testid="field-agents.secondaryNics.ringBlocks"]').exists()).toBe(true);
  });

  it('picks the watcher node from the cluster\'s nodes and shows each field\'s error next to it', async() => {
    const s = settings();

    s.agents.serverAddress = 'lb.example.com';
    s.agents.serverPort = 0;
    s.agents.watcherNode = 'gone-node';
    const wrapper = mountWithShell(AgentsStep, { props: reactive({ settings: s, errors: validateSettings(s, 3), nodeNames: ['n1', 'n2'] }), global: { stubs: stub } });
    const options = wrapper.find('[data-label="Node that runs the watcher"]').findAll('option').map((o) => o.text());

    expect(options).toEqual(['Any node', 'n1', 'n2', 'gone-node']);
    expect(wrapper.text()).toContain('lb.example.com is not an IPv4 or IPv6 address.');
    expect(wrapper.text()).toContain('Enter a port between 1 and 65535, or leave it empty.');
    (wrapper.vm as any).setServerPort('');
    expect(s.agents.serverPort).toBeNull();
    (wrapper.vm as any).setServerPort('30035');
    expect(s.agents.serverPort).toBe(30035);
  });
});

describe('SummaryStep', () => {
  it('edits the values text and explains invalid YAML', async() => {
    const props = {
      settings: settings(), errors: [], valuesText: 'server:\n  replicas: 3\n', valuesError: 'not a mapping', edited: true
    };
    const wrapper = mountWithShell(SummaryStep, { props, global: { stubs: { YamlEditor: YamlEditorStub } } });
    const text = () => (wrapper.find('[data-testid="values-yaml"]').element as HTMLTextAreaElement).value;

    expect(text()).toContain('replicas: 3');
    await wrapper.find('[data-testid="values-yaml"]').setValue('a: 1');
    expect(wrapper.emitted('update:valuesText')?.[0]).toEqual(['a: 1']);
    // Values regenerated from the form (or reset) reach the editor.
    await wrapper.setProps({ valuesText: 'server:\n  replicas: 2\n' });
    expect(text()).toContain('replicas: 2');
    expect(wrapper.find('[data-testid="values-error"]').text()).toContain('not a mapping');
    await wrapper.find('[data-testid="values-reset"]').trigger('click');
    expect(wrapper.emitted('reset')).toHaveLength(1);
  });
});
