import { NextAction } from '../domain/stack/status';
import { PRODUCT, STACK, TYPES } from '../domain/stack/constants';
import {
  DeepLinkTarget, GrafanaTheme, deepLinkFor, grafanaDashboardUrl
} from '../domain/grafana';
import { Endpoint } from '../domain/flows/enrichment/endpoint';
import { TimeRangeId } from '../domain/flows/view/view-time';
import { pageLocation } from '../config/pages';

export interface Location {
  name: string;
  params: Record<string, string>;
  query?: Record<string, string>;
}

function addonDetail(cluster: string): Location {
  return {
    name:   `${ PRODUCT }-c-cluster-resource-namespace-id`,
    params: {
      product: PRODUCT, cluster, resource: TYPES.addon, namespace: STACK.stackNamespace, id: STACK.addonName
    },
  };
}

/** Where each next action takes the user. */
export function actionLocation(action: NextAction, cluster: string): Location {
  switch (action) {
  case 'install':
    return pageLocation('install', cluster);
  case 'troubleshoot':
    return addonDetail(cluster);
  case 'open-security-review':
    return pageLocation('securityReview', cluster);
  case 'open-flows':
    return pageLocation('flows', cluster);
  case 'open-grafana':
    return pageLocation('grafana', cluster);
  }
}

export function vmLocation(cluster: string, namespace: string, name: string): Location {
  return {
    name:   `${ PRODUCT }-c-cluster-resource-namespace-id`,
    params: {
      product: PRODUCT, cluster, resource: TYPES.vm, namespace, id: name
    },
  };
}

export function podLocation(cluster: string, namespace: string, name: string): Location {
  return {
    name:   `${ PRODUCT }-c-cluster-resource-namespace-id`,
    params: {
      product: PRODUCT, cluster, resource: TYPES.pod, namespace, id: name
    },
  };
}

/** The detail page of a VM or pod peer; other endpoints (nodes, Services, externals) are not linked. */
export function peerLocation(cluster: string, peer: Pick<Endpoint, 'kind' | 'name' | 'namespace'>): Location | null {
  if (!peer.name || !peer.namespace) {
    return null;
  }
  if (peer.kind === 'vm') {
    return vmLocation(cluster, peer.namespace, peer.name);
  }
  if (peer.kind === 'pod') {
    return podLocation(cluster, peer.namespace, peer.name);
  }

  return null;
}

export interface GrafanaLinks {
  /** l10n key of the dashboard's title. */
  labelKey: string;
  /** Our Grafana page, showing the dashboard with its variables set. */
  page: Location;
  /** The dashboard itself through the Kubernetes service proxy (opens Grafana without Rancher around it). */
  direct: string;
}

/** Links to the preferred dashboard for a VM or pod, or null when none can focus on it. */
export function grafanaLinksFor(cluster: string, target: DeepLinkTarget, range: TimeRangeId, theme: GrafanaTheme = 'light'): GrafanaLinks | null {
  const link = deepLinkFor(target);

  if (!link) {
    return null;
  }
  const query: Record<string, string> = { dashboard: link.dashboard.id, range };

  for (const [name, value] of Object.entries(link.vars)) {
    query[`var-${ name }`] = Array.isArray(value) ? String(value[0] ?? '') : String(value);
  }
  try {
    const direct = grafanaDashboardUrl({
      clusterId: cluster, uid: link.dashboard.uid, slug: link.dashboard.slug, vars: link.vars, range, theme, kiosk: false
    });

    return { labelKey: link.dashboard.labelKey, page: pageLocation('grafana', cluster, query), direct };
  } catch {
    // An unusable cluster id or variable: no link rather than a broken one.
    return null;
  }
}
