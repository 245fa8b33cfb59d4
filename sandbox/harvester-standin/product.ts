import { PRODUCT, STORE, VM_TYPE } from './constants';

/** The Harvester product: its own store, a namespace filter, and the VM list as landing page. */
export function init($plugin: any, store: any): void {
  const {
    product, basicType, virtualType, configureType
  } = $plugin.DSL(store, PRODUCT);
  const vmList = { name: `${ PRODUCT }-c-cluster-resource`, params: { product: PRODUCT, resource: VM_TYPE } };

  product({
    inStore:             STORE,
    removable:           false,
    showNamespaceFilter: true,
    showClusterSwitcher: true,
    hideKubeShell:       true,
    hideKubeConfig:      true,
    hideCopyConfig:      true,
    to:                  vmList,
    supportRoute:        { name: `${ PRODUCT }-c-cluster-support` },
  });

  configureType(VM_TYPE, { canYaml: false });
  virtualType({
    labelKey:   'harvesterStandin.virtualMachines',
    group:      'root',
    name:       VM_TYPE,
    namespaced: true,
    weight:     498,
    route:      { name: `${ PRODUCT }-c-cluster-resource`, params: { resource: VM_TYPE } },
    exact:      false,
  });
  basicType([VM_TYPE]);
}
