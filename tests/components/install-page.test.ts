import Install from '@pkg/pages/Install.vue';
import { YamlEditorStub } from '../support/shell-stubs';
import ReviewStep from '@pkg/components/install/ReviewStep.vue';
import { Checkbox } from '@components/Form/Checkbox';
import { TYPES } from '@pkg/domain/stack/constants';
import { defaultSettings } from '@pkg/domain/install/defaults';
import { reactive } from 'vue';
import { addon } from '../fixtures/stack/objects';
import { mountWithShell, fakeStore, flushPromises, fetched } from '../support/mount';

function clusterNode(name: string) {
  const i = name.slice(-1);

  return {
    kind:     'Node',
    metadata: { name, labels: i === '3' ? {} : { 'node-role.kubernetes.io/control-plane': 'true' } },
    spec:     { podCIDR: `10.52.${ i }.0/24` },
    status:   { nodeInfo: { kernelVersion: '5.14.21' }, allocatable: { cpu: '16', memory: '64Gi' }, addresses: [{ type: 'InternalIP', address: `10.0.0.${ name.slice(-1) }` }] }
  };
}

interface Opts {
  failAddon?: unknown;
  denyCreate?: boolean;
  /** An installed Addon with these values, listed only after the context answered (as a slower list would). */
  installedValues?: string;
  edit?: boolean;
}

