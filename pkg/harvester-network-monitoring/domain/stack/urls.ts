/**
 * URL prefixes of a cluster as Rancher serves it: the downstream cluster's API lives under
 * /k8s/clusters/<id>; the cluster Rancher runs in ("local") is served at the root.
 */
export function clusterPrefix(clusterId: string): string {
  return !clusterId || clusterId === 'local' ? '' : `/k8s/clusters/${ encodeURIComponent(clusterId) }`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Rancher cluster ids (`local`, `c-m-abc12`): the characters of a Kubernetes object name.
const CLUSTER_ID = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,252}$/;

export interface ServiceLocation {
  clusterId: string;
  namespace: string;
  service: string;
  port: number;
}

export type ServiceLocationField = keyof ServiceLocation;

/** The first part of `location` a service-proxy URL cannot be built from, or null. */
export function serviceLocationProblem(location: ServiceLocation): ServiceLocationField | null {
  const {
    clusterId, namespace, service, port
  } = location;

  if (typeof clusterId !== 'string' || !CLUSTER_ID.test(clusterId)) {
    return 'clusterId';
  }
  if (!DNS_LABEL.test(namespace)) {
    return 'namespace';
  }
  if (!DNS_LABEL.test(service)) {
    return 'service';
  }

  return Number.isInteger(port) && port >= 1 && port <= 65535 ? null : 'port';
}

/** `<prefix>/api/v1/namespaces/<ns>/services/http:<svc>:<port>/proxy`, for a location without problems. */
export function serviceProxyPath(location: ServiceLocation): string {
  return kubeApi(location.clusterId, `/api/v1/namespaces/${ location.namespace }/services/http:${ location.service }:${ location.port }/proxy`);
}

/** Raw Kubernetes API path of a cluster, e.g. kubeApi('c-1', '/apis/authorization.k8s.io/v1/...'). */
export function kubeApi(clusterId: string, path: string): string {
  return `${ clusterPrefix(clusterId) }${ path }`;
}
