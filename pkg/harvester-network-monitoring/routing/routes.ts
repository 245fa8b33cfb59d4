import { PAGES, PageId, routeName, routePath } from '../config/pages';
import { PRODUCT } from '../domain/stack/constants';

import Overview from '../pages/Overview.vue';
import Install from '../pages/Install.vue';
import SecurityReview from '../pages/SecurityReview.vue';
import Flows from '../pages/Flows.vue';
import Grafana from '../pages/Grafana.vue';

const COMPONENTS: Record<PageId, unknown> = {
  overview: Overview, install: Install, securityReview: SecurityReview, flows: Flows, grafana: Grafana
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