function installStore(opts: Opts = {}) {
  const created: { type: string; body: any }[] = [];
  // Reactive, as the store's cache: the page's computed status follows what a list puts in it.
  const cache: Record<string, unknown[]> = reactive({ [TYPES.node]: ['n1', 'n2', 'n3'].map(clusterNode) });
  const lists: Record<string, unknown[]> = {
    ...cache,
    [TYPES.storageClass]:             [{ metadata: { name: 'harvester-longhorn', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }],
    'networking.k8s.io.ingressclass': [{ metadata: { name: 'nginx' } }],
  };
  const store = fakeStore({
    getters: {
      'harvester/all':       (t: string) => cache[t] || [],
      'harvester/schemaFor': () => ({}),
      'harvester/byId':      (t: string, id: string) => (cache[t] || []).find((o: any) => `${ o.metadata.namespace }/${ o.metadata.name }` === id),
    },
    async dispatch(action: string, payload: any) {
      if (action === 'harvester/findAll' && payload.type === TYPES.addon && opts.installedValues !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const installed = addon('AddonDeploySuccessful');

        installed.spec.valuesContent = opts.installedValues;
        cache[TYPES.addon] = [installed];

        return cache[TYPES.addon];
      }
      // Rancher's records of the Helm repository this extension came from: the wizard proposes it.
      if (action === 'management/find') {
        return payload.type === TYPES.app ? { metadata: { annotations: { 'catalog.cattle.io/ui-source-repo': 'hnm' } } } : { spec: { url: 'https://charts.example.com/' } };
      }
      if (action === 'harvester/findAll') {
        return lists[payload.type] || [];
      }
      if (action === 'harvester/find') {
        if (payload.type === 'harvesterhci.io.setting') {
          return { value: 'v1.5.0' };
        }
        throw { _status: 404, message: 'not found' };
      }
      if (action === 'harvester/request') {
        const attrs = payload.data.spec.resourceAttributes;

        return { status: { allowed: !(opts.denyCreate && attrs.resource === 'addons' && attrs.verb === 'create') } };
      }
      if (action === 'harvester/create') {
        const { type, ...body } = payload;

        expect(body.type).toBeUndefined();

        return {
          ...body,
          async save() {
            if (type === TYPES.addon && opts.failAddon) {
              throw opts.failAddon;
            }
            created.push({ type, body });
          },
        };
      }
      if (action.startsWith('management/')) {
        throw { _status: 404 };
      }

      return [];
    },
  });

  return { store, created };
}

const stubs = {
  Wizard:        { props: ['steps', 'errors'], emits: ['finish', 'cancel'], template: '<div><div v-for="s in steps" :key="s.name" :data-step="s.name" :data-ready="String(s.ready)"><slot :name="s.name" /></div><ul><li v-for="e in (errors || [])" :key="e" data-testid="wizard-error">{{ e }}</li></ul></div>' },
  LabeledSelect: { props: ['value', 'options', 'label'], template: '<select />' },
  YamlEditor:    YamlEditorStub,
};

async function mountInstall(opts: Opts = {}) {
  const { store, created } = installStore(opts);
  const router = { push: jest.fn() };
  const route = { params: { product: 'harvester', cluster: 'c-abc12' }, query: opts.edit ? { mode: 'edit' } : {} };
  const wrapper = mountWithShell(Install, {
    store, route, global: { stubs, mocks: { $router: router } }
  });

  await fetched();

  return {
    wrapper, created, router, vm: wrapper.vm as any
  };
}

describe('Install page', () => {
  it('checks prerequisites live and keeps Install blocked until the privileges are acknowledged', async() => {
    const { wrapper, vm } = await mountInstall();

    expect(wrapper.find('[data-testid="prereq-permissions"]').attributes('data-result')).toBe('pass');
    expect(wrapper.find('[data-step="prerequisites"]').attributes('data-ready')).toBe('true');
    expect(wrapper.find('[data-step="review"]').attributes('data-ready')).toBe('false');
    // Nothing to fix on the steps seen so far: no error before the user reaches the review.
    expect(vm.blockers).toEqual([]);
    expect(wrapper.find('[data-testid="wizard-error"]').exists()).toBe(false);
    const done = jest.fn();

    await vm.finish(done);
    expect(done).toHaveBeenCalledWith(false);

    vm.stepOpened({ step: { name: 'review' } });
    vm.stepOpened({ step: { name: 'sizing' } });
    await vm.$nextTick();
    expect(vm.blockers).toEqual(['Security review']);
    expect(wrapper.find('[data-testid="wizard-error"]').text()).toContain('Security review');
  });

  it('installs exactly the expected namespace and Addon, then returns to the Overview', async() => {
    const { vm, created, router } = await mountInstall();

    vm.acknowledged = true;
    vm.settings.serverReplicas = 3;
    await vm.$nextTick();
    const done = jest.fn();

    await vm.finish(done);
    expect(done).toHaveBeenCalledWith(true);
    expect(created.map((c) => c.type)).toEqual([TYPES.namespace, TYPES.addon]);
    expect(created[1].body).toEqual({
      apiVersion: 'harvesterhci.io/v1beta1',
      kind:       'Addon',
      metadata:   { name: 'harvester-network-monitoring', namespace: 'harvester-network-monitoring', labels: { 'app.kubernetes.io/part-of': 'harvester-network-monitoring' } },
      spec:       {
        repo:          vm.settings.repo,
        chart:         'harvester-network-monitoring-stack',
        version:       vm.settings.version,
        enabled:       true,
        // The node sources proposed from the Node objects: InternalIPs and flannel.1 (first podCIDR address).
        valuesContent: [
          'server:', '  replicas: 3', 'networkPolicy:',
          '  nodeCIDRs:', ...['10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32', '10.52.1.0/32', '10.52.2.0/32', '10.52.3.0/32'].map((c) => `    - ${ c }`),
          '  apiServerCIDRs:', ...['10.0.0.1/32', '10.0.0.2/32', '10.52.1.0/32', '10.52.2.0/32'].map((c) => `    - ${ c }`), '',
        ].join('\n'),
      },
    });
    expect(router.push).toHaveBeenCalledWith(expect.objectContaining({ name: 'harvester-c-cluster-network-monitoring' }));
  });

  it('proposes the node sources once, and a re-check keeps what the user typed', async() => {
    const { vm } = await mountInstall();

    expect(vm.settings.network.nodeCIDRs).toBe('10.0.0.1/32, 10.0.0.2/32, 10.0.0.3/32, 10.52.1.0/32, 10.52.2.0/32, 10.52.3.0/32');
    vm.settings.network.nodeCIDRs = '10.0.0.1/32';
    await vm.recheck();
    await flushPromises();
    expect(vm.settings.network.nodeCIDRs).toBe('10.0.0.1/32');
  });

  it('stores a typed password in a Secret and keeps it out of valuesContent', async() => {
    const { vm, created } = await mountInstall();

    vm.acknowledged = true;
    vm.settings.grafana.generatePassword = false;
    vm.settings.grafana.password = 'correct-horse-battery';
    vm.settings.grafana.passwordConfirm = 'correct-horse-battery';
    await vm.$nextTick();
    await vm.finish(jest.fn());
    expect(created.map((c) => c.type)).toEqual([TYPES.namespace, 'secret', TYPES.addon]);
    expect(created[2].body.spec.valuesContent).not.toContain('correct-horse');
  });

  it('keeps everything the user entered when the API refuses, and says what failed', async() => {
    const { wrapper, vm } = await mountInstall({ failAddon: { _status: 403, message: 'addons.harvesterhci.io is forbidden' } });

    vm.acknowledged = true;
    vm.settings.clickhouseStorage = '40Gi';
    await vm.$nextTick();
    const done = jest.fn();

    await vm.finish(done);
    await vm.$nextTick();
    expect(done).toHaveBeenCalledWith(false);
    expect(vm.settings.clickhouseStorage).toBe('40Gi');
    expect(wrapper.findAll('[data-testid="wizard-error"]').map((e) => e.text()).join(' ')).toContain('You do not have permission for this (addons.harvesterhci.io is forbidden)');
  });

  it('fails the permission check when creating the Addon is denied', async() => {
    const { wrapper } = await mountInstall({ denyCreate: true });

    expect(wrapper.find('[data-testid="prereq-permissions"]').text()).toContain('create addons.harvesterhci.io (namespace harvester-network-monitoring)');
    expect(wrapper.find('[data-step="prerequisites"]').attributes('data-ready')).toBe('false');
  });

  it('edits the installed settings once the stack answered, even after the cluster context', async() => {
    const { wrapper, vm } = await mountInstall({ edit: true, installedValues: 'server:\n  replicas: 3\n' });

    expect(vm.settings.serverReplicas).toBe(3);
    expect(vm.settings.repo).toBe('https://example.invalid/charts');
    // An upgrade: the existing install is expected, not a failed check.
    expect(wrapper.find('[data-testid="prereq-existing-install"]').exists()).toBe(false);
  });

  it('regenerates the values text from the form unless the user edited it last', async() => {
    const { vm } = await mountInstall();

    vm.valuesOverride = 'server:\n  replicas: 2\n';
    expect(vm.valuesText).toBe('server:\n  replicas: 2\n');
    vm.settings.mysqlStorage = '8Gi';
    await vm.$nextTick();
    expect(vm.valuesOverride).toBeNull();
    expect(vm.valuesText).toContain('size: 8Gi');
  });
});

describe('ReviewStep', () => {
  it('reviews the variant the settings select, shows hostile-free findings and needs acknowledgement', async() => {
    const settings = defaultSettings('https://x/', '0.1.0');

    settings.grafana.exposure = 'nodeport';
    const wrapper = mountWithShell(ReviewStep, { props: { settings, acknowledged: false, nodeCidrs: ['10.0.0.1/32'] } });

    expect(wrapper.find('[data-testid="finding-exposure.nodePort"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="group-critical"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="score"]').text()).toMatch(/^\d+\/100$/);
    wrapper.findAllComponents(Checkbox).find((c) => c.attributes('data-testid') === 'review-acknowledge')!.vm.$emit('update:value', true);
    expect(wrapper.emitted('update:acknowledged')?.[0]).toEqual([true]);
  });

  it('reviews the node sources chosen in the wizard, not the chart default', () => {
    const settings = defaultSettings('https://x/', '0.1.0');
    const nodes = ['10.0.0.1/32', '10.52.1.0/32'];
    const ids = () => mountWithShell(ReviewStep, { props: { settings, acknowledged: false, nodeCidrs: nodes } })
      .findAll('[data-testid^="finding-netpol."]').map((f) => f.attributes('data-testid'));

    expect(ids()).toContain('finding-netpol.ingressFromRange');
    settings.network.nodeCIDRs = nodes.join(', ');
    expect(ids()).not.toContain('finding-netpol.ingressFromRange');
    expect(ids()).not.toContain('finding-netpol.apiServerProxyBlocked');
    expect(ids()).not.toContain('finding-netpol.hostNetworkPeerBlocked');
  });
});
