/**
 * URL prefixes of a cluster as Rancher serves it: the downstream cluster's API lives under
 * /k8s/clusters/<id>; the cluster Rancher runs in ("local") is served at the root.
 */
export function clusterPrefix(clusterId: string): string {
  return !clusterId || clusterId === 'local' ? '' : `/k8s/clusters/${ encodeURIComponent(clusterId) }`;
}

/** Raw Kubernetes API path of a cluster, e.g. kubeApi('c-1', '/apis/authorization.k8s.io/v1/...'). */
export function kubeApi(clusterId: string, path: string): string {
  return `${ clusterPrefix(clusterId) }${ path }`;
}
