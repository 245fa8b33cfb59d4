import SecurityReview from '@pkg/pages/SecurityReview.vue';
import { renderedObjects } from '@pkg/domain/security/renderings';
import { LIVE_QUERIES } from '@pkg/domain/security/live';
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, flushPromises } from '../support/mount';
import { healthyWorkloads, addon, nodes } from '../fixtures/stack/objects';

const KIND_OF_TYPE = Object.fromEntries(LIVE_QUERIES.map((q) => [q.type, q.kind]));

function liveStore(live: any[], installed = true) {
  const workloads = healthyWorkloads();
  const cache: Record<string, unknown[]> = installed ? {
    [TYPES.addon]:       [addon('AddonDeploySuccessful')],
    [TYPES.daemonSet]:   workloads.filter((w) => w.kind === 'DaemonSet'),
    [TYPES.deployment]:  workloads.filter((w) => w.kind === 'Deployment'),
    [TYPES.statefulSet]: workloads.filter((w) => w.kind === 'StatefulSet'),
    [TYPES.node]:        nodes(3),
  } : {};

  return fakeStore({
    getters:  { 'harvester/all': (t: string) => cache[t] || [], 'harvester/byId': () => (installed ? addon('AddonDeploySuccessful') : undefined) },
    dispatch: async(action: string, payload: any) => {
      if (action !== 'harvester/findAll') {
        return [];
      }
      const kind = KIND_OF_TYPE[payload.type];
      const ns = payload.opt?.namespaced;

      return live.filter((o) => o.kind === kind && (!ns || (o.metadata?.namespace || 'harvester-network-monitoring') === ns))
        .map((o) => ({ ...o, metadata: { namespace: 'harvester-network-monitoring', ...o.metadata } }));
    },
  });
}

const nodeObjects = ['10.0.0.11', '10.0.0.12'].map((ip, i) => ({ kind: 'Node', metadata: { name: `n${ i }` }, status: { addresses: [{ type: 'InternalIP', address: ip }] } }));
const installedObjects = () => [buildStackNamespace(), ...renderedObjects('proxy-anonymous'), ...nodeObjects] as any[];

describe('Security Review page', () => {
  it('reviews the live objects: score, findings grouped by severity, no drift', async() => {
    const wrapper = mountWithShell(SecurityReview, { store: liveStore(installedObjects()) });

    await flushPromises();
    await flushPromises();
    expect(wrapper.find('[data-testid="score"]').text()).toMatch(/\/100$/);
    expect(wrapper.find('[data-testid="group-critical"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="finding-pss.baseline.hostNamespaces"]').text()).toContain('DaemonSet harvester-network-monitoring-agent/hnm-agent');
    expect(wrapper.find('[data-testid="drift-none"]').exists()).toBe(true);
  });

  it('reports drift: a relaxed Pod Security label and a deleted policy', async() => {
    const live = installedObjects().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'hnm-grafana'));
    const ns = live.find((o) => o.kind === 'Namespace' && o.metadata.name === 'harvester-network-monitoring');

    ns.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    const wrapper = mountWithShell(SecurityReview, { store: liveStore(live) });

    await flushPromises();
    await flushPromises();
    const drift = wrapper.find('[data-testid="drift"]').text();

    expect(drift).toContain('hnm-grafana');
    expect(drift).toContain('harvester-network-monitoring');
    expect(wrapper.find('[data-testid="drift-none"]').exists()).toBe(false);
  });

  it('shows hostile names as text', async() => {
    const live = installedObjects();

    live.push({
      kind: 'Service', metadata: { name: '<img src=x onerror="window.__xss=1">', namespace: 'harvester-network-monitoring' }, spec: { type: 'NodePort', ports: [{ port: 80 }] }
    });
    const wrapper = mountWithShell(SecurityReview, { store: liveStore(live) });

    await flushPromises();
    await flushPromises();
    expect(wrapper.text()).toContain('<img src=x onerror="window.__xss=1">');
    expect(wrapper.find('img').exists()).toBe(false);
  });

  it('exports JSON and Markdown downloads', async() => {
    const created: Blob[] = [];

    (URL as any).createObjectURL = jest.fn((b: Blob) => {
      created.push(b);

      return 'blob:x';
    });
    (URL as any).revokeObjectURL = jest.fn();
    // jsdom cannot navigate; the download itself is the Blob handed to the link.
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const wrapper = mountWithShell(SecurityReview, { store: liveStore(installedObjects()) });

    await flushPromises();
    await flushPromises();
    await wrapper.find('[data-testid="export-json"]').trigger('click');
    await wrapper.find('[data-testid="export-markdown"]').trigger('click');
    expect(created.map((b) => b.type)).toEqual(['application/json', 'text/markdown']);
    // jsdom's Blob has no text(): read it the way a browser's FileReader does.
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();

      reader.onload = () => resolve(reader.result as string);
      reader.readAsText(created[0]);
    });

    expect(JSON.parse(text).findings.length).toBeGreaterThan(0);
  });

  it('sends to the installer when nothing is installed', async() => {
    const wrapper = mountWithShell(SecurityReview, { store: liveStore([], false) });

    await flushPromises();
    await flushPromises();
    expect(wrapper.find('[data-testid="security-not-installed"]').exists()).toBe(true);
  });
});
