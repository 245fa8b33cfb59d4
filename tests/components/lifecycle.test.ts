import LifecycleActions from '@pkg/components/LifecycleActions.vue';
import StackLifecycleDialog from '@pkg/dialog/StackLifecycleDialog.vue';
import ProgressPanel from '@pkg/components/ProgressPanel.vue';
import { evaluateStack } from '@pkg/domain/stack/status';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, flushPromises } from '../support/mount';
import { healthyWorkloads, addon, TEST_NOW } from '../fixtures/stack/objects';

function addonStore(opts: { failSave?: unknown } = {}) {
  const saved: any[] = [];
  const removed: string[] = [];
  const model = {
    ...addon('AddonDeploySuccessful'),
    async save() {
      if (opts.failSave) {
        throw opts.failSave;
      }
      saved.push(JSON.parse(JSON.stringify(this.spec)));
    },
    async remove() {
      removed.push('addon');
    },
  };
  const store = fakeStore({
    dispatch: async(action, payload) => {
      if (action === 'harvester/find' && payload.type === TYPES.addon) {
        return model;
      }

      return [];
    },
  });

  return { store, saved, removed };
}

const healthy = () => evaluateStack({ addon: addon('AddonDeploySuccessful'), workloads: healthyWorkloads() }, TEST_NOW);

describe('LifecycleActions', () => {
  it('offers edit, disable and uninstall for an enabled Addon install', () => {
    const wrapper = mountWithShell(LifecycleActions, { props: { status: healthy(), cluster: 'c-1' } });

    expect(JSON.parse(wrapper.find('[data-testid="lifecycle-edit"]').attributes('data-to') as string)).toMatchObject({
      name: 'harvester-c-cluster-network-monitoring-install', params: { cluster: 'c-1' }, query: { mode: 'edit' }
    });
    expect(wrapper.find('[data-testid="lifecycle-disable"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="lifecycle-enable"]').exists()).toBe(false);
  });

  it('shows nothing for a stack installed without an Addon', () => {
    const status = evaluateStack({ addon: null, workloads: healthyWorkloads() }, TEST_NOW);

    expect(mountWithShell(LifecycleActions, { props: { status, cluster: 'c-1' } }).find('[data-testid="lifecycle"]').exists()).toBe(false);
  });

  it('asks for confirmation in the shell\'s prompt modal, changing nothing yet', async() => {
    const { store, saved } = addonStore();
    const wrapper = mountWithShell(LifecycleActions, { props: { status: healthy(), cluster: 'c-1' }, store });

    await wrapper.find('[data-testid="lifecycle-disable"]').trigger('click');
    expect(saved).toEqual([]);
    const prompt = store.dispatched.find((d) => d.action === 'management/promptModal');

    expect(prompt?.payload).toMatchObject({ component: 'StackLifecycleDialog', componentProps: { action: 'disable' } });
    prompt?.payload.componentProps.onChanged();
    expect(wrapper.emitted('changed')).toHaveLength(1);
  });
});

describe('StackLifecycleDialog', () => {
  const open = (action: string, store: ReturnType<typeof fakeStore>, onChanged = jest.fn()) => ({
    onChanged, wrapper: mountWithShell(StackLifecycleDialog, { props: { action, onChanged }, store })
  });

  it('disables on confirmation, then closes and tells the page', async() => {
    const { store, saved } = addonStore();
    const { wrapper, onChanged } = open('disable', store);

    expect(wrapper.find('[data-testid="lifecycle-confirm"]').text()).toContain('Disable the monitoring stack?');
    await wrapper.find('[data-testid="lifecycle-confirm-yes"]').trigger('click');
    await flushPromises();
    expect(saved[0].enabled).toBe(false);
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('uninstalls keeping data by default', async() => {
    const { store, removed } = addonStore();
    const { wrapper } = open('uninstall', store);

    expect(wrapper.find('[data-testid="lifecycle-delete-data"]').exists()).toBe(true);
    await wrapper.find('[data-testid="lifecycle-confirm-yes"]').trigger('click');
    await flushPromises();
    expect(removed).toEqual(['addon']);
  });

  it('stays open with the permission that is missing', async() => {
    const { store } = addonStore({ failSave: { _status: 403, message: 'addons.harvesterhci.io "harvester-network-monitoring" is forbidden: cannot update' } });
    const { wrapper, onChanged } = open('disable', store);

    await wrapper.find('[data-testid="lifecycle-confirm-yes"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="lifecycle-error"]').text()).toContain('You do not have permission for this (addons.harvesterhci.io');
    expect(wrapper.emitted('close')).toBeUndefined();
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('cancels without a change', async() => {
    const { store, saved } = addonStore();
    const { wrapper } = open('disable', store);

    await wrapper.find('[data-testid="lifecycle-confirm-no"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);
    expect(saved).toEqual([]);
  });
});

describe('ProgressPanel', () => {
  it('renders items as text', () => {
    const items = [{
      source: 'pod', severity: 'error', object: 'Pod ns/<b>x</b>', reason: 'ImagePullBackOff', message: '<script>alert(1)</script>'
    }];
    const wrapper = mountWithShell(ProgressPanel, { props: { items } });

    expect(wrapper.text()).toContain('<script>alert(1)</script>');
    expect(wrapper.find('script').exists()).toBe(false);
    expect(wrapper.find('b').exists()).toBe(false);
  });

  it('says when there is nothing to report', () => {
    expect(mountWithShell(ProgressPanel, { props: { items: [] } }).find('[data-testid="progress-empty"]').exists()).toBe(true);
  });
});
