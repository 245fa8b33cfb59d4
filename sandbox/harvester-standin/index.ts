import { IPlugin } from '@shell/core/types';
import { harvesterStore } from './store';
import { routes } from './routing';
import { STORE, VM_TYPE } from './constants';

/**
 * A minimal stand-in for the Harvester UI extension (not available to the tests): the `harvester`
 * product, its cluster store and the resource routes our extension's pages and VM tab live in.
 */
export default function(plugin: IPlugin): void {
  plugin.metadata = require('./package.json');
  plugin.addProduct(require('./product'));
  plugin.addDashboardStore(harvesterStore.config.namespace, harvesterStore.specifics, harvesterStore.config, harvesterStore.init);
  plugin.addRoutes(routes);
  // The VM detail page the shell's ResourceDetail renders for this type: like Harvester's, a Tabbed page.
  plugin.register('detail', VM_TYPE, () => import('./detail/VirtualMachine.vue'));
  // Pods of the `harvester` store get Harvester's pod model, not the shell's (see the model).
  plugin.register('models', `${ STORE }/pod`, () => require('./models/harvester/pod'));
  plugin.register('models', VM_TYPE, () => require('./models/kubevirt.io.virtualmachine'));
  plugin.register('l10n', 'en-us', () => import('./l10n/en-us.yaml'));
}
