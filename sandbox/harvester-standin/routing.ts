import ResourceList from '@shell/pages/c/_cluster/_product/_resource/index.vue';
import ResourceNamespaceDetail from '@shell/pages/c/_cluster/_product/_resource/_namespace/_id.vue';
import ResourceDetail from '@shell/pages/c/_cluster/_product/_resource/_id.vue';
import Support from './pages/Support.vue';
import Unsupported from './pages/Unsupported.vue';
import { PRODUCT, VM_TYPE } from './constants';

/**
 * Harvester's route names and paths (harvester-c-cluster-resource, ...-namespace-id); the pages
 * are the shell's generic list and detail pages, which render the type's detail component.
 */
const productRoutes = [
  {
    name:     `${ PRODUCT }-c-cluster`,
    path:     `/:product/c/:cluster`,
    redirect: (to: { params: Record<string, unknown> }) => ({
      name: `${ PRODUCT }-c-cluster-resource`, params: { ...to.params, resource: VM_TYPE }
    }),
  },
  { name: `${ PRODUCT }-c-cluster-support`, path: `/:product/c/:cluster/support`, component: Support },
  { name: `${ PRODUCT }-c-cluster-resource`, path: `/:product/c/:cluster/:resource`, component: ResourceList },
  { name: `${ PRODUCT }-c-cluster-resource-id`, path: `/:product/c/:cluster/:resource/:id`, component: ResourceDetail },
  { name: `${ PRODUCT }-c-cluster-resource-namespace-id`, path: `/:product/c/:cluster/:resource/:namespace/:id`, component: ResourceNamespaceDetail },
].map((route) => ({ parent: 'default', route }));

/**
 * Where loadCluster sends a cluster older than Harvester supports: like the real extension's
 * (harvester-ui-extension v1.7.3 routing/harvester-routing.js), `/:product` outside the cluster's layout,
 * named `-standalone` for Harvester's own cluster (`local`).
 */
const unsupportedRoutes = [
  { parent: 'plain', route: { name: `${ PRODUCT }-c-cluster-unsupported`, path: '/:product', component: Unsupported } },
  { parent: 'blank', route: { name: `${ PRODUCT }-c-cluster-unsupported-standalone`, path: '/:product', component: Unsupported } },
];

export const routes = [...unsupportedRoutes, ...productRoutes];
