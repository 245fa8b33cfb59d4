import { PRODUCT } from '../domain/stack/constants';

const STORE = 'harvester';

interface StoreLike {
  state: Record<string, any>;
  getters: Record<string, any>;
  dispatch(action: string, payload?: unknown): Promise<unknown>;
}

/** The Harvester extension's Steve base for a cluster (Rancher's own cluster is served at the root). */
export function harvesterBaseUrl(clusterId: string): string {
  return clusterId === 'local' ? '/v1/harvester' : `/k8s/clusters/${ encodeURIComponent(clusterId) }/v1/harvester`;
}

/**
 * Our pages read the Harvester extension's `harvester` store, but the shell only loads a package's
 * cluster store for that package's own routes. Opened directly (a link, a reload) a page of ours
 * would find the store empty, so we load it the way the shell does for Harvester's routes.
 */
export async function ensureHarvesterStore(store: StoreLike, clusterId: string | undefined, product: string | undefined): Promise<void> {
  if (product !== PRODUCT || !clusterId || clusterId === '_' || !store.state[STORE]) {
    return;
  }
  if (store.state[STORE].config?.baseUrl === harvesterBaseUrl(clusterId)) {
    return;
  }
  await store.dispatch(`${ STORE }/loadCluster`, { id: clusterId });
}
