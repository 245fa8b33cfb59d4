import { IPlugin, TabLocation } from '@shell/core/types';
import { routes } from './routing/routes';
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

// Init the package
export default function(plugin: IPlugin): void {
  plugin.metadata = require('./package.json');
  // Bundled, so the extension list shows it without reaching the repository.
  plugin.metadata.icon = require('./icon.svg');

  plugin.addProduct(require('./config/product'));
  plugin.addRoutes(routes);

  plugin.addTab(TabLocation.RESOURCE_DETAIL, { product: [PRODUCT], resource: [TYPES.vm], mode: ['detail'] }, {
    ...VM_TAB,
    component: () => import('./tabs/VmNetworkTab.vue'),
  });

  plugin.addTab(TabLocation.RESOURCE_DETAIL, { product: [PRODUCT], resource: [TYPES.pod], mode: ['detail'] }, {
    ...POD_TAB,
    component: () => import('./tabs/PodNetworkTab.vue'),
  });
}
