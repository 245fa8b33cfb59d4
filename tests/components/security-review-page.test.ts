import SecurityReview from '@pkg/pages/SecurityReview.vue';
import ReviewStep from '@pkg/components/install/ReviewStep.vue';
import { defaultSettings } from '@pkg/domain/install/defaults';
import { renderedObjects } from '@pkg/domain/security/renderings';
import { LIVE_QUERIES } from '@pkg/domain/security/live';
import { buildStackNamespace } from '@pkg/domain/stack/addon';
import { TYPES } from '@pkg/domain/stack/constants';
import { mountWithShell, fakeStore, flushPromises, fetched } from '../support/mount';
import { noRows, rowTexts } from '../support/table';
import { healthyWorkloads, addon, nodes } from '../fixtures/stack/objects';

const KIND_OF_TYPE = Object.fromEntries(LIVE_QUERIES.map((q) => [q.type, q.kind]));

function liveStore(live: any[], installed = true, forbidden: string[] = []) {
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

      if (forbidden.includes(payload.type)) {
        throw Object.assign(new Error(`${ payload.type } is forbidden`), { _status: 403 });
      }

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

    await fetched();
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

    await fetched();
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

    await fetched();
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

    await fetched();
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

  describe('who can read the flow data', () => {
    const RBAC = 'rbac.authorization.k8s.io/v1';
    const grafanaProxy = {
      apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'grafana-viewer' }, rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:hnm-grafana:80'], verbs: ['get', 'create'] }]
    };
    const bindings = [
      grafanaProxy,
      {
        apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'rb-u-abc12', namespace: 'harvester-network-monitoring' }, roleRef: { kind: 'ClusterRole', name: 'grafana-viewer' }, subjects: [{ kind: 'User', name: 'u-abc12' }]
      },
      {
        apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'gc' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }]
      },
      {
        apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'system:controller:gc' }, roleRef: { kind: 'ClusterRole', name: 'gc' }, subjects: [{ kind: 'ServiceAccount', name: 'gc', namespace: 'kube-system' }]
      },
      {
        apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: '<b>all</b>' }, roleRef: { kind: 'ClusterRole', name: 'grafana-viewer' }, subjects: [{ kind: 'Group', name: '<img src=x onerror="window.__xss=1">' }]
      },
    ];

    it('lists each subject with what it can reach and the binding that grants it; system components stay collapsed', async() => {
      const wrapper = mountWithShell(SecurityReview, { store: liveStore([...installedObjects(), ...bindings]) });

      await fetched();
      const section = wrapper.find('[data-testid="flow-readers"]');
      const rows = rowTexts(section, 'flow-readers-table');

      expect(section.find('h2').text()).toBe('Who can read the flow data');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toContain('User');
      expect(rows[1]).toContain('u-abc12');
      expect(rows[1]).toContain('Service proxy to hnm-grafana as http:hnm-grafana:80: create, get');
      expect(rows[1]).toContain('Grafana lets anonymous visitors read the dashboards\' data.');
      expect(rows[1]).toContain('RoleBinding harvester-network-monitoring/rb-u-abc12 to ClusterRole grafana-viewer');
      // Hostile names are text.
      expect(rows[0]).toContain('<img src=x onerror="window.__xss=1">');
      expect(rows[0]).toContain('ClusterRoleBinding <b>all</b> (every namespace)');
      expect(section.find('img').exists()).toBe(false);
      expect(section.find('b').exists()).toBe(false);
      // Anonymous Grafana is a way in without Kubernetes permissions.
      expect(section.find('[data-testid="flow-readers-anonymous"]').exists()).toBe(true);
      expect(section.find('[data-testid="finding-exposure.grafanaAnonymous"]').exists()).toBe(true);
      expect(section.find('[data-testid="flow-readers-privileged"]').text()).toContain('system:masters');
      expect(section.find('[data-testid="flow-readers-incomplete"]').exists()).toBe(false);

      expect(section.find('[data-testid="flow-readers-system-table-list-container"]').exists()).toBe(false);
      const toggle = section.find('[data-testid="flow-readers-toggle-system"]');

      expect(toggle.text()).toBe('Show the cluster\'s own components (1)');
      await toggle.trigger('click');
      const system = rowTexts(section, 'flow-readers-system-table').join('\n');

      expect(system).toContain('kube-system/gc');
      expect(system).toContain('Secrets');
      expect(system).toContain('ClusterRoleBinding system:controller:gc (every namespace) to ClusterRole gc');
    });

    it('says the list is incomplete, and which permission is missing, when bindings cannot be read', async() => {
      const wrapper = mountWithShell(SecurityReview, { store: liveStore([...installedObjects(), ...bindings], true, ['rbac.authorization.k8s.io.clusterrolebinding', 'networking.k8s.io.ingress']) });

      await fetched();
      const banner = wrapper.find('[data-testid="flow-readers-incomplete"]').text();

      expect(banner).toContain('could not read clusterrolebindings.rbac.authorization.k8s.io (cluster-wide), ingresses.networking.k8s.io (in harvester-network-monitoring)');
      expect(banner).toContain('Ask a cluster administrator for permission to list them');
      // What could be read is still listed.
      expect(wrapper.find('[data-testid="flow-readers"]').text()).toContain('u-abc12');
    });
  });

  describe('who can read the flow data, in the wizard before install', () => {
    const crb = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ops-admin' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'ops' }]
    };
    const admin = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
    };
    const mountStep = (live: any[], forbidden: string[] = []) => mountWithShell(ReviewStep, {
      props: { settings: defaultSettings('https://x/', '0.1.0'), acknowledged: false },
      store: liveStore(live, false, forbidden),
    });

    it('lists the bindings that already apply and says whether the namespace exists', async() => {
      const wrapper = mountStep([admin, crb, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'harvester-network-monitoring' } }]);

      expect(wrapper.find('[data-testid="flow-readers-loading"]').exists()).toBe(true);
      await flushPromises();
      const section = wrapper.find('[data-testid="flow-readers"]');

      expect(section.find('[data-testid="flow-readers-preinstall"]').text()).toContain('every ClusterRoleBinding below already applies to harvester-network-monitoring');
      expect(section.find('[data-testid="flow-readers-preinstall"]').text()).toContain('already exists, so its RoleBindings listed below apply as well');
      expect(rowTexts(section, 'flow-readers-table').join('\n')).toContain('ops');
      expect(rowTexts(section, 'flow-readers-table').join('\n')).toContain('All resources and verbs (full administrator)');
      // The wizard's default exposes Grafana to anonymous viewers through the proxy.
      expect(section.find('[data-testid="finding-exposure.grafanaAnonymous"]').exists()).toBe(true);
    });

    it('says when the namespace is new and when the cluster\'s bindings could not be read', async() => {
      const wrapper = mountStep([admin, crb], ['rbac.authorization.k8s.io.clusterrolebinding']);

      await flushPromises();
      expect(wrapper.find('[data-testid="flow-readers-preinstall"]').text()).toContain('does not exist yet');
      expect(wrapper.find('[data-testid="flow-readers-incomplete"]').text()).toContain('clusterrolebindings.rbac.authorization.k8s.io (cluster-wide)');
      expect(rowTexts(wrapper, 'flow-readers-table').join('\n')).not.toContain('ops');
      // Without readers the table says so (FlowReadersSection's text, in the table's no-rows row).
      expect(noRows(wrapper, 'flow-readers-table').text()).toBe('No user, group or service account outside the cluster\'s own components can read the flow data.');
    });
  });

  it('Refresh reloads the stack and the live objects, showing Loading meanwhile', async() => {
    const store = liveStore(installedObjects());
    const wrapper = mountWithShell(SecurityReview, { store });

    await fetched();
    const lists = () => store.dispatched.filter((d) => d.action === 'harvester/findAll');
    const before = lists().length;

    await wrapper.find('[data-testid="security-refresh"]').trigger('click');
    expect(wrapper.find('[data-testid="loading"]').exists()).toBe(true);
    await fetched();
    const again = lists().slice(before).map((d) => d.payload);

    expect(again).toContainEqual({ type: TYPES.addon });
    expect(again.filter((p) => p.opt?.force).map((p) => p.type)).toEqual(expect.arrayContaining(LIVE_QUERIES.map((q) => q.type)));
    expect(wrapper.find('[data-testid="drift"]').exists()).toBe(true);
  });

  it('sends to the installer when nothing is installed', async() => {
    const wrapper = mountWithShell(SecurityReview, { store: liveStore([], false) });

    await fetched();
    expect(wrapper.find('[data-testid="security-not-installed"]').exists()).toBe(true);
  });
});

