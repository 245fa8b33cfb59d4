import { defineComponent, h } from 'vue';
import { panel } from '@pkg/components/flows/flow-panels-async';
import { mountWithShell, flushPromises } from '../support/mount';

/** A page that shows one panel, as Traffic Flows does. */
const pageWith = (component: ReturnType<typeof panel>) => defineComponent({ render: () => h('div', [h(component)]) });

describe('Traffic Flows panels loaded on demand', () => {
  it('renders the panel once its code has loaded', async() => {
    const Loaded = panel(() => Promise.resolve(defineComponent({ render: () => h('p', { 'data-testid': 'loaded' }, 'talkers') })));
    const wrapper = mountWithShell(pageWith(Loaded));

    await flushPromises();
    expect(wrapper.find('[data-testid="loaded"]').text()).toBe('talkers');
    expect(wrapper.find('[data-testid="flows-panel-load-failed"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('says that a panel whose code did not download could not be loaded, and to reload the page', async() => {
    // Vue reports the failed load on the console as well (what a support engineer looks for).
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const Failed = panel(() => Promise.reject(new Error('Loading chunk flow-panels failed.')));
    const wrapper = mountWithShell(pageWith(Failed));

    await flushPromises();
    expect(wrapper.find('[data-testid="flows-panel-load-failed"]').text())
      .toBe('This part of the page could not be loaded (its code did not download). Reload the page to try again.');
    expect(logged.mock.calls.flat().map(String).join(' ')).toContain('Loading chunk flow-panels failed.');
    wrapper.unmount();
    logged.mockRestore();
  });
});
