import { ensureHarvesterStore, harvesterBaseUrl } from '@pkg/routing/harvester-store';

function fakeStore(baseUrl?: string, withHarvester = true) {
  const dispatched: unknown[] = [];

  return {
    dispatched,
    state:    withHarvester ? { harvester: { config: { baseUrl } } } : {},
    getters:  {},
    dispatch: async(action: string, payload?: unknown) => {
      dispatched.push([action, payload]);
    },
  };
}

describe('ensureHarvesterStore', () => {
  it('loads the Harvester store for the cluster when a page of ours is opened directly', async() => {
    const store = fakeStore(undefined);

    await ensureHarvesterStore(store, 'c-m-abc', 'harvester');
    expect(store.dispatched).toEqual([['harvester/loadCluster', { id: 'c-m-abc' }]]);
  });

  it('reloads it when it points at another cluster', async() => {
    const store = fakeStore(harvesterBaseUrl('c-m-other'));

    await ensureHarvesterStore(store, 'c-m-abc', 'harvester');
    expect(store.dispatched).toHaveLength(1);
  });

  it('leaves a store already loaded for the cluster alone (coming from Harvester\'s own pages)', async() => {
    const store = fakeStore('/k8s/clusters/c-m-abc/v1/harvester');

    await ensureHarvesterStore(store, 'c-m-abc', 'harvester');
    expect(store.dispatched).toEqual([]);
  });

  it('does nothing outside the Harvester product, without a cluster, or without the Harvester extension', async() => {
    for (const [store, cluster, product] of [
      [fakeStore(undefined), 'c-m-abc', 'explorer'],
      [fakeStore(undefined), undefined, 'harvester'],
      [fakeStore(undefined), '_', 'harvester'],
      [fakeStore(undefined, false), 'c-m-abc', 'harvester'],
    ] as const) {
      await ensureHarvesterStore(store, cluster, product);
      expect(store.dispatched).toEqual([]);
    }
  });

  it('uses Rancher\'s root path for the local cluster', () => {
    expect(harvesterBaseUrl('local')).toBe('/v1/harvester');
  });
});