describe('Security Review: NetworkPolicy coverage of VMs', () => {
  it('lists VMs no policy selects across the cluster, as text', async() => {
    const vm = { metadata: { namespace: 'prod', name: '<b>web</b>' }, spec: { template: { metadata: { labels: { app: 'web' } } } } };
    const pod = {
      metadata: { namespace: 'prod', name: 'virt-launcher-web-x', labels: { 'vm.kubevirt.io/name': '<b>web</b>', app: 'web' } }, spec: { containers: [{ name: 'compute' }] }
    };
    const base = liveStore(installedObjects());
    const store = fakeStore({
      getters:  base.getters,
      dispatch: (action: string, payload: any) => {
        if (action === 'harvester/findAll' && payload.type === TYPES.vm) {
          return Promise.resolve([vm]);
        }
        if (action === 'harvester/findAll' && payload.type === TYPES.pod && !payload.opt) {
          return Promise.resolve([pod]);
        }

        return base.dispatch(action, payload);
      },
    });
    const wrapper = mountWithShell(SecurityReview, { store });

    await fetched();
    const section = wrapper.find('[data-testid="policy-coverage"]');

    expect(section.find('[data-testid="finding-netpol.vmUncovered"]').text()).toContain('<b>web</b>');
    expect(section.find('b').exists()).toBe(false);
    expect(section.find('[data-testid="finding-netpol.namespaceUncovered"]').exists()).toBe(true);
  });

  it('says when every VM is covered (no VMs here)', async() => {
    const wrapper = mountWithShell(SecurityReview, { store: liveStore(installedObjects()) });

    await fetched();
    expect(wrapper.find('[data-testid="policy-coverage-none"]').exists()).toBe(true);
  });
});
