import StackStatusPanel from '@pkg/components/StackStatusPanel.vue';
import Overview from '@pkg/pages/Overview.vue';
import VmNetworkTab from '@pkg/tabs/VmNetworkTab.vue';
import { evaluateStack } from '@pkg/domain/stack/status';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, fetched } from '../support/mount';
import {
  healthyWorkloads, addon, workload, nodes, TEST_NOW
} from '../fixtures/stack/objects';

function storeWith(cache: Record<string, unknown[]>, opts: { fail?: Record<string, unknown>; schemas?: string[] } = {}) {
  return fakeStore({
    getters: {
      'harvester/all':       (type: string) => cache[type] || [],
      'harvester/schemaFor': (type: string) => (!opts.schemas || opts.schemas.includes(type) ? { id: type } : undefined),
    },
    dispatch: (action, payload) => {
      const failure = opts.fail?.[payload?.type];

      return failure ? Promise.reject(failure) : Promise.resolve(action.endsWith('/find') ? { metadata: { name: payload.id } } : []);
    },
  });
}

function installedCache(addonObj: unknown = addon('AddonDeploySuccessful'), workloads = healthyWorkloads()) {
  return {
    [TYPES.addon]:       [addonObj],
    [TYPES.daemonSet]:   workloads.filter((w) => w.kind === 'DaemonSet'),
    [TYPES.deployment]:  workloads.filter((w) => w.kind === 'Deployment'),
    [TYPES.statefulSet]: workloads.filter((w) => w.kind === 'StatefulSet'),
    [TYPES.node]:        nodes(3),
  };
}

describe('StackStatusPanel', () => {
  it('shows each component with ready/total and its state', () => {
    const workloads = healthyWorkloads();

    workloads[0] = workload('DaemonSet', 'agent', 2, 3);
    const status = evaluateStack({ addon: addon('AddonDeploySuccessful'), workloads, nodes: nodes(3) }, TEST_NOW);
    const wrapper = mountWithShell(StackStatusPanel, { props: { status } });

    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Degraded');
    expect(wrapper.find('[data-testid="component-agent"]').text()).toContain('2/3');
    expect(wrapper.find('[data-testid="component-agent"]').text()).toContain('Partly ready');
    expect(wrapper.find('[data-testid="component-grafana"]').text()).toContain('Ready');
    expect(wrapper.find('[data-testid="stack-help"]').text()).toContain('Agents (one per node)');
  });

  it('shows the Addon failure message as text', () => {
    const failed = addon('AddonDeployFailed', true, [{ type: 'OperationFailed', status: 'True', message: '<img src=x onerror=alert(1)> failed' }]);
    const status = evaluateStack({ addon: failed, workloads: [] }, TEST_NOW);
    const wrapper = mountWithShell(StackStatusPanel, { props: { status } });

    expect(wrapper.find('[data-testid="stack-help"]').text()).toContain('<img src=x onerror=alert(1)> failed');
    expect(wrapper.find('img').exists()).toBe(false);
  });

  it('warns about nodes without an agent', () => {
    const workloads = healthyWorkloads();

    workloads[0] = workload('DaemonSet', 'agent', 2, 2);
    const status = evaluateStack({ addon: null, workloads, nodes: nodes(3) }, TEST_NOW);
    const wrapper = mountWithShell(StackStatusPanel, { props: { status } });

    expect(wrapper.find('[data-testid="stack-nodes-without-agent"]').text()).toContain('1 node does not run a monitoring agent');
  });
});

