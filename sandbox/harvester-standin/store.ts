import { CoreStoreConfig } from '@shell/core/types';
import { SteveFactory, steveStoreInit } from '@shell/plugins/steve/index';
import { COUNT, MANAGEMENT, NAMESPACE } from '@shell/config/types';
import { ClusterNotFoundError } from '@shell/utils/error';
import {
  PRODUCT, SETTING_TYPE, STORE, harvesterSteveBase
} from './constants';
import { harvesterVersionSupported } from './version';

type Ctx = { commit: Function; dispatch: Function; getters: Record<string, any>; rootGetters: Record<string, any> };
type StoreThis = { $router?: { push(location: unknown): unknown } };

/**
 * The `harvester` cluster store: a Steve store whose base URL is the Harvester cluster's
 * /v1/harvester API. Entering a Harvester page makes the shell call `harvester/loadCluster`.
 * Like the real extension's (harvester-ui-extension v1.7.3 store/harvester-store/actions.ts), a cluster
 * older than Harvester supports (its `server-version` setting) is sent to the "unsupported" page.
 */
async function loadCluster(this: StoreThis, {
  commit, dispatch, getters, rootGetters
}: Ctx, { id }: { id: string }): Promise<void> {
  await dispatch('management/waitForSchema', { type: MANAGEMENT.CLUSTER }, { root: true });
  const cluster = await dispatch('management/find', {
    type: MANAGEMENT.CLUSTER, id, opt: { url: `${ MANAGEMENT.CLUSTER }s/${ encodeURIComponent(id) }` }
  }, { root: true });

  if (!cluster) {
    commit('applyConfig', { baseUrl: null });
    throw new ClusterNotFoundError(id);
  }
  commit('applyConfig', { baseUrl: harvesterSteveBase(id) });
  await dispatch('loadSchemas', true);
  dispatch('subscribe');

  const [namespaces] = await Promise.all([
    dispatch('findAll', { type: NAMESPACE }),
    dispatch('findAll', { type: COUNT }),
    dispatch('findAll', { type: SETTING_TYPE }),
  ]);

  if (!harvesterVersionSupported(getters.byId(SETTING_TYPE, 'server-version')?.value)) {
    const product = rootGetters.productId || PRODUCT;

    this.$router?.push({ name: `${ PRODUCT }-c-cluster-unsupported${ id === 'local' ? '-standalone' : '' }`, params: { product } });

    return;
  }
  commit('updateNamespaces', { filters: [], all: namespaces, getters: rootGetters }, { root: true });
}

function specifics() {
  const steve = SteveFactory(null, null);

  steve.actions = { ...steve.actions, loadCluster };

  return steve;
}

const config: CoreStoreConfig = { namespace: STORE, isClusterStore: true };

export const harvesterStore = { specifics: specifics(), config, init: steveStoreInit };
