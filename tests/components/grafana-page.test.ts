import Grafana from '@pkg/pages/Grafana.vue';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, fetched } from '../support/mount';
import {
  healthyWorkloads, addon, nodes, workload
} from '../fixtures/stack/objects';

const stub = { LabeledSelect: { props: ['value', 'options', 'label'], template: '<select />' } };

function store(installed = true, grafanaReady = true) {
  const workloads = healthyWorkloads();

  if (!grafanaReady) {
    workloads[4] = workload('Deployment', 'grafana', 0, 1);
  }
  const cache: Record<string, unknown[]> = installed ? {
    [TYPES.addon]:       [addon('AddonDeploySuccessful')],
    [TYPES.daemonSet]:   workloads.filter((w) => w.kind === 'DaemonSet'),
    [TYPES.deployment]:  workloads.filter((w) => w.kind === 'Deployment'),
    [TYPES.statefulSet]: workloads.filter((w) => w.kind === 'StatefulSet'),
    [TYPES.node]:        nodes(3),
  } : { [TYPES.node]: nodes(3) };

  return fakeStore({ getters: { 'harvester/all': (t: string) => cache[t] || [], 'prefs/theme': 'dark' } });
}

function fetchAnswering(health: number, dashboard = 200) {
  const calls: string[] = [];

  (window as any).fetch = jest.fn(async(url: string) => {
    calls.push(url);

    return { status: url.includes('/api/health') ? health : dashboard, text: async() => '' };
  });

  return calls;
}

/** With fake timers, flushPromises cannot be used: let the promise chains run. */
async function drainMicrotasks() {
  for (let i = 0; i < 50; i++) {
    await Promise.resolve();
  }
}

const route = (query: Record<string, unknown> = {}) => ({ params: { product: 'harvester', cluster: 'c-m-1' }, query });

describe('Grafana page', () => {
  afterEach(() => jest.useRealTimers());

  it('embeds the dashboard through the service proxy with the theme, range and variables once it answers', async() => {
    const calls = fetchAnswering(200);
    const wrapper = mountWithShell(Grafana, {
      store: store(), route: route({ dashboard: 'harvester-vm-network', 'var-vm': 'web"1<x>', 'var-namespace': 'default' }), global: { stubs: stub }
    });

    await fetched();
    expect(calls[0]).toBe('/k8s/clusters/c-m-1/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy/api/health');
    expect(calls[1]).toContain('/proxy/api/dashboards/uid/harvester-vm-network');
    const src = wrapper.find('[data-testid="grafana-frame"]').attributes('src') as string;

    expect(src).toMatch(/^\/k8s\/clusters\/c-m-1\/api\/v1\/namespaces\/harvester-network-monitoring\/services\/http:hnm-grafana:80\/proxy\/d\/harvester-vm-network\/harvester-vm-network\?/);
    expect(src).toContain('theme=dark');
    expect(src).toContain('var-vm=web%221%3Cx%3E');
    expect(src).toContain('from=now-1h');
    expect(wrapper.find('[data-testid="grafana-new-tab"]').attributes('href')).toBe(src);
  });

  it('explains a proxy that cannot reach Grafana and retries with backoff, never showing a blank frame', async() => {
    jest.useFakeTimers();
    const calls = fetchAnswering(503);
    const wrapper = mountWithShell(Grafana, { store: store(), route: route(), global: { stubs: stub } });

    await drainMicrotasks();
    // The shell keeps the page's Loading up for fetchDelay (200 ms) after fetch() resolved.
    expect(wrapper.find('[data-testid="loading"]').exists()).toBe(true);
    jest.advanceTimersByTime(200);
    await drainMicrotasks();
    expect(wrapper.find('[data-testid="grafana-frame"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="grafana-state-unreachable"]').text()).toContain('NetworkPolicy');
    const before = calls.length;

    expect(wrapper.find('[data-testid="grafana-state-unreachable"]').text()).toMatch(/Retrying in \d+ seconds?/);
    jest.advanceTimersByTime(30000);
    await drainMicrotasks();
    expect(calls.length).toBeGreaterThan(before);
    wrapper.unmount();
  });

  it('says when the dashboard is missing', async() => {
    fetchAnswering(200, 404);
    const wrapper = mountWithShell(Grafana, { store: store(), route: route(), global: { stubs: stub } });

    await fetched();
    expect(wrapper.find('[data-testid="grafana-state-dashboard-missing"]').text()).toContain('does not exist in Grafana yet');
    wrapper.unmount();
  });

  it('names the missing permission when the proxy is forbidden', async() => {
    fetchAnswering(403);
    const wrapper = mountWithShell(Grafana, { store: store(), route: route(), global: { stubs: stub } });

    await fetched();
    expect(wrapper.find('[data-testid="grafana-state-unreachable"]').text()).toContain('services/proxy');
    wrapper.unmount();
  });

  it('links to the install page when the stack is absent, without probing', async() => {
    const calls = fetchAnswering(200);
    const wrapper = mountWithShell(Grafana, { store: store(false), route: route(), global: { stubs: stub } });

    await fetched();
    expect(wrapper.find('[data-testid="grafana-not-installed"]').exists()).toBe(true);
    expect(calls).toEqual([]);
  });

  it('shows Grafana as starting while its pod is not ready', async() => {
    fetchAnswering(502);
    const wrapper = mountWithShell(Grafana, { store: store(true, false), route: route(), global: { stubs: stub } });

    await fetched();
    expect(wrapper.find('[data-testid="grafana-state-starting"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