describe('Overview page', () => {
  it('shows the not-installed state with a way to install', async() => {
    const wrapper = mountWithShell(Overview, { store: storeWith({ [TYPES.node]: nodes(3) }) });

    expect(wrapper.find('[data-testid="loading"]').exists()).toBe(true);
    await fetched();
    expect(wrapper.find('[data-testid="overview-not-installed"]').text()).toContain('not installed');
    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Not installed');
    expect(wrapper.find('[data-testid="action-install"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="stack-components"]').exists()).toBe(false);
  });

  it('shows a healthy stack with its components', async() => {
    const wrapper = mountWithShell(Overview, { store: storeWith(installedCache()) });

    await fetched();
    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Healthy');
    expect(wrapper.findAll('[data-testid^="component-"]')).toHaveLength(6);
    expect(wrapper.find('[data-testid="action-install"]').exists()).toBe(false);
  });

  it('links a failed install to its Addon in the current cluster', async() => {
    const failed = addon('AddonDeployFailed', true, [{ type: 'OperationFailed', status: 'True', message: 'boom' }]);
    const wrapper = mountWithShell(Overview, { store: storeWith(installedCache(failed, [])) });

    await fetched();
    const link = JSON.parse(wrapper.find('[data-testid="action-troubleshoot"]').attributes('data-to') as string);

    expect(link.params).toMatchObject({ cluster: 'c-abc12', resource: TYPES.addon, id: 'harvester-network-monitoring' });
  });

  it('says which permission is missing when a list is forbidden', async() => {
    const store = storeWith(installedCache(), { fail: { [TYPES.daemonSet]: { _status: 403, message: 'daemonsets.apps is forbidden' } } });
    const wrapper = mountWithShell(Overview, { store });

    await fetched();
    const banner = wrapper.find('[data-testid="load-problem"]').text();

    expect(banner).toContain('You do not have permission to list apps.daemonset in namespace harvester-network-monitoring-agent');
  });

  it('reports an unreachable API with what to do', async() => {
    const store = storeWith({}, { fail: { [TYPES.node]: { _status: 503, message: 'upstream connect error' } } });
    const wrapper = mountWithShell(Overview, { store });

    await fetched();
    expect(wrapper.find('[data-testid="load-problem"]').text()).toContain('The cluster did not answer when reading node');
    expect(wrapper.find('[data-testid="load-problem"]').text()).toContain('upstream connect error');
  });

  it('shows what failed when loading throws instead of collecting a problem, never a blank page', async() => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = storeWith({ [TYPES.node]: nodes(3) });

    // A store without the Harvester module: the loader's schema lookup itself throws.
    (store.getters as Record<string, unknown>)['harvester/schemaFor'] = () => {
      throw new Error('harvester store is not registered');
    };
    const wrapper = mountWithShell(Overview, { store });

    await fetched();
    expect(wrapper.find('[data-testid="fetch-error"]').text()).toContain('Loading this page failed: harvester store is not registered.');
    expect(wrapper.find('[data-testid="loading"]').exists()).toBe(false);
    // The shell's fetch mixin logs it for the console too (the banner says to look there).
    expect(logged).toHaveBeenCalledWith('Error in fetch():', expect.any(Error));
    logged.mockRestore();
  });

  it('reloads on refresh', async() => {
    const store = storeWith(installedCache());
    const wrapper = mountWithShell(Overview, { store });

    await fetched();
    const before = store.dispatched.length;

    await wrapper.find('[data-testid="overview-refresh"]').trigger('click');
    // The shell's $fetch(): the page shows Loading again while the stack reloads.
    expect(wrapper.find('[data-testid="loading"]').exists()).toBe(true);
    await fetched();
    expect(store.dispatched.length).toBeGreaterThan(before);
    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Healthy');
  });
});

describe('VM Network tab', () => {
  const route = {
    params: {
      product: 'harvester', cluster: 'c-abc12', resource: TYPES.vm, namespace: 'default', id: 'web-1'
    }
  };

  it('loads the VM from the route and shows the real stack status of the cluster', async() => {
    const store = storeWith(installedCache());
    const wrapper = mountWithShell(VmNetworkTab, { store, route });

    await fetched();
    expect(store.dispatched).toContainEqual({ action: 'harvester/find', payload: { type: TYPES.vm, id: 'default/web-1' } });
    expect(wrapper.text()).toContain('Network monitoring for web-1');
    expect(wrapper.find('[data-testid="stack-state"]').text()).toBe('Healthy');
  });

  it('explains when the VM cannot be loaded', async() => {
    const store = storeWith(installedCache(), { fail: { [TYPES.vm]: { _status: 404, message: 'virtualmachines "web-1" not found' } } });
    const wrapper = mountWithShell(VmNetworkTab, { store, route });

    await fetched();
    expect(wrapper.find('[data-testid="vm-error"]').text()).toContain('default/web-1 could not be loaded');
  });
});
