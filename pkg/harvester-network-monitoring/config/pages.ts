import { PRODUCT } from '../domain/stack/constants';

/** One entry per page the extension adds to the Harvester product. */
export interface PageSpec {
  /** Virtual type name in the Harvester product navigation; pages without one are reached by links. */
  navName?: string;
  /** Path segment after /harvester/c/:cluster/. */
  path: string;
  labelKey: string;
  weight: number;
}

export const NAV_GROUP = 'networkMonitoring';

export type PageId = 'overview' | 'install' | 'securityReview' | 'flows' | 'grafana';

export const PAGES: Record<PageId, PageSpec> = {
  overview: {
    navName: 'network-monitoring-overview', path: 'network-monitoring', labelKey: 'networkMonitoring.nav.overview', weight: 100
  },
  install:        { path: 'network-monitoring/install', labelKey: 'networkMonitoring.install.title', weight: 0 },
  flows:   {
    navName: 'network-monitoring-flows', path: 'network-monitoring/flows', labelKey: 'networkMonitoring.nav.flows', weight: 90
  },
  grafana: {
    navName: 'network-monitoring-grafana', path: 'network-monitoring/grafana', labelKey: 'networkMonitoring.nav.grafana', weight: 80
  },
  securityReview: {
    navName: 'network-monitoring-security-review', path: 'network-monitoring/security-review', labelKey: 'networkMonitoring.nav.securityReview', weight: 70
  },
};

/** The pages listed in the navigation, in order. */
export const NAV_PAGES = (Object.keys(PAGES) as PageId[]).filter((p) => PAGES[p].navName);

/** Route names follow Harvester's `harvester-c-cluster-<page>` pattern so the cluster id stays in the URL. */
export function routeName(page: PageId): string {
  return `${ PRODUCT }-c-cluster-${ PAGES[page].path.replace(/\//g, '-') }`;
}

export function routePath(page: PageId): string {
  return `/:product/c/:cluster/${ PAGES[page].path }`;
}

/** A location object for router-link: the current cluster is kept by passing it explicitly. */
export function pageLocation(page: PageId, cluster: string, query?: Record<string, string>) {
  return {
    name: routeName(page), params: { product: PRODUCT, cluster }, ...(query ? { query } : {})
  };
}
