/**
 * Where the flow views link to: the detail page of a peer VM or pod, and Grafana (our Grafana
 * page with the dashboard and its variables, or the dashboard directly through the proxy).
 */
import { pageLocation } from '../../config/pages';
import { Location, vmLocation } from '../../routing/locations';
import { PRODUCT, TYPES } from '../stack/constants';
import { DeepLinkTarget, GrafanaTheme, deepLinkFor, grafanaDashboardUrl } from '../grafana';
import { Endpoint } from './endpoint';
import { meta } from './objects';
import { TimeRangeId } from './view-time';

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

/**
 * The workload DeepFlow groups a pod under (its `pod_group`): the Deployment for a ReplicaSet's
 * pod (the ReplicaSet name minus its hash), otherwise the owning controller's name.
 */
export function podWorkload(pod: unknown): string | undefined {
  const owners = meta(pod).owners;
  const owner = owners.find((o) => o.kind && o.name);

  if (!owner) {
    return undefined;
  }

  return owner.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]{5,10}$/, '') : owner.name;
}
