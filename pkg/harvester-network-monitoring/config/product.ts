import { PRODUCT } from '../domain/stack/constants';
import {
  NAV_GROUP, NAV_PAGES, PAGES, routeName
} from './pages';

/**
 * Adds the "Network Monitoring" group to the existing Harvester product navigation. The Harvester
 * extension owns the product; we only declare virtual types and place them in our group.
 */
export function init($plugin: any, store: any): void {
  const { basicType, virtualType, weightGroup } = $plugin.DSL(store, PRODUCT);

  NAV_PAGES.forEach((page) => {
    const spec = PAGES[page];

    virtualType({
      name:       spec.navName,
      labelKey:   spec.labelKey,
      group:      NAV_GROUP,
      namespaced: false,
      weight:     spec.weight,
      route:      { name: routeName(page), params: { product: PRODUCT } },
      exact:      true,
    });
  });

  basicType(NAV_PAGES.map((p) => PAGES[p].navName), NAV_GROUP);
  weightGroup(NAV_GROUP, 3, true);
}
