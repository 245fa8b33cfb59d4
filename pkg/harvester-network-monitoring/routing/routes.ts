import { PAGES, PageId, routeName, routePath } from '../config/pages';
import { PRODUCT } from '../domain/stack/constants';

/** The component of a loaded page module, as the shell's `interopDefault` does for its own routes. */
function component(loading: Promise<{ default: unknown }>): Promise<unknown> {
  return loading.then((mod) => mod.default);
}

/**
 * Each page is its own chunk, fetched when its route first opens: the extension's main file is
 * downloaded by every Rancher user at login, so it holds registration only. Lazy route components
 * are what the shell's own routes use (@rancher/shell 3.0.8, config/router/routes.js).
 */
const COMPONENTS: Record<PageId, () => Promise<unknown>> = {
  overview:       () => component(import(/* webpackChunkName: "page-overview" */ '../pages/Overview.vue')),
  install:        () => component(import(/* webpackChunkName: "page-install" */ '../pages/Install.vue')),
  securityReview: () => component(import(/* webpackChunkName: "page-security-review" */ '../pages/SecurityReview.vue')),
  flows:          () => component(import(/* webpackChunkName: "page-flows" */ '../pages/Flows.vue')),
  grafana:        () => component(import(/* webpackChunkName: "page-grafana" */ '../pages/Grafana.vue')),
};

/** Routes under Rancher's default layout (side navigation and header), one per page. */
export const routes = (Object.keys(PAGES) as PageId[]).map((page) => ({
  parent: 'default',
  route:  {
    name:      routeName(page),
    path:      routePath(page),
    component: COMPONENTS[page],
    meta:      { product: PRODUCT },
  },
}));
