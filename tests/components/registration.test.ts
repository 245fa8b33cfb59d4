import * as path from 'path';
import { importTypes } from '@rancher/auto-import';
import register, { VM_TAB, POD_TAB } from '@pkg/index';
import { pageLocation } from '@pkg/config/pages';
import { hasKey } from '../support/l10n';

// The shell's build generates this module from the package's folders (see the test below).
jest.mock('@rancher/auto-import', () => ({ importTypes: jest.fn() }), { virtual: true });

function fakePlugin() {
  const dsl = { basicType: jest.fn(), virtualType: jest.fn(), weightGroup: jest.fn() };
  const plugin: any = {
    products: [] as any[],
    routes:   [] as any[],
    tabs:     [] as any[],
    addProduct(mod: any) {
      this.products.push(mod);
    },
    addRoutes(routes: any[]) {
      this.routes.push(...routes);
    },
    addTab(where: string, when: any, tab: any) {
      this.tabs.push({ where, when, tab });
    },
    navHooks: [] as any[],
    addNavHooks(hooks: any) {
      this.navHooks.push(hooks);
    },
    DSL: jest.fn(() => dsl),
  };

  return { plugin, dsl };
}

// Written out, not derived from config/pages.ts: these names are what users' bookmarks and the nav depend on.
const NAV_NAMES = ['network-monitoring-overview', 'network-monitoring-flows', 'network-monitoring-grafana', 'network-monitoring-security-review'];

describe('extension registration', () => {
  const { plugin, dsl } = fakePlugin();

  register(plugin);
  plugin.products.forEach((p: any) => p.init(plugin, {}));

  it('registers the package\'s conventional folders, so the shell loads our l10n/en-us.yaml', () => {
    expect(importTypes).toHaveBeenCalledWith(plugin);
    // What the shell's build makes importTypes do for this package.
    const { generateTypeImport } = require('@rancher/shell/pkg/auto-import');
    const generated: string = generateTypeImport('@pkg', path.resolve(__dirname, '../../pkg/harvester-network-monitoring'));

    expect(generated).toContain(`$extension.register('l10n', 'en-us', () => import('@pkg/l10n/en-us.yaml'))`);
  });

  it('loads the Harvester store when one of our pages is entered', () => {
    expect(plugin.navHooks).toHaveLength(1);
    expect(typeof plugin.navHooks[0].onEnter).toBe('function');
  });

  it('provides metadata with the Rancher annotations', () => {
    expect(plugin.metadata.name).toBe('harvester-network-monitoring');
    expect(plugin.metadata.rancher.annotations['catalog.cattle.io/display-name']).toBe('Harvester Network Monitoring');
    expect(plugin.metadata.rancher.annotations['catalog.cattle.io/ui-extensions-version']).toBe('>= 3.0.0 < 4.0.0');
  });

  it('extends the existing harvester product instead of adding a new one', () => {
    expect(plugin.DSL).toHaveBeenCalledWith({}, 'harvester');
    expect(dsl.basicType).toHaveBeenCalledWith(NAV_NAMES, 'networkMonitoring');
    expect(hasKey('nav.group.networkMonitoring')).toBe(true);
  });

  it('declares a navigation entry per page, routed in the current cluster', () => {
    const entries = dsl.virtualType.mock.calls.map(([entry]: any[]) => entry);

    expect(entries.map((e: any) => e.name)).toEqual(NAV_NAMES);
    entries.forEach((e: any) => {
      expect(hasKey(e.labelKey)).toBe(true);
      expect(e.group).toBe('networkMonitoring');
      expect(e.route.name).toMatch(/^harvester-c-cluster-/);
    });
  });

  it('adds a route per page following the Harvester pattern, under the default layout', () => {
    expect(plugin.routes.map((r: any) => r.route.name)).toEqual([
      'harvester-c-cluster-network-monitoring',
      'harvester-c-cluster-network-monitoring-install',
      'harvester-c-cluster-network-monitoring-flows',
      'harvester-c-cluster-network-monitoring-grafana',
      'harvester-c-cluster-network-monitoring-security-review',
    ]);
    expect(plugin.routes[0]).toMatchObject({ parent: 'default', route: { path: '/:product/c/:cluster/network-monitoring', meta: { product: 'harvester' } } });
  });

  it('loads each page when its route opens, not at registration', async() => {
    const pages = ['Overview', 'Install', 'Flows', 'Grafana', 'SecurityReview'];

    for (const [i, page] of pages.entries()) {
      const { component } = plugin.routes[i].route;

      expect(typeof component).toBe('function');
      await expect(component()).resolves.toBe(require(`@pkg/pages/${ page }.vue`).default);
    }
  });

  it('keeps the cluster in page locations', () => {
    expect(pageLocation('overview', 'c-m-xyz')).toEqual({ name: 'harvester-c-cluster-network-monitoring', params: { product: 'harvester', cluster: 'c-m-xyz' } });
  });

  it('adds the Network tab to VM and pod detail pages only', () => {
    expect(plugin.tabs).toHaveLength(2);
    const [vm, pod] = plugin.tabs;

    expect(vm.where).toBe('tab');
    expect(vm.when).toEqual({ product: ['harvester'], resource: ['kubevirt.io.virtualmachine'], mode: ['detail'] });
    expect(vm.tab).toMatchObject(VM_TAB);
    expect(pod.where).toBe('tab');
    expect(pod.when).toEqual({ product: ['harvester'], resource: ['pod'], mode: ['detail'] });
    expect(pod.tab).toMatchObject(POD_TAB);
    for (const { tab } of plugin.tabs) {
      expect(hasKey(tab.labelKey)).toBe(true);
      expect(typeof tab.component).toBe('function');
    }
  });
});
