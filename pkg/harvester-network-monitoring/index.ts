import { importTypes } from '@rancher/auto-import';
import { IPlugin, TabLocation } from '@shell/core/types';
import { routes } from './routing/routes';
import { ensureHarvesterStore } from './routing/harvester-store';
import { TYPES, PRODUCT } from './domain/stack/constants';

export const VM_TAB = {
  name:     'network-monitoring',
  labelKey: 'networkMonitoring.vmTab.label',
  weight:   -10,
};

export const POD_TAB = {
  name:     'network-monitoring',
  labelKey: 'networkMonitoring.flows.podTab.label',
  weight:   -10,
};

// Registration only: this file becomes the bundle's main file, which every Rancher user downloads at
// login. Pages, tabs and l10n are chunks fetched when first shown (routing/routes.ts).
export default function(plugin: IPlugin): void {
  // Registers what sits in the package's conventional folders, our l10n/en-us.yaml among them.
  importTypes(plugin);

  plugin.metadata = require('./package.json');
  // Bundled, so the extension list shows it without reaching the repository.
  plugin.metadata.icon = require('./icon.svg');

  plugin.addProduct(require('./config/product'));
  plugin.addRoutes(routes);
  plugin.addNavHooks({ onEnter: (store, { clusterId, product }) => ensureHarvesterStore(store, clusterId, product) });

  plugin.addTab(TabLocation.RESOURCE_DETAIL, { product: [PRODUCT], resource: [TYPES.vm], mode: ['detail'] }, {
    ...VM_TAB,
    component: () => import(/* webpackChunkName: "tab-vm-network" */ './tabs/VmNetworkTab.vue'),
  });

  plugin.addTab(TabLocation.RESOURCE_DETAIL, { product: [PRODUCT], resource: [TYPES.pod], mode: ['detail'] }, {
    ...POD_TAB,
    component: () => import(/* webpackChunkName: "tab-pod-network" */ './tabs/PodNetworkTab.vue'),
  });
}
