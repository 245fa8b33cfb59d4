/**
 * The Harvester stand-in follows the real extension (harvester-ui-extension v1.7.3) where our pages depend on it:
 * which clusters it refuses, and the pod model of its store.
 */
import { harvesterVersionSupported } from '../../../sandbox/harvester-standin/version';
import HarvesterStandinPod from '../../../sandbox/harvester-standin/models/harvester/pod';
import HarvesterStandinVirtualMachine from '../../../sandbox/harvester-standin/models/kubevirt.io.virtualmachine';

describe('the Harvester version the stand-in accepts', () => {
  it('refuses clusters below v1.3.0, whatever their pre-release suffix', () => {
    ['v1.2.2', 'v1.2.9-dev-20240101', 'v1.1.0', '0.3.0'].forEach((v) => expect(harvesterVersionSupported(v)).toBe(false));
  });

  it('accepts v1.3.0 and later, pre-releases reduced to their release', () => {
    ['v1.3.0', 'v1.3.0-rc1', 'v1.4.1', 'v1.7.3', 'v1.9.0-dev-20260705', '1.5.0'].forEach((v) => expect(harvesterVersionSupported(v)).toBe(true));
  });

  it('accepts a version it cannot read, as the real extension falls back to its newest release', () => {
    ['', 'master', undefined, null, 42].forEach((v) => expect(harvesterVersionSupported(v)).toBe(true));
  });
});

describe('the stand-in\'s pod and VM models', () => {
  const pod = (productId: string, nodes: unknown[] = [], model: { prototype: object } = HarvesterStandinPod, type = 'pod') => {
    const rootGetters = {
      productId, clusterId: 'c-1', currentProduct: { inStore: 'harvester' }, 'harvester/all': () => nodes
    };
    const instance = Object.create(model.prototype);

    Object.defineProperty(instance, '$rootGetters', { get: () => rootGetters });
    Object.assign(instance, {
      type, metadata: { namespace: 'shop', name: 'cart-1' }, spec: { nodeName: 'node-1' }
    });

    return instance;
  };

  it('links to Harvester\'s own list and detail routes inside the Harvester product', () => {
    const p = pod('harvester');

    expect(p._detailLocation).toEqual({
      name:   'harvester-c-cluster-resource-namespace-id',
      params: {
        product: 'harvester', cluster: 'c-1', resource: 'pod', namespace: 'shop', id: 'cart-1'
      }
    });
    expect(p.parentLocationOverride).toEqual({ name: 'harvester-c-cluster-resource', params: { product: 'harvester', cluster: 'c-1', resource: 'pod' } });
    expect(p.forceYaml).toBe(false);
  });

  it('opens as YAML in the cluster explorer outside the Harvester product', () => {
    const p = pod('explorer');

    expect(p._detailLocation).toEqual(expect.objectContaining({ name: 'c-cluster-product-resource-namespace-id', query: { as: 'yaml' } }));
    expect(p.forceYaml).toBe(true);
  });

  it('finds the node it runs on in the product\'s store', () => {
    const node = { metadata: { name: 'node-1' } };

    expect(pod('harvester', [{ metadata: { name: 'node-0' } }, node]).node).toBe(node);
  });

  it('send a VM from Harvester\'s VM list to Harvester\'s VM page, as its VM model does', () => {
    const vm = pod('harvester', [], HarvesterStandinVirtualMachine, 'kubevirt.io.virtualmachine');

    expect(vm._detailLocation).toEqual(expect.objectContaining({ name: 'harvester-c-cluster-resource-namespace-id', params: expect.objectContaining({ resource: 'kubevirt.io.virtualmachine', id: 'cart-1' }) }));
  });

  it('has none of the shell pod model\'s workload getters, as Harvester\'s has none', () => {
    const p = pod('harvester');

    expect(p.containerIsInit).toBeUndefined();
    expect(p.workloadRef).toBeUndefined();
  });
});
